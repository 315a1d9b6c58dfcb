package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark of {@code GET /api/summary} (docs/benchmarks.md, "The fleet summary") at N
 * devices in 11 regions and 875 branches, 95 % UP, 3 % DOWN, 2 % never probed (UNKNOWN), over a
 * real {@link StateTracker}: the time of a count (every device's state read, counted per region
 * and branch, written as JSON) and of an answer while a count is kept (min, median, p99, max over
 * 200 rounds after 100 to warm up), and the answer's size; with {@code -Dward.bench.split=true},
 * also where a count's time goes (reading the states as copies, reading the status bits, building
 * the group index); asserts nothing. Its name keeps it out of the
 * test runs; run it with
 * {@code ./mvnw -B -ntp -pl ward-runner -am test -Dtest=SummaryBench -Dsurefire.failIfNoSpecifiedTests=false -Dward.bench.devices=100000}.
 */
class SummaryBench {
    @org.junit.jupiter.api.Test
    void run() throws Exception {
        main(new String[] {System.getProperty("ward.bench.devices", "100000")});
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf("  %s: min %.3f ms, median %.3f ms, p99 %.3f ms, max %.3f ms%n", what, sorted[0] / 1e6,
                sorted[n / 2] / 1e6, sorted[n * 99 / 100] / 1e6, sorted[n - 1] / 1e6);
    }

    /**
     * Runs the benchmark.
     *
     * @param args the number of devices (default 100000)
     * @throws Exception when writing fails
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<Device> devices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int branch = i % 875;
            devices.add(Device.builder(DeviceId.fromKey("bench-" + i), "device-" + i,
                    InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}))
                    .labels(Map.of("region", "region-" + branch % 11, "branch", "branch-" + branch, "device_type", "ATM"))
                    .build());
        }
        try (StateTracker tracker = StateTracker.builder().downAfter(1).upAfter(1).store(StateStore.inMemory()).build()) {
            tracker.replaceInventory(devices);
            tracker.start();
            Instant at = Instant.now();
            for (int i = 0; i < n; i++) {
                DeviceId id = devices.get(i).id();
                int k = i % 100;
                if (k < 95) {
                    tracker.onResult(new ProbeResult.Up(id, "icmp", "icmp", at, Duration.ofMillis(2), Measurement.NONE));
                } else if (k < 98) {
                    tracker.onResult(new ProbeResult.Down(id, "icmp", "icmp", at, DownReason.TIMEOUT, "", Measurement.NONE));
                }
            }
            int rounds = 200;
            long[] count = new long[rounds];
            long[] answer = new long[rounds];
            int bytes = 0;
            // A count: what a request does when no count is kept (fresh 0 s, stale 0 s), and what
            // runs behind a request otherwise.
            SummaryResource counting = new SummaryResource(() -> devices, SummaryResource.statusOf(tracker), () -> 0,
                    java.time.Clock.systemUTC(), 0, 0);
            // The answer with a count kept (the defaults: 1 s fresh, 15 s stale).
            SummaryResource kept = new SummaryResource(() -> devices, SummaryResource.statusOf(tracker), () -> 0,
                    java.time.Clock.systemUTC(), SummaryResource.FRESH_NANOS, SummaryResource.STALE_NANOS);
            for (int r = -100; r < rounds; r++) {
                long t0 = System.nanoTime();
                bytes = counting.answer().length;
                long t1 = System.nanoTime();
                kept.answer();
                long t2 = System.nanoTime();
                if (r >= 0) {
                    count[r] = t1 - t0;
                    answer[r] = t2 - t1;
                }
            }
            System.out.printf("summary of %,d devices (11 regions, 875 branches), answer %,d bytes%n", n, bytes);
            print("a count (every state read, counted, written)", count);
            print("an answer with a count kept (the request's work)", answer);
            if (Boolean.getBoolean("ward.bench.split")) {
                // Where a count's time goes: reading the states as copies (what a count did before), reading
                // the status bits (what it does now), and building the group index (once per inventory).
                java.util.function.ToIntFunction<DeviceId> bits = SummaryResource.statusOf(tracker);
                long[] states = new long[rounds];
                long[] statuses = new long[rounds];
                long[] indexes = new long[rounds];
                long sink = 0;
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    for (Device d : devices) {
                        sink += tracker.state(d.id()).isPresent() ? 1 : 0;
                    }
                    long t1 = System.nanoTime();
                    for (Device d : devices) {
                        sink += bits.applyAsInt(d.id());
                    }
                    long t2 = System.nanoTime();
                    sink += SummaryResource.Index.of(devices, SummaryResource.MAX_GROUPS).ids.length;
                    states[r] = t1 - t0;
                    statuses[r] = t2 - t1;
                    indexes[r] = System.nanoTime() - t2;
                }
                print("reading every state from the tracker (a DeviceState copy each)", states);
                print("reading every status from the tracker (status and flags, no copy)", statuses);
                print("building the group index (once per inventory)", indexes);
                System.out.println("  (" + sink + ")");
            }
        }
    }
}
