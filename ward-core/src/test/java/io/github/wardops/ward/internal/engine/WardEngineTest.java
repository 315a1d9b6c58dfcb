package io.github.wardops.ward.internal.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class WardEngineTest {

    static Device device(int i, Check... checks) {
        Device.Builder b = Device.builder(DeviceId.fromKey("d" + i), "dev-" + i, Addresses.parse("127.0.0." + (i % 250 + 1)));
        for (Check c : checks) {
            b.check(c);
        }
        return b.build();
    }

    static Check fake(String name, Duration interval, Duration takes) {
        return new Check(name, new FakeProber.Settings(takes, false), interval, interval);
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    static double count(SimpleMeterRegistry r, String name) {
        return r.find(name).counters().stream().mapToDouble(c -> c.count()).sum()
                + r.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Ward.builder()
                .maxProbesInFlight(0).drainTimeout(Duration.ofHours(1)).sink(null).clock(null).build());
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("maxProbesInFlight = 0"));
        assertTrue(e.getMessage().contains("drainTimeout = PT1H"));
    }

    @Test
    void offsetsSpreadChecksEvenlyOverTheInterval() {
        int buckets = 10;
        int[] hist = new int[buckets];
        Duration interval = Duration.ofSeconds(30);
        for (int i = 0; i < 10_000; i++) {
            CheckSlot s = new CheckSlot(device(i), Check.icmp(interval));
            long off = s.offsetNanos();
            assertTrue(off >= 0 && off < interval.toNanos());
            assertEquals(off, new CheckSlot(device(i), Check.icmp(interval)).offsetNanos(), "stable for the same id");
            hist[(int) (off * buckets / interval.toNanos())]++;
        }
        for (int h : hist) {
            assertTrue(h > 800 && h < 1200, "10,000 checks over 10 buckets: " + java.util.Arrays.toString(hist));
        }
    }

    @Test
    void overrunningCheckIsSkippedAndCountedNeverQueued() throws Exception {
        FakeProber p = new FakeProber();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = Ward.builder().prober(p).meterRegistry(reg).build()) {
            w.inventory().apply(List.of(InventoryChange.upsert(device(1,
                    new Check("slow", new FakeProber.Settings(Duration.ofMillis(700), false), Duration.ofMillis(100), Duration.ofMillis(100))))));
            w.start();
            await(() -> count(reg, "ward.probes.skipped") >= 5, "overruns counted");
            assertEquals(1, p.maxPerCheck.get(), "never two runs of one check at once");
        }
    }

    @Test
    void permitsBoundProbesInFlight() throws Exception {
        FakeProber p = new FakeProber();
        try (Ward w = Ward.builder().prober(p).maxProbesInFlight(3).build()) {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ds.add(device(i, fake("f", Duration.ofMillis(200), Duration.ofMillis(50))));
            }
            w.inventory().replaceAll(ds);
            w.start();
            await(() -> p.calls.get() >= 60, "probes ran");
            assertTrue(p.maxRunning.get() <= 3, "max in flight " + p.maxRunning.get());
            assertEquals(3, p.maxRunning.get(), "the limit was reached, so it was what bounded concurrency");
        }
    }

    @Test
    void liveInventoryChangesKeepStateOfUnchangedDevicesAndFreeRemovedOnes() throws Exception {
        FakeProber p = new FakeProber();
        try (Ward w = Ward.builder().prober(p).build()) {
            Duration iv = Duration.ofMillis(100);
            Device a = device(1, fake("f", iv, Duration.ofMillis(1)));
            Device b = device(2, fake("f", iv, Duration.ofMillis(1)));
            w.inventory().replaceAll(List.of(a, b));
            w.start();
            await(() -> w.latest().entries() == 2, "both probed");
            ProbeResult aFirst = w.latest().get(a.id(), "f").orElseThrow();

            // change b (a new check), remove nothing, keep a exactly as it was
            Device b2 = b.withCheck(fake("g", iv, Duration.ofMillis(1)));
            w.inventory().replaceAll(List.of(a, b2));
            assertTrue(w.latest().get(a.id(), "f").isPresent(), "unchanged device keeps its latest result");
            await(() -> w.latest().get(b2.id(), "g").isPresent(), "new check probed");
            await(() -> w.latest().get(a.id(), "f").orElseThrow() != aFirst, "a is still being probed");

            // remove a check from b, then remove a entirely
            w.inventory().apply(List.of(InventoryChange.upsert(b2.withChecks(List.of(fake("g", iv, Duration.ofMillis(1)))))));
            assertTrue(w.latest().get(b2.id(), "f").isEmpty(), "removed check's result is freed");
            w.inventory().apply(List.of(InventoryChange.remove(a.id())));
            assertTrue(w.latest().all(a.id()).isEmpty());
            assertEquals(1, w.inventory().size());
            int calls = p.calls.get();
            Thread.sleep(350);
            assertTrue(p.calls.get() > calls, "b still probed");
            assertTrue(w.latest().entries() <= 1, "entries bounded by the inventory: " + w.latest().entries());

            // disabling stops probing
            w.inventory().apply(List.of(InventoryChange.upsert(w.inventory().get(b2.id()).orElseThrow().withEnabled(false))));
            Thread.sleep(150);
            int after = p.calls.get();
            Thread.sleep(350);
            assertEquals(after, p.calls.get(), "a disabled device is not probed");
        }
    }

    @Test
    void linkLocalDevicesAreRejectedUnlessAllowedAndNothingIsApplied() {
        Device good = device(1, Check.tcp(22, Duration.ofSeconds(5)));
        Device v4 = Device.builder(DeviceId.fromKey("ll4"), "ll4", Addresses.parse("169.254.7.7"))
                .check(Check.tcp(22, Duration.ofSeconds(5))).build();
        Device v6 = Device.builder(DeviceId.fromKey("ll6"), "ll6", Addresses.parse("fe80::7"))
                .check(Check.tcp(22, Duration.ofSeconds(5))).build();
        try (Ward w = Ward.builder().build()) {
            WardException e = assertThrows(WardException.class, () -> w.inventory().replaceAll(List.of(good, v4, v6)));
            assertTrue(e.getMessage().contains("device " + v4.id() + ": address 169.254.7.7 is link-local; allow it with "
                    + "Ward.Builder.allowLinkLocal(true)"), e.getMessage());
            assertTrue(e.getMessage().contains("device " + v6.id() + ": address fe80:0:0:0:0:0:0:7 is link-local"), e.getMessage());
            assertEquals(0, w.inventory().size());
        }
        try (Ward w = Ward.builder().allowLinkLocal(true).build()) {
            w.inventory().replaceAll(List.of(good, v4, v6));
            assertEquals(3, w.inventory().size());
        }
    }

    @Test
    void unknownCheckTypeIsRejectedAndNothingApplied() {
        try (Ward w = Ward.builder().build()) {
            Device good = device(1, Check.tcp(22, Duration.ofSeconds(5)));
            Device bad = device(2, fake("f", Duration.ofSeconds(1), Duration.ZERO));
            WardException e = assertThrows(WardException.class, () -> w.inventory().replaceAll(List.of(good, bad)));
            assertTrue(e.getMessage().contains("no prober for type 'fake'"), e.getMessage());
            assertEquals(0, w.inventory().size());
        }
    }

    @Test
    void throwingProberGivesUnknownAndIsCounted() throws Exception {
        FakeProber p = new FakeProber();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = Ward.builder().prober(p).meterRegistry(reg).build()) {
            Device d = device(1, new Check("f", new FakeProber.Settings(Duration.ZERO, true), Duration.ofSeconds(10), Duration.ofSeconds(1)));
            w.inventory().replaceAll(List.of(d));
            ProbeResult r = w.probeNow(d.id(), "f").get(5, TimeUnit.SECONDS);
            ProbeResult.Unknown u = assertInstanceOf(ProbeResult.Unknown.class, r);
            assertTrue(u.detail().contains("IllegalStateException"), u.detail());
            assertEquals(1.0, count(reg, "ward.probes.failed"));
            assertEquals(DeviceStatus.UNKNOWN, w.status(d.id()));
        }
    }

    @Test
    void sinksAreIsolatedFromEachOther() throws Exception {
        FakeProber p = new FakeProber();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        CopyOnWriteArrayList<ProbeResult> good = new CopyOnWriteArrayList<>();
        CountDownLatch hang = new CountDownLatch(1);
        ResultSink goodSink = new ResultSink() {
            @Override
            public void write(List<ProbeResult> batch) {
                good.addAll(batch);
            }

            @Override
            public String name() {
                return "good";
            }
        };
        ResultSink throwing = new ResultSink() {
            @Override
            public void write(List<ProbeResult> batch) {
                throw new IllegalStateException("db down");
            }

            @Override
            public String name() {
                return "throwing";
            }
        };
        ResultSink hanging = new ResultSink() {
            @Override
            public void write(List<ProbeResult> batch) throws InterruptedException {
                hang.await();
            }

            @Override
            public String name() {
                return "hanging";
            }
        };
        AtomicBoolean closed = new AtomicBoolean();
        Ward w = Ward.builder().prober(p).meterRegistry(reg).drainTimeout(Duration.ofMillis(500))
                .sink(goodSink, new SinkOptions(1000, 10, Duration.ofMillis(20)))
                .sink(throwing)
                .sink(hanging, new SinkOptions(5, 1, Duration.ZERO))
                .build();
        try {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ds.add(device(i, fake("f", Duration.ofMillis(100), Duration.ZERO)));
            }
            w.inventory().replaceAll(ds);
            w.start();
            await(() -> good.size() >= 100, "the good sink keeps receiving");
            await(() -> reg.get("ward.sink.dropped").tag("sink", "hanging").tag("reason", "queue_full").counter().count() > 0,
                    "the hanging sink's overflow is dropped and counted");
            assertTrue(reg.get("ward.sink.failures").tag("sink", "throwing").counter().count() > 0);
            assertEquals(0.0, reg.get("ward.sink.dropped").tag("sink", "good").tag("reason", "queue_full").counter().count());
        } finally {
            long t0 = System.nanoTime();
            w.close();
            w.close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close is bounded by the drain timeout");
            hang.countDown();
        }
        assertFalse(closed.get());
        assertThrows(IllegalStateException.class, w::start);
    }

    @Test
    void closeDrainsQueuedResultsToSinks() throws Exception {
        FakeProber p = new FakeProber();
        AtomicInteger written = new AtomicInteger();
        Ward w = Ward.builder().prober(p)
                .sink(batch -> {
                    Thread.sleep(5);
                    written.addAndGet(batch.size());
                }, new SinkOptions(10_000, 1, Duration.ZERO))
                .build();
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ds.add(device(i, fake("f", Duration.ofSeconds(60), Duration.ZERO)));
        }
        w.inventory().replaceAll(ds);
        List<java.util.concurrent.CompletableFuture<ProbeResult>> fs = new ArrayList<>();
        for (Device d : ds) {
            fs.add(w.probeNow(d.id(), "f"));
        }
        for (var f : fs) {
            f.get(5, TimeUnit.SECONDS);
        }
        w.start();
        w.close();
        assertEquals(200, written.get(), "every result reached the sink before close returned");
    }

    @Test
    void probeNowJoinsARunningProbe() throws Exception {
        FakeProber p = new FakeProber();
        try (Ward w = Ward.builder().prober(p).build()) {
            Device d = device(1, fake("f", Duration.ofSeconds(60), Duration.ofMillis(300)));
            w.inventory().replaceAll(List.of(d));
            var a = w.probeNow(d.id(), "f");
            var b = w.probeNow(d.id(), "f");
            assertSame(a.get(5, TimeUnit.SECONDS), b.get(5, TimeUnit.SECONDS));
            assertEquals(1, p.calls.get());
            assertThrows(Exception.class, () -> w.probeNow(DeviceId.fromKey("nope"), "f").get());
            assertEquals(DeviceStatus.UP, w.status(d.id()));
        }
    }

    @Test
    void listenerThatThrowsIsCountedAndDoesNotStopOthers() throws Exception {
        FakeProber p = new FakeProber();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        AtomicInteger seen = new AtomicInteger();
        try (Ward w = Ward.builder().prober(p).meterRegistry(reg)
                .listener(r -> {
                    throw new IllegalStateException("bad listener");
                })
                .listener(r -> seen.incrementAndGet()).build()) {
            Device d = device(1, fake("f", Duration.ofSeconds(60), Duration.ZERO));
            w.inventory().replaceAll(List.of(d));
            w.probeNow(d.id(), "f").get(5, TimeUnit.SECONDS);
            assertEquals(1, seen.get());
            assertEquals(1.0, count(reg, "ward.listener.failures"));
        }
    }

    @Test
    void scheduleLagAndProbeCountsAreMeasured() throws Exception {
        FakeProber p = new FakeProber();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = Ward.builder().prober(p).meterRegistry(reg).build()) {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ds.add(device(i, fake("f", Duration.ofMillis(200), Duration.ZERO)));
            }
            w.inventory().replaceAll(ds);
            w.start();
            await(() -> reg.get("ward.schedule.lag").timer().count() >= 20, "lag recorded");
            assertTrue(reg.get("ward.probes").tag("outcome", "up").counter().count() >= 20);
            await(() -> reg.get("ward.devices").tag("status", "up").gauge().value() == 10.0, "device gauge");
        }
    }
}
