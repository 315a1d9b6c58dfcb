package io.github.wardops.ward.probe;

import io.github.wardops.ward.internal.support.NumberMap;
import java.time.Duration;
import java.util.Map;

/**
 * The statistics of one ICMP probe: echoes sent and received and the round-trip times.
 * RTT fields are {@code null} when nothing was received.
 *
 * @param sent echoes sent
 * @param received echo replies received
 * @param rttMin the fastest round trip, or {@code null}
 * @param rttAvg the mean round trip, or {@code null}
 * @param rttMax the slowest round trip, or {@code null}
 * @param rttMdev the mean deviation of the round trips (jitter), or {@code null}
 *
 * <p>Immutable and thread-safe.
 */
public record PingStats(int sent, int received, Duration rttMin, Duration rttAvg, Duration rttMax, Duration rttMdev)
        implements Measurement {

    /** The names of {@link #values()}, shared by every result: the first three when nothing came back. */
    private static final String[] NAMES = {"sent", "received", "loss_pct", "rtt_min_ms", "rtt_avg_ms", "rtt_max_ms",
            "rtt_mdev_ms"};

    /**
     * Checks the components; each is described on the record.
     *
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public PingStats {
        if (sent < 0 || received < 0 || received > sent) {
            throw new IllegalArgumentException("bad ping counts: sent " + sent + ", received " + received);
        }
        if (received > 0 && (rttMin == null || rttAvg == null || rttMax == null || rttMdev == null)) {
            throw new IllegalArgumentException("RTTs are required when replies were received");
        }
    }

    /**
     * Computes statistics from the round-trip times of the replies received.
     *
     * @param sent echoes sent
     * @param rttNanos the round trips of the replies, in nanoseconds
     * @param count how many entries of {@code rttNanos} are used
     * @return the statistics
     */
    public static PingStats of(int sent, long[] rttNanos, int count) {
        if (count == 0) {
            return new PingStats(sent, 0, null, null, null, null);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long r = rttNanos[i];
            min = Math.min(min, r);
            max = Math.max(max, r);
            sum += r;
        }
        long avg = sum / count;
        long dev = 0;
        for (int i = 0; i < count; i++) {
            dev += Math.abs(rttNanos[i] - avg);
        }
        return new PingStats(sent, count, Duration.ofNanos(min), Duration.ofNanos(avg), Duration.ofNanos(max),
                Duration.ofNanos(dev / count));
    }

    /**
     * The share of echoes lost, in percent.
     *
     * @return 0-100; 100 when nothing was sent
     */
    public double lossPct() {
        return sent == 0 ? 100.0 : 100.0 * (sent - received) / sent;
    }

    @Override
    public Map<String, Double> values() {
        if (received == 0) {
            return NumberMap.of(NAMES, new double[] {sent, received, lossPct()});
        }
        return NumberMap.of(NAMES, new double[] {sent, received, lossPct(), millis(rttMin), millis(rttAvg),
                millis(rttMax), millis(rttMdev)});
    }

    /**
     * A duration in fractional milliseconds.
     *
     * @param d the duration
     * @return milliseconds
     */
    public static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }
}
