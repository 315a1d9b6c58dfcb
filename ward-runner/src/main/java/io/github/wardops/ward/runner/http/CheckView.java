package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.probe.ProbeResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of a device with its latest result, in {@code GET /api/devices/{id}}. Field names
 * are documented in {@code docs/api.md}. Immutable.
 *
 * @param name the check name ({@code icmp})
 * @param type the check type ({@code icmp}, {@code tcp}...)
 * @param intervalSeconds how often it runs
 * @param timeoutSeconds how long one run may take
 * @param outcome the latest result: {@code UP}, {@code DOWN} or {@code UNKNOWN}; {@code null} before the first
 * @param at when the latest run started (ISO-8601 UTC), or {@code null}
 * @param latencyMs the latest latency in milliseconds for an up result, else {@code null}
 * @param reason why the latest result is down, or {@code null}
 * @param detail a detail of a down or unknown result, or {@code null}
 * @param values the latest measurement's numeric values (finite ones), empty when none
 */
@JsonPropertyOrder({"name", "type", "intervalSeconds", "timeoutSeconds", "outcome", "at", "latencyMs", "reason", "detail",
        "values"})
public record CheckView(String name, String type, double intervalSeconds, double timeoutSeconds, String outcome, String at,
                        Double latencyMs, String reason, String detail, Map<String, Double> values) {
    /**
     * Builds the view.
     *
     * @param c the check; never {@code null}
     * @param latest its latest result, or {@code null}
     * @return the view
     */
    public static CheckView of(Check c, ProbeResult latest) {
        String outcome = null;
        String at = null;
        Double latency = null;
        String reason = null;
        String detail = null;
        Map<String, Double> values = new LinkedHashMap<>();
        if (latest != null) {
            at = latest.at().toString();
            switch (latest) {
                case ProbeResult.Up u -> {
                    outcome = "UP";
                    latency = DeviceView.round(u.latency().toNanos() / 1e6);
                }
                case ProbeResult.Down d -> {
                    outcome = "DOWN";
                    reason = d.reason().name();
                    detail = d.detail().isEmpty() ? null : d.detail();
                }
                case ProbeResult.Unknown u -> {
                    outcome = "UNKNOWN";
                    detail = u.detail();
                }
            }
            if (latest.measurement() != null) {
                latest.measurement().values().forEach((k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        values.put(k, DeviceView.round(v));
                    }
                });
            }
        }
        return new CheckView(c.name(), c.settings().type(), c.interval().toMillis() / 1000.0, c.timeout().toMillis() / 1000.0,
                outcome, at, latency, reason, detail, values);
    }
}
