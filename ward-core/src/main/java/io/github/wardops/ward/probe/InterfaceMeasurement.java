package io.github.wardops.ward.probe;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A measurement that also holds per-interface numbers (an SNMP interface poll, say). Exporters
 * write each interface's values as their own series: the VictoriaMetrics sink writes
 * {@code interface_<name>} with {@code if_index} and {@code if_name} labels (the replaced
 * system's raw counter names need its compatibility mode; see {@code docs/victoriametrics.md}).
 * {@link #values()} should then hold only device-wide numbers, since it is
 * exported too. Implementations are immutable and thread-safe.
 */
public interface InterfaceMeasurement extends Measurement {

    /**
     * The interfaces measured.
     *
     * @return an immutable list; never {@code null}
     */
    List<InterfaceValues> interfaceValues();

    /**
     * The numbers measured on one interface.
     *
     * @param ifIndex the interface's SNMP ifIndex (1 or more)
     * @param ifName its name (ifName or ifDescr); never {@code null}, may be empty
     * @param values named numbers such as {@code oper_status -> 1}, {@code in_octets -> 1.2e9};
     *     never {@code null}
     */
    record InterfaceValues(int ifIndex, String ifName, Map<String, Double> values) {
        /**
         * Checks the components (each is described on the record) and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws NullPointerException if {@code ifName} is null
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public InterfaceValues {
            if (ifIndex < 1) {
                throw new IllegalArgumentException("ifIndex must be 1 or more: " + ifIndex);
            }
            Objects.requireNonNull(ifName, "ifName");
            values = Map.copyOf(values);
        }
    }
}
