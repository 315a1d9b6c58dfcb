package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/devices/{id}}: one device with its checks and their latest results, its
 * tracked state, values, interfaces and open alerts. Field names are documented in
 * {@code docs/api.md}. Immutable.
 *
 * @param device the device as in {@code /api/devices}
 * @param state its tracked state, or {@code null} when not tracked
 * @param checks its checks with their latest results
 * @param values the latest numeric values the alert rules see ({@code avg_ping_ms}, {@code ping_unreachable}...)
 * @param interfaces the watched interfaces' states by ifIndex (empty without SNMP)
 * @param interfaceValues the interfaces' latest rates by ifIndex ({@code if_in_bps}, {@code if_util_in_pct}...; empty without SNMP)
 * @param dependents how many devices depend on this one
 * @param alerts its open alerts
 */
@JsonPropertyOrder({"device", "state", "checks", "values", "interfaces", "interfaceValues", "dependents", "alerts"})
public record DeviceDetail(DeviceView device, StateView state, List<CheckView> checks, Map<String, Double> values,
                           Map<String, StateView> interfaces, Map<String, Map<String, Double>> interfaceValues,
                           int dependents, List<AlertView> alerts) {
}
