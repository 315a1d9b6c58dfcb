package io.github.wardops.ward.state;

import io.github.wardops.ward.DeviceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of a device's (or interface's) status or flapping flag. Immutable and thread-safe.
 *
 * @param key what changed; never {@code null}
 * @param from the status before; never {@code null}
 * @param to the status after (equal to {@code from} when only the flapping flag changed);
 *     never {@code null}
 * @param since when the new status began (for DOWN: the first failed probe); never {@code null}
 * @param flapping the flapping flag after the change
 * @param cause why, in words, such as {@code "3 failed cycles"} or {@code "parent <id> down"};
 *     never {@code null}
 * @param at when the tracker made the change; never {@code null}; both instants are kept to the
 *     microsecond, the precision of storage
 */
public record StateTransition(StateKey key, DeviceStatus from, DeviceStatus to, Instant since, boolean flapping,
                              String cause, Instant at) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code key}, {@code from}, {@code to}, {@code since}, {@code cause} or {@code at} is null
     */
    public StateTransition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(at, "at");
        since = DeviceState.micros(since);   // the precision of storage, as in DeviceState
        at = DeviceState.micros(at);
    }

    /**
     * Whether the status changed (rather than only the flapping flag).
     *
     * @return {@code true} when {@code from != to}
     */
    public boolean statusChanged() {
        return from != to;
    }
}
