package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The memory and time of {@link SharedFleetView}'s snapshot at N devices polled elsewhere (100,000
 * by default), every one with a state row carrying a full 100-character flap history, as a
 * database read would give: the heap kept by the inventory index and by the snapshot (after GC),
 * and the time of a read and of a summary's status bits over the fleet. Asserts nothing; its name
 * keeps it out of the test runs. Run it with
 * {@code ./mvnw -B -ntp -pl ward-runner -am test -Dtest=FleetSnapshotBench -Dsurefire.failIfNoSpecifiedTests=false -Dward.bench.devices=100000}.
 */
class FleetSnapshotBench {
    @org.junit.jupiter.api.Test
    void run() throws Exception {
        int n = Integer.parseInt(System.getProperty("ward.bench.devices", "100000"));
        List<Device> fleet = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fleet.add(Device.builder(DeviceId.fromKey("bench-" + i), "d" + i,
                    InetAddress.ofLiteral("127.46." + (i / 250 % 250) + "." + (i % 250 + 1)))
                    .labels(Map.of("region", "r" + (i % 11), "branch", "b" + (i % 875))).build());
        }
        Instant t = Instant.parse("2026-12-07T03:00:00Z");
        String flaps = "1".repeat(100);
        List<DeviceState> rows = new ArrayList<>(n);
        for (Device d : fleet) {
            rows.add(new DeviceState(new StateKey(new DeviceId(d.id().value()), 0), DeviceStatus.UP, t, false, 0, 0, 12,
                    t.plusSeconds(30), null, null, flaps));
        }
        try (Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build();
             StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
             Ward ward = Ward.builder().build()) {
            SharedFleetView view = new SharedFleetView(() -> fleet, ward, tracker, alerting, () -> rows, List::of,
                    Duration.ofMinutes(10), Duration.ofSeconds(5), Ticker.system());
            long base = used();
            view.devices();
            long index = used() - base;
            long started = System.nanoTime();
            view.snapshot();
            long readNanos = System.nanoTime() - started;
            long snapshot = used() - base - index;
            long bitsNanos = Long.MAX_VALUE;
            for (int round = 0; round < 20; round++) {
                long s = System.nanoTime();
                var bits = view.statusBits();
                int up = 0;
                for (Device d : fleet) {
                    if (bits.applyAsInt(d.id()) == DeviceStatus.UP.ordinal()) {
                        up++;
                    }
                }
                bitsNanos = Math.min(bitsNanos, System.nanoTime() - s);
                if (up != n) {
                    throw new AssertionError(up);
                }
            }
            System.out.printf("%,d devices: inventory index %.1f MB (%d B/device), snapshot %.1f MB (%d B/device); "
                            + "a read (in memory, no database) %.0f ms; status bits of the fleet %.1f ms (best of 20)%n", n,
                    index / 1e6, index / n, snapshot / 1e6, snapshot / n, readNanos / 1e6, bitsNanos / 1e6);
        }
    }

    private static long used() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
