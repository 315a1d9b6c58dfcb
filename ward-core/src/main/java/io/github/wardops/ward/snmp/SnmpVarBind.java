package io.github.wardops.ward.snmp;

import java.util.Objects;

/**
 * One variable binding: an OID and its value. Immutable and thread-safe.
 *
 * @param oid the OID; never {@code null}
 * @param value the value; never {@code null}
 */
public record SnmpVarBind(SnmpOid oid, SnmpValue value) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code oid} or {@code value} is null
     */
    public SnmpVarBind {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The binding as {@code snmpbulkwalk -On} prints it: {@code .1.3.6.1.2.1.1.3.0 = Timeticks: (42) 0:00:00.42}.
     *
     * @return one line, without a line separator
     */
    public String format() {
        return "." + oid + " = " + value.format();
    }
}
