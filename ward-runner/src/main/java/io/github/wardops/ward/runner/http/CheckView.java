package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param items the SNMP items and table cells the latest poll read, with their template, unit and labels; empty
 *     for other checks
 */
@JsonPropertyOrder({"name", "type", "intervalSeconds", "timeoutSeconds", "outcome", "at", "latencyMs", "reason", "detail",
        "values", "items"})
public record CheckView(String name, String type, double intervalSeconds, double timeoutSeconds, String outcome, String at,
                        Double latencyMs, String reason, String detail, Map<String, Double> values, List<Item> items) {
    /** The most characters of an item's {@code text}; longer ones are cut and end in {@code ...}. */
    static final int MAX_TEXT = 256;

    /**
     * One SNMP item or table cell of the latest poll.
     *
     * @param name the item's name ({@code cpu_pct}; a table cell's {@code <table>_<column>.<index>})
     * @param source where it comes from: {@code template:<name>}, {@code custom} or {@code labels}
     * @param unit its unit, or empty
     * @param value its number (scaled), or {@code null} for text, a missing OID or a non-number
     * @param text the value as net-snmp prints it ({@code Gauge32: 12}, {@code STRING: "HDD1"}, {@code No Such Object...})
     * @param labels a table cell's labels ({@code table}, {@code column}, {@code index} and the template's label
     *     columns); empty for a scalar
     */
    @JsonPropertyOrder({"name", "source", "unit", "value", "text", "labels"})
    public record Item(String name, String source, String unit, Double value, String text, Map<String, String> labels) {
    }

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
        List<Item> items = List.of();
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
            if (latest.measurement() instanceof SnmpMeasurement m && !m.items().isEmpty()) {
                List<Item> list = new ArrayList<>(m.items().size());
                for (SnmpItemValue v : m.items()) {
                    var n = v.number();
                    String text = v.value().format();
                    if (text.length() > MAX_TEXT) {
                        text = text.substring(0, MAX_TEXT) + "...";
                    }
                    list.add(new Item(v.item().name(), v.source(), v.item().unit(),
                            n.isPresent() ? DeviceView.round(n.getAsDouble()) : null, text, v.labels()));
                }
                items = List.copyOf(list);
            }
        }
        return new CheckView(c.name(), c.settings().type(), c.interval().toMillis() / 1000.0, c.timeout().toMillis() / 1000.0,
                outcome, at, latency, reason, detail, values, items);
    }
}
