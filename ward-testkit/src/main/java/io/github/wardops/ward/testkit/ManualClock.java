package io.github.wardops.ward.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.wardops.ward.Ticker;

/**
 * A clock that moves only when told to, for tests on fake time. It is both the wall clock
 * ({@link InstantSource}) and the monotonic {@link Ticker}: {@link #advance} moves both together,
 * so durations measured by ward match the instants it stamps. Share one instance between ward
 * (for example {@code SnmpOptions.builder().clock(clock)}) and a simulated agent so counters and
 * rates line up exactly. Thread-safe.
 */
public final class ManualClock implements InstantSource, Ticker {
    private final AtomicReference<Instant> now;
    private final Instant origin;
    private final AtomicLong ticks = new AtomicLong(Long.MIN_VALUE);

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
     * Moves the clock forward.
     *
     * @param d a non-negative duration
     * @return the new instant
     */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a ManualClock only moves forward: " + d);
        }
        return now.updateAndGet(t -> t.plus(d));
    }

    /**
     * Sets the clock.
     *
     * @param t the instant
     */
    public void set(Instant t) {
        now.set(Objects.requireNonNull(t, "t"));
    }
}
