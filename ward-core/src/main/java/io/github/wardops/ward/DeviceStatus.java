package io.github.wardops.ward;

/**
 * A device's reachability as ward sees it.
 */
public enum DeviceStatus {
    /** The device answers. */
    UP,
    /** The device does not answer. */
    DOWN,
    /** Not known yet, or the device could not be probed. */
    UNKNOWN,
    /**
     * The device does not answer while a device it depends on (its parent) is down: it is
     * unreachable rather than down, and raises no alerts of its own. Set by the state tracker
     * ({@code io.github.wardops.ward.state}); the engine's naive {@code Ward.status} never
     * returns it.
     */
    UNREACHABLE
}
