package io.github.wardops.ward.snmp;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One scalar ward polls besides system values and interfaces: a vendor template item (CPU,
 * memory, temperature) or a user's custom item. Immutable.
 *
 * @param name the item's name, 1-64 of {@code a-z 0-9 _ . -}, such as {@code cpu_5min_pct}
 * @param oid the full instance OID to GET; never {@code null}
 * @param kind how the value is read; never {@code null}
 * @param unit a unit for display, such as {@code percent} or {@code bytes}; may be empty, never {@code null}
 * @param interval how often it is polled; at least 1 s. An item is read on the first probe at or after
 *     its interval elapsed, so an interval shorter than the check's interval means every probe.
 * @param scale the factor a numeric value is multiplied by before it is reported (such as {@code 0.1} for
 *     decidegrees, {@code 1024} for kilobytes as bytes); finite and not 0; {@code 1} leaves it as it is
 */
public record SnmpItem(String name, SnmpOid oid, Kind kind, String unit, Duration interval, double scale) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.-]{1,64}");

    /** How an item's value is read. */
    public enum Kind {
        /** A number reported as it is (Gauge32, INTEGER, ...). */
        GAUGE,
        /** A counter reported raw; rates are left to the consumer. */
        COUNTER,
        /** A text value, reported in the measurement but not in {@link SnmpMeasurement#values()}. */
        TEXT
    }

    /**
     * Checks the components; each is described on the record.
     *
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public SnmpItem {
        Objects.requireNonNull(name, "item name");
        Objects.requireNonNull(oid, "item oid");
        Objects.requireNonNull(kind, "item kind");
        Objects.requireNonNull(unit, "item unit");
        Objects.requireNonNull(interval, "item interval");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("item name '" + name + "' must be 1-64 of a-z 0-9 _ . -");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("item '" + name + "': interval " + interval + " is below 1 s");
        }
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("item '" + name + "': scale " + scale + " must be a finite number other than 0");
        }
    }

    /**
     * An item whose value is reported as it is read (scale 1).
     *
     * @param name the item's name, 1-64 of {@code a-z 0-9 _ . -}
     * @param oid the full instance OID to GET
     * @param kind how the value is read
     * @param unit a unit for display; may be empty
     * @param interval how often it is polled; at least 1 s
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public SnmpItem(String name, SnmpOid oid, Kind kind, String unit, Duration interval) {
        this(name, oid, kind, unit, interval, 1.0);
    }
}
