package io.github.wardops.ward.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;

class TieredCacheTest {
    private static final Duration TTL = Duration.ofSeconds(60);
    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TieredCache<String, String> l1Only() {
        return TieredCache.builder("test", TTL, 100).values(ValueCodec.utf8()).clock(clock).meterRegistry(registry).build();
    }

    private TieredCache<String, String> twoTier(MapTier tier) {
        return TieredCache.builder("test", TTL, 100).values(ValueCodec.utf8()).clock(clock).meterRegistry(registry)
                .shared(tier).breaker(3, Duration.ofSeconds(5)).build();
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        var e = assertThrows(InvalidConfigurationException.class, () -> TieredCache.builder("Bad:Name", Duration.ZERO, 0)
                .l1Ttl(Duration.ofDays(1)).breaker(0, Duration.ZERO).batchSize(0).clock(null).build());
        assertEquals(7, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("defaultTtl = PT0S"));
        assertTrue(e.getMessage().contains("maximumL1Size = 0"));
    }

    @Test
    void aCacheCannotBeBuiltWithoutAPositiveTtl() {
        assertThrows(InvalidConfigurationException.class, () -> TieredCache.builder("x", null, 10).build());
        assertThrows(InvalidConfigurationException.class, () -> TieredCache.builder("x", Duration.ofSeconds(-1), 10).build());
        assertThrows(InvalidConfigurationException.class, () -> TieredCache.builder("x", Duration.ofNanos(999_999), 10).build());
        assertThrows(InvalidConfigurationException.class, () -> TieredCache.builder("x", Duration.ofDays(31), 10).build());
    }

    @Test
    void putTtlMustBePositiveAndNoLongerThanTheDefault() {
        try (var cache = l1Only()) {
            assertThrows(IllegalArgumentException.class, () -> cache.put("k", "v", Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> cache.put("k", "v", Duration.ofMillis(-5)));
            assertThrows(IllegalArgumentException.class, () -> cache.put("k", "v", Duration.ofNanos(10)));
            assertThrows(IllegalArgumentException.class, () -> cache.put("k", "v", TTL.plusMillis(1)));
            assertThrows(NullPointerException.class, () -> cache.put("k", "v", null));
            assertTrue(cache.get("k").isEmpty(), "a rejected put stores nothing");
            cache.put("k", "v", TTL);
            cache.put("k2", "v", Duration.ofMillis(1));
            assertEquals(Optional.of("v"), cache.get("k"));
        }
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        try (var cache = l1Only()) {
            cache.put("long", "a");
            cache.put("short", "b", Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(6));
            assertEquals(Optional.empty(), cache.get("short"));
            assertEquals(Optional.of("a"), cache.get("long"));
            clock.advance(Duration.ofSeconds(55));
            assertEquals(Optional.empty(), cache.get("long"));
            assertEquals(0, cache.l1Size());
        }
    }

    @Test
    void l1ExpiryFollowsTheTickerWhenOneIsSet() {
        FakeClock ticker = new FakeClock();
        try (var cache = TieredCache.builder("test", TTL, 100).values(ValueCodec.utf8()).clock(clock).ticker(ticker)
                .meterRegistry(registry).build()) {
            cache.put("k", "v", Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(6));
            assertEquals(Optional.of("v"), cache.get("k"), "the wall clock does not expire L1 when a ticker is set");
            ticker.advance(Duration.ofSeconds(6));
            assertEquals(Optional.empty(), cache.get("k"));
        }
        var e = assertThrows(InvalidConfigurationException.class,
                () -> TieredCache.builder("test", TTL, 100).ticker(null).build());
        assertEquals(List.of("ticker must not be null"), e.problems());
    }

    @Test
    void l1SizeIsBoundedAndEvictionsAreCounted() {
        try (var cache = l1Only()) {
            for (int i = 0; i < 500; i++) {
                cache.put("k" + i, "v");
            }
            assertTrue(cache.l1Size() <= 100, "size " + cache.l1Size());
            assertTrue(count("ward.cache.evictions", "cache", "test", "cause", "size") >= 400);
        }
    }

    @Test
    void badKeysAreRejected() {
        try (var cache = l1Only()) {
            assertThrows(IllegalArgumentException.class, () -> cache.put("", "v"));
            assertThrows(IllegalArgumentException.class, () -> cache.put("a b", "v"));
            assertThrows(IllegalArgumentException.class, () -> cache.put("a\nb", "v"));
            assertThrows(IllegalArgumentException.class, () -> cache.put("x".repeat(257), "v"));
            assertThrows(NullPointerException.class, () -> cache.put(null, "v"));
            assertThrows(NullPointerException.class, () -> cache.put("k", null));
        }
    }

    @Test
    void concurrentLoadsOfOneKeyRunTheLoaderOnce() throws Exception {
        try (var cache = l1Only(); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch inLoader = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            results.add(pool.submit(() -> cache.get("k", k -> {
                loads.incrementAndGet();
                inLoader.countDown();
                await(release);
                return "loaded";
            })));
            assertTrue(inLoader.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 7; i++) {
                results.add(pool.submit(() -> cache.get("k", k -> {
                    loads.incrementAndGet();
                    return "second";
                })));
            }
            release.countDown();
            for (Future<String> f : results) {
                assertEquals("loaded", f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, loads.get());
            assertEquals(1, count("ward.cache.loads", "cache", "test", "result", "success"));
        }
    }

    @Test
    void aFailingLoaderReachesEveryWaiterAndCachesNothing() throws Exception {
        try (var cache = l1Only(); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CountDownLatch inLoader = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<String> first = pool.submit(() -> cache.get("k", k -> {
                inLoader.countDown();
                await(release);
                throw new IllegalStateException("db down");
            }));
            assertTrue(inLoader.await(10, TimeUnit.SECONDS));
            Future<String> second = pool.submit(() -> cache.get("k", k -> "other"));
            release.countDown();
            var e1 = assertThrows(java.util.concurrent.ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e1.getCause());
            // The second caller either joined the failed load or ran after it.
            try {
                assertEquals("other", second.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e2) {
                assertInstanceOf(IllegalStateException.class, e2.getCause());
            }
            assertEquals(1, count("ward.cache.loads", "cache", "test", "result", "failure"));
        }
    }

    @Test
    void aNullFromTheLoaderIsNotCachedAndARecursiveLoadIsRefused() {
        try (var cache = l1Only()) {
            assertNull(cache.get("k", k -> null));
            assertEquals(Optional.empty(), cache.get("k"));
            assertThrows(IllegalStateException.class, () -> cache.get("r", k -> cache.get("r", k2 -> "x")));
            assertEquals("y", cache.get("r", k -> "y"), "the refused load left nothing behind");
        }
    }

    @Test
    void getAllAndInvalidate() {
        try (var cache = l1Only()) {
            cache.putAll(Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), cache.getAll(List.of("a", "b", "c")));
            cache.invalidate("a");
            cache.invalidateAll(List.of("b"));
            assertEquals(Map.of(), cache.getAll(List.of("a", "b")));
            assertEquals(L2State.NONE, cache.l2State());
        }
    }

    @Test
    void everyL2WriteCarriesTheTtlAndL1NeverOutlivesL2() {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier)) {
            cache.put("a", "1");
            cache.put("b", "2", Duration.ofSeconds(3));
            cache.putAll(Map.of("c", "3"));
            assertEquals(TTL, tier.ttls.get("ward:test:a"));
            assertEquals(Duration.ofSeconds(3), tier.ttls.get("ward:test:b"));
            assertEquals(TTL, tier.ttls.get("ward:test:c"));
        }
        // A second instance reads "a" from L2 when 50 s of its 60 s are gone: it may keep it in L1 for 10 s only.
        clock.advance(Duration.ofSeconds(50));
        try (var other = twoTier(tier)) {
            assertEquals(Optional.of("1"), other.get("a"));
            tier.values.remove("ward:test:a");
            clock.advance(Duration.ofSeconds(9));
            assertEquals(Optional.of("1"), other.get("a"), "still in L1");
            clock.advance(Duration.ofSeconds(2));
            assertEquals(Optional.empty(), other.get("a"), "L1 expired with the L2 entry");
        }
    }

    @Test
    void foreignAndCorruptValuesAreCountedMisses() {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier)) {
            tier.values.put("ward:test:foreign", "hello".getBytes(StandardCharsets.UTF_8));
            tier.values.put("ward:test:empty", new byte[0]);
            byte[] corrupt = {'W', 1, 0x7f, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe};
            tier.values.put("ward:test:corrupt", corrupt);
            assertEquals(Optional.empty(), cache.get("foreign"));
            assertEquals(Optional.empty(), cache.get("empty"));
            assertEquals(Optional.empty(), cache.get("corrupt"));
            assertEquals("loaded", cache.get("foreign", k -> "loaded"));
            assertEquals(Map.of(), cache.getAll(List.of("corrupt", "empty")));
            assertEquals(4, count("ward.cache.bad.values", "cache", "test", "kind", "foreign"));
            assertEquals(2, count("ward.cache.bad.values", "cache", "test", "kind", "corrupt"));
        }
    }

    @Test
    void aFailingTierIsSkippedByTheBreakerAndProbedAfterTheCoolDown() {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier)) {
            tier.failing.set(true);
            for (int i = 0; i < 10; i++) {
                cache.put("k" + i, "v" + i);
                assertEquals(Optional.of("v" + i), cache.get("k" + i));
                assertEquals("x", cache.get("missing" + i, k -> "x"));
            }
            assertEquals(L2State.OPEN, cache.l2State());
            assertEquals(3, tier.calls.get(), "calls stop after the threshold");
            assertTrue(count("ward.cache.l2.skipped", "cache", "test") > 0);
            assertEquals(3, registry.find("ward.cache.l2.errors").counters().stream().mapToDouble(c -> c.count()).sum());
            tier.failing.set(false);
            clock.advance(Duration.ofSeconds(6));
            cache.put("after", "v");
            assertEquals(L2State.CLOSED, cache.l2State());
            assertTrue(tier.values.containsKey("ward:test:after"));
        }
    }

    @Test
    void aHalfOpenProbeThatFailsOpensTheBreakerAgain() {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier)) {
            tier.failing.set(true);
            for (int i = 0; i < 3; i++) {
                cache.get("k");
            }
            assertEquals(L2State.OPEN, cache.l2State());
            clock.advance(Duration.ofSeconds(6));
            cache.get("k");
            assertEquals(L2State.OPEN, cache.l2State());
            assertEquals(4, tier.calls.get());
        }
    }

    @Test
    void aPutOnOneInstanceEvictsTheOthersL1() {
        MapTier tier = new MapTier();
        try (var a = twoTier(tier); var b = twoTier(tier)) {
            a.put("k", "old");
            assertEquals(Optional.of("old"), b.get("k"));
            a.put("k", "new");
            assertEquals(Optional.of("new"), b.get("k"));
            a.invalidate("k");
            assertEquals(Optional.empty(), b.get("k"));
            assertEquals(Optional.empty(), a.get("k"));
        }
    }

    @Test
    void anInvalidationThatFailedInL2IsMaskedAndRetriedWhenL2IsBack() throws Exception {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier); var other = twoTier(tier)) {
            cache.put("k", "v");
            cache.put("kept", "v");
            tier.failing.set(true);
            cache.invalidate("k");
            assertTrue(tier.values.containsKey("ward:test:k"), "the delete failed");
            tier.failing.set(false);
            assertEquals(Optional.empty(), cache.get("k"), "this instance does not serve the stale L2 value");
            cache.get("kept");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tier.values.containsKey("ward:test:k") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!tier.values.containsKey("ward:test:k"), "the delete was retried once L2 answered");
            assertEquals(Optional.empty(), other.get("k"));
            cache.put("k", "new");
            assertEquals(Optional.of("new"), other.get("k"));
        }
    }

    @Test
    void malformedInvalidationMessagesAreIgnored() {
        MapTier tier = new MapTier();
        try (var cache = twoTier(tier)) {
            cache.put("k", "v");
            for (String garbage : new String[] {"", "no-newline", "\nk", "\n\n"}) {
                tier.listeners.forEach(l -> l.accept(garbage));
            }
            assertEquals(Optional.of("v"), cache.get("k"));
            tier.listeners.forEach(l -> l.accept("someone-else\nk\nother"));
            tier.values.clear();
            assertEquals(Optional.empty(), cache.get("k"), "a well-formed message from another instance evicts");
            assertEquals(1, count("ward.cache.invalidations.received", "cache", "test"));
        }
    }

    @Test
    void closingRemovesTheMeters() {
        var cache = l1Only();
        cache.put("k", "v");
        cache.get("k");
        assertTrue(registry.find("ward.cache.gets").counters().size() > 0);
        cache.close();
        cache.close();
        assertTrue(registry.find("ward.cache.gets").counters().isEmpty());
    }

    @Test
    void theSameInstanceIsReturnedFromL1() {
        try (var cache = TieredCache.builder("same", TTL, 10).keys(KeyCodec.strings())
                .values(new ValueCodec<Object>() {
                    @Override
                    public byte[] encode(Object value) {
                        return new byte[0];
                    }

                    @Override
                    public Object decode(byte[] bytes) {
                        return new Object();
                    }
                }).build()) {
            Object o = new Object();
            cache.put("k", o);
            assertSame(o, cache.get("k").orElseThrow());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
