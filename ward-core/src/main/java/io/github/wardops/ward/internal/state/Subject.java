package io.github.wardops.ward.internal.state;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import java.time.Instant;

/**
 * The mutable state machine of one device or interface: confirmation counters and the flap
 * window. Not thread-safe: guarded by its device's lock. The fields read by other devices
 * (status, failures) are volatile so a child can read its parent without taking its lock.
 */
final class Subject {
    final StateKey key;
    private final Tracker.Config cfg;
    volatile DeviceStatus status = DeviceStatus.UNKNOWN;
    volatile int consecutiveFailures;
    int consecutiveSuccesses;
    Instant since;
    Instant firstFailureAt;
    Instant firstSuccessAt;
    Instant updatedAt;
    /** Why the status is what it is when the status alone does not say ("stale"), or null. */
    String detail;
    volatile boolean flapping;
    double flapPercent;
    /** Ring of the last results (true = success); {@code filled} of them valid. */
    private final boolean[] history;
    private int head;
    private int filled;

    Subject(StateKey key, Tracker.Config cfg, Instant now) {
        this.key = key;
        this.cfg = cfg;
        this.history = new boolean[cfg.flapWindow()];
        this.since = now;
        this.updatedAt = now;
    }

    /** Whether this subject keeps its dependents from being judged down on their own. */
    boolean blocking() {
        DeviceStatus s = status;
        return s == DeviceStatus.DOWN || s == DeviceStatus.UNREACHABLE || consecutiveFailures > 0;
    }

    /** What one observation changed. */
    record Change(DeviceStatus from, DeviceStatus to, boolean flappingChanged, String cause) {
        boolean any() {
            return from != to || flappingChanged;
        }
    }

    /**
     * Applies one result.
     *
     * @param ok whether the cycle succeeded
     * @param at the result's time
     * @param parentBlocking whether a parent keeps this subject from being DOWN on its own
     * @return the change, never null
     */
    Change observe(boolean ok, Instant at, boolean parentBlocking) {
        DeviceStatus from = status;
        updatedAt = at;
        detail = null;
        boolean wasFlapping = flapping;
        record(ok);
        String cause = "";
        DeviceStatus to = from;
        if (ok) {
            consecutiveFailures = 0;
            firstFailureAt = null;
            if (consecutiveSuccesses++ == 0) {
                firstSuccessAt = at;
            }
            if (from == DeviceStatus.UNKNOWN) {
                to = DeviceStatus.UP;
                cause = "first successful probe";
            } else if ((from == DeviceStatus.DOWN || from == DeviceStatus.UNREACHABLE)
                    && consecutiveSuccesses >= cfg.upAfter()) {
                to = DeviceStatus.UP;
                cause = consecutiveSuccesses + " successful probes in a row";
            }
            if (to != from) {
                since = firstSuccessAt;
            }
        } else {
            consecutiveSuccesses = 0;
            if (consecutiveFailures++ == 0) {
                firstFailureAt = at;
            }
            DeviceStatus target = parentBlocking ? DeviceStatus.UNREACHABLE : DeviceStatus.DOWN;
            if ((from == DeviceStatus.UP || from == DeviceStatus.UNKNOWN) && consecutiveFailures >= cfg.downAfter()) {
                to = target;
                cause = consecutiveFailures + " failed probes in a row" + (parentBlocking ? ", parent down or failing" : "");
            } else if (from == DeviceStatus.UNREACHABLE && !parentBlocking) {
                to = DeviceStatus.DOWN;
                cause = "still failing while its parent answers";
            }
            if (to != from && from != DeviceStatus.DOWN && from != DeviceStatus.UNREACHABLE) {
                since = firstFailureAt;
            }
        }
        status = to;
        return new Change(from, to, wasFlapping != flapping, cause);
    }

    /**
     * Marks a subject whose probes stopped completing: UNKNOWN with the detail "stale", its
     * counters reset so the next probes judge it afresh.
     *
     * @param at the time of the sweep that noticed
     * @param cause why, in words
     * @return the change
     */
    Change stale(Instant at, String cause) {
        Change c = force(DeviceStatus.UNKNOWN, at, cause, true);
        detail = DeviceState.STALE;   // updatedAt stays: the time of the last completed probe
        return new Change(c.from(), c.to(), false, cause);
    }

    /** Forces a status (a parent's change reaching a child), keeping or resetting counters. */
    Change force(DeviceStatus to, Instant at, String cause, boolean resetCounters) {
        DeviceStatus from = status;
        if (resetCounters) {
            consecutiveFailures = 0;
            consecutiveSuccesses = 0;
            firstFailureAt = null;
            since = at;
        } else if (to == DeviceStatus.DOWN || to == DeviceStatus.UNREACHABLE) {
            since = firstFailureAt != null ? firstFailureAt : since;
        }
        status = to;
        return new Change(from, to, false, cause);
    }

    private void record(boolean ok) {
        history[head] = ok;
        head = (head + 1) % history.length;
        if (filled < history.length) {
            filled++;
        }
        flapPercent = flapPercent();
        if (!flapping && flapPercent > cfg.flapHighPct()) {
            flapping = true;
        } else if (flapping && flapPercent < cfg.flapLowPct()) {
            flapping = false;
        }
    }

    /**
     * Icinga's weighted state-change percentage: of the window's {@code K} results, the
     * {@code K-1} changes between neighbours are weighted linearly from 0.8 (oldest) to 1.2
     * (newest); the percentage is the weighted sum over {@code K-1}. Missing (not yet filled)
     * slots count as no change.
     */
    private double flapPercent() {
        int k = history.length;
        if (filled < 2) {
            return 0;
        }
        double sum = 0;
        // Oldest valid result first.
        int start = (head - filled + k) % k;
        int offset = k - filled; // align so the newest change gets weight 1.2
        boolean prev = history[start];
        for (int i = 1; i < filled; i++) {
            boolean cur = history[(start + i) % k];
            if (cur != prev) {
                int slot = offset + i - 1; // 0 .. k-2
                sum += 0.8 + 0.4 * slot / (k - 2);
            }
            prev = cur;
        }
        return Math.min(100.0, sum / (k - 1) * 100.0);
    }

    /** Restores a persisted state (at start-up). */
    void restore(DeviceState s) {
        status = s.status();
        since = s.since();
        flapping = s.flapping();
        flapPercent = s.flapPercent();
        consecutiveFailures = s.consecutiveFailures();
        consecutiveSuccesses = s.consecutiveSuccesses();
        updatedAt = s.updatedAt();
        detail = s.detail();
        firstFailureAt = s.failingSince();
        if ((status == DeviceStatus.DOWN || status == DeviceStatus.UNREACHABLE)) {
            if (firstFailureAt == null && consecutiveSuccesses == 0) {
                firstFailureAt = since;   // a state from an older store: the outage began at since
            }
            if (consecutiveFailures == 0 && consecutiveSuccesses == 0) {
                consecutiveFailures = cfg.downAfter();
            }
        }
        if (consecutiveFailures > 0 && firstFailureAt == null) {
            firstFailureAt = updatedAt;
        }
        // The flap window resumes where it was; a window of another size keeps the newest results.
        String h = s.flapHistory();
        int n = Math.min(h.length(), history.length);
        head = 0;
        filled = 0;
        for (int i = h.length() - n; i < h.length(); i++) {
            history[head] = h.charAt(i) == '1';
            head = (head + 1) % history.length;
            filled++;
        }
        if (n > 0) {
            flapPercent = flapPercent();
        }
    }

    /** The flap window's results, oldest first, as '1' (success) and '0' (failure). */
    String history() {
        StringBuilder b = new StringBuilder(filled);
        int k = history.length;
        int start = (head - filled + k) % k;
        for (int i = 0; i < filled; i++) {
            b.append(history[(start + i) % k] ? '1' : '0');
        }
        return b.toString();
    }

    /**
     * Whether nothing here needs keeping across a restart beyond what a healthy subject has: up,
     * no failure in the run or in the flap window, not flapping.
     */
    boolean steady() {
        if (status != DeviceStatus.UP || consecutiveFailures > 0 || flapping || detail != null) {
            return false;
        }
        int k = history.length;
        int start = (head - filled + k) % k;
        for (int i = 0; i < filled; i++) {
            if (!history[(start + i) % k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether nothing was observed yet. */
    boolean pristine() {
        return filled == 0 && status == DeviceStatus.UNKNOWN;
    }

    DeviceState snapshot() {
        return new DeviceState(key, status, since, flapping, flapPercent, consecutiveFailures, consecutiveSuccesses,
                updatedAt, consecutiveFailures > 0 ? firstFailureAt : null, detail, history());
    }
}
