package io.github.wardops.ward.runner.sweep;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * Prints a sweep the way {@code fping -c N -q} does, so the two can be compared line by line:
 * one line per target, in target order, names padded to one width,
 * <pre>
 * 127.0.0.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = 0.031/0.031/0.031
 * 127.0.0.9 : xmt/rcv/%loss = 1/0/100%
 * </pre>
 * then one summary line. Round trips use fping's format (3 decimals below 1 ms, 2 below 10 ms,
 * 1 below 100 ms, none above). Stateless and thread-safe.
 */
public final class SweepOutput {
    private SweepOutput() {
    }

    /**
     * Writes one line per target and the summary line.
     *
     * @param r the report
     * @param out where to write; flushed at the end
     */
    public static void write(Sweep.Report r, PrintWriter out) {
        int width = 0;
        int n = r.targets().size();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = format(r.targets().get(i));
            width = Math.max(width, names[i].length());
        }
        StringBuilder sb = new StringBuilder(96);
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append(names[i]);
            sb.repeat(' ', width - names[i].length());
            line(sb, r.sent()[i], r.received()[i], r.minNanos()[i], r.avgNanos()[i], r.maxNanos()[i]);
            out.println(sb);
        }
        out.println(summary(r));
        out.flush();
    }

    /** Appends {@code " : xmt/rcv/%loss = ..."} for one target. */
    static void line(StringBuilder sb, int sent, int received, long min, long avg, long max) {
        int loss = sent == 0 ? 0 : (sent - received) * 100 / sent;
        sb.append(" : xmt/rcv/%loss = ").append(sent).append('/').append(received).append('/').append(loss).append('%');
        if (received > 0) {
            sb.append(", min/avg/max = ").append(ms(min)).append('/').append(ms(avg)).append('/').append(ms(max));
        }
    }

    /**
     * The summary line: targets, answered, echoes sent and received, elapsed time and rate.
     *
     * @param r the report
     * @return the line
     */
    public static String summary(Sweep.Report r) {
        double secs = r.elapsed().toNanos() / 1e9;
        long sent = r.totalSent();
        return String.format(Locale.ROOT,
                "%d targets, %d answered, %d sent, %d received, %.2f%% loss, elapsed %.3f s, %.0f echoes/s",
                r.targets().size(), r.answered(), sent, r.totalReceived(),
                sent == 0 ? 0.0 : 100.0 * (sent - r.totalReceived()) / sent, secs, secs > 0 ? sent / secs : 0.0);
    }

    /**
     * A round trip in fping's format.
     *
     * @param nanos the time in nanoseconds
     * @return the text, in milliseconds
     */
    static String ms(long nanos) {
        double t = nanos / 1e6;
        if (t < 1.0) {
            return fixed(t, 3);
        } else if (t < 10.0) {
            return fixed(t, 2);
        } else if (t < 100.0) {
            return fixed(t, 1);
        }
        return fixed(t, 0);
    }

    private static final long[] POW10 = {1, 10, 100, 1000};

    /** {@code String.format("%.Nf")} for non-negative values, without the formatter's cost (100,000 lines add up). */
    static String fixed(double v, int decimals) {
        long scaled = Math.round(v * POW10[decimals]);
        long whole = scaled / POW10[decimals];
        if (decimals == 0) {
            return Long.toString(whole);
        }
        String frac = Long.toString(scaled % POW10[decimals]);
        StringBuilder sb = new StringBuilder(24).append(whole).append('.');
        sb.repeat('0', decimals - frac.length());
        return sb.append(frac).toString();
    }

    /**
     * An address as text: dotted quad, or RFC 5952 compressed IPv6.
     *
     * @param a the address
     * @return the text
     */
    static String format(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
