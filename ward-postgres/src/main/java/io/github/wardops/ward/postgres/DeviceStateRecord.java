package io.github.wardops.ward.postgres;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * A device's persisted state, so a restart resumes it (a device that was down stays down since
 * the same instant). Immutable.
 *
 * @param device the device; never {@code null}
 * @param status the status; never {@code null}
 * @param downSince when it went down, {@code null} unless down
 * @param lastChange the last status change, or {@code null}
 * @param flapping whether it is flapping
 * @param flappingSince since when it flaps, or {@code null}
 * @param recentChanges status changes in the flapping window (0 or more)
 * @param updatedAt when this state was computed; never {@code null}
 */
public record DeviceStateRecord(DeviceId device, DeviceStatus status, Instant downSince, Instant lastChange,
                                boolean flapping, Instant flappingSince, int recentChanges, Instant updatedAt) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code status} or {@code updatedAt} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public DeviceStateRecord {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (recentChanges < 0) {
            throw new IllegalArgumentException("recentChanges " + recentChanges + " must be 0 or more");
        }
    }
}
