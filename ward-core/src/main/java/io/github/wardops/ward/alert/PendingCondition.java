package io.github.wardops.ward.alert;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * A rule's {@code for} timer: the condition of a rule with a {@code for} clause has held for a
 * device (or interface) since a moment, and the rule will match once it has held for the clause's
 * duration. Alerting hands these to its {@link AlertStore} so a restart resumes the timer instead
 * of starting it again. Immutable and thread-safe.
 *
 * @param device the device; never {@code null}
 * @param rule the rule's name; never {@code null}
 * @param ifIndex the interface index, or 0 for the device
 * @param since when the condition started to hold; never {@code null}
 */
public record PendingCondition(DeviceId device, String rule, int ifIndex, Instant since) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code rule} or {@code since} is null
     * @throws IllegalArgumentException if {@code ifIndex} is negative
     */
    public PendingCondition {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(since, "since");
        if (ifIndex < 0) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " must not be negative");
        }
    }
}
