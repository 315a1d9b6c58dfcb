package io.github.wardops.ward.alert;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One alert: a problem of a device (or of one of its interfaces). A problem is a group of rules
 * ({@link AlertRule#group()}): by default a device's up/down rules form one problem
 * ({@link AlertRule#REACHABILITY_GROUP}) and every other rule is a problem of its own. At most one
 * alert is open per (device, group, interface); it carries the highest severity among the group's
 * rules that match now, the rule that set it, and the history of the group's rules as they
 * started to match. Start, end and duration are kept, so outage reports (MTTR, downtime per
 * device) can be answered from resolved alerts. Immutable and thread-safe; changes are new
 * instances.
 *
 * @param id the alert's id; never {@code null}
 * @param device the device; never {@code null}
 * @param deviceName the device's name when the alert opened; never {@code null}
 * @param address the device's address as text when the alert opened (such as {@code 10.1.2.3}),
 *     empty when unknown (alerts stored before alerts kept it, and ward's own); never {@code null}
 * @param labels the device's labels when the alert opened (such as {@code region} and
 *     {@code branch}), iteration order kept; never {@code null}, copied and unmodifiable
 * @param ifIndex the interface index, or 0 for a device alert
 * @param group the problem the alert stands for: the group of its rules; never {@code null}
 * @param rule the current rule: the most recently matched among the group's matching rules of the
 *     highest severity (the rule that matched last before the alert resolved); never {@code null}
 * @param severity the highest severity among the group's rules that match now; never {@code null}
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
 * @param history the group's rules as they started to match, oldest first (the first entry opened
 *     the alert); at most {@link #MAX_HISTORY} entries, the first always kept; never {@code null},
 *     copied and unmodifiable
 */
public record Alert(UUID id, DeviceId device, String deviceName, String address, Map<String, String> labels,
                    int ifIndex, String group, String rule, Severity severity, String message, Instant since,
                    Instant openedAt, Instant resolvedAt, String resolution, Instant acknowledgedAt,
                    String acknowledgedBy, int impactedDevices, List<Step> history) {

    /** The most entries {@link #history()} keeps; older ones after the first are dropped. */
    public static final int MAX_HISTORY = 32;

    /**
     * One entry of an alert's history: a rule of its group started to match (after its
     * {@code for}).
     *
     * @param rule the rule's name; never {@code null}
     * @param severity the rule's severity; never {@code null}
     * @param at when it started to match; never {@code null}
     */
    public record Step(String rule, Severity severity, Instant at) {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if a component is null
         */
        public Step {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Checks the components (each is described on the record) and copies the collections.
     *
     * @throws NullPointerException if {@code id}, {@code device}, {@code deviceName},
     *     {@code address}, {@code labels}, {@code group}, {@code rule}, {@code severity},
     *     {@code message}, {@code since}, {@code openedAt} or {@code history} is null
     * @throws IllegalArgumentException if {@code history} holds more than {@link #MAX_HISTORY} entries
     */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(history, "history");
        if (history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException("history holds " + history.size() + " entries; at most " + MAX_HISTORY);
        }
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        history = List.copyOf(history);
    }

    /**
     * An alert without address, labels or history, its group being its rule (as alerts were
     * before problems): the shape older code and stores create.
     *
     * @param id the alert's id; never {@code null}
     * @param device the device; never {@code null}
     * @param deviceName the device's name; never {@code null}
     * @param ifIndex the interface index, or 0
     * @param rule the rule's name, also the group; never {@code null}
     * @param severity the severity; never {@code null}
     * @param message the summary; never {@code null}
     * @param since when the condition began; never {@code null}
     * @param openedAt when the alert opened; never {@code null}
     * @param resolvedAt when it was resolved, or {@code null}
     * @param resolution why it was resolved, or {@code null}
     * @param acknowledgedAt when it was acknowledged, or {@code null}
     * @param acknowledgedBy who acknowledged it, or {@code null}
     * @param impactedDevices dependent devices taken down with it
     */
    public Alert(UUID id, DeviceId device, String deviceName, int ifIndex, String rule, Severity severity,
                 String message, Instant since, Instant openedAt, Instant resolvedAt, String resolution,
                 Instant acknowledgedAt, String acknowledgedBy, int impactedDevices) {
        this(id, device, deviceName, "", Map.of(), ifIndex, rule, rule, severity, message, since, openedAt, resolvedAt,
                resolution, acknowledgedAt, acknowledgedBy, impactedDevices, List.of());
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
     * The device as people tell devices apart: its name, then in parentheses its address and its
     * {@code region} and {@code branch} labels when known, such as
     * {@code Batumi1-811 (10.20.1.5, region Achara, branch Batumi1)}. Many devices share a name;
     * the address and the labels say which one is meant.
     *
     * @return the text; never {@code null}
     */
    public String deviceDescription() {
        List<String> parts = new ArrayList<>(3);
        if (!address.isEmpty()) {
            parts.add(address);
        }
        for (String k : List.of("region", "branch")) {
            String v = labels.get(k);
            if (v != null && !v.isBlank()) {
                parts.add(k + " " + v.strip());
            }
        }
        String name = deviceName.strip();
        return parts.isEmpty() ? name : name + " (" + String.join(", ", parts) + ")";
    }

    /**
     * A resolved copy.
     *
     * @param at when; never {@code null}
     * @param why why; never {@code null}
     * @return the copy
     */
    public Alert resolve(Instant at, String why) {
        return new Alert(id, device, deviceName, address, labels, ifIndex, group, rule, severity, message, since,
                openedAt, Objects.requireNonNull(at), Objects.requireNonNull(why), acknowledgedAt, acknowledgedBy,
                impactedDevices, history);
    }

    /**
     * An acknowledged copy.
     *
     * @param at when; never {@code null}
     * @param user who; never {@code null}
     * @return the copy
     */
    public Alert acknowledge(Instant at, String user) {
        return new Alert(id, device, deviceName, address, labels, ifIndex, group, rule, severity, message, since,
                openedAt, resolvedAt, resolution, Objects.requireNonNull(at), Objects.requireNonNull(user),
                impactedDevices, history);
    }

    /**
     * A copy with another current rule, severity, message and history (an escalation or a
     * de-escalation of the problem).
     *
     * @param newRule the current rule; never {@code null}
     * @param newSeverity the severity; never {@code null}
     * @param newMessage the summary; never {@code null}
     * @param newHistory the history; never {@code null}, at most {@link #MAX_HISTORY} entries
     * @return the copy
     */
    public Alert withProblem(String newRule, Severity newSeverity, String newMessage, List<Step> newHistory) {
        return new Alert(id, device, deviceName, address, labels, ifIndex, group, newRule, newSeverity, newMessage,
                since, openedAt, resolvedAt, resolution, acknowledgedAt, acknowledgedBy, impactedDevices, newHistory);
    }
}
