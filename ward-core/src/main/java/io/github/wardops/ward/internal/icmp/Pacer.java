package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spaces the echoes of every probe sharing one prober to a fixed rate.
 *
 * <p>Each send claims the next free slot on the ticker, one period after the last; a caller
 * whose slot lies ahead sleeps until it comes. There is no credit for idle time: a burst after a
 * quiet spell still leaves at the rate, so a schedule that starts many probes at once never
 * floods the network. Thread-safe and lock-free.
 */
final class Pacer {
    private final Ticker ticker;
    private volatile long periodNanos;
    private final AtomicLong nextSlot;

    /**
     * @param ticker what slots are measured on
     * @param perSecond the rate, at least 1
     */
    Pacer(Ticker ticker, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        this.ticker = ticker;
        this.periodNanos = Math.max(1, 1_000_000_000L / perSecond);
        this.nextSlot = new AtomicLong(ticker.read());
    }

    long periodNanos() {
        return periodNanos;
    }

    /**
     * Changes the rate; slots already claimed keep their times.
     *
     * @param perSecond the new rate, at least 1
     */
    void rate(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        periodNanos = Math.max(1, 1_000_000_000L / perSecond);
    }

    /** How far the last claimed slot lies ahead of now: the wait a new echo would have, 0 when idle. */
    long backlogNanos() {
        return Math.max(0, nextSlot.get() - ticker.read());
    }

    /**
     * Claims the next slot.
     *
     * @return nanoseconds from now until the slot, {@code 0} when it is now
     */
    long claim() {
        long now = ticker.read();
        long period = periodNanos;
        while (true) {
            long cur = nextSlot.get();
            long slot = cur - now > 0 ? cur : now;
            if (nextSlot.compareAndSet(cur, slot + period)) {
                return slot - now;
            }
        }
    }

    /**
     * Takes the next slot if it lies at most {@code tolerance} after {@code now}: the form the
     * {@link EchoSender} uses, one thread, on its own clock.
     *
     * @return whether a slot was taken
     */
    boolean take(long now, long tolerance) {
        long cur = nextSlot.get();
        if (cur - now > tolerance) {
            return false;
        }
        nextSlot.set(Math.max(cur, now) + periodNanos);
        return true;
    }

    /** Nanoseconds from {@code now} until the next free slot, 0 when it is free now. */
    long waitNanos(long now) {
        return Math.max(0, nextSlot.get() - now);
    }
}
