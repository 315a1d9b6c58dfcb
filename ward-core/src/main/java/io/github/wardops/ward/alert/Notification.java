package io.github.wardops.ward.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Notifier} delivers. Immutable and thread-safe.
 *
 * <p>No component of any case is {@code null}; collections are copied and unmodifiable.
 */
public sealed interface Notification permits Notification.Opened, Notification.Escalated, Notification.Resolved,
        Notification.Flood, Notification.Grouped {

    /**
     * When the notification was made.
     *
     * @return the time
     */
    Instant at();

    /**
     * An alert opened.
     *
     * @param alert the alert
     * @param at when
     */
    record Opened(Alert alert, Instant at) implements Notification {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code alert} or {@code at} is null
         */
        public Opened {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Another rule of an open alert's group started to match: the problem escalated (or, when the
     * rule's severity is not above the alert's, grew). Sent once per rule that joins the problem,
     * and again when a rule that matched before matches again at a severity above the alert's.
     *
     * @param alert the alert after the change (its {@link Alert#severity()} and
     *     {@link Alert#rule()} are the new ones, its history ends with {@code step})
     * @param step the rule that started to match
     * @param previous the alert's severity before the change
     * @param at when
     */
    record Escalated(Alert alert, Alert.Step step, Severity previous, Instant at) implements Notification {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if a component is null
         */
        public Escalated {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An alert was resolved.
     *
     * @param alert the resolved alert
     * @param at when
     */
    record Resolved(Alert alert, Instant at) implements Notification {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code alert} or {@code at} is null
         */
        public Resolved {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The flood guard's summary: more alerts opened within its window than its threshold, so
     * notifiers get this instead of one notification each. Sent once when the flood starts
     * ({@code started}) and once when it is over ({@code !started}, with the totals).
     *
     * @param started {@code true} when the flood starts, {@code false} when it ends
     * @param opened alerts opened in the window when it started, or during the whole flood at the end
     * @param suppressed individual notifications held back so far
     * @param window the guard's window
     * @param bySeverity opened alerts by severity (in the same span as {@code opened}), iterated
     *        in {@link Severity} order
     * @param sample a few of the alerts (at most 10)
     * @param at when
     */
    record Flood(boolean started, int opened, int suppressed, Duration window, Map<Severity, Integer> bySeverity,
                 List<Alert> sample, Instant at) implements Notification {
        /**
         * Checks the components (each is described on the record) and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws NullPointerException if {@code window}, {@code at}, {@code severity} or {@code count} is null
         */
        public Flood {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(at, "at");
            EnumMap<Severity, Integer> ordered = new EnumMap<>(Severity.class);
            bySeverity.forEach((k, v) -> ordered.put(Objects.requireNonNull(k, "severity"), Objects.requireNonNull(v, "count")));
            bySeverity = Collections.unmodifiableMap(ordered);
            sample = List.copyOf(sample);
        }
    }

    /**
     * One message of a route for one receiver: the alerts of one group (such as one branch) that
     * fire now, and those resolved since the receiver's last message. Made by the notification
     * dispatcher ({@code io.github.wardops.ward.notify}) when routes are configured; without
     * routes, notifiers get the per-alert cases above.
     *
     * @param receiver the receiver's name
     * @param groupLabels the labels the group is made by (such as {@code branch=Vake}), iterated in
     *     the route's {@code group-by} order; empty for a route that does not group
     * @param firing the group's open alerts, oldest first
     * @param resolved the group's alerts resolved since the last message to this receiver, oldest first
     * @param reason why the message is sent
     * @param at when
     */
    record Grouped(String receiver, Map<String, String> groupLabels, List<Alert> firing, List<Alert> resolved,
                   Reason reason, Instant at) implements Notification {

        /** Why a grouped message is sent. */
        public enum Reason {
            /** The first message of the group. */
            NEW,
            /** Alerts joined or left the group since the last message. */
            CHANGED,
            /** Nothing changed, and the route's repeat interval passed. */
            REPEAT,
            /** Alerts stayed unacknowledged longer than an escalation step of the route. */
            ESCALATION
        }

        /**
         * Checks the components (each is described on the record) and copies its collections.
         *
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if both {@code firing} and {@code resolved} are empty
         */
        public Grouped {
            Objects.requireNonNull(receiver, "receiver");
            groupLabels = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groupLabels));
            firing = List.copyOf(firing);
            resolved = List.copyOf(resolved);
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
            if (firing.isEmpty() && resolved.isEmpty()) {
                throw new IllegalArgumentException("a grouped notification names at least one alert");
            }
        }
    }
}
