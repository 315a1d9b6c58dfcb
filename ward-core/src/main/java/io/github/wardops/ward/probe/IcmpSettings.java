package io.github.wardops.ward.probe;

import io.github.wardops.ward.inventory.CheckSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one ICMP echo check.
 *
 * @param count echoes per probe, 1-100 (default 3)
 * @param spacing the time between echoes of one probe (default 200 ms)
 * @param replyTimeout how long to wait for each echo's reply (default 1 s)
 * @param payloadBytes the echo payload size, 16-1400 bytes (default 56, as ping's)
 *
 * <p>Immutable and thread-safe; no component is {@code null}.
 */
public record IcmpSettings(int count, Duration spacing, Duration replyTimeout, int payloadBytes)
        implements CheckSettings {

    /** The type name of ICMP checks. */
    public static final String TYPE = "icmp";

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code spacing} or {@code replyTimeout} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public IcmpSettings {
        Objects.requireNonNull(spacing, "spacing");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("icmp count " + count + " must be 1-100");
        }
        if (spacing.isNegative() || spacing.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("icmp spacing " + spacing + " must be 0-10 s");
        }
        if (replyTimeout.toMillis() < 1 || replyTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("icmp reply timeout " + replyTimeout + " must be 1 ms-60 s");
        }
        if (payloadBytes < 16 || payloadBytes > 1400) {
            throw new IllegalArgumentException("icmp payload " + payloadBytes + " must be 16-1400 bytes");
        }
    }

    /**
     * The defaults: 3 echoes, 200 ms apart, 1 s reply timeout, 56-byte payload.
     *
     * @return the settings
     */
    public static IcmpSettings defaults() {
        return new IcmpSettings(3, Duration.ofMillis(200), Duration.ofSeconds(1), 56);
    }

    /**
     * A copy with another echo count.
     *
     * @param n echoes per probe
     * @return the settings
     */
    public IcmpSettings withCount(int n) {
        return new IcmpSettings(n, spacing, replyTimeout, payloadBytes);
    }

    /**
     * The shortest check timeout that lets every echo time out on its own: the spacing times
     * (count - 1) plus the reply timeout.
     *
     * @return the duration
     */
    public Duration minimumTimeout() {
        return spacing.multipliedBy(count - 1L).plus(replyTimeout);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
