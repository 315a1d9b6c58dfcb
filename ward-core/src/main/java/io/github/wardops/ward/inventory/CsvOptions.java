package io.github.wardops.ward.inventory;

import io.github.wardops.ward.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link CsvInventory} reads a file: the bounds that keep a wrong or hostile file from
 * exhausting memory, and whether link-local addresses are accepted.
 *
 * @param maxRows the most data rows accepted, 1-10,000,000 (default 1,000,000)
 * @param maxLineBytes the longest line, the header included, in bytes of UTF-8 without the line
 *     break, 64 to 16,777,216 (default 65,536). Lines are checked while they are read, so a longer
 *     line is never held in memory whole.
 * @param allowLinkLocal whether devices with link-local addresses ({@code 169.254.0.0/16},
 *     {@code fe80::/10}) are accepted (default {@code false})
 *
 * <p>Immutable and thread-safe; it holds no references, so nothing in it is {@code null}.
 */
public record CsvOptions(int maxRows, int maxLineBytes, boolean allowLinkLocal) {
    /** The default most data rows. */
    public static final int DEFAULT_MAX_ROWS = 1_000_000;
    /** The default longest line: 64 KiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    /**
     * Validates, reporting every problem at once.
     *
     * @throws InvalidConfigurationException naming every value out of range
     */
    public CsvOptions {
        List<String> p = new ArrayList<>();
        if (maxRows < 1 || maxRows > 10_000_000) {
            p.add("maxRows = " + maxRows + ": must be 1-10000000");
        }
        if (maxLineBytes < 64 || maxLineBytes > 16 * 1024 * 1024) {
            p.add("maxLineBytes = " + maxLineBytes + ": must be 64-16777216");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("CsvOptions", p);
        }
    }

    /**
     * The defaults: 1,000,000 rows, lines of 64 KiB, no link-local addresses.
     *
     * @return the options
     */
    public static CsvOptions defaults() {
        return new CsvOptions(DEFAULT_MAX_ROWS, DEFAULT_MAX_LINE_BYTES, false);
    }

    /**
     * A copy with another row limit.
     *
     * @param rows the most data rows
     * @return the options
     */
    public CsvOptions withMaxRows(int rows) {
        return new CsvOptions(rows, maxLineBytes, allowLinkLocal);
    }

    /**
     * A copy with another line limit.
     *
     * @param bytes the longest line in bytes
     * @return the options
     */
    public CsvOptions withMaxLineBytes(int bytes) {
        return new CsvOptions(maxRows, bytes, allowLinkLocal);
    }

    /**
     * A copy that accepts link-local addresses, or not.
     *
     * @param allow whether they are accepted
     * @return the options
     */
    public CsvOptions withAllowLinkLocal(boolean allow) {
        return new CsvOptions(maxRows, maxLineBytes, allow);
    }
}
