package io.github.wardops.ward.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to, for tests on fake time. Share one instance between ward
 * (for example {@code SnmpOptions.builder().clock(clock)}) and a simulated agent so counters and
 * rates line up exactly. Thread-safe.
 */
public final class ManualClock implements InstantSource {
    private final AtomicReference<Instant> now;

    /**
     * Creates a clock.
     *
     * @param start the first instant; never {@code null}
     */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
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
