package io.github.wardops.ward.bench;

import io.github.wardops.ward.alert.AlertRules;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.RuleSet;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CsvInventory;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.StateTracker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * A load harness (not a test): drives the state tracker and alerting, inline as the engine
 * would, with the 875-device fleet and its production rules, from several threads, and prints
 * the cost per result. Each branch's devices depend on its router; 2 % of results fail.
 *
 * <p>Arguments: {@code [fleet.csv] [alert-rules.json] [cycles] [threads]}.
 */
public final class StateAlertLoad {
    private StateAlertLoad() {
    }

    /**
     * Runs the harness.
     *
     * @param args fleet CSV, rules JSON, cycles, threads
     * @throws Exception on a bad file
     */
    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "../shared/fleet/credobank-875.csv");
        Path rulesFile = Path.of(args.length > 1 ? args[1] : "../shared/fleet/alert-rules.json");
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<Device> fleet = withParents(CsvInventory.read(csv, d -> List.of(Check.icmp(Duration.ofSeconds(30)))));
        RuleSet rules = AlertRules.load(rulesFile);
        try (Alerting alerting = Alerting.builder().rules(rules.rules()).build();
             StateTracker tracker = StateTracker.builder().listener(alerting).build()) {
            tracker.replaceInventory(fleet);
            alerting.start();
            tracker.start();
            List<DeviceId> ids = fleet.stream().filter(Device::enabled).map(Device::id).toList();
            PingStats ok = PingStats.of(2, new long[] {800_000, 900_000}, 2);
            PingStats lost = PingStats.of(2, new long[0], 0);
            for (int round = 0; round < 2; round++) { // the first round warms up
                CountDownLatch done = new CountDownLatch(threads);
                Instant base = Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofDays(round));
                long start = System.nanoTime();
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    Thread.ofPlatform().start(() -> {
                        SplittableRandom rnd = new SplittableRandom(worker);
                        for (int c = 0; c < cycles; c++) {
                            Instant at = base.plusSeconds(30L * c);
                            for (int i = worker; i < ids.size(); i += threads) {
                                DeviceId id = ids.get(i);
                                tracker.onResult(rnd.nextInt(100) < 2
                                        ? new ProbeResult.Down(id, "icmp", "icmp", at, DownReason.TIMEOUT, "", lost)
                                        : new ProbeResult.Up(id, "icmp", "icmp", at, Duration.ofNanos(850_000), ok));
                            }
                        }
                        done.countDown();
                    });
                }
                done.await();
                long nanos = System.nanoTime() - start;
                long results = (long) cycles * ids.size();
                System.out.printf("%s: %d results on %d threads in %.2f s: %.0f results/s, %.2f us/result; "
                                + "open alerts %d, by status %s%n", round == 0 ? "warm-up" : "measured", results,
                        threads, nanos / 1e9, results / (nanos / 1e9), nanos / 1e3 / results * threads,
                        alerting.openAlerts().size(), tracker.countByStatus());
            }
        }
    }

    private static List<Device> withParents(List<Device> raw) {
        Map<String, Device> routerOfBranch = new LinkedHashMap<>();
        for (Device d : raw) {
            String branch = d.labels().get("branch");
            if (branch != null && "Router".equals(d.labels().get("device_type"))) {
                Device cur = routerOfBranch.get(branch);
                if (cur == null || d.address().getHostAddress().endsWith(".5")
                        && !cur.address().getHostAddress().endsWith(".5")) {
                    routerOfBranch.put(branch, d);
                }
            }
        }
        List<Device> out = new ArrayList<>();
        for (Device d : raw) {
            Device p = routerOfBranch.get(d.labels().get("branch"));
            out.add(new Device(d.id(), d.name(), d.address(), d.labels(),
                    p == null || p.id().equals(d.id()) ? null : p.id(), d.enabled(), d.checks()));
        }
        return out;
    }
}
