package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@code /devices} endpoint reads device state from: the application's one seam between
 * its web layer and ward. Implementations are thread-safe (requests call them concurrently).
 *
 * <p>Today the only implementation is {@link EngineDeviceStateSource}, which asks this process's
 * engine. When ward's cache API ({@code io.github.wardops.ward.cache}) is available, a
 * cache-backed implementation of this interface becomes the {@code deviceStateSource} bean in
 * {@link WardConfiguration}: {@code /devices} is then served from ward's two-tier cache (Caffeine,
 * then Redis), which the engine's state tracker publishes to, so the endpoint also works in a
 * process that reads state without running probes. Nothing else in the application changes.
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
