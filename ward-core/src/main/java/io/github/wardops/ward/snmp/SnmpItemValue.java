package io.github.wardops.ward.snmp;

import java.util.Objects;

/**
 * The value read for one {@link SnmpItem}. Immutable.
 *
 * @param item the item; never {@code null}
 * @param source {@code "template:<vendor>"}, {@code "custom"} or {@code "labels"}; never {@code null}
 * @param value the value (an exception value when the agent lacks the OID); never {@code null}
 */
public record SnmpItemValue(SnmpItem item, String source, SnmpValue value) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code item}, {@code source} or {@code value} is null
     */
    public SnmpItemValue {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(value, "value");
    }
}
