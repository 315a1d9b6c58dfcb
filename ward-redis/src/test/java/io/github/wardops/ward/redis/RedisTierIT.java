package io.github.wardops.ward.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.DeviceSnapshot;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.cache.InterfaceSnapshot;
import io.github.wardops.ward.cache.InterfaceSnapshots;
import io.github.wardops.ward.cache.L2State;
import io.github.wardops.ward.cache.TieredCache;
import io.github.wardops.ward.cache.ValueCodec;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisTierIT {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static RedisServer server;
    private static RedisClient testClient;
    private static StatefulRedisConnection<String, byte[]> testConnection;
    private static RedisCommands<String, byte[]> redis;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        testClient = RedisClient.create(RedisURI.create(server.uri()));
        testConnection = testClient.connect(CODEC);
        redis = testConnection.sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (testClient != null) {
            testConnection.close();
            testClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        redis.flushall();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T t) {
        toClose.add(t);
        return t;
    }

    private RedisTier tier() {
        return closeLater(RedisTier.builder().uri(Secret.of(server.uri())).meterRegistry(registry).build());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitConnected(RedisTier t) throws InterruptedException {
        awaitTrue(t::connected, "the tier to connect");
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static List<String> wardKeys() {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches("ward:*").limit(1000)).forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void everyWardKeyHasAPositiveTtlAfterARealisticWorkload() throws Exception {
        RedisTier tier = tier();
        awaitConnected(tier);
        var states = closeLater(DeviceStateCache.builder(Duration.ofMinutes(2)).shared(tier).meterRegistry(registry).build());
        var names = closeLater(TieredCache.builder("names", Duration.ofMinutes(1), 1000).values(ValueCodec.utf8())
                .shared(tier).meterRegistry(registry).build());
        List<DeviceId> ids = new ArrayList<>();
        Instant t = Instant.now();
        for (int i = 0; i < 875; i++) {
            DeviceId id = DeviceId.fromKey("dev-" + i);
            ids.add(id);
            Duration rtt = Duration.ofNanos((200 + i) * 1000L);
            states.onResult(i % 10 == 0
                    ? new ProbeResult.Down(id, "icmp", "icmp", t, DownReason.TIMEOUT, "", new PingStats(2, 0, null, null, null, null))
                    : new ProbeResult.Up(id, "icmp", "icmp", t, rtt, new PingStats(2, 2, rtt, rtt, rtt, Duration.ZERO)));
            if (i % 4 == 0) {
                states.publishInterfaces(new InterfaceSnapshots(id, t, List.of(new InterfaceSnapshot(1, "Gi0/0", "ISP1",
                        InterfaceSnapshot.Status.UP, InterfaceSnapshot.Status.UP, 100_000_000L, 1e6, 2e6, 0.0, 0.0))));
            }
            names.put("n" + i, "name-" + i, Duration.ofSeconds(10 + i % 50));
            if (i % 7 == 0) {
                names.get("loaded" + i, k -> "v");
            }
        }
        names.putAll(Map.of("bulk1", "a", "bulk2", "b"));
        states.flush();
        states.retainOnly(ids.subList(0, 800));
        names.invalidate("n1");
        states.flush();

        List<String> keys = wardKeys();
        long deviceKeys = keys.stream().filter(k -> k.startsWith("ward:devices:")).count();
        assertEquals(800, deviceKeys, "entries follow the inventory");
        assertTrue(keys.size() > 1500, "keys: " + keys.size());
        for (String k : keys) {
            long pttl = redis.pttl(k);
            assertTrue(pttl > 0 && pttl <= Duration.ofMinutes(2).toMillis(), k + " has PTTL " + pttl);
        }
        assertEquals(L2State.CLOSED, names.l2State());

        // What a dashboard does: the state of every device, from another instance, through MGET.
        RedisTier otherTier = tier();
        awaitConnected(otherTier);
        var reader = closeLater(DeviceStateCache.builder(Duration.ofMinutes(2)).shared(otherTier).build());
        Map<DeviceId, DeviceSnapshot> all = reader.getAll(ids);
        assertEquals(800, all.size());
        assertEquals(DeviceStatus.DOWN, all.get(ids.get(10)).status());
        assertEquals(DeviceStatus.UP, all.get(ids.get(11)).status());

        long bytes = 0;
        for (DeviceId id : ids.subList(0, 800)) {
            bytes += redis.memoryUsage("ward:devices:" + id);
        }
        long ifBytes = redis.memoryUsage("ward:devices.ifaces:" + ids.get(0));
        System.out.printf("MEMORY USAGE: %.1f bytes per device state key (mean of 800), %d bytes for a one-interface "
                + "interfaces key; used_memory after workload:%n%s%n", bytes / 800.0, ifBytes,
                redis.info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst().orElse(""));
    }

    @Test
    void twoInstancesOnOneRedisSeeEachOthersInvalidations() throws Exception {
        RedisTier tierA = tier();
        RedisTier tierB = tier();
        awaitConnected(tierA);
        awaitConnected(tierB);
        var a = closeLater(TieredCache.builder("shared", Duration.ofMinutes(5), 100).values(ValueCodec.utf8()).shared(tierA).build());
        var b = closeLater(TieredCache.builder("shared", Duration.ofMinutes(5), 100).values(ValueCodec.utf8()).shared(tierB).build());
        awaitTrue(() -> redis.pubsubNumsub("ward:invalidate:shared").get("ward:invalidate:shared") == 2, "both subscribed");
        a.put("k", "v1");
        assertEquals(Optional.of("v1"), b.get("k"));
        a.put("k", "v2");
        awaitTrue(() -> b.get("k").equals(Optional.of("v2")), "b to see v2");
        b.invalidate("k");
        awaitTrue(() -> a.get("k").isEmpty(), "a to drop k");
        assertEquals(0, redis.exists("ward:shared:k"));
    }

    @Test
    void concurrentGetOrLoadRunsTheLoaderOnceAndOtherInstancesReadTheResult() throws Exception {
        RedisTier tier = tier();
        awaitConnected(tier);
        var cache = closeLater(TieredCache.builder("load", Duration.ofMinutes(1), 100).values(ValueCodec.utf8()).shared(tier).build());
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return cache.get("k", k -> {
                        loads.incrementAndGet();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "value";
                    });
                }));
            }
            start.countDown();
            for (Future<String> f : fs) {
                assertEquals("value", f.get(10, TimeUnit.SECONDS));
            }
        }
        assertEquals(1, loads.get());
        RedisTier other = tier();
        awaitConnected(other);
        var otherCache = closeLater(TieredCache.builder("load", Duration.ofMinutes(1), 100).values(ValueCodec.utf8()).shared(other).build());
        assertEquals("value", otherCache.get("k", k -> {
            loads.incrementAndGet();
            return "again";
        }));
        assertEquals(1, loads.get(), "the other instance found it in Redis");
    }

    @Test
    void corruptAndForeignValuesAreCountedMisses() throws Exception {
        RedisTier tier = tier();
        awaitConnected(tier);
        var cache = closeLater(DeviceStateCache.builder(Duration.ofMinutes(1)).shared(tier).meterRegistry(registry).build());
        DeviceId foreign = DeviceId.fromKey("foreign");
        DeviceId corrupt = DeviceId.fromKey("corrupt");
        DeviceId hash = DeviceId.fromKey("hash");
        redis.set("ward:devices:" + foreign, "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8));
        byte[] badPayload = new byte[30];
        badPayload[0] = 'W';
        badPayload[1] = 1;
        badPayload[2] = 0x7f;
        badPayload[10] = 9;
        redis.set("ward:devices:" + corrupt, badPayload);
        redis.hset("ward:devices:" + hash, "f", new byte[] {1});
        assertTrue(cache.get(foreign).isEmpty());
        assertTrue(cache.get(corrupt).isEmpty());
        assertTrue(cache.getAll(List.of(foreign, corrupt)).isEmpty());
        assertTrue(cache.get(hash).isEmpty(), "a key of the wrong type is an L2 error, not an exception");
        assertEquals(2, count("ward.cache.bad.values", "cache", "devices", "kind", "foreign"));
        assertEquals(2, count("ward.cache.bad.values", "cache", "devices", "kind", "corrupt"));
    }

    @Test
    void theServerCheckFlagsNoLimitAndAllkeysPolicies() throws Exception {
        RedisTier tier = tier();
        awaitConnected(tier);
        awaitTrue(() -> tier.serverCheck().status() == RedisServerCheck.Status.NO_LIMIT, "the check on connect");
        redis.configSet("maxmemory", "0");
        assertEquals(RedisServerCheck.Status.NO_LIMIT, tier.checkServerNow().status());
        assertTrue(tier.serverCheck().advice().contains("maxmemory"));
        redis.configSet("maxmemory", "64mb");
        redis.configSet("maxmemory-policy", "allkeys-lru");
        RedisServerCheck c = tier.checkServerNow();
        assertEquals(RedisServerCheck.Status.EVICTS_ANY_KEY, c.status());
        assertEquals("allkeys-lru", c.policy());
        assertEquals(1.0, registry.get("ward.redis.config.problem").gauge().value());
        redis.configSet("maxmemory-policy", "volatile-ttl");
        c = tier.checkServerNow();
        assertEquals(RedisServerCheck.Status.OK, c.status());
        assertEquals(64L * 1024 * 1024, c.maxmemory());
        assertEquals(0.0, registry.get("ward.redis.config.problem").gauge().value());
        redis.configSet("maxmemory", "0");
        redis.configSet("maxmemory-policy", "noeviction");
    }

    @Test
    void aServerThatForbidsConfigIsToleratedAndTheCacheStillWorks() throws Exception {
        try (RedisServer locked = RedisServer.start("--rename-command", "CONFIG", "")) {
            RedisTier tier = closeLater(RedisTier.builder().uri(Secret.of(locked.uri())).build());
            awaitConnected(tier);
            assertEquals(RedisServerCheck.Status.UNREADABLE, tier.checkServerNow().status());
            var cache = closeLater(TieredCache.builder("locked", Duration.ofMinutes(1), 10).values(ValueCodec.utf8()).shared(tier).build());
            cache.put("k", "v");
            assertEquals(L2State.CLOSED, cache.l2State());
            assertEquals("1", locked.command("EXISTS ward:locked:k").substring(1));
        }
    }

    @Test
    void connectionsAndClientsHandedInAreNotClosed() throws Exception {
        RedisClient userClient = RedisClient.create();
        try {
            RedisURI uri = RedisURI.create(server.uri());
            StatefulRedisConnection<String, byte[]> conn = userClient.connect(CODEC, uri);
            StatefulRedisPubSubConnection<String, String> ps = userClient.connectPubSub(StringCodec.UTF8, uri);
            RedisTier tier = RedisTier.builder().connections(conn, ps).build();
            var cache = TieredCache.builder("user", Duration.ofMinutes(1), 10).values(ValueCodec.utf8()).shared(tier).build();
            cache.put("k", "v");
            assertEquals(Optional.of("v"), cache.get("k"));
            cache.close();
            tier.close();
            assertTrue(conn.isOpen());
            assertTrue(ps.isOpen());
            assertEquals("PONG", conn.sync().ping());

            RedisTier viaClient = RedisTier.builder().client(userClient, uri).build();
            awaitConnected(viaClient);
            viaClient.set("ward:user:x", new byte[] {1}, Duration.ofSeconds(5));
            viaClient.close();
            assertFalse(viaClient.connected());
            try (var again = userClient.connect(CODEC, uri)) {
                assertEquals("PONG", again.sync().ping(), "the user's client still works");
            }
            conn.close();
            ps.close();
        } finally {
            userClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void theTierRefusesWritesWithoutATtl() throws Exception {
        RedisTier tier = tier();
        awaitConnected(tier);
        assertThrows(IllegalArgumentException.class, () -> tier.set("ward:x:k", new byte[] {1}, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> tier.set("ward:x:k", new byte[] {1}, Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class, () -> tier.setAll(Map.of("ward:x:k", new byte[] {1}), null));
        assertEquals(0, redis.exists("ward:x:k"));
    }

    @Test
    void builderValidatesEverythingAndNeverShowsTheUri() {
        var e = assertThrows(InvalidConfigurationException.class, () -> RedisTier.builder().commandTimeout(Duration.ZERO)
                .connectTimeout(null).requestQueueSize(1).serverCheckInterval(Duration.ofDays(2)).build());
        assertEquals(5, e.problems().size(), e.getMessage());
        var bad = assertThrows(InvalidConfigurationException.class,
                () -> RedisTier.builder().uri(Secret.of("nope://user:hunter2@x")).build());
        assertFalse(bad.getMessage().contains("hunter2"), bad.getMessage());
    }
}
