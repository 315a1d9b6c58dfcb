package io.github.wardops.ward.testkit;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.internal.engine.WardEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * Drives a {@link Ward} on fake time deterministically. Build the Ward with a
 * {@link ManualClock} as both clock and ticker, start it, then alternate
 * {@link ManualClock#advance} with {@link #settle}: after {@code settle} returns, every check due
 * at the new time has been probed and its result has reached the listeners and the sinks'
 * queues, and nothing else has run.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
 * try (Ward ward = Ward.builder().clock(clock).ticker(clock).prober(prober).listener(results::add).build()) {
 *     ward.inventory().replaceAll(devices);
 *     ward.start();
 *     clock.advance(Duration.ofSeconds(30));
 *     FakeTime.settle(ward);
 *     // results now holds exactly the probes due in the first 30 s
 * }
 * }</pre>
 *
 * <p>A prober that itself waits for the fake time to move never finishes while the test waits
 * here; such a test waits with {@link #awaitScheduled} instead.
 *
 * <p>Stateless and thread-safe; arguments must not be {@code null}.
 */
public final class FakeTime {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private FakeTime() {
    }

    /**
     * Waits, for at most 10 s of real time, until the Ward has started every check due at the
     * current fake time and every probe has finished.
     *
     * @param ward a Ward built by {@link Ward#builder()} and started
     * @throws AssertionError if it did not settle in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static void settle(Ward ward) throws InterruptedException {
        settle(ward, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until the Ward has started every check due at the current fake time and every probe
     * has finished.
     *
     * @param ward a Ward built by {@link Ward#builder()} and started
     * @param timeout the longest real time to wait
     * @throws AssertionError if it did not settle in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static void settle(Ward ward, Duration timeout) throws InterruptedException {
        if (!engine(ward).awaitSettled(timeout)) {
            throw new AssertionError("the Ward did not settle within " + timeout + ": " + ward.probesInFlight()
                    + " probes still in flight");
        }
    }

    /**
     * Waits until the Ward's scheduler has started every check due at the current fake time;
     * unlike {@link #settle}, probes it started may still run.
     *
     * @param ward a Ward built by {@link Ward#builder()} and started
     * @param timeout the longest real time to wait
     * @throws AssertionError if the scheduler did not go idle in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static void awaitScheduled(Ward ward, Duration timeout) throws InterruptedException {
        if (!engine(ward).awaitScheduleIdle(timeout)) {
            throw new AssertionError("the Ward's scheduler did not go idle within " + timeout);
        }
    }

    private static WardEngine engine(Ward ward) {
        if (Objects.requireNonNull(ward, "ward") instanceof WardEngine e) {
            return e;
        }
        throw new IllegalArgumentException("not a Ward built by Ward.builder(): " + ward.getClass().getName());
    }
}
