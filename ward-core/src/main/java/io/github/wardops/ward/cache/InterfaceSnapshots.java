package io.github.wardops.ward.cache;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest state of every polled interface of one device. Immutable and thread-safe.
 *
 * @param device the device; never {@code null}
 * @param polledAt when the interfaces were polled; never {@code null}
 * @param interfaces the interfaces, by ifIndex order as given; never {@code null}, at most 10,000
 */
public record InterfaceSnapshots(DeviceId device, Instant polledAt, List<InterfaceSnapshot> interfaces) {

    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code device} or {@code polledAt} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceSnapshots {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(polledAt, "polledAt");
        interfaces = List.copyOf(interfaces);
        if (interfaces.size() > 10_000) {
            throw new IllegalArgumentException("too many interfaces: " + interfaces.size());
        }
    }
}
