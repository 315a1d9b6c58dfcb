package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.util.Objects;

/**
 * One device's outages over a time range ({@link PostgresAlertStore#downtime}). Immutable.
 *
 * @param device the device; never {@code null}
 * @param downtime the time it was down within the range; never {@code null}
 * @param outages outages that overlapped the range (overlapping alerts merged)
 * @param meanTimeToRepair the mean length of the outages that ended within the range, or
 *     {@code null} when none did
 * @param downNow whether an outage is still open
 */
public record DeviceDowntime(DeviceId device, Duration downtime, int outages, Duration meanTimeToRepair,
                             boolean downNow) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device} or {@code downtime} is null
     */
    public DeviceDowntime {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(downtime, "downtime");
    }
}
