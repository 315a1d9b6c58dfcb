package io.github.wardops.ward.snmp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The value read for one {@link SnmpItem}. Immutable.
 *
 * @param item the item; never {@code null}. A table cell's item is named {@code <table>_<column>.<row index>}
 * @param source {@code "template:<name>"}, {@code "custom"} or {@code "labels"}; never {@code null}
 * @param value the value (an exception value when the agent lacks the OID); never {@code null}
 * @param labels a table cell's labels: {@code table}, {@code column}, {@code index} (the row's index OID
 *     suffix) and the template's label columns (such as {@code descr}), in that order; empty for a scalar item
 */
public record SnmpItemValue(SnmpItem item, String source, SnmpValue value, Map<String, String> labels) {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d{1,30}(\\.\\d{1,30})?");

    /**
     * Checks the components (each is described on the record) and copies its map, so the caller's
     * later changes do not reach it.
     *
     * @throws NullPointerException if {@code item}, {@code source}, {@code value} or {@code labels}, or a label name or value, is null
     */
    public SnmpItemValue {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(labels.size() * 2);
        labels.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "label name"), Objects.requireNonNull(v, "label value")));
        labels = Collections.unmodifiableMap(copy);   // keeps the caller's order: table, column, index, then the template's
    }

    /**
     * A scalar item's value (no labels).
     *
     * @param item the item
     * @param source where the item comes from
     * @param value the value
     * @throws NullPointerException if an argument is null
     */
    public SnmpItemValue(SnmpItem item, String source, SnmpValue value) {
        this(item, source, value, Map.of());
    }

    /**
     * The value as a number, multiplied by the item's {@link SnmpItem#scale() scale}: a numeric SNMP
     * type, or a text that is a decimal number (some agents, Hikvision's among them, send numbers as
     * text; a trailing {@code %} is allowed). Empty for a {@link SnmpItem.Kind#TEXT TEXT} item, an
     * exception value, other text, or a result that is not finite.
     *
     * @return the scaled number, or empty
     */
    public OptionalDouble number() {
        if (item.kind() == SnmpItem.Kind.TEXT) {
            return OptionalDouble.empty();
        }
        OptionalDouble n = value.asNumber();
        if (n.isEmpty() && value instanceof SnmpValue.OctetString s && s.bytes().length <= 64) {
            String t = new String(s.bytes(), StandardCharsets.US_ASCII).strip();
            if (t.endsWith("%")) {
                t = t.substring(0, t.length() - 1).strip();
            }
            if (DECIMAL.matcher(t).matches()) {
                n = OptionalDouble.of(Double.parseDouble(t));
            }
        }
        if (n.isEmpty()) {
            return n;
        }
        double d = n.getAsDouble() * item.scale();
        return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    }
}
