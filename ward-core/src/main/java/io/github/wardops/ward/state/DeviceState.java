package io.github.wardops.ward.state;

import io.github.wardops.ward.DeviceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of a device (or interface) at one moment: the value the tracker keeps, persists
 * through {@link StateStore} and hands to listeners. Immutable and thread-safe.
 *
 * @param key what the state is about; never {@code null}
 * @param status the confirmed status; never {@code null}
 * @param since when the status began: for {@link DeviceStatus#DOWN} and
 *     {@link DeviceStatus#UNREACHABLE} the time of the first failed probe (not of the
 *     confirmation), for {@link DeviceStatus#UP} the first success of the confirming streak;
 *     never {@code null}
 * @param flapping whether the state is flapping (a separate flag, not a status)
 * @param flapPercent the weighted state-change percentage over the flap window, 0-100
 * @param consecutiveFailures failed cycles in a row (the rule variable {@code ping_unreachable}
 *     for a device)
 * @param consecutiveSuccesses successful cycles in a row
 * @param updatedAt when the last result was applied; never {@code null}
 */
public record DeviceState(StateKey key, DeviceStatus status, Instant since, boolean flapping, double flapPercent,
                          int consecutiveFailures, int consecutiveSuccesses, Instant updatedAt) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code key}, {@code status}, {@code since} or {@code updatedAt} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public DeviceState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (consecutiveFailures < 0 || consecutiveSuccesses < 0) {
            throw new IllegalArgumentException("consecutive counts must not be negative");
        }
        if (!(flapPercent >= 0 && flapPercent <= 100)) {
            throw new IllegalArgumentException("flapPercent " + flapPercent + " must be 0-100");
        }
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
