package io.github.wardops.ward.state;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.Objects;

/**
 * What a state is about: a device's reachability ({@link #ifIndex()} {@code == 0}) or the oper
 * status of one of its interfaces ({@code ifIndex >= 1}, as in IF-MIB). Immutable and thread-safe.
 *
 * @param device the device; never {@code null}
 * @param ifIndex {@link #DEVICE} for the device itself, else the interface index (1 or more)
 */
public record StateKey(DeviceId device, int ifIndex) {
    /** The {@link #ifIndex()} of a device's own reachability state. */
    public static final int DEVICE = 0;

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public StateKey {
        Objects.requireNonNull(device, "device");
        if (ifIndex < 0) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " must be 0 (device) or positive");
        }
    }

    /**
     * The key of a device's reachability state.
     *
     * @param device the device; never {@code null}
     * @return the key
     */
    public static StateKey of(DeviceId device) {
        return new StateKey(device, DEVICE);
    }

    /**
     * The key of an interface's oper status.
     *
     * @param device the device; never {@code null}
     * @param ifIndex the interface index, 1 or more
     * @return the key
     */
    public static StateKey ofInterface(DeviceId device, int ifIndex) {
        if (ifIndex < 1) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " must be 1 or more");
        }
        return new StateKey(device, ifIndex);
    }

    /**
     * Whether this is an interface's state.
     *
     * @return {@code true} for an interface
     */
    public boolean isInterface() {
        return ifIndex != DEVICE;
    }

    @Override
    public String toString() {
        return isInterface() ? device + "/if" + ifIndex : device.toString();
    }
}
