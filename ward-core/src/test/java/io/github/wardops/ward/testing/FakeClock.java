package io.github.wardops.ward.testing;

import io.github.wardops.ward.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one fake time of ward-core's tests (they cannot use ward-testkit's {@code ManualClock},
 * which depends on ward-core): a wall clock and a {@link Ticker} that move together, and only
 * when told. Like {@code ManualClock}, it tells {@link #onAdvance} listeners after every move, so
 * an engine built on it wakes at once. Thread-safe.
 */
public final class FakeClock extends Clock implements Ticker {
    /** A start instant for tests that do not care which. */
    public static final Instant DEFAULT_START = Instant.parse("2027-01-15T08:00:00Z");

    private final Instant origin;
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private volatile Instant now;
    /** The ticker's reading; moves with {@link #advance} and never goes back on {@link #set}. */
    private volatile long ticks;

    public FakeClock() {
        this(DEFAULT_START);
    }

    public FakeClock(Instant start) {
        this.origin = start;
        this.now = start;
    }

    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a FakeClock only moves forward: " + d);
        }
        Instant t;
        synchronized (this) {
            now = now.plus(d);
            ticks = Math.max(ticks, Duration.between(origin, now).toNanos());
            t = now;
        }
        listeners.forEach(Runnable::run);
        return t;
    }

    public void set(Instant at) {
        synchronized (this) {
            now = at;
            ticks = Math.max(ticks, Duration.between(origin, at).toNanos());
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public long read() {
        return ticks;
    }

    @Override
    public Registration onAdvance(Runnable listener) {
        Runnable own = Objects.requireNonNull(listener, "listener")::run;
        listeners.add(own);
        return () -> listeners.remove(own);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
