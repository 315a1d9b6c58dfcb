package io.github.wardops.ward.inventory;

import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.TcpSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One periodic check of a device: what to probe ({@link #settings()}), how often
 * ({@link #interval()}) and how long a probe may take ({@link #timeout()}). Immutable and
 * thread-safe.
 *
 * @param name the check's name, unique within its device, such as {@code "icmp"} or
 *     {@code "tcp:443"}; letters, digits and {@code . _ : -}, at most 64 characters
 * @param settings the prober settings; never {@code null}
 * @param interval the time between planned starts; at least 100 ms
 * @param timeout the time a probe may take; positive and not above the interval
 */
public record Check(String name, CheckSettings settings, Duration interval, Duration timeout) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** The smallest interval a check may have. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** The interval used by the factory methods when none is given: 30 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    /**
     * Validates the check.
     *
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public Check {
        Objects.requireNonNull(name, "check name");
        Objects.requireNonNull(settings, "check settings");
        Objects.requireNonNull(interval, "check interval");
        Objects.requireNonNull(timeout, "check timeout");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("check name '" + name
                    + "' must be 1-64 letters, digits or . _ : -");
        }
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("check '" + name + "': interval " + interval
                    + " is below the minimum " + MIN_INTERVAL);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("check '" + name + "': timeout " + timeout
                    + " must be positive and not above the interval " + interval);
        }
    }

    /**
     * The check's type, from its settings.
     *
     * @return the prober type this check needs
     */
    public String type() {
        return settings.type();
    }

    /**
     * An ICMP echo check with default settings (3 echoes 200 ms apart, 1 s timeout) at the given
     * interval.
     *
     * @param interval the interval
     * @return the check, named {@code "icmp"}
     */
    public static Check icmp(Duration interval) {
        IcmpSettings s = IcmpSettings.defaults();
        return new Check("icmp", s, interval, s.minimumTimeout().compareTo(interval) > 0 ? interval : s.minimumTimeout());
    }

    /**
     * An ICMP echo check with the given settings.
     *
     * @param settings echo count and spacing
     * @param interval the interval
     * @return the check, named {@code "icmp"}, whose timeout covers all its echoes
     */
    public static Check icmp(IcmpSettings settings, Duration interval) {
        return new Check("icmp", settings, interval, settings.minimumTimeout());
    }

    /**
     * A TCP connect check of one port, with a 2 s connect timeout.
     *
     * @param port the TCP port, 1-65535
     * @param interval the interval
     * @return the check, named {@code "tcp:<port>"}
     */
    public static Check tcp(int port, Duration interval) {
        TcpSettings s = new TcpSettings(port);
        Duration timeout = Duration.ofSeconds(2).compareTo(interval) > 0 ? interval : Duration.ofSeconds(2);
        return new Check("tcp:" + port, s, interval, timeout);
    }

    /**
     * A copy with another interval, keeping the timeout when it still fits.
     *
     * @param newInterval the interval
     * @return the changed check
     */
    public Check withInterval(Duration newInterval) {
        Duration t = timeout.compareTo(newInterval) > 0 ? newInterval : timeout;
        return new Check(name, settings, newInterval, t);
    }
}
