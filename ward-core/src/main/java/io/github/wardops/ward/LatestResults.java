package io.github.wardops.ward;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import java.util.Map;
import java.util.Optional;

/**
 * A read view of the latest result per device and check. Its size is bounded by the inventory:
 * removing a device or a check frees its entries. Thread-safe; reads see results as they land.
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null} (absence is an empty {@code Optional} or map).
 */
public interface LatestResults {

    /**
     * The latest result of one check.
     *
     * @param device the device
     * @param check the check name
     * @return the result, empty before the first probe
     */
    Optional<ProbeResult> get(DeviceId device, String check);

    /**
     * The latest result of every check of a device that has run.
     *
     * @param device the device
     * @return check name to result; empty for an unknown device
     */
    Map<String, ProbeResult> all(DeviceId device);

    /**
     * The number of (device, check) entries holding a result.
     *
     * @return the count
     */
    int entries();
}
