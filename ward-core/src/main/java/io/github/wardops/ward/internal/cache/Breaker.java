package io.github.wardops.ward.internal.cache;

import io.github.wardops.ward.cache.L2State;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A minimal circuit breaker: {@code threshold} failures in a row open it; after the cool-down one
 * caller (the probe) is let through; its success closes the breaker, its failure opens it again.
 * Thread-safe, lock-free.
 */
final class Breaker {
    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<L2State> state = new AtomicReference<>(L2State.CLOSED);
    private volatile long openedAt;

    Breaker(int threshold, long coolDownNanos, LongSupplier nanoTime) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
        this.nanoTime = nanoTime;
    }

    /** Whether a call may go to the tier now. */
    boolean allow() {
        L2State s = state.get();
        if (s == L2State.CLOSED) {
            return true;
        }
        if (s == L2State.OPEN && nanoTime.getAsLong() - openedAt >= coolDownNanos) {
            return state.compareAndSet(L2State.OPEN, L2State.HALF_OPEN);
        }
        return false;
    }

    void success() {
        failures.set(0);
        state.set(L2State.CLOSED);
    }

    void failure() {
        L2State s = state.get();
        if (s == L2State.HALF_OPEN || failures.incrementAndGet() >= threshold) {
            openedAt = nanoTime.getAsLong();
            state.set(L2State.OPEN);
        }
    }

    L2State state() {
        return state.get();
    }
}
