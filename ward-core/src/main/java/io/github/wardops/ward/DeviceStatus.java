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
    UNKNOWN
}
