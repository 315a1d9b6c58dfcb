package io.github.wardops.ward.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.wardops.ward.Ticker;

/**
 * A clock that moves only when told to, for tests on fake time. It is both the wall clock
 * ({@link InstantSource}) and the monotonic {@link Ticker}: {@link #advance} moves both together,
 * so durations measured by ward match the instants it stamps. Share one instance between ward
 * (for example {@code SnmpOptions.builder().clock(clock)}) and a simulated agent so counters and
 * rates line up exactly. Thread-safe.
 *
 * <p>To run a {@code Ward} on fake time, give it this clock as both clock and ticker
 * ({@code Ward.builder().clock(clock).ticker(clock)}): its scheduler then starts a check only when
 * {@link #advance} reaches the check's planned time, and wakes at once when it does, through
 * {@link #onAdvance}.
 */
public final class ManualClock implements InstantSource, Ticker {
    private final AtomicReference<Instant> now;
    private final Instant origin;
    private final AtomicLong ticks = new AtomicLong(Long.MIN_VALUE);
    /** One entry per live registration; each component registers once and removes itself on close. */
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /**
     * Creates a clock.
     *
     * @param start the first instant; never {@code null}
     */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
        this.origin = start;
    }

    /**
     * Returns the nanoseconds between the start instant and now. {@link #set} may move the
     * wall clock back; the ticker never goes back, so it then stays where it was until the clock
     * passes that point again.
     */
    @Override
    public long read() {
        long n = Duration.between(origin, now.get()).toNanos();
        return ticks.accumulateAndGet(n, Math::max);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /**
     * Runs the listener after every {@link #advance} and {@link #set}, on the thread that moved
     * the clock, so that a thread waiting for a later reading (ward's scheduler) wakes up.
     *
     * @param listener what to run; must return quickly
     * @return the registration; close it to remove the listener
     */
    @Override
    public Registration onAdvance(Runnable listener) {
        Runnable own = Objects.requireNonNull(listener, "listener")::run; // a distinct entry per call
        listeners.add(own);
        return () -> listeners.remove(own);
    }

    /**
     * Moves the clock forward and then tells the {@link #onAdvance} listeners.
     *
     * @param d a non-negative duration
     * @return the new instant
     */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a ManualClock only moves forward: " + d);
        }
        Instant t = now.updateAndGet(i -> i.plus(d));
        notifyListeners();
        return t;
    }

    /**
     * Sets the clock and then tells the {@link #onAdvance} listeners.
     *
     * @param t the instant
     */
    public void set(Instant t) {
        now.set(Objects.requireNonNull(t, "t"));
        notifyListeners();
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            l.run();
        }
    }
}
