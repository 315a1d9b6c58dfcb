package io.github.wardops.ward.snmp;

import io.github.wardops.ward.probe.InterfaceMeasurement;
import io.github.wardops.ward.probe.Measurement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one SNMP poll read: the system group, the vendor, template and custom item values, and
 * the interfaces with status, counters and rates. Immutable and thread-safe.
 *
 * @param system the system group, or {@code null} when not polled or not answered
 * @param vendor the vendor from the sysObjectID enterprise prefix, or {@code "unknown"}
 * @param items the item values read this time (items not due are absent)
 * @param interfaces the polled interfaces, by ifIndex; empty when not polled
 * @param interfacesDiscovered whether interfaces were (re)discovered during this poll
 * @param agentRestarted whether this poll saw sysUpTime go backwards (no rates this time)
 * @param varBinds the varbinds read in this poll
 * @param requests the requests sent in this poll
 * @param problem why part of the poll is missing (a later request timed out, the check's time ran out), or
 *     empty when the poll is complete; never a secret
 */
public record SnmpMeasurement(SnmpSystem system, String vendor, List<SnmpItemValue> items,
                              List<SnmpInterface> interfaces, boolean interfacesDiscovered, boolean agentRestarted,
                              int varBinds, int requests, String problem) implements InterfaceMeasurement {
    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code vendor} or {@code problem} is null
     */
    public SnmpMeasurement {
        Objects.requireNonNull(vendor, "vendor");
        items = List.copyOf(items);
        interfaces = List.copyOf(interfaces);
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * The interfaces as per-interface values, for exporters ({@code interface_<name>} series with
     * {@code if_index} and {@code if_name}): oper/admin status, speed, and every finite rate.
     *
     * @return one entry per interface
     */
    @Override
    public List<InterfaceValues> interfaceValues() {
        List<InterfaceValues> out = new java.util.ArrayList<>(interfaces.size());
        for (SnmpInterface i : interfaces) {
            Map<String, Double> m = new LinkedHashMap<>();
            if (i.adminStatus() != 0) {
                m.put("admin_status", (double) i.adminStatus());
            }
            if (i.operStatus() != 0) {
                m.put("oper_status", (double) i.operStatus());
            }
            if (i.speedBitsPerSecond() > 0) {
                m.put("speed_bps", (double) i.speedBitsPerSecond());
            }
            for (var e : i.rates().asMap().entrySet()) {
                if (Double.isFinite(e.getValue())) {
                    m.put(e.getKey(), e.getValue());
                }
            }
            String name = i.name() == null || i.name().isEmpty() ? (i.descr() == null ? "" : i.descr()) : i.name();
            out.add(new InterfaceValues(i.index(), name, m));
        }
        return List.copyOf(out);
    }

    /**
     * Whether every part of the poll was read.
     *
     * @return {@code true} when {@link #problem()} is empty
     */
    public boolean complete() {
        return problem.isEmpty();
    }

    /**
     * A flat numeric view: {@code sys_uptime_s}, {@code item.<name>} for numeric items (scaled, see
     * {@link SnmpItemValue#number()}; a table cell as {@code item.<table>_<column>.<row index>}),
     * {@code if.<ifIndex>.oper_status}, {@code if.<ifIndex>.in_bps} and the other rates,
     * {@code snmp_varbinds}, {@code snmp_requests}. Values are finite.
     *
     * @return an immutable map
     */
    @Override
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (system != null) {
            m.put("sys_uptime_s", system.upTime().toMillis() / 1000.0);
        }
        for (SnmpItemValue v : items) {
            v.number().ifPresent(d -> m.put("item." + v.item().name(), d));
        }
        for (SnmpInterface i : interfaces) {
            String p = "if." + i.index() + ".";
            if (i.adminStatus() != 0) {
                m.put(p + "admin_status", (double) i.adminStatus());
            }
            if (i.operStatus() != 0) {
                m.put(p + "oper_status", (double) i.operStatus());
            }
            if (i.speedBitsPerSecond() > 0) {
                m.put(p + "speed_bps", (double) i.speedBitsPerSecond());
            }
            for (var e : i.rates().asMap().entrySet()) {
                if (Double.isFinite(e.getValue())) {
                    m.put(p + e.getKey(), e.getValue());
                }
            }
        }
        m.put("snmp_varbinds", (double) varBinds);
        m.put("snmp_requests", (double) requests);
        return Collections.unmodifiableMap(m);
    }
}
