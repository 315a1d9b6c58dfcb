package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an opened alert is notified on its own. It keeps the times of the last
 * {@code threshold + 1} openings (a bound): when all of them fall within the window, more than
 * {@code threshold} alerts opened within it, and a flood starts. During a flood openings are
 * counted, not notified; it ends at the first opening or tick when fewer than
 * {@code threshold + 1} openings fall within the window. Thread-safe (one monitor).
 */
final class FloodGuard {
    static final int SAMPLE = 10;

    /** What to do with one opening. */
    record Decision(boolean deliver, Notification.Flood summary) {
    }

    private final int threshold;
    private final Duration window;
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();
    private volatile boolean flooding;
    private int opened;
    private int suppressed;
    private final Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
    private final List<Alert> sample = new ArrayList<>();

    FloodGuard(int threshold, Duration window) {
        this.threshold = threshold;
        this.window = window;
    }

    synchronized Decision onOpen(Alert a, Instant now) {
        recent.addLast(now);
        if (recent.size() > threshold + 1) {
            recent.removeFirst();
        }
        if (!flooding) {
            if (recent.size() > threshold && !recent.peekFirst().isBefore(now.minus(window))) {
                flooding = true;
                opened = recent.size();
                suppressed = 1;
                bySeverity.clear();
                sample.clear();
                bySeverity.merge(a.severity(), 1, Integer::sum);
                sample.add(a);
                return new Decision(false, new Notification.Flood(true, opened, suppressed, window, bySeverity,
                        sample, now));
            }
            return new Decision(true, null);
        }
        opened++;
        suppressed++;
        bySeverity.merge(a.severity(), 1, Integer::sum);
        if (sample.size() < SAMPLE) {
            sample.add(a);
        }
        return new Decision(false, null);
    }

    /**
     * Whether an escalation's notification is held back because a flood is on; a held one counts
     * as suppressed in the flood's closing summary.
     */
    synchronized boolean holdEscalation() {
        if (!flooding) {
            return false;
        }
        suppressed++;
        return true;
    }

    /** Ends the flood when the rate fell; returns the closing summary, or null. */
    Notification.Flood tick(Instant now) {
        if (!flooding) {
            return null; // the common case, without taking the lock on every result
        }
        return endIfOver(now);
    }

    private synchronized Notification.Flood endIfOver(Instant now) {
        if (!flooding) {
            return null;
        }
        if (recent.size() > threshold && !recent.peekFirst().isBefore(now.minus(window))) {
            return null;
        }
        // Also wait for one quiet window after the last opening, so a flood does not flicker.
        if (!recent.isEmpty() && recent.peekLast().isAfter(now.minus(window))) {
            return null;
        }
        flooding = false;
        Notification.Flood end = new Notification.Flood(false, opened, suppressed, window, bySeverity, sample, now);
        bySeverity.clear();
        sample.clear();
        return end;
    }

    boolean flooding() {
        return flooding;
    }
}
