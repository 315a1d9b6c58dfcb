package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The {@code devices} table. Each method is one short transaction. Thread-safe.
 */
public interface DeviceRepository {

    /**
     * Reads every device, enabled or not: all or nothing. A row with a link-local address is a
     * row ward cannot use: see {@link #loadAll(Function, boolean)}.
     *
     * @param checks the checks each device gets (the table holds no checks), chosen from the
     *     device; never {@code null}
     * @return the devices, ordered by id
     * @throws io.github.wardops.ward.WardException when a row cannot be used (the first 20 are named
     *     with the reason, the rest counted), or the table holds more than 1,000,000 devices
     */
    List<Device> loadAll(Function<Device, List<Check>> checks);

    /**
     * Reads every device, enabled or not: all or nothing. A row ward cannot use is one that
     * does not make a valid {@link Device} (a control character in its name or labels, a nested
     * label, an address ward never probes) or, unless {@code allowLinkLocal}, has a link-local
     * address.
     *
     * @param checks the checks each device gets (the table holds no checks), chosen from the
     *     device; never {@code null}
     * @param allowLinkLocal whether rows with link-local addresses ({@code 169.254.0.0/16},
     *     {@code fe80::/10}) are used
     * @return the devices, ordered by id
     * @throws io.github.wardops.ward.WardException when a row cannot be used (the first 20 are named
     *     with the reason, the rest counted), or the table holds more than 1,000,000 devices
     */
    default List<Device> loadAll(Function<Device, List<Check>> checks, boolean allowLinkLocal) {
        List<Device> all = loadAll(checks);
        if (!allowLinkLocal) {
            List<String> bad = all.stream().filter(d -> io.github.wardops.ward.inventory.Addresses.isLinkLocal(d.address()))
                    .map(d -> "device " + d.id() + ": address " + d.address().getHostAddress() + " is link-local").toList();
            if (!bad.isEmpty()) {
                throw new io.github.wardops.ward.WardException("the devices table has " + bad.size()
                        + " row(s) ward cannot use: " + String.join("; ", bad.subList(0, Math.min(20, bad.size()))));
            }
        }
        return all;
    }

    /**
     * Inserts or updates devices by id, all in one transaction: all or none are stored. Checks
     * are not stored. When the collection holds an id twice, the later device wins.
     *
     * @param devices the devices; never {@code null}
     * @return the number of devices written (distinct ids)
     */
    int upsertAll(Collection<Device> devices);

    /**
     * Inserts or updates devices by id, all in one transaction, reporting progress: all or none
     * are stored. ward's repository sends rows in batches of a thousand and, after each batch,
     * calls {@code progress} on the calling thread with the number of devices written so far (the
     * transaction is still open: nothing is visible to others until the method returns). The
     * default reports once, at the end.
     *
     * @param devices the devices; never {@code null}
     * @param progress told the running count after each batch; never {@code null}
     * @return the number of devices written (distinct ids)
     */
    default int upsertAll(Collection<Device> devices, IntConsumer progress) {
        int n = upsertAll(devices);
        progress.accept(n);
        return n;
    }

    /**
     * Deletes a device (its children lose their parent).
     *
     * @param id the device
     * @return whether it existed
     */
    boolean delete(DeviceId id);

    /**
     * Enables or disables a device.
     *
     * @param id the device
     * @param enabled whether it is probed
     * @return whether it exists
     */
    boolean setEnabled(DeviceId id, boolean enabled);

    /**
     * Sets or clears the SNMP credentials a device uses.
     *
     * @param id the device
     * @param credentialId a {@link StoredSnmpCredential#id()}, or {@code null} to clear
     * @return whether the device exists
     */
    boolean setSnmpCredential(DeviceId id, UUID credentialId);

    /**
     * A counter that moves whenever any program changes the {@code devices} table (a trigger
     * keeps it).
     *
     * @return the current version
     */
    long version();
}
