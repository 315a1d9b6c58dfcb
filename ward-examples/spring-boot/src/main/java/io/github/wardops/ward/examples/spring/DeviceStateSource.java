package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@code /devices} endpoint reads device state from: the application's one seam between
 * its web layer and ward. Implementations are thread-safe (requests call them concurrently).
 *
 * <p>The implementation is {@link CacheDeviceStateSource}: {@code /devices} is served from ward's
 * cache ({@code io.github.wardops.ward.cache}), which the engine's results feed. With a Redis
 * tier the same endpoint also works in a process that reads state without running probes.
 */
public interface DeviceStateSource {
    /**
     * Every device with its current state.
     *
     * @return a snapshot; never {@code null}
     */
    List<DeviceView> devices();

    /**
     * One device with its current state.
     *
     * @param id the device id; never {@code null}
     * @return the device, empty when it is not in the inventory
     */
    Optional<DeviceView> device(DeviceId id);
}
