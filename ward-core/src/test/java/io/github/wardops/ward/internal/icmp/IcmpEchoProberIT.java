package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.IcmpSocketMode;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testing.Host;
import io.github.wardops.ward.testing.NetNs;
import io.github.wardops.ward.testing.Netfilter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real ICMP on loopback, in both socket modes, with silent and unreachable hosts made by nftables. */
class IcmpEchoProberIT {
    private static Netfilter netfilter;

    @BeforeAll
    static void rules() {
        netfilter = Netfilter.install();
    }

    @AfterAll
    static void removeRules() {
        if (netfilter != null) {
            netfilter.close();
        }
    }

    static ProbeRequest request(String address, IcmpSettings s) {
        Device d = Device.builder(DeviceId.fromKey(address), address, Addresses.parse(address)).build();
        return new ProbeRequest(d, Check.icmp(s, Duration.ofSeconds(30)), Instant.now());
    }

    static ProbeRequest request(String address) {
        return request(address, new IcmpSettings(3, Duration.ofMillis(20), Duration.ofMillis(500), 56));
    }

    static List<ProbeResult> probeAll(IcmpEchoProber p, List<ProbeRequest> requests) throws Exception {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ProbeResult>> fs = new ArrayList<>();
            for (ProbeRequest r : requests) {
                fs.add(ex.submit((Callable<ProbeResult>) () -> p.probe(r)));
            }
            List<ProbeResult> out = new ArrayList<>();
            for (Future<ProbeResult> f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }

    private static void assertAllUp(List<ProbeResult> results, int echoes) {
        for (ProbeResult r : results) {
            ProbeResult.Up up = assertInstanceOf(ProbeResult.Up.class, r, () -> "expected up: " + r);
            PingStats s = (PingStats) up.measurement();
            assertEquals(echoes, s.sent());
            assertEquals(echoes, s.received());
            assertEquals(0.0, s.lossPct());
            assertTrue(s.rttMin().compareTo(s.rttAvg()) <= 0 && s.rttAvg().compareTo(s.rttMax()) <= 0, s.toString());
            assertFalse(s.rttMin().isNegative());
        }
    }

    @Test
    void rawModePingsManyLoopbackAddressesAndIpv6() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            assertEquals(IcmpSocketMode.RAW, p.mode());
            List<ProbeRequest> reqs = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                reqs.add(request("127.10." + (i / 250) + "." + (i % 250 + 1)));
            }
            reqs.add(request("::1"));
            assertAllUp(probeAll(p, reqs), 3);
            assertEquals(0, p.outstandingEchoes(), "every echo settled");
            assertTrue(p.counters().kernelTimestamps.sum() > 0, "kernel receive timestamps are used");
        }
    }

    @Test
    void silentHostTimesOutAndUnreachableHostIsToldApart() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            List<ProbeResult> rs = probeAll(p, List.of(request("127.248.1.1"), request("127.252.1.1"), request("127.0.0.1")));
            ProbeResult.Down silent = assertInstanceOf(ProbeResult.Down.class, rs.get(0));
            assertEquals(DownReason.TIMEOUT, silent.reason());
            assertEquals(3, ((PingStats) silent.measurement()).sent());
            assertEquals(0, ((PingStats) silent.measurement()).received());
            ProbeResult.Down unreach = assertInstanceOf(ProbeResult.Down.class, rs.get(1));
            assertEquals(DownReason.HOST_UNREACHABLE, unreach.reason(), unreach.detail());
            assertInstanceOf(ProbeResult.Up.class, rs.get(2));
            assertEquals(0, p.outstandingEchoes());
        }
    }

    @Test
    void datagramModeInANamespaceThatAllowsIt() throws Exception {
        try (NetNs ns = NetNs.create("0 2147483647");
             Netfilter nf = Netfilter.install(ns.name());
             IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder()
                     .socketMode(IcmpSocketMode.DATAGRAM).networkNamespace(ns.file()).build())) {
            assertEquals(IcmpSocketMode.DATAGRAM, p.mode());
            List<ProbeRequest> reqs = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                reqs.add(request("127.20.0." + i));
            }
            reqs.add(request("::1"));
            assertAllUp(probeAll(p, reqs), 3);
            List<ProbeResult> rs = probeAll(p, List.of(request("127.248.9.9"), request("127.252.9.9")));
            assertEquals(DownReason.TIMEOUT, ((ProbeResult.Down) rs.get(0)).reason());
            ProbeResult.Down unreach = assertInstanceOf(ProbeResult.Down.class, rs.get(1));
            assertEquals(DownReason.HOST_UNREACHABLE, unreach.reason(), "ICMP errors reach a datagram socket's error queue");
            assertEquals(0, p.outstandingEchoes());
        }
    }

    @Test
    void autoModeFallsBackToRawWhereDatagramIsNotAllowed() {
        try (NetNs ns = NetNs.create("1 0");
             IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().networkNamespace(ns.file()).build())) {
            assertEquals(IcmpSocketMode.RAW, p.mode());
        }
    }

    @Test
    void neitherModeAllowedGivesAClearError() {
        Host.require("setpriv");
        try (NetNs ns = NetNs.create("1 0")) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Host.Result r = Host.exec(null, "ip", "netns", "exec", ns.name(), "setpriv", "--bounding-set=-net_raw",
                    "--inh-caps=-net_raw", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    childClassPath(), IcmpOpenMain.class.getName());
            assertEquals(3, r.exit(), r.out());
            String m = r.out();
            assertTrue(m.contains("cannot open an ICMP socket"), m);
            assertTrue(m.contains("uid 0, gid 0"), m);
            assertTrue(m.contains("ping_group_range = \"1 0\""), m);
            assertTrue(m.contains("datagram socket: socket() failed with EACCES"), m);
            assertTrue(m.contains("raw socket: socket() failed with EPERM"), m);
            assertTrue(m.contains("AmbientCapabilities=CAP_NET_RAW"), m);
            assertTrue(m.contains("sysctl -w net.ipv4.ping_group_range"), m);
        }
    }

    @Test
    void sequenceNumbersWrapSafelyWithMoreThan65536Outstanding() throws Exception {
        // 70,000 echoes to silent hosts stay outstanding while the 16-bit sequence wraps; echoes to
        // live hosts sent after the wrap must still be matched to the right probe.
        IcmpOptions o = IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).packetsPerSecond(200_000).build();
        try (IcmpEchoProber p = IcmpEchoProber.open(o)) {
            IcmpSettings oneLong = new IcmpSettings(1, Duration.ZERO, Duration.ofSeconds(8), 16);
            List<ProbeRequest> reqs = new ArrayList<>();
            for (int i = 0; i < 70_000; i++) {
                reqs.add(request("127." + (248 + i / 62_500) + "." + ((i % 62_500) / 250) + "." + (i % 250 + 1), oneLong));
            }
            for (int i = 1; i <= 200; i++) {
                reqs.add(request("127.30.0." + i, new IcmpSettings(1, Duration.ZERO, Duration.ofSeconds(8), 16)));
            }
            List<ProbeResult> rs = probeAll(p, reqs);
            for (int i = 0; i < 70_000; i++) {
                assertEquals(DownReason.TIMEOUT, ((ProbeResult.Down) rs.get(i)).reason());
            }
            assertAllUp(rs.subList(70_000, rs.size()), 1);
            assertEquals(0, p.outstandingEchoes());
        }
    }

    @Test
    void outstandingLimitIsEnforcedAndCounted() throws Exception {
        IcmpOptions o = IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).maxOutstandingEchoes(10).build();
        try (IcmpEchoProber p = IcmpEchoProber.open(o)) {
            List<ProbeRequest> reqs = new ArrayList<>();
            IcmpSettings one = new IcmpSettings(1, Duration.ZERO, Duration.ofMillis(500), 16);
            for (int i = 1; i <= 40; i++) {
                reqs.add(request("127.248.3." + i, one));
            }
            List<ProbeResult> rs = probeAll(p, reqs);
            long unknown = rs.stream().filter(r -> r instanceof ProbeResult.Unknown).count();
            assertTrue(unknown >= 30, "at most 10 of 40 could be outstanding; unknown = " + unknown);
            assertEquals(unknown, p.counters().overLimit.sum());
            rs.stream().filter(r -> r instanceof ProbeResult.Unknown)
                    .forEach(r -> assertTrue(((ProbeResult.Unknown) r).detail().contains("outstanding"), r.toString()));
            assertEquals(0, p.outstandingEchoes());
        }
    }

    @Test
    void foreignAndMalformedPacketsAreIgnoredWithoutHarm() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build());
             Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int fd = Libc.socket(err, Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            assertTrue(fd >= 0);
            MemorySegment sa = arena.allocate(16);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
            sa.set(ValueLayout.JAVA_BYTE, 4, (byte) 127);
            sa.set(ValueLayout.JAVA_BYTE, 7, (byte) 1);
            MemorySegment pkt = arena.allocate(64);
            long before = p.counters().ignored();
            // 1: an echo reply with ward's magic but a cookie nobody sent; 2: a truncated reply;
            // 3: a reply with someone else's payload; 4: an unreachable quoting garbage.
            IcmpPacket.writeEcho(pkt, false, 0, 1, 0xDEADL, 56, false);
            pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
            pkt.set(IcmpPacket.U16, 2, (short) IcmpPacket.checksum(pkt, 64));
            for (int len : new int[] {64, 12}) {
                Libc.sendto(err, fd, pkt, len, 0, sa, 16);
            }
            pkt.fill((byte) 0x5a);
            pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
            pkt.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
            Libc.sendto(err, fd, pkt, 64, 0, sa, 16);
            pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 3);
            Libc.sendto(err, fd, pkt, 64, 0, sa, 16);
            List<ProbeResult> rs = probeAll(p, List.of(request("127.0.0.1"), request("127.0.0.2")));
            assertAllUp(rs, 3);
            Libc.close(err, fd);
            long after = p.counters().ignored();
            assertTrue(after - before >= 3, "the forged packets were seen and ignored: " + (after - before));
            assertEquals(0, p.outstandingEchoes());
        }
    }

    /**
     * Deadlines run on the ticker the prober was opened with, not on the system's: an echo to a
     * silent host stays outstanding while real time passes its reply timeout, and times out as
     * soon as the ticker does.
     */
    @Test
    void echoesTimeOutOnTheTickerTheProberWasGiven() throws Exception {
        FakeTicker ticker = new FakeTicker();
        IcmpOptions o = IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).packetsPerSecond(100_000).build();
        IcmpSettings quick = new IcmpSettings(1, Duration.ZERO, Duration.ofMillis(200), 16);
        // through the public factory, which hands the ticker on
        try (IcmpEchoProber p = (IcmpEchoProber) io.github.wardops.ward.probe.Probers.icmp(o, ticker);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ProbeResult> silent = ex.submit(() -> p.probe(request("127.248.7.1", quick)));
            long until = System.nanoTime() + 10_000_000_000L;
            while (p.outstandingEchoes() == 0) {
                assertTrue(System.nanoTime() - until < 0, "the echo to the silent host goes out");
                Thread.sleep(1);
            }
            // the receiver keeps reading and sweeping (live hosts answer) for longer than the
            // reply timeout in real time; on the prober's ticker no time passes
            long start = System.nanoTime();
            int live = 0;
            while (System.nanoTime() - start < 3 * quick.replyTimeout().toNanos()) {
                assertInstanceOf(ProbeResult.Up.class, p.probe(request("127.42.0." + (live++ % 250 + 1), quick)));
            }
            assertFalse(silent.isDone(), "no timeout while the ticker stands still");
            assertEquals(0, p.counters().timeouts.sum());
            ticker.advance(quick.replyTimeout());
            ProbeResult.Down down = assertInstanceOf(ProbeResult.Down.class, silent.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(DownReason.TIMEOUT, down.reason());
            assertEquals("no reply to 1 echoes within 200 ms", down.detail());
            assertEquals(1, p.counters().timeouts.sum());
            assertEquals(0, p.outstandingEchoes());
        }
    }

    /**
     * Regression: the receiver used to expire overdue echoes before reading its socket, so a
     * receiver held up past the reply timeout (a GC pause, a busy CPU) turned replies already
     * waiting in the socket into timeouts.
     */
    @Test
    void repliesQueuedWhileTheReceiverStalledAreNotTimeouts() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            IcmpSettings quick = new IcmpSettings(1, Duration.ZERO, Duration.ofMillis(150), 16);
            List<ProbeRequest> reqs = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                reqs.add(request("127.40.0." + i, quick));
            }
            p.receiver().stallOnce(Duration.ofMillis(600));
            Thread.sleep(100); // let the receiver enter its stall before the echoes go out
            assertAllUp(probeAll(p, reqs), 1);
            assertEquals(0, p.counters().timeouts.sum());
        }
    }

    /**
     * Regression: an OutOfMemoryError in the receiver ended it with one log line; every later
     * probe then timed out, so devices that were up went DOWN and opened false alerts. Now the
     * error reaches the uncaught-exception handler (the runner exits on it) and what the prober
     * can no longer judge is UNKNOWN.
     */
    @Test
    void aReceiverThatDiesMakesProbesUnknownNeverDownAndReportsTheError() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.add(e));
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            assertInstanceOf(ProbeResult.Up.class, p.probe(request("127.41.0.1")));
            OutOfMemoryError injected = new OutOfMemoryError("injected by the test");
            p.receiver().failOnce(injected);
            // the receiver dies when it next wakes: the probe in flight may still see a reply (UP),
            // and is never DOWN; every probe after it is UNKNOWN
            ProbeResult during = p.probe(request("127.41.0.2"));
            assertFalse(during instanceof ProbeResult.Down, () -> "never DOWN: " + during);
            for (int i = 3; i <= 5; i++) {
                ProbeResult r = p.probe(request("127.41.0." + i));
                ProbeResult.Unknown u = assertInstanceOf(ProbeResult.Unknown.class, r, () -> "expected UNKNOWN: " + r);
                assertTrue(u.detail().contains("receiver stopped (OutOfMemoryError)"), u.detail());
            }
            // the loop marks itself stopped (probes turn UNKNOWN at once) before it logs the error
            // and hands it on: wait for the thread to end before reading what the handler saw
            p.receiver().thread.join(10_000);
            assertFalse(p.receiver().thread.isAlive(), "the receiver thread ended");
            assertEquals(List.of(injected), reported);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void aReceiverThatDiesOfAnExceptionMakesProbesUnknown() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            p.receiver().failOnce(new IllegalStateException("injected by the test"));
            // the receiver wakes for this probe's reply, or at its next poll timeout, and dies
            ProbeResult first = p.probe(request("127.41.1.1"));
            assertFalse(first instanceof ProbeResult.Down, () -> "never DOWN: " + first);
            ProbeResult later = p.probe(request("127.41.1.2"));
            ProbeResult.Unknown u = assertInstanceOf(ProbeResult.Unknown.class, later, () -> "expected UNKNOWN: " + later);
            assertTrue(u.detail().contains("receiver stopped (IllegalStateException)"), u.detail());
        }
    }

    /** The sender keeps a probe's spacing: three echoes 150 ms apart take 300 ms and more, never a burst. */
    @Test
    void theEchoesOfAProbeLeaveTheirSpacingApart() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            IcmpSettings spaced = new IcmpSettings(3, Duration.ofMillis(150), Duration.ofMillis(500), 16);
            long start = System.nanoTime();
            ProbeResult r = p.probe(request("127.41.2.1", spaced));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            ProbeResult.Up up = assertInstanceOf(ProbeResult.Up.class, r);
            // A raw socket is handed every ICMP packet on the host, so a busy host (a benchmark beside the
            // build) can overflow its buffer and lose a reply: the spacing is what this test is about.
            assertTrue(((PingStats) up.measurement()).received() >= 1, () -> "no reply: " + up);
            assertTrue(tookMs >= 300, "three echoes 150 ms apart took " + tookMs + " ms");
            assertEquals(3, p.counters().sent.sum());
        }
    }

    @Test
    void aSenderThatDiesMakesProbesUnknownNeverDownAndReportsTheError() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.add(e));
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            assertInstanceOf(ProbeResult.Up.class, p.probe(request("127.41.3.1")));
            OutOfMemoryError injected = new OutOfMemoryError("injected by the test");
            // a probe whose later echoes are still held by the sender when it dies
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<ProbeResult> during = ex.submit(() -> p.probe(request("127.41.3.2",
                        new IcmpSettings(3, Duration.ofSeconds(2), Duration.ofMillis(500), 16))));
                long until = System.nanoTime() + 5_000_000_000L;
                while (p.counters().sent.sum() < 4) {
                    assertTrue(System.nanoTime() - until < 0, "the first echo goes out");
                    Thread.sleep(1);
                }
                p.sender().failOnce(injected);
                ProbeResult r = during.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertFalse(r instanceof ProbeResult.Down, () -> "never DOWN: " + r);
            }
            ProbeResult later = p.probe(request("127.41.3.3"));
            ProbeResult.Unknown u = assertInstanceOf(ProbeResult.Unknown.class, later, () -> "expected UNKNOWN: " + later);
            assertTrue(u.detail().contains("sender stopped (OutOfMemoryError)"), u.detail());
            // the loop marks itself stopped (probes turn UNKNOWN at once) before it logs the error
            // and hands it on: wait for the thread to end before reading what the handler saw
            p.sender().thread.join(10_000);
            assertFalse(p.sender().thread.isAlive(), "the sender thread ended");
            assertEquals(List.of(injected), reported);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    /**
     * A class path for a child JVM: the tests run on the module path, where ward's classes and
     * its dependencies are on {@code jdk.module.path} and the test classes are patched into the
     * module, so neither is on {@code java.class.path} alone.
     */
    private static String childClassPath() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String key : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(key, "");
            if (!v.isEmpty()) {
                parts.add(v);
            }
        }
        try {
            parts.add(java.nio.file.Path.of(IcmpOpenMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    @Test
    void thePaceFollowsThePlanUnderTheCap() {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().packetsPerSecond(5_000).build())) {
            assertEquals(5_000, p.pacedRate(), "before a plan: the cap");
            p.planRate(100);
            assertEquals(IcmpOptions.MIN_PLANNED_PACKETS_PER_SECOND, p.pacedRate(), "a small plan keeps the floor");
            p.planRate(1_000);
            assertEquals(2_000, p.pacedRate(), "twice the plan");
            p.planRate(4_000);
            assertEquals(5_000, p.pacedRate(), "never above the cap");
            assertEquals(4_000, p.plannedRate());
            assertThrows(IllegalArgumentException.class, () -> p.planRate(-1));
            assertThrows(IllegalArgumentException.class, () -> p.planRate(Double.NaN));
            assertEquals(5_000, p.pacedRate(), "a refused plan changes nothing");
        }
    }

    @Test
    void echoesThatWaitForAnOverloadedPacerAreCounted() throws Exception {
        // 20 echoes a second, 40 single-echo probes at once: the last wait about 2 s for their turn
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().packetsPerSecond(20).build())) {
            List<ProbeRequest> rs = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                rs.add(request("127.0.9." + i, new IcmpSettings(1, Duration.ZERO, Duration.ofMillis(500), 56)));
            }
            List<ProbeResult> results = probeAll(p, rs);
            assertAllUp(results, 1);
            long delayed = p.counters().delayed.sum();
            assertTrue(delayed >= 10 && delayed < 40, "echoes that waited over 1 s for the pacer: " + delayed);
        }
    }
}
