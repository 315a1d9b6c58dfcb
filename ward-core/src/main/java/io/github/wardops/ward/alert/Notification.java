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
        Notification.Flood {

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
}
