package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The {@code interfaces} and {@code interface_samples} tables, for the SNMP interface poller.
 * Each method is one short transaction. Thread-safe.
 *
 * <p>Arguments must not be {@code null}; lists returned are never {@code null}.
 */
public interface InterfaceRepository {

    /**
     * Stores what one discovery of a device found: inserts new interfaces, updates known ones
     * (keeping their first discovery time) and sets {@code last_seen}. Interfaces not in the list
     * are kept (their {@code last_seen} tells they are gone).
     *
     * @param device the device
     * @param found the interfaces found; all of {@code device}
     * @param seen the discovery time
     */
    void upsertDiscovered(DeviceId device, Collection<InterfaceRecord> found, Instant seen);

    /**
     * A device's interfaces.
     *
     * @param device the device
     * @return the interfaces, by ifIndex
     */
    List<InterfaceRecord> interfaces(DeviceId device);

    /**
     * Writes samples, idempotently (a sample already stored for the same device, ifIndex and time
     * is left as it is). Samples past retention are skipped.
     *
     * @param samples the samples
     * @return the samples sent to the database
     */
    int writeSamples(Collection<InterfaceSample> samples);
}
