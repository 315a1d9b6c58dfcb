package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.alert.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One alert in {@code GET /api/alerts} and {@code GET /api/devices/{id}}: a problem of a device,
 * with the device's address and labels (many devices share a name), the current rule and
 * severity, and the escalation history. Field names are documented in {@code docs/api.md}.
 * Immutable.
 *
 * @param id the alert id (UUID)
 * @param deviceId the device id
 * @param deviceName the device name when the alert opened
 * @param address the device's address when the alert opened; empty when unknown
 * @param region the device's {@code region} label, or {@code null}
 * @param branch the device's {@code branch} label, or {@code null}
 * @param device the device as people tell devices apart: name (address, region, branch)
 * @param labels every label of the device when the alert opened
 * @param ifIndex the interface index, 0 for a device alert
 * @param group the problem: the group of the alert's rules ({@code reachability} for up/down rules)
 * @param rule the current rule: the most recent of the most severe rules that match
 *     ({@code Device Flapping} for the flapping alert, {@code ward_impaired} for ward's own)
 * @param severity {@code CRITICAL}, {@code HIGH}, {@code MEDIUM}, {@code LOW} or {@code INFO}: the
 *     highest among the group's rules that match
 * @param message a human-readable summary
 * @param open whether the alert is still open
 * @param since when the condition began (ISO-8601, UTC)
 * @param openedAt when the alert opened
 * @param resolvedAt when it was resolved, or {@code null}
 * @param resolution why it was resolved, or {@code null}
 * @param acknowledgedAt when it was acknowledged, or {@code null}
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param impactedDevices devices depending on this one (taken down with it)
 * @param durationSeconds from {@code since} to the resolution (or to now while open), in seconds
 * @param history the group's rules as they started to match, oldest first
 * @param heldBy what holds the alert's notifications back (a silence or a maintenance window), or
 *     {@code null} when nothing does; {@link HeldBy#NOT_CONFIGURED} (no such field in the JSON)
 *     when notification routing is not configured or the alert is resolved
 */
@JsonPropertyOrder({"id", "deviceId", "deviceName", "address", "region", "branch", "device", "labels", "ifIndex",
        "group", "rule", "severity", "message", "open", "since", "openedAt", "resolvedAt", "resolution",
        "acknowledgedAt", "acknowledgedBy", "impactedDevices", "durationSeconds", "history", "heldBy"})
public record AlertView(String id, String deviceId, String deviceName, String address, String region, String branch,
                        String device, Map<String, String> labels, int ifIndex, String group, String rule,
                        String severity, String message, boolean open, String since, String openedAt,
                        String resolvedAt, String resolution, String acknowledgedAt, String acknowledgedBy,
                        int impactedDevices, double durationSeconds, List<Step> history,
                        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = HeldBy.Absent.class)
                        HeldBy heldBy) {

    /**
     * One rule of the problem as it started to match.
     *
     * @param rule the rule's name
     * @param severity the rule's severity
     * @param at when it started to match (ISO-8601, UTC)
     */
    @JsonPropertyOrder({"rule", "severity", "at"})
    public record Step(String rule, String severity, String at) {
    }

    /**
     * Builds the view.
     *
     * @param a the alert; never {@code null}
     * @param now the current time, for the duration of an open alert; never {@code null}
     * @return the view
     */
    public static AlertView of(Alert a, Instant now) {
        return of(a, now, HeldBy.NOT_CONFIGURED);
    }

    /**
     * Builds the view with what holds the alert's notifications back.
     *
     * @param a the alert; never {@code null}
     * @param now the current time; never {@code null}
     * @param heldBy the silence or window holding it, {@code null} for none, or
     *     {@link HeldBy#NOT_CONFIGURED}
     * @return the view
     */
    static AlertView of(Alert a, Instant now, HeldBy heldBy) {
        List<Step> steps = new ArrayList<>(a.history().size());
        for (Alert.Step s : a.history()) {
            steps.add(new Step(s.rule(), s.severity().name(), s.at().toString()));
        }
        return new AlertView(a.id().toString(), a.device().toString(), a.deviceName(), a.address(),
                a.labels().get("region"), a.labels().get("branch"), a.deviceDescription(), a.labels(), a.ifIndex(),
                a.group(), a.rule(), a.severity().name(), a.message(), a.isOpen(), a.since().toString(),
                a.openedAt().toString(), text(a.resolvedAt()), a.resolution(), text(a.acknowledgedAt()),
                a.acknowledgedBy(), a.impactedDevices(), DeviceView.round(Math.max(0, a.duration(now).toNanos()) / 1e9),
                List.copyOf(steps), heldBy);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
