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
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeClock clock = new FakeClock();

    /** A builder on the fake time: the scheduler moves only when the test moves {@link #clock}. */
    Ward.Builder onFakeTime() {
        return Ward.builder().clock(clock).ticker(clock);
    }

    /** Waits until the engine has started everything due by now and every probe has finished. */
    static void settle(Ward w) throws InterruptedException {
        assertTrue(((WardEngine) w).awaitSettled(WAIT), "the engine settled");
    }

    /** Waits until the scheduler has started everything due by now (probes may still run). */
    static void scheduled(Ward w) throws InterruptedException {
        assertTrue(((WardEngine) w).awaitScheduleIdle(WAIT), "the scheduler went idle");
    }

    /** Moves the fake time in steps, letting the engine settle after each. */
    void advance(Ward w, Duration step, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            clock.advance(step);
            settle(w);
        }
    }

    static double count(SimpleMeterRegistry r, String name) {
        return r.find(name).counters().stream().mapToDouble(c -> c.count()).sum()
                + r.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Ward.builder()
                .maxProbesInFlight(0).drainTimeout(Duration.ofHours(1)).sink(null).clock(null).ticker(null).build());
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.problems().contains("ticker must not be null"), e.getMessage());
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
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = onFakeTime().prober(p).meterRegistry(reg).build()) {
            w.inventory().apply(List.of(InventoryChange.upsert(device(1,
                    new Check("slow", new FakeProber.Settings(Duration.ofMillis(700), false), Duration.ofMillis(100), Duration.ofMillis(100))))));
            w.start();
            scheduled(w);
            clock.advance(Duration.ofMillis(100));
            scheduled(w);
            p.await(() -> p.running.get() == 1, "the first run started");
            assertEquals(0.0, count(reg, "ward.probes.skipped"));
            // the run started within the first 100 ms and lasts 700 ms: the next six slots find it running
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofMillis(100));
                scheduled(w);
                assertEquals(i + 1.0, count(reg, "ward.probes.skipped"), "slot " + (i + 1) + " overran");
            }
            assertEquals(1, p.calls.get(), "skipped slots were never queued");
            p.finishAll();
            settle(w);
            assertEquals(1, p.maxPerCheck.get(), "never two runs of one check at once");
        }
    }

    @Test
    void permitsBoundProbesInFlight() throws Exception {
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = onFakeTime().prober(p).meterRegistry(reg).maxProbesInFlight(3).build()) {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ds.add(device(i, fake("f", Duration.ofMillis(200), Duration.ofMillis(50))));
            }
            w.inventory().replaceAll(ds);
            w.start();
            clock.advance(Duration.ofMillis(200));
            scheduled(w);
            p.await(() -> p.running.get() == 3, "3 running");
            assertEquals(3, w.probesInFlight(), "three probes run");
            assertEquals(27.0, reg.get("ward.probes.waiting").gauge().value(), "every other device due in its first interval waits");
            // 30 probes of 50 ms on 3 permits: every 50 ms exactly three finish and three more start
            for (int round = 1; round <= 20; round++) {
                int calls = 3 * round;
                p.await(() -> p.calls.get() == calls && p.running.get() == 3, calls + " calls, 3 running");
                clock.advance(Duration.ofMillis(50));
                scheduled(w);
            }
            assertEquals(3, p.maxRunning.get(), "the limit was reached and never passed");
            // a due probe waits without a thread of its own: the three probing threads take the
            // waiting ones in turn, so 60 probes ran on a handful of threads, not one each
            assertTrue(p.threads.size() < 20, p.threads.size() + " threads for 60 probes");
            p.finishAll();
        }
    }

    @Test
    void probesStillWaitingAtCloseEndUnprobedAndCloseIsNotHeldByThem() throws Exception {
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        Ward w = onFakeTime().prober(p).meterRegistry(reg).maxProbesInFlight(1).drainTimeout(Duration.ofSeconds(5)).build();
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ds.add(device(i, fake("f", Duration.ofHours(1), Duration.ofHours(1))));
        }
        w.inventory().replaceAll(ds);
        w.start();
        List<java.util.concurrent.CompletableFuture<ProbeResult>> fs = new ArrayList<>();
        for (Device d : ds) {
            fs.add(w.probeNow(d.id(), "f"));
        }
        p.await(() -> p.running.get() == 1, "one probe runs");
        assertEquals(4.0, reg.get("ward.probes.waiting").gauge().value());
        Thread closer = Thread.ofPlatform().start(w::close);
        // the waiting four end at close, unprobed, while the running one still runs
        long end = System.nanoTime() + WAIT.toNanos();
        long unprobed = 0;
        while (unprobed < 4 && System.nanoTime() < end) {
            Thread.sleep(20);
            unprobed = 0;
            for (var f : fs) {
                if (f.isDone() && f.get() instanceof ProbeResult.Unknown u && u.detail().contains("not probed")) {
                    unprobed++;
                }
            }
        }
        assertEquals(1, p.running.get(), "the running probe was left to finish");
        assertEquals(4, unprobed, "the four waiting probes ended at close, unprobed");
        p.finishAll();
        closer.join(10_000);
        assertEquals(1, p.calls.get(), "no waiting probe was started by close");
        assertEquals(0.0, reg.get("ward.probes.waiting").gauge().value());
    }

    /**
     * A prober that leaves its thread interrupted must not fail the probes that wait behind it:
     * the probing thread takes them next, and the engine clears the flag in between.
     */
    @Test
    void anInterruptLeftByAProberDoesNotFailTheProbesQueuedBehindIt() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        io.github.wardops.ward.probe.Prober rude = new io.github.wardops.ward.probe.Prober() {
            @Override
            public String type() {
                return "fake";
            }

            @Override
            public ProbeResult probe(io.github.wardops.ward.probe.ProbeRequest r) throws InterruptedException {
                if (calls.incrementAndGet() == 1) {
                    release.await();
                    Thread.currentThread().interrupt(); // and returns normally, flag set
                } else {
                    Thread.sleep(1); // throws at once on a thread left interrupted
                }
                return new ProbeResult.Up(r.device().id(), r.check().name(), "fake", clock.instant(), Duration.ZERO,
                        io.github.wardops.ward.probe.Measurement.NONE);
            }
        };
        try (Ward w = onFakeTime().prober(rude).maxProbesInFlight(1).build()) {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ds.add(device(i, fake("f", Duration.ofHours(1), Duration.ZERO)));
            }
            w.inventory().replaceAll(ds);
            w.start();
            List<java.util.concurrent.CompletableFuture<ProbeResult>> fs = new ArrayList<>();
            for (Device d : ds) {
                fs.add(w.probeNow(d.id(), "f"));
            }
            release.countDown();
            for (var f : fs) {
                assertInstanceOf(ProbeResult.Up.class, f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(4, calls.get());
        }
    }

    @Test
    void aCheckRemovedWhileItWaitsIsNotProbed() throws Exception {
        FakeProber p = new FakeProber(clock);
        try (Ward w = onFakeTime().prober(p).maxProbesInFlight(1).build()) {
            Device busy = device(1, fake("f", Duration.ofHours(1), Duration.ofSeconds(5)));
            Device gone = device(2, fake("f", Duration.ofHours(1), Duration.ofSeconds(5)));
            w.inventory().replaceAll(List.of(busy, gone));
            w.start();
            var first = w.probeNow(busy.id(), "f");
            p.await(() -> p.running.get() == 1, "the first probe runs");
            var waiting = w.probeNow(gone.id(), "f");
            w.inventory().replaceAll(List.of(busy));
            clock.advance(Duration.ofSeconds(5));
            assertInstanceOf(ProbeResult.Up.class, first.get(10, TimeUnit.SECONDS));
            ProbeResult.Unknown u = assertInstanceOf(ProbeResult.Unknown.class, waiting.get(10, TimeUnit.SECONDS));
            assertTrue(u.detail().contains("removed"), u.detail());
            assertEquals(1, p.calls.get(), "the removed device was never probed");
            settle(w);
        }
    }

    @Test
    void liveInventoryChangesKeepStateOfUnchangedDevicesAndFreeRemovedOnes() throws Exception {
        FakeProber p = new FakeProber(clock);
        try (Ward w = onFakeTime().prober(p).build()) {
            Duration iv = Duration.ofMillis(100);
            Device a = device(1, fake("f", iv, Duration.ZERO));
            Device b = device(2, fake("f", iv, Duration.ZERO));
            w.inventory().replaceAll(List.of(a, b));
            w.start();
            advance(w, iv, 1);
            assertEquals(2, w.latest().entries(), "both probed in their first interval");
            ProbeResult aFirst = w.latest().get(a.id(), "f").orElseThrow();

            // change b (a new check), remove nothing, keep a exactly as it was
            Device b2 = b.withCheck(fake("g", iv, Duration.ZERO));
            w.inventory().replaceAll(List.of(a, b2));
            assertSame(aFirst, w.latest().get(a.id(), "f").orElseThrow(), "unchanged device keeps its latest result");
            advance(w, iv, 1);
            assertTrue(w.latest().get(b2.id(), "g").isPresent(), "new check probed");
            assertNotSame(aFirst, w.latest().get(a.id(), "f").orElseThrow(), "a is still being probed");

            // remove a check from b, then remove a entirely
            w.inventory().apply(List.of(InventoryChange.upsert(b2.withChecks(List.of(fake("g", iv, Duration.ZERO))))));
            assertTrue(w.latest().get(b2.id(), "f").isEmpty(), "removed check's result is freed");
            w.inventory().apply(List.of(InventoryChange.remove(a.id())));
            assertTrue(w.latest().all(a.id()).isEmpty());
            assertEquals(1, w.inventory().size());
            int calls = p.calls.get();
            advance(w, iv, 3);
            assertEquals(calls + 3, p.calls.get(), "b still probed, once per interval");
            assertEquals(1, w.latest().entries(), "entries bounded by the inventory");

            // disabling stops probing
            w.inventory().apply(List.of(InventoryChange.upsert(w.inventory().get(b2.id()).orElseThrow().withEnabled(false))));
            int after = p.calls.get();
            advance(w, iv, 5);
            assertEquals(after, p.calls.get(), "a disabled device is not probed");
        }
    }

    /** An ICMP prober that records the plans it is told and answers every probe up. */
    static final class PlanRecorder implements io.github.wardops.ward.probe.IcmpProber {
        final List<Double> plans = new CopyOnWriteArrayList<>();

        @Override
        public void planRate(double echoesPerSecond) {
            plans.add(echoesPerSecond);
        }

        @Override
        public io.github.wardops.ward.probe.IcmpSocketMode mode() {
            return io.github.wardops.ward.probe.IcmpSocketMode.DATAGRAM;
        }

        @Override
        public int outstandingEchoes() {
            return 0;
        }

        @Override
        public String type() {
            return io.github.wardops.ward.probe.IcmpSettings.TYPE;
        }

        @Override
        public ProbeResult probe(io.github.wardops.ward.probe.ProbeRequest r) {
            return new ProbeResult.Unknown(r.device().id(), r.check().name(), type(), r.plannedAt(), "not probed");
        }
    }

    @Test
    void theIcmpProberIsToldWhatTheEnabledChecksPlanOnEveryInventoryChange() {
        PlanRecorder icmp = new PlanRecorder();
        io.github.wardops.ward.probe.IcmpSettings three = io.github.wardops.ward.probe.IcmpSettings.defaults();
        try (Ward w = onFakeTime().prober(icmp).build()) {
            Device a = device(1, Check.icmp(three, Duration.ofSeconds(30)));
            Device b = device(2, Check.icmp(three, Duration.ofSeconds(10)));
            Device c = device(3, Check.tcp(22, Duration.ofSeconds(1)));
            w.inventory().replaceAll(List.of(a, b, c));
            double perEcho = three.count();
            assertEquals(perEcho / 30 + perEcho / 10, icmp.plans.getLast(), 1e-9, "echoes per interval, summed; TCP not counted");
            w.inventory().apply(List.of(InventoryChange.upsert(b.withEnabled(false))));
            assertEquals(perEcho / 30, icmp.plans.getLast(), 1e-9, "a disabled device plans nothing");
            w.inventory().apply(List.of(InventoryChange.remove(a.id())));
            assertEquals(0, icmp.plans.getLast(), 1e-9);
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
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = onFakeTime().prober(p).meterRegistry(reg).build()) {
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
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        CountDownLatch good = new CountDownLatch(100);
        CountDownLatch throwingCalled = new CountDownLatch(1);
        CountDownLatch hang = new CountDownLatch(1);
        ResultSink goodSink = new ResultSink() {
            @Override
            public void write(List<ProbeResult> batch) {
                batch.forEach(r -> good.countDown());
            }

            @Override
            public String name() {
                return "good";
            }
        };
        ResultSink throwing = new ResultSink() {
            @Override
            public void write(List<ProbeResult> batch) {
                throwingCalled.countDown();
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
        Ward w = onFakeTime().prober(p).meterRegistry(reg).drainTimeout(Duration.ofMillis(500))
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
            advance(w, Duration.ofMillis(100), 6);
            assertTrue(good.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the good sink keeps receiving");
            // 120 results into a queue of 5 whose writer hangs on its first batch
            assertTrue(reg.get("ward.sink.dropped").tag("sink", "hanging").tag("reason", "queue_full").counter().count() >= 120 - 6,
                    "the hanging sink's overflow is dropped and counted");
            assertTrue(throwingCalled.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the throwing sink is called");
            assertEquals(0.0, reg.get("ward.sink.dropped").tag("sink", "good").tag("reason", "queue_full").counter().count());
        } finally {
            long t0 = System.nanoTime();
            w.close();
            w.close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close is bounded by the drain timeout");
            hang.countDown();
        }
        assertTrue(reg.get("ward.sink.failures").tag("sink", "throwing").counter().count() > 0, "its failure is counted");
        assertFalse(closed.get());
        assertThrows(IllegalStateException.class, w::start);
    }

    @Test
    void closeDrainsQueuedResultsToSinks() throws Exception {
        FakeProber p = new FakeProber(clock);
        AtomicInteger written = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Ward w = onFakeTime().prober(p)
                .sink(batch -> {
                    release.await();
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
        // the sink holds its first batch until close has begun, so close starts with 199 results queued
        Thread closer = Thread.ofVirtual().start(w::close);
        while (true) {
            try {
                w.start(); // does nothing while started; throws once close has begun
                Thread.onSpinWait();
            } catch (IllegalStateException closing) {
                break;
            }
        }
        assertEquals(0, written.get());
        release.countDown();
        closer.join(WAIT);
        assertFalse(closer.isAlive(), "close returned");
        assertEquals(200, written.get(), "every result reached the sink before close returned");
    }

    @Test
    void probeNowJoinsARunningProbe() throws Exception {
        FakeProber p = new FakeProber(clock);
        try (Ward w = onFakeTime().prober(p).build()) {
            Device d = device(1, fake("f", Duration.ofSeconds(60), Duration.ofMillis(300)));
            w.inventory().replaceAll(List.of(d));
            var a = w.probeNow(d.id(), "f");
            p.await(() -> p.running.get() == 1, "the probe runs");
            var b = w.probeNow(d.id(), "f");
            assertFalse(a.isDone() || b.isDone(), "the probe waits for the fake time");
            clock.advance(Duration.ofMillis(300));
            assertSame(a.get(5, TimeUnit.SECONDS), b.get(5, TimeUnit.SECONDS));
            assertEquals(1, p.calls.get());
            assertThrows(Exception.class, () -> w.probeNow(DeviceId.fromKey("nope"), "f").get());
            assertEquals(DeviceStatus.UP, w.status(d.id()));
        }
    }

    @Test
    void listenerThatThrowsIsCountedAndDoesNotStopOthers() throws Exception {
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        AtomicInteger seen = new AtomicInteger();
        try (Ward w = onFakeTime().prober(p).meterRegistry(reg)
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
        FakeProber p = new FakeProber(clock);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Ward w = onFakeTime().prober(p).meterRegistry(reg).build()) {
            List<Device> ds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ds.add(device(i, fake("f", Duration.ofMillis(200), Duration.ZERO)));
            }
            w.inventory().replaceAll(ds);
            w.start();
            assertEquals(0.0, reg.get("ward.devices.latest").tag("outcome", "up").gauge().value());
            advance(w, Duration.ofMillis(50), 12);
            // 600 ms: every device probed three times, each late by less than the 50 ms step
            assertEquals(30, reg.get("ward.schedule.lag").timer().count());
            assertTrue(reg.get("ward.schedule.lag").timer().max(TimeUnit.MILLISECONDS) < 50,
                    "lag " + reg.get("ward.schedule.lag").timer().max(TimeUnit.MILLISECONDS));
            assertEquals(30.0, reg.get("ward.probes").tag("outcome", "up").counter().count());
            assertEquals(0.0, reg.get("ward.devices.latest").tag("outcome", "up").gauge().value(),
                    "the device gauge is reused for a second of the engine's ticker");
            assertEquals(0.0, reg.get("ward.schedule.late").tag("over", "50ms").counter().count(), "none late yet");
            long before = reg.get("ward.schedule.lag").timer().count();
            advance(w, Duration.ofMillis(500), 1);
            assertEquals(10.0, reg.get("ward.devices.latest").tag("outcome", "up").gauge().value(), "device gauge");
            // one step of 500 ms: the probes planned in it start at its end, most of them over 50 ms late
            double late = reg.get("ward.schedule.late").tag("over", "50ms").counter().count();
            long started = reg.get("ward.schedule.lag").timer().count() - before;
            assertTrue(late > 0 && late <= started, "late " + late + " of " + started);
            assertEquals(0.0, reg.get("ward.schedule.late").tag("over", "1s").counter().count());
        }
    }

    @Test
    void checksStartExactlyOnTheirGridOfFakeTime() throws Exception {
        FakeProber p = new FakeProber(clock);
        CopyOnWriteArrayList<ProbeResult> seen = new CopyOnWriteArrayList<>();
        Duration iv = Duration.ofSeconds(30);
        Device d = device(7, fake("f", iv, Duration.ZERO));
        long offset = new CheckSlot(d, d.checks().getFirst()).offsetNanos();
        assertEquals(0, clock.instant().getEpochSecond() % 30, "the clock starts on the grid, so the first slot is at start + offset");
        try (Ward w = onFakeTime().prober(p).listener(seen::add).build()) {
            w.inventory().replaceAll(List.of(d));
            w.start();
            java.time.Instant first = clock.instant().plusNanos(offset).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            clock.advance(Duration.ofNanos(offset - 1));
            settle(w);
            assertEquals(0, p.calls.get(), "nothing before the first slot");
            clock.advance(Duration.ofNanos(1));
            settle(w);
            assertEquals(1, p.calls.get(), "the first slot");
            clock.advance(iv.minusNanos(1));
            settle(w);
            assertEquals(1, p.calls.get(), "nothing before the second slot");
            clock.advance(Duration.ofNanos(1));
            settle(w);
            assertEquals(2, p.calls.get(), "the second slot");
            assertEquals(List.of(first, first.plus(iv)), seen.stream().map(ProbeResult::at).toList(),
                    "each probe stamped with the fake time of its slot, to the microsecond");
        }
    }
}
