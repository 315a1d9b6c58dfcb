package io.github.wardops.ward.bench.cache;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.TieredCache;
import io.github.wardops.ward.cache.ValueCodec;
import io.github.wardops.ward.redis.RedisTier;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of the cache's three paths, single-threaded and with 4 threads on the same keys:
 * an L1 hit, an L2 hit (Redis GET + decode; L1 is kept at one entry so reads fall through to
 * Redis), and a miss that loads (L1 miss, Redis GET miss, the loader, then SET PX and PUBLISH).
 * Redis is a local {@code redis-server} over loopback, started by the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TieredCacheBench {
    private static final int KEYS = 1024;
    private LocalRedis redis;
    private RedisTier tier;
    private TieredCache<String, String> l1Cache;
    private TieredCache<String, String> l2Cache;
    private TieredCache<String, String> loadCache;
    private final String[] keys = new String[KEYS];
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong fresh = new AtomicLong();

    /**
     * Starts Redis and fills the caches.
     *
     * @throws Exception when Redis cannot start
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        redis = new LocalRedis();
        tier = RedisTier.builder().uri(Secret.of(redis.uri())).commandTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!tier.connected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        l1Cache = TieredCache.builder("bench-l1", Duration.ofMinutes(10), 10_000).values(ValueCodec.utf8()).shared(tier).build();
        l2Cache = TieredCache.builder("bench-l2", Duration.ofMinutes(10), 1).values(ValueCodec.utf8()).shared(tier).build();
        loadCache = TieredCache.builder("bench-load", Duration.ofMinutes(10), 10_000).values(ValueCodec.utf8()).shared(tier)
                .build();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
            l1Cache.put(keys[i], "value-" + i);
            l2Cache.put(keys[i], "value-" + i);
        }
    }

    /**
     * Stops Redis.
     *
     * @throws Exception when stopping fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        l1Cache.close();
        l2Cache.close();
        loadCache.close();
        tier.close();
        redis.close();
    }

    private String key() {
        return keys[(int) (next.getAndIncrement() & (KEYS - 1))];
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    public Object l1Hit() {
        return l1Cache.get(key());
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    @Threads(4)
    public Object l1HitContended() {
        return l1Cache.get(key());
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    public Object l2Hit() {
        return l2Cache.get(key());
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    @Threads(4)
    public Object l2HitContended() {
        return l2Cache.get(key());
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    public Object missWithLoad() {
        return loadCache.get("fresh-" + fresh.getAndIncrement(), k -> "loaded");
    }

    /**

     * Returns the value.

     *

     * @return the value

     */
    @Benchmark
    @Threads(4)
    public Object missWithLoadContended() {
        return loadCache.get("fresh-" + fresh.getAndIncrement(), k -> "loaded");
    }
}
