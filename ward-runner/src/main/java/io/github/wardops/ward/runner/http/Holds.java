package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.notify.NotificationLabels;
import io.github.wardops.ward.notify.Silence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What holds each open alert's notifications back, computed by the API itself as the dispatcher
 * does (the first active silence that matches, else, for an alert not of ward's own
 * {@code ward_...} rules, the first maintenance window that covers it), from the silence store's
 * current silences and the configured windows. The silences are read at most once per
 * {@link #MAX_AGE} (every answer in between uses the same reading), and again at once after this
 * API created or expired one. When the store cannot be read, the last reading is used (and the
 * failure logged at most once a minute). Thread-safe.
 */
final class Holds {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** How long one reading of the silences is used. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final String OWN_RULES = "ward_";

    /** One reading: the silences that had not ended, and when it was taken. */
    record Reading(Instant at, List<Silence> current, List<MaintenanceWindow> windows) {
        /**
         * What holds an alert at a time.
         *
         * @param a the alert
         * @param now the time
         * @return the holder, {@code null} for none, {@link HeldBy#NOT_CONFIGURED} for a resolved alert
         */
        HeldBy of(Alert a, Instant now) {
            if (!a.isOpen()) {
                return HeldBy.NOT_CONFIGURED;
            }
            Map<String, String> labels = NotificationLabels.of(a);
            for (Silence s : current) {
                if (s.mutes(labels, now)) {
                    return new HeldBy("silence", s.id().toString(), null);
                }
            }
            if (!a.rule().startsWith(OWN_RULES)) {
                for (MaintenanceWindow w : windows) {
                    if (w.covers(labels, now)) {
                        return new HeldBy("maintenance", null, w.name());
                    }
                }
            }
            return null;
        }
    }

    private final Notifications notifications;
    private final Clock clock;
    private Reading last;
    private Instant lastFailureLogged = Instant.MIN;

    Holds(Notifications notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    /**
     * The current reading, taken again when older than {@link #MAX_AGE}.
     *
     * @return the reading; its windows always the configuration's now
     */
    synchronized Reading reading() {
        Instant now = clock.instant();
        List<MaintenanceWindow> windows = List.copyOf(notifications.windows().get());
        if (last != null && !now.isBefore(last.at()) && Duration.between(last.at(), now).compareTo(MAX_AGE) < 0) {
            return new Reading(last.at(), last.current(), windows);
        }
        try {
            last = new Reading(now, List.copyOf(notifications.silences().current(now)), windows);
        } catch (Exception e) {
            if (Duration.between(lastFailureLogged, now).toMinutes() >= 1) {
                lastFailureLogged = now;
                LOG.warn("reading the silences failed; alerts show what held them at the last reading: {}", e.toString());
            }
            return new Reading(now, last == null ? List.of() : last.current(), windows);
        }
        return last;
    }

    /** Forgets the reading: the next one reads the store (after this API changed it). */
    synchronized void invalidate() {
        last = null;
    }
}
