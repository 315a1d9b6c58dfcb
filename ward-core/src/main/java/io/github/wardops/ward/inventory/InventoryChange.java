package io.github.wardops.ward.inventory;

import java.util.Objects;

/**
 * One change to the inventory: a device added or changed, or a device removed.
 *
 * <p>Immutable and thread-safe: its cases are records; none of their components is {@code null}.
 */
public sealed interface InventoryChange {

    /**
     * The device the change is about.
     *
     * @return its id
     */
    DeviceId id();

    /**
     * Adds a device, or replaces the device with the same id.
     *
     * @param device the device
     */
    record Upsert(Device device) implements InventoryChange {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code device} is null
         */
        public Upsert {
            Objects.requireNonNull(device, "device");
        }

        @Override
        public DeviceId id() {
            return device.id();
        }
    }

    /**
     * Removes a device; removing an unknown device does nothing.
     *
     * @param id the device id
     */
    record Remove(DeviceId id) implements InventoryChange {
        /**
         * Checks the components; each is described on the record.
         */
        public Remove {
            Objects.requireNonNull(id, "device id");
        }
    }

    /**
     * An upsert.
     *
     * @param device the device
     * @return the change
     */
    static InventoryChange upsert(Device device) {
        return new Upsert(device);
    }

    /**
     * A removal.
     *
     * @param id the device id
     * @return the change
     */
    static InventoryChange remove(DeviceId id) {
        return new Remove(id);
    }
}
