package io.github.wardops.ward.inventory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The engine's live set of devices. Changes apply at once, without a restart: a changed device
 * keeps its state and latest results for checks it still has; a removed device's entries are
 * freed. Thread-safe.
 */
public interface Inventory {

    /**
     * Applies changes atomically, in order.
     *
     * @param changes the changes; never {@code null}
     */
    void apply(List<? extends InventoryChange> changes);

    /**
     * Makes the inventory exactly these devices: adds new ones, changes changed ones, removes
     * the rest, and leaves unchanged ones untouched.
     *
     * @param devices the whole inventory; ids must be unique
     */
    void replaceAll(Collection<Device> devices);

    /**
     * A device by id.
     *
     * @param id the id
     * @return the device
     */
    Optional<Device> get(DeviceId id);

    /**
     * A snapshot of every device.
     *
     * @return an immutable list
     */
    List<Device> devices();

    /**
     * The number of devices.
     *
     * @return the size
     */
    int size();
}
