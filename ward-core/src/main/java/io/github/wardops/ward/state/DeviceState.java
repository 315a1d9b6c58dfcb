package io.github.wardops.ward.state;

import io.github.wardops.ward.DeviceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of a device (or interface) at one moment: the value the tracker keeps, persists
 * through {@link StateStore} and hands to listeners. It holds every input the tracker and the
 * alert rules need, so a restart resumes a failure run, an outage's minutes and the flap
 * history where they were. Instants are kept to the microsecond, the precision of storage, so a
 * state reads the same before and after a restart. Immutable and thread-safe.
 *
 * @param key what the state is about; never {@code null}
 * @param status the confirmed status; never {@code null}
 * @param since when the status began: for {@link DeviceStatus#DOWN} and
 *     {@link DeviceStatus#UNREACHABLE} the time of the first failed probe (not of the
 *     confirmation), for {@link DeviceStatus#UP} the first success of the confirming streak;
 *     never {@code null}
 * @param flapping whether the state is flapping (a separate flag, not a status)
 * @param flapPercent the weighted state-change percentage over the flap window, 0-100
 * @param consecutiveFailures failed probes in a row, re-checks included (the rule variable
 *     {@code failed_cycles})
 * @param consecutiveSuccesses successful probes in a row
 * @param updatedAt when the last completed probe was applied; never {@code null}
 * @param failingSince the time of the first failed probe of the current failure run, or
 *     {@code null} when the last probe succeeded; {@code ping_unreachable} counts whole minutes
 *     from it while the device is DOWN
 * @param detail why the status is what it is when the status alone does not say, such as
 *     {@code "stale"} for an UNKNOWN whose probes stopped completing; {@code null} otherwise
 * @param flapHistory the flap window's results, oldest first, {@code '1'} a success and
 *     {@code '0'} a failure; at most 100 characters, empty when nothing was observed
 */
public record DeviceState(StateKey key, DeviceStatus status, Instant since, boolean flapping, double flapPercent,
                          int consecutiveFailures, int consecutiveSuccesses, Instant updatedAt, Instant failingSince,
                          String detail, String flapHistory) {
    /** The {@link #detail} of a device whose latest completed probe is older than three intervals. */
    public static final String STALE = "stale";

    /**
     * Checks the components (each is described on the record) and truncates the instants to
     * microseconds.
     *
     * @throws NullPointerException if {@code key}, {@code status}, {@code since}, {@code updatedAt}
     *     or {@code flapHistory} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public DeviceState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(flapHistory, "flapHistory");
        if (consecutiveFailures < 0 || consecutiveSuccesses < 0) {
            throw new IllegalArgumentException("consecutive counts must not be negative");
        }
        if (!(flapPercent >= 0 && flapPercent <= 100)) {
            throw new IllegalArgumentException("flapPercent " + flapPercent + " must be 0-100");
        }
        if (flapHistory.length() > 100 || !flapHistory.chars().allMatch(c -> c == '0' || c == '1')) {
            throw new IllegalArgumentException("flapHistory must be at most 100 characters of '0' and '1'");
        }
        if (detail != null && (detail.isEmpty() || detail.length() > 200)) {
            throw new IllegalArgumentException("detail must be 1-200 characters or null");
        }
        since = micros(since);
        updatedAt = micros(updatedAt);
        failingSince = failingSince == null ? null : micros(failingSince);
    }

    /**
     * A state without a failure run's start, a detail or a flap history (as older stores have it).
     *
     * @param key the key; never {@code null}
     * @param status the status; never {@code null}
     * @param since when the status began; never {@code null}
     * @param flapping whether it flaps
     * @param flapPercent the weighted state-change percentage, 0-100
     * @param consecutiveFailures failed probes in a row
     * @param consecutiveSuccesses successful probes in a row
     * @param updatedAt when the last result was applied; never {@code null}
     */
    public DeviceState(StateKey key, DeviceStatus status, Instant since, boolean flapping, double flapPercent,
                       int consecutiveFailures, int consecutiveSuccesses, Instant updatedAt) {
        this(key, status, since, flapping, flapPercent, consecutiveFailures, consecutiveSuccesses, updatedAt,
                null, null, "");
    }

    /**
     * Whether the last probes failed but DOWN is not confirmed yet: the state of a device being
     * re-checked. The status still shows the last confirmed one.
     *
     * @return whether it is failing unconfirmed
     */
    public boolean failing() {
        return consecutiveFailures > 0 && status != DeviceStatus.DOWN && status != DeviceStatus.UNREACHABLE;
    }

    /**
     * Truncates an instant to microseconds, the precision PostgreSQL keeps.
     *
     * @param at the instant; never {@code null}
     * @return the instant without its nanoseconds below the microsecond
     */
    public static Instant micros(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /**
     * The state of something never seen: {@link DeviceStatus#UNKNOWN} since {@code at}.
     *
     * @param key the key; never {@code null}
     * @param at the time; never {@code null}
     * @return the state
     */
    public static DeviceState unknown(StateKey key, Instant at) {
        return new DeviceState(key, DeviceStatus.UNKNOWN, at, false, 0, 0, 0, at);
    }
}
