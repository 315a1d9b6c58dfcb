package io.github.wardops.ward.postgres;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * One status change in a device's history. Immutable.
 *
 * @param device the device; never {@code null}
 * @param at when it changed; never {@code null}
 * @param from the old status; never {@code null}
 * @param to the new status; never {@code null}
 * @param flapping whether the device was flapping at the change
 * @param reason a short reason (never a secret); never {@code null}
 */
public record StateChange(DeviceId device, Instant at, DeviceStatus from, DeviceStatus to, boolean flapping,
                          String reason) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code at}, {@code from}, {@code to} or {@code reason} is null
     */
    public StateChange {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
