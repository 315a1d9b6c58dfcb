package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.Locale;

/**
 * The state of the fleet at one moment, as printed once per cycle: device counts by status, the
 * median and 95th percentile of the latest ICMP round trips of the devices that answered, and
 * the overruns (checks skipped because their previous run had not finished) counted by the
 * engine's {@code ward.probes.skipped} meter. Immutable.
 *
 * @param devices devices in the inventory
 * @param up devices {@code UP}
 * @param failing devices {@code UP} whose last probes failed, not yet confirmed {@code DOWN}
 * @param down devices {@code DOWN} or {@code UNREACHABLE}
 * @param unknown devices {@code UNKNOWN} (not probed yet, disabled, or could not be probed)
 * @param rttP50Ms the median round trip in ms, or {@code NaN} when no device answered
 * @param rttP95Ms the 95th percentile round trip in ms, or {@code NaN}
 * @param overrunsTotal overruns since start
 */
public record CycleSummary(int devices, int up, int failing, int down, int unknown, double rttP50Ms,
                           double rttP95Ms, long overrunsTotal) {

    /**
     * Takes a summary now, with the confirmed statuses of the state tracker, the one truth the
     * API, the status page and the alerts show (an unreachable device counts as down). Cost: one
     * pass over the inventory and a sort of the round trips.
     *
     * @param ward the engine
     * @param tracker the state tracker
     * @param registry the registry the engine's meters are in
     * @return the summary
     */
    public static CycleSummary of(Ward ward, io.github.wardops.ward.state.StateTracker tracker, MeterRegistry registry) {
        var devices = ward.inventory().devices();
        int up = 0;
        int failing = 0;
        int down = 0;
        int unknown = 0;
        double[] rtts = new double[devices.size()];
        int n = 0;
        for (Device d : devices) {
            io.github.wardops.ward.state.DeviceState st = tracker.state(d.id()).orElse(null);
            DeviceStatus s = st == null ? DeviceStatus.UNKNOWN : st.status();
            switch (s) {
                case UP -> up++;
                case DOWN, UNREACHABLE -> down++;
                case UNKNOWN -> unknown++;
            }
            if (st != null && st.failing() && s == DeviceStatus.UP) {
                failing++;
            }
            if (s == DeviceStatus.UP
                    && ward.latest().get(d.id(), "icmp").orElse(null) instanceof ProbeResult.Up u
                    && u.measurement() instanceof PingStats p && p.rttAvg() != null) {
                rtts[n++] = PingStats.millis(p.rttAvg());
            }
        }
        Arrays.sort(rtts, 0, n);
        return new CycleSummary(devices.size(), up, failing, down, unknown, percentile(rtts, n, 0.50), percentile(rtts, n, 0.95),
                overruns(registry));
    }

    /**
     * The sum of every {@code ward.probes.skipped} counter in the registry.
     *
     * @param registry the registry
     * @return the count
     */
    static long overruns(MeterRegistry registry) {
        double sum = 0;
        for (Counter c : registry.find("ward.probes.skipped").counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    /** Nearest-rank percentile of the first {@code n} sorted values. */
    static double percentile(double[] sorted, int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    /**
     * The one-line form, such as
     * {@code 875 devices: 873 up (1 failing), 0 down, 2 unknown; rtt p50 0.045 ms, p95 0.090 ms; overruns 0 this cycle, 0 total}.
     *
     * @param overrunsThisCycle overruns since the previous summary
     * @return the line
     */
    public String line(long overrunsThisCycle) {
        return String.format(Locale.ROOT, "%d devices: %d up%s, %d down, %d unknown; rtt p50 %s, p95 %s; overruns %d this cycle, %d total",
                devices, up, failing == 0 ? "" : " (" + failing + " failing)", down, unknown, ms(rttP50Ms), ms(rttP95Ms), overrunsThisCycle, overrunsTotal);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f ms", v);
    }
}
