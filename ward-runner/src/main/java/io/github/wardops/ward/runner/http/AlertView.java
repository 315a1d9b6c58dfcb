package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.alert.Alert;
import java.time.Instant;

/**
 * One alert in {@code GET /api/alerts} and {@code GET /api/devices/{id}}. Field names are
 * documented in {@code docs/api.md}. Immutable.
 *
 * @param id the alert id (UUID)
 * @param deviceId the device id
 * @param deviceName the device name when the alert opened
 * @param ifIndex the interface index, 0 for a device alert
 * @param rule the rule name ({@code Device Flapping} for the flapping alert)
 * @param severity {@code CRITICAL}, {@code HIGH}, {@code MEDIUM}, {@code LOW} or {@code INFO}
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
 */
@JsonPropertyOrder({"id", "deviceId", "deviceName", "ifIndex", "rule", "severity", "message", "open", "since", "openedAt",
        "resolvedAt", "resolution", "acknowledgedAt", "acknowledgedBy", "impactedDevices", "durationSeconds"})
public record AlertView(String id, String deviceId, String deviceName, int ifIndex, String rule, String severity,
                        String message, boolean open, String since, String openedAt, String resolvedAt, String resolution,
                        String acknowledgedAt, String acknowledgedBy, int impactedDevices, double durationSeconds) {

    /**
     * Builds the view.
     *
     * @param a the alert; never {@code null}
     * @param now the current time, for the duration of an open alert; never {@code null}
     * @return the view
     */
    public static AlertView of(Alert a, Instant now) {
        return new AlertView(a.id().toString(), a.device().toString(), a.deviceName(), a.ifIndex(), a.rule(), a.severity().name(),
                a.message(), a.isOpen(), a.since().toString(), a.openedAt().toString(), text(a.resolvedAt()), a.resolution(),
                text(a.acknowledgedAt()), a.acknowledgedBy(), a.impactedDevices(),
                DeviceView.round(Math.max(0, a.duration(now).toNanos()) / 1e9));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
