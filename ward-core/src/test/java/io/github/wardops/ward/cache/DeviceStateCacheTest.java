package io.github.wardops.ward.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.testing.FakeClock;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceStateCacheTest {
    private static final Duration TTL = Duration.ofMinutes(2);
    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeviceId a = DeviceId.fromKey("a");
    private final DeviceId b = DeviceId.fromKey("b");

    private DeviceStateCache.Builder builder(MapTier tier) {
        return DeviceStateCache.builder(TTL).shared(tier).clock(clock).meterRegistry(registry)
                .flushInterval(Duration.ofMinutes(1));
    }

    private ProbeResult up(DeviceId id, Instant at, long rttMicros) {
        Duration rtt = Duration.ofNanos(rttMicros * 1000);
        return new ProbeResult.Up(id, "icmp", "icmp", at, rtt, new PingStats(2, 2, rtt, rtt, rtt, Duration.ZERO));
    }

    private ProbeResult down(DeviceId id, Instant at) {
        return new ProbeResult.Down(id, "icmp", "icmp", at, DownReason.TIMEOUT, "", new PingStats(2, 0, null, null, null, null));
    }

    @Test
    void builderValidatesEverything() {
        var e = assertThrows(InvalidConfigurationException.class, () -> DeviceStateCache.builder(Duration.ofSeconds(1))
                .maxDevices(0).flushInterval(Duration.ZERO).reachabilityCheck(" ").name("A:B").clock(null).ticker(null).build());
        assertEquals(7, e.problems().size(), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> DeviceStateCache.builder(null).build());
    }

    @Test
    void resultsGiveStatusDownSinceRttAndLoss() {
        MapTier tier = new MapTier();
        try (var cache = builder(tier).build()) {
            Instant t0 = clock.instant();
            cache.onResult(up(a, t0, 1500));
            cache.flush();
            DeviceSnapshot s = cache.get(a).orElseThrow();
            assertEquals(DeviceStatus.UP, s.status());
            assertEquals(Duration.ofNanos(1_500_000), s.lastRtt());
            assertEquals(0.0, s.lossPct());
            assertNull(s.downSince());

            cache.onResult(down(a, t0.plusSeconds(10)));
            cache.onResult(down(a, t0.plusSeconds(20)));
            cache.onResult(new ProbeResult.Unknown(a, "icmp", "icmp", t0.plusSeconds(30), "prober failed"));
            cache.onResult(new ProbeResult.Up(a, "http", "tcp", t0.plusSeconds(31), Duration.ofMillis(1), Measurement.NONE));
            cache.flush();
            s = cache.get(a).orElseThrow();
            assertEquals(DeviceStatus.DOWN, s.status(), "an unknown result keeps what was known; other checks are ignored");
            assertEquals(t0.plusSeconds(10), s.downSince(), "down_since is the first failure");
            assertEquals(100.0, s.lossPct());
            assertNull(s.lastRtt());
            assertEquals(t0.plusSeconds(30), s.lastProbeAt());

            cache.onResult(up(a, t0.plusSeconds(40), 900));
            cache.flush();
            s = cache.get(a).orElseThrow();
            assertEquals(DeviceStatus.UP, s.status());
            assertNull(s.downSince());
            assertEquals(TTL, tier.ttls.get("ward:devices:" + a));
        }
    }

    @Test
    void theStateMachineHookSetsStatusAndFlappingAndKeepsMeasurements() {
        try (var cache = builder(new MapTier()).statusFromResults(false).build()) {
            Instant t0 = clock.instant();
            cache.onResult(down(a, t0));
            cache.flush();
            assertEquals(DeviceStatus.UNKNOWN, cache.get(a).orElseThrow().status(), "results do not set the status");
            cache.publishState(a, DeviceStatus.DOWN, t0.minusSeconds(5), true, t0.plusSeconds(1));
            cache.flush();
            DeviceSnapshot s = cache.get(a).orElseThrow();
            assertEquals(DeviceStatus.DOWN, s.status());
            assertTrue(s.flapping());
            assertEquals(t0.minusSeconds(5), s.downSince());
            assertEquals(100.0, s.lossPct());
            cache.publishState(a, DeviceStatus.UP, t0, false, t0.plusSeconds(2));
            cache.flush();
            assertNull(cache.get(a).orElseThrow().downSince(), "downSince only goes with DOWN");
        }
    }

    @Test
    void readersOnAnotherInstanceSeeStatesAndInterfacesThroughTheSharedTier() {
        MapTier tier = new MapTier();
        try (var writer = builder(tier).build(); var reader = builder(tier).build()) {
            writer.onResult(up(a, clock.instant(), 100));
            writer.onResult(down(b, clock.instant()));
            var ifs = new InterfaceSnapshots(a, clock.instant(), List.of(new InterfaceSnapshot(1, "eth0", "", InterfaceSnapshot.Status.UP,
                    InterfaceSnapshot.Status.UP, 1_000_000_000L, 10.0, 20.0, 0.0, 0.0)));
            writer.publishInterfaces(ifs);
            writer.flush();
            Map<DeviceId, DeviceSnapshot> all = reader.getAll(List.of(a, b, DeviceId.fromKey("none")));
            assertEquals(2, all.size());
            assertEquals(DeviceStatus.DOWN, all.get(b).status());
            assertEquals(ifs, reader.interfaces(a).orElseThrow());
            assertEquals(0, reader.trackedDevices(), "a reader publishes nothing");
        }
    }

    @Test
    void entriesAreBoundedByTheInventory() {
        MapTier tier = new MapTier();
        try (var cache = builder(tier).maxDevices(2).build()) {
            DeviceId c = DeviceId.fromKey("c");
            cache.onResult(up(a, clock.instant(), 1));
            cache.onResult(up(b, clock.instant(), 1));
            cache.onResult(up(c, clock.instant(), 1));
            assertEquals(2, cache.trackedDevices());
            assertEquals(1, registry.find("ward.cache.state.dropped").counter().count());
            cache.flush();
            assertEquals(2, tier.values.size());
            int callsBefore = tier.calls.get();
            cache.remove(a);
            assertTrue(cache.get(a).isEmpty(), "hidden at once");
            assertEquals(java.util.Set.of(b), cache.getAll(List.of(a, b)).keySet());
            cache.flush();
            assertFalse(tier.values.containsKey("ward:devices:" + a), "invalidated by the flush");
            assertTrue(tier.calls.get() > callsBefore);
            cache.onResult(up(a, clock.instant(), 1));
            cache.retainOnly(List.of(b));
            assertEquals(1, cache.trackedDevices());
            cache.flush();
            assertEquals(List.of("ward:devices:" + b), List.copyOf(tier.values.keySet()));
        }
    }

    @Test
    void quietDevicesAreRewrittenBeforeTheirTtlEnds() {
        MapTier tier = new MapTier();
        try (var cache = builder(tier).build()) {
            cache.onResult(up(a, clock.instant(), 1));
            cache.flush();
            int calls = tier.calls.get();
            clock.advance(Duration.ofSeconds(30));
            cache.flush();
            assertEquals(calls, tier.calls.get(), "nothing changed, nothing due");
            clock.advance(Duration.ofSeconds(31));
            cache.flush();
            assertTrue(tier.calls.get() > calls, "rewritten after half the TTL");
        }
    }

    /**
     * The periodic flush writes the changed devices each time and the quiet ones only when their
     * refresh is due (half the TTL), found by a sweep every quarter of that.
     */
    @Test
    void thePeriodicFlushWritesChangesAtOnceAndQuietDevicesWhenTheirRefreshIsDue() throws Exception {
        MapTier tier = new MapTier();
        try (var cache = builder(tier).flushInterval(Duration.ofMillis(10)).build()) {
            cache.onResult(up(a, clock.instant(), 1));
            cache.onResult(up(b, clock.instant(), 1));
            awaitKey(tier, a);
            awaitKey(tier, b);
            tier.values.clear();
            cache.onResult(up(a, clock.instant(), 2));
            awaitKey(tier, a);
            Thread.sleep(200); // some twenty periodic flushes
            assertFalse(tier.values.containsKey("ward:devices:" + b), "a quiet device is not rewritten by every flush");
            clock.advance(TTL.dividedBy(2).plusSeconds(1));
            awaitKey(tier, b);
        }
    }

    private static void awaitKey(MapTier tier, DeviceId id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!tier.values.containsKey("ward:devices:" + id)) {
            assertTrue(System.nanoTime() - end < 0, "never written: " + id);
            Thread.sleep(5);
        }
    }
}
