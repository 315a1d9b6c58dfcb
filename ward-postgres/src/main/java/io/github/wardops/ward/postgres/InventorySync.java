package io.github.wardops.ward.postgres;

/**
 * Keeps an engine's {@link io.github.wardops.ward.inventory.Inventory} equal to the
 * {@code devices} table: inserts, updates, disables and deletes made by any program reach the
 * engine within the polling interval. See {@link PostgresStorage#syncInventory}. Thread-safe.
 *
 * <p>Nothing it returns is {@code null}.
 */
public interface InventorySync extends AutoCloseable {

    /**
     * Checks the table's version now and, if it moved, applies the table to the inventory.
     *
     * @return {@code true} when the inventory was replaced
     */
    boolean refresh();

    /** Stops polling. Idempotent. */
    @Override
    void close();
}
