package io.github.wardops.ward.alert;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One alert: a rule that fired for a device (or one of its interfaces). At most one alert is
 * open per (device, rule, interface). Start, end and duration are kept, so outage reports (MTTR,
 * downtime per device) can be answered from resolved alerts. Immutable and thread-safe; changes
 * are new instances.
 *
 * @param id the alert's id; never {@code null}
 * @param device the device; never {@code null}
 * @param deviceName the device's name when the alert opened; never {@code null}
 * @param ifIndex the interface index, or 0 for a device alert
 * @param rule the rule's name; never {@code null}
 * @param severity the severity; never {@code null}
 * @param message a human-readable summary (never a secret); never {@code null}
 * @param since when the condition began (for a down device: its first failed probe); never
 *     {@code null}
 * @param openedAt when the alert opened; never {@code null}
 * @param resolvedAt when it was resolved, or {@code null} while open
 * @param resolution why it was resolved (such as {@code "condition cleared"}), or {@code null}
 * @param acknowledgedAt when a user acknowledged it, or {@code null}
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param impactedDevices for a device alert on an up/down rule: how many devices depend on this
 *     one (taken down with it); else 0
 */
public record Alert(UUID id, DeviceId device, String deviceName, int ifIndex, String rule, Severity severity,
                    String message, Instant since, Instant openedAt, Instant resolvedAt, String resolution,
                    Instant acknowledgedAt, String acknowledgedBy, int impactedDevices) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code id}, {@code device}, {@code deviceName}, {@code rule}, {@code severity}, {@code message}, {@code since} or {@code openedAt} is null
     */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(openedAt, "openedAt");
    }

    /**
     * Whether the alert is still open.
     *
     * @return {@code true} while not resolved
     */
    public boolean isOpen() {
        return resolvedAt == null;
    }

    /**
     * How long the condition lasted: from {@link #since()} to {@link #resolvedAt()} (or to
     * {@code now} while open).
     *
     * @param now the current time, used while open; never {@code null}
     * @return the duration
     */
    public Duration duration(Instant now) {
        return Duration.between(since, resolvedAt != null ? resolvedAt : now);
    }

    /**
     * A resolved copy.
     *
     * @param at when; never {@code null}
     * @param why why; never {@code null}
     * @return the copy
     */
    public Alert resolve(Instant at, String why) {
        return new Alert(id, device, deviceName, ifIndex, rule, severity, message, since, openedAt,
                Objects.requireNonNull(at), Objects.requireNonNull(why), acknowledgedAt, acknowledgedBy, impactedDevices);
    }

    /**
     * An acknowledged copy.
     *
     * @param at when; never {@code null}
     * @param user who; never {@code null}
     * @return the copy
     */
    public Alert acknowledge(Instant at, String user) {
        return new Alert(id, device, deviceName, ifIndex, rule, severity, message, since, openedAt, resolvedAt,
                resolution, Objects.requireNonNull(at), Objects.requireNonNull(user), impactedDevices);
    }
}
