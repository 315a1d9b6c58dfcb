package io.github.wardops.ward.runner.config;

import java.util.Locale;

/**
 * Where {@code ward run} takes its inventory from (the {@code inventory-source} setting).
 */
public enum InventorySource {
    /**
     * The CSV file ({@code inventory}, or the bundled fleet): read at start and re-read when it
     * changes; with storage on, it is also upserted into the {@code devices} table, which is then
     * a copy.
     */
    FILE,
    /**
     * The {@code devices} table alone: whatever {@code ward import}, SQL or another program puts
     * there is polled, and changes arrive within {@code inventory-poll}. Needs storage.
     */
    DATABASE,
    /**
     * Both: the CSV file is upserted into the {@code devices} table at start and whenever it
     * changes, and ward polls every device of the table (those of the file and those added by
     * other means). For a device in both, the file's row wins. Removing a row from the file does
     * not delete the device from the table. Needs storage.
     */
    BOTH;

    /**
     * Parses the setting.
     *
     * @param s {@code file}, {@code database} or {@code both}
     * @return the source
     * @throws IllegalArgumentException naming the accepted values
     */
    public static InventorySource parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "file", "csv" -> FILE;
            case "database", "db" -> DATABASE;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("must be file, database or both");
        };
    }

    /**
     * Whether the {@code devices} table is read.
     *
     * @return {@code true} for {@link #DATABASE} and {@link #BOTH}
     */
    public boolean readsDatabase() {
        return this != FILE;
    }

    /**
     * Whether the CSV file (or the bundled fleet) is read.
     *
     * @return {@code true} for {@link #FILE} and {@link #BOTH}
     */
    public boolean readsFile() {
        return this != DATABASE;
    }
}
