package io.github.wardops.ward.cache;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.cache.TwoTierCache;
import io.github.wardops.ward.internal.support.Time;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A two-tier cache: L1 is in-process (Caffeine, bounded size, expire-after-write), L2 an optional
 * {@link SharedTier} (Redis) shared by every instance. Every entry has a TTL: the builder requires
 * a default TTL, and a put may only shorten it. An L1 entry never outlives its L2 entry.
 *
 * <pre>{@code
 * TieredCache<String, String> cache = TieredCache.builder("sessions", Duration.ofMinutes(5), 10_000)
 *         .values(ValueCodec.utf8())
 *         .shared(redisTier)            // omit for L1-only
 *         .build();
 * String v = cache.get("k", k -> loadFromDatabase(k));
 * }</pre>
 *
 * <p>Keys in the shared tier are {@code ward:<cache>:<key>}. A put or invalidation publishes the
 * key to the other instances, which drop their L1 copy; if that message is lost, the L1 TTL
 * bounds how long they serve the old value.
 *
 * <p>Failure of the shared tier is never thrown: reads fall back to L1 or the loader, writes go to
 * L1 only, and a circuit breaker skips the tier after repeated failures. No call waits longer than
 * the tier's command timeout for it. Exceptions from loaders and codecs' {@code encode} do reach
 * the caller; bad bytes read back are misses.
 *
 * <p>Thread-safe. Keys and values are never {@code null}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface TieredCache<K, V> extends AutoCloseable {

    /**
     * Starts a cache of string keys and byte-array values; change them with
     * {@link Builder#keys(KeyCodec)} and {@link Builder#values(ValueCodec)}.
     *
     * @param name the cache name: 1-64 characters of {@code a-z 0-9 . _ -}, starting with a letter
     *     or digit; it names keys ({@code ward:<name>:...}) and meters
     * @param defaultTtl the TTL of every put without one, and the longest allowed; positive, at
     *     least 1 ms, at most 30 days
     * @param maximumL1Size the most entries L1 holds (1-10,000,000)
     * @return the builder
     */
    static Builder<String, byte[]> builder(String name, Duration defaultTtl, long maximumL1Size) {
        return new Builder<>(name, defaultTtl, maximumL1Size, KeyCodec.strings(), ValueCodec.bytes());
    }

    /**
     * The cache name.
     *
     * @return the name
     */
    String name();

    /**
     * The default (and longest) TTL.
     *
     * @return the TTL
     */
    Duration defaultTtl();

    /**
     * Reads a value from L1, else from L2 (and keeps it in L1).
     *
     * @param key the key
     * @return the value, empty on a miss
     */
    Optional<V> get(K key);

    /**
     * Reads a value from L1, else L2, else loads it and puts it with the default TTL. Concurrent
     * calls for one key on this instance run the loader once; the others wait for its result.
     *
     * @param key the key
     * @param loader computes the value; may return {@code null} for "no value" (nothing is
     *     cached); an exception it throws reaches every caller waiting for that load
     * @return the value, or {@code null} when the loader returned {@code null}
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /**
     * Reads many values: L1 first, the rest in batches from L2 (one {@code MGET} per batch).
     *
     * @param keys the keys
     * @return the values found, by key; immutable
     */
    Map<K, V> getAll(Collection<? extends K> keys);

    /**
     * Puts a value with the default TTL.
     *
     * @param key the key
     * @param value the value
     */
    void put(K key, V value);

    /**
     * Puts a value with a TTL no longer than the default.
     *
     * @param key the key
     * @param value the value
     * @param ttl the TTL: at least 1 ms and at most {@link #defaultTtl()}
     * @throws IllegalArgumentException when the TTL is out of range
     */
    void put(K key, V value, Duration ttl);

    /**
     * Puts many values with the default TTL (pipelined in L2), and publishes one invalidation for
     * them.
     *
     * @param entries the entries
     */
    void putAll(Map<? extends K, ? extends V> entries);

    /**
     * Removes a key from L1 and L2 and from the other instances' L1.
     *
     * @param key the key
     */
    void invalidate(K key);

    /**
     * Removes keys from L1 and L2 and from the other instances' L1.
     *
     * @param keys the keys
     */
    void invalidateAll(Collection<? extends K> keys);

    /**
     * The number of entries in L1 now (an estimate).
     *
     * @return the count
     */
    long l1Size();

    /**
     * The shared tier's state.
     *
     * @return {@link L2State#NONE} for an L1-only cache
     */
    L2State l2State();

    /**
     * Unsubscribes from invalidations and removes the cache's meters. Does not close the shared
     * tier (it may serve other caches) nor the meter registry. Idempotent; the cache must not be
     * used afterwards.
     */
    @Override
    void close();

    /**
     * Builds a {@link TieredCache}; {@link #build()} reports every invalid setting at once. Not
     * thread-safe.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    final class Builder<K, V> {
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
        private final String name;
        private final Duration defaultTtl;
        private final long maximumL1Size;
        private KeyCodec<K> keys;
        private ValueCodec<V> values;
        private Duration l1Ttl;
        private SharedTier shared;
        private int failureThreshold = 3;
        private Duration coolDown = Duration.ofSeconds(5);
        private int batchSize = 500;
        private MeterRegistry registry;
        private InstantSource clock = InstantSource.system();
        private Ticker ticker;
        private boolean tickerSet;

        Builder(String name, Duration defaultTtl, long maximumL1Size, KeyCodec<K> keys, ValueCodec<V> values) {
            this.name = name;
            this.defaultTtl = defaultTtl;
            this.maximumL1Size = maximumL1Size;
            this.keys = keys;
            this.values = values;
        }

        /**
         * Sets how keys become text.
         *
         * @param codec the codec
         * @param <K2> the new key type
         * @return this builder, retyped
         */
        @SuppressWarnings("unchecked")
        public <K2> Builder<K2, V> keys(KeyCodec<K2> codec) {
            Builder<K2, V> b = (Builder<K2, V>) this;
            b.keys = codec;
            return b;
        }

        /**
         * Sets how values become bytes.
         *
         * @param codec the codec
         * @param <V2> the new value type
         * @return this builder, retyped
         */
        @SuppressWarnings("unchecked")
        public <V2> Builder<K, V2> values(ValueCodec<V2> codec) {
            Builder<K, V2> b = (Builder<K, V2>) this;
            b.values = codec;
            return b;
        }

        /**
         * Caps how long an entry lives in L1 (default: the default TTL). A shorter L1 TTL bounds
         * how long an instance can serve a value that another instance replaced when the
         * invalidation message was lost. An L1 entry never outlives the L2 entry in any case.
         *
         * @param ttl at least 1 ms and at most the default TTL
         * @return this builder
         */
        public Builder<K, V> l1Ttl(Duration ttl) {
            this.l1Ttl = ttl;
            return this;
        }

        /**
         * Adds the shared tier (L2). Without one the cache is L1-only. The cache does not close it.
         *
         * @param tier the tier
         * @return this builder
         */
        public Builder<K, V> shared(SharedTier tier) {
            this.shared = tier;
            return this;
        }

        /**
         * Sets the circuit breaker: after this many failures in a row the shared tier is skipped
         * for the cool-down, then one call probes it (defaults 3 and 5 s).
         *
         * @param failures 1-1000
         * @param coolDownTime 10 ms - 10 min
         * @return this builder
         */
        public Builder<K, V> breaker(int failures, Duration coolDownTime) {
            this.failureThreshold = failures;
            this.coolDown = coolDownTime;
            return this;
        }

        /**
         * Sets the most keys per L2 round trip in {@link TieredCache#getAll} and
         * {@link TieredCache#putAll} (1-10,000; default 500).
         *
         * @param size the batch size
         * @return this builder
         */
        public Builder<K, V> batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Sets the registry for the cache's meters (not closed by the cache). Without one, meters
         * go to a private registry.
         *
         * @param meterRegistry the registry
         * @return this builder
         */
        public Builder<K, V> meterRegistry(MeterRegistry meterRegistry) {
            this.registry = meterRegistry;
            return this;
        }

        /**
         * Sets the wall clock that stamps when an entry in L2 expires, which every instance
         * sharing the tier reads (default: the system clock). Unless a {@link #ticker} is set,
         * L1 expiry follows this clock too, so tests can move time with the clock alone.
         *
         * @param source the source
         * @return this builder
         */
        public Builder<K, V> clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        /**
         * Sets the monotonic time for L1 expiry, the breaker's cool-down and rate-limited logs.
         * Default: the clock when it is also a {@link Ticker} (ward-testkit's {@code ManualClock});
         * {@link Ticker#system()} with the system clock; with any other clock, ticks derived from
         * its milliseconds, so L1 expiry follows it.
         *
         * @param t the ticker
         * @return this builder
         */
        public Builder<K, V> ticker(Ticker t) {
            this.ticker = t;
            this.tickerSet = true;
            return this;
        }

        private Ticker resolvedTicker() {
            if (tickerSet) {
                return ticker;
            }
            if (clock instanceof Ticker || clock.equals(InstantSource.system())) {
                return Time.defaultTicker(clock);
            }
            InstantSource c = clock;
            return () -> c.millis() * 1_000_000L;
        }

        /**
         * Builds the cache and subscribes to invalidations (without waiting for the tier).
         *
         * @return the cache
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public TieredCache<K, V> build() {
            List<String> p = new ArrayList<>();
            if (name == null || !NAME.matcher(name).matches()) {
                p.add("name = '" + name + "': must be 1-64 characters of a-z 0-9 . _ -, starting with a letter or digit");
            }
            boolean ttlOk = defaultTtl != null && defaultTtl.compareTo(Duration.ofMillis(1)) >= 0
                    && defaultTtl.compareTo(Duration.ofDays(30)) <= 0;
            if (!ttlOk) {
                p.add("defaultTtl = " + defaultTtl + ": must be 1 ms - 30 days");
            }
            if (maximumL1Size < 1 || maximumL1Size > 10_000_000) {
                p.add("maximumL1Size = " + maximumL1Size + ": must be 1-10000000");
            }
            if (keys == null) {
                p.add("keys codec must not be null");
            }
            if (values == null) {
                p.add("values codec must not be null");
            }
            if (l1Ttl != null && (l1Ttl.compareTo(Duration.ofMillis(1)) < 0 || (ttlOk && l1Ttl.compareTo(defaultTtl) > 0))) {
                p.add("l1Ttl = " + l1Ttl + ": must be 1 ms - defaultTtl (" + defaultTtl + ")");
            }
            if (failureThreshold < 1 || failureThreshold > 1000) {
                p.add("breaker failures = " + failureThreshold + ": must be 1-1000");
            }
            if (coolDown == null || coolDown.compareTo(Duration.ofMillis(10)) < 0 || coolDown.compareTo(Duration.ofMinutes(10)) > 0) {
                p.add("breaker coolDown = " + coolDown + ": must be 10 ms - 10 min");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                p.add("batchSize = " + batchSize + ": must be 1-10000");
            }
            if (clock == null) {
                p.add("clock must not be null");
            }
            if (tickerSet && ticker == null) {
                p.add("ticker must not be null");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("TieredCache", p);
            }
            return new TwoTierCache<>(new TwoTierCache.Config<>(name, defaultTtl, l1Ttl == null ? defaultTtl : l1Ttl,
                    maximumL1Size, keys, values, shared, failureThreshold, coolDown, batchSize, registry, clock,
                    resolvedTicker()));
        }
    }
}
