package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.Ticker;

/**
 * Spaces the echoes of every probe sharing one prober to a fixed rate: the {@link EchoSender}'s
 * clock, used by that one thread only ({@link #rate} may be called from any thread).
 *
 * <p>Each echo takes the next free slot, one period after the last. There is no credit for idle
 * time: a burst after a quiet spell still leaves at the rate, so a schedule that starts many
 * probes at once never floods the network.
 */
final class Pacer {
    private volatile long periodNanos;
    /** The next free slot on the ticker; the sender thread's only. */
    private long nextSlot;

    /**
     * @param ticker what slots are measured on
     * @param perSecond the rate, at least 1
     */
    Pacer(Ticker ticker, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        this.periodNanos = Math.max(1, 1_000_000_000L / perSecond);
        this.nextSlot = ticker.read();
    }

    long periodNanos() {
        return periodNanos;
    }

    /**
     * Changes the rate; the next slot keeps its time, those after it are spaced at the new rate.
     *
     * @param perSecond the new rate, at least 1
     */
    void rate(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        periodNanos = Math.max(1, 1_000_000_000L / perSecond);
    }

    /**
     * Takes the next slot if it lies at most {@code tolerance} after {@code now}.
     *
     * @return whether a slot was taken
     */
    boolean take(long now, long tolerance) {
        long cur = nextSlot;
        if (cur - now > tolerance) {
            return false;
        }
        nextSlot = (cur - now > 0 ? cur : now) + periodNanos;
        return true;
    }

    /** Nanoseconds from {@code now} until the next free slot, 0 when it is free now. */
    long waitNanos(long now) {
        return Math.max(0, nextSlot - now);
    }
}
