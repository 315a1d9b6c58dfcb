package io.github.wardops.ward.testing;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Scripted probe results and small helpers for state and alert tests. */
public final class Results {
    private Results() {
    }

    public static ProbeResult up(DeviceId d, Instant at, double rttMs) {
        long n = (long) (rttMs * 1_000_000);
        return new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofNanos(n), PingStats.of(3, new long[] {n, n, n}, 3));
    }

    public static ProbeResult up(DeviceId d, Instant at) {
        return up(d, at, 1.0);
    }

    public static ProbeResult down(DeviceId d, Instant at) {
        return new ProbeResult.Down(d, "icmp", "icmp", at, DownReason.TIMEOUT, "no reply", PingStats.of(3, new long[0], 0));
    }

    public static ProbeResult lossy(DeviceId d, Instant at, int received, double rttMs) {
        long n = (long) (rttMs * 1_000_000);
        return new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofNanos(n),
                PingStats.of(4, new long[] {n, n, n, n}, received));
    }

    public static Device device(String name, DeviceId parent, String... labels) {
        Device.Builder b = Device.builder(DeviceId.fromKey(name), name, Addresses.parse("127.0.0.1"))
                .parent(parent).check(Check.icmp(Duration.ofSeconds(30)));
        for (int i = 0; i + 1 < labels.length; i += 2) {
            b.label(labels[i], labels[i + 1]);
        }
        return b.build();
    }

    public static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
