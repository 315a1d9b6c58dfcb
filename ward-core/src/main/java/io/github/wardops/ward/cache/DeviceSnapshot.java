package io.github.wardops.ward.cache;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest state of one device as published to the cache: what a dashboard shows. Immutable
 * and thread-safe. Instants are UTC with millisecond precision once they went through the shared
 * tier.
 *
 * @param device the device; never {@code null}
 * @param status its status; never {@code null}
 * @param downSince when it went down, {@code null} unless {@link DeviceStatus#DOWN} or
 *     {@link DeviceStatus#UNREACHABLE}
 * @param flapping whether it is flapping (changing state too often)
 * @param lastProbeAt when its reachability check last ran, or {@code null} before the first run
 * @param lastRtt the round trip (or connect time) of the last successful probe of that check, or
 *     {@code null}
 * @param lossPct the packet loss of the last ICMP probe in percent (0-100), or {@code null}
 * @param updatedAt when this state was computed; never {@code null}
 */
public record DeviceSnapshot(DeviceId device, DeviceStatus status, Instant downSince, boolean flapping,
                          Instant lastProbeAt, Duration lastRtt, Double lossPct, Instant updatedAt) {

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code status} or {@code updatedAt} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public DeviceSnapshot {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (downSince != null && status != DeviceStatus.DOWN && status != DeviceStatus.UNREACHABLE) {
            throw new IllegalArgumentException("downSince is set but status is " + status);
        }
        if (lastRtt != null && lastRtt.isNegative()) {
            throw new IllegalArgumentException("lastRtt is negative: " + lastRtt);
        }
        if (lossPct != null && !(lossPct >= 0.0 && lossPct <= 100.0)) {
            throw new IllegalArgumentException("lossPct must be 0-100: " + lossPct);
        }
    }
}
