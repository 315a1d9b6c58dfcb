package io.github.wardops.ward.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.Netfilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Fast confirmation on loopback with real ICMP, the engine and the tracker wired as the runner
 * wires them (default re-check interval and down-after). nftables makes the faults: silent loss
 * is a drop at the input hook (the echo leaves, its reply never comes), a refusal is a drop at
 * the output hook ({@code sendto} fails with EPERM), and 10 % random loss is
 * {@code numgen random mod 100 < 10} at the input hook. Timings are printed, not asserted: the
 * fake-time {@link ConfirmationTest} pins them exactly.
 */
class ConfirmationIT {
    private static final String SILENT = "127.245.0.1";
    private static final String REFUSED = "127.245.0.2";
    private static final String LOSSY_PREFIX = "127.245.1.";
    private static final int LOSSY = 20;

    private static final String RULES = """
              chain in {
                type filter hook input priority -10; policy accept;
                ip daddr %s icmp type echo-request drop
                ip daddr %s0/24 icmp type echo-request numgen random mod 100 < 10 drop
              }
              chain out {
                type filter hook output priority 0; policy accept;
                ip daddr %s icmp type echo-request drop
              }
            """.formatted(SILENT, LOSSY_PREFIX, REFUSED);

    static Device device(String name, String address, Duration interval) {
        return Device.builder(DeviceId.fromKey(name), name, Addresses.parse(address)).check(Check.icmp(interval)).build();
    }

    @Test
    void silentLossAndLocalRefusalAreConfirmedDownFastAndTenPercentLossNeverIs() throws Exception {
        Duration interval = Duration.ofSeconds(10);
        Device silent = device("silent", SILENT, interval);
        Device refused = device("refused", REFUSED, interval);
        List<Device> lossy = new ArrayList<>();
        for (int i = 1; i <= LOSSY; i++) {
            lossy.add(device("lossy-" + i, LOSSY_PREFIX + i, Duration.ofSeconds(1)));
        }
        List<Device> all = new ArrayList<>(List.of(silent, refused));
        all.addAll(lossy);
        Netfilter.reapStale(); // a killed run's rules would silence these addresses before the faults
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<DeviceId, List<ProbeResult>> results = new ConcurrentHashMap<>();
        List<io.github.wardops.ward.state.StateTransition> transitions = new CopyOnWriteArrayList<>();
        try (StateTracker tracker = StateTracker.builder().meterRegistry(registry).listener(transitions::add).build()) {
            tracker.replaceInventory(all);
            tracker.start();
            try (Ward ward = Ward.builder().listener(tracker).meterRegistry(registry)
                    .listener(r -> results.computeIfAbsent(r.device(), k -> new CopyOnWriteArrayList<>()).add(r))
                    .devices(all).build()) {
                ward.start();
                // everyone answers first
                await(Duration.ofSeconds(30), () -> all.stream().allMatch(d -> tracker.status(d.id()) == DeviceStatus.UP));
                Instant faults = Instant.now();
                try (Netfilter nf = Netfilter.custom(null, RULES)) {
                    await(interval.plusSeconds(30), () -> tracker.status(silent.id()) == DeviceStatus.DOWN
                            && tracker.status(refused.id()) == DeviceStatus.DOWN);
                    for (Device d : List.of(silent, refused)) {
                        DeviceState s = tracker.state(d.id()).orElseThrow();
                        ProbeResult first = results.get(d.id()).stream().filter(r -> !(r instanceof ProbeResult.Up))
                                .findFirst().orElseThrow();
                        assertEquals(first.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS), s.since(),
                                d.name() + ": down since its first failed probe");
                        List<Instant> failed = results.get(d.id()).stream().filter(r -> r instanceof ProbeResult.Down)
                                .map(ProbeResult::at).toList();
                        assertTrue(failed.size() >= 3, d.name() + ": " + failed);
                        for (int i = 1; i < 3; i++) {
                            Duration gap = Duration.between(failed.get(i - 1), failed.get(i));
                            assertTrue(gap.compareTo(Duration.ofSeconds(6)) < 0, d.name()
                                    + ": re-checks 2 s after each failure, not the 10 s interval: " + failed);
                        }
                        Instant confirmed = transitions.stream().filter(t -> t.key().device().equals(d.id())
                                && t.to() == DeviceStatus.DOWN).findFirst().orElseThrow().at();
                        System.out.printf("%s: first failed probe %.1f s after the fault, DOWN %.1f s after it%n", d.name(),
                                Duration.between(faults, first.at()).toMillis() / 1000.0,
                                Duration.between(first.at(), confirmed).toMillis() / 1000.0);
                    }
                    fpingSideBySide();
                    ProbeResult.Down local = assertInstanceOf(ProbeResult.Down.class,
                            results.get(refused.id()).getLast());
                    assertEquals(DownReason.LOCAL_FIREWALL, local.reason(), local.detail());
                    // 10 % random loss, each lossy device probed every second for 30 s
                    Instant end = Instant.now().plusSeconds(30);
                    while (Instant.now().isBefore(end)) {
                        for (Device d : lossy) {
                            assertFalse(tracker.status(d.id()) == DeviceStatus.DOWN, d.name() + " confirmed DOWN");
                        }
                        Thread.sleep(200);
                    }
                }
                long probes = 0;
                long lossyProbes = 0;
                for (Device d : lossy) {
                    for (ProbeResult r : results.get(d.id())) {
                        if (r.at().isAfter(faults) && r.measurement() instanceof PingStats p) {
                            probes++;
                            if (p.received() < p.sent()) {
                                lossyProbes++;
                            }
                        }
                    }
                    assertEquals(DeviceStatus.UP, tracker.status(d.id()), d.name());
                }
                System.out.printf("10 %% loss: %d of %d probes lost an echo; none confirmed DOWN%n", lossyProbes, probes);
                assertTrue(probes >= LOSSY * 20L, probes + " probes");
                assertTrue(lossyProbes > probes / 10, "the loss was real: " + lossyProbes + " of " + probes
                        + " probes lost an echo (27 % expected)");
                // the faults are gone: both confirmed UP again
                await(interval.plusSeconds(30), () -> tracker.status(silent.id()) == DeviceStatus.UP
                        && tracker.status(refused.id()) == DeviceStatus.UP);
            }
        }
    }

    /**
     * fping on the same silent host in the same run, with ward's echo settings (3 echoes 200 ms
     * apart, 1 s timeout): it reports the loss of one run and confirms nothing; printed for
     * docs/benchmarks.md.
     */
    static void fpingSideBySide() throws Exception {
        if (!new java.io.File("/usr/bin/fping").canExecute()) {
            System.out.println("fping: not installed, no side-by-side figure");
            return;
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/fping", "-c", "3", "-p", "200", "-t", "1000", "-q", SILENT)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        p.waitFor();
        System.out.printf("fping -c 3 -p 200 -t 1000 %s: %.1f s, '%s' (one run; no confirmation)%n", SILENT,
                (System.nanoTime() - t0) / 1e9, out);
        assertTrue(out.contains("100%"), out);
    }

    static void await(Duration bound, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, "not within " + bound);
            Thread.sleep(50);
        }
    }
}
