package io.github.wardops.ward;

/**
 * A monotonic source of nanoseconds, for measuring durations, pacing and deadlines.
 *
 * <p>ward tells time in two ways and never mixes them: a {@link java.time.InstantSource} stamps
 * results and alerts with wall-clock instants, and a {@code Ticker} measures how long something
 * took or how long to wait. Wall-clock time may jump (NTP, a VM resumed); a ticker never goes
 * back. Every builder that takes a clock also takes a ticker, so a test can drive both from one
 * fake (ward-testkit's {@code ManualClock} is both).
 *
 * <p>Values are only meaningful relative to each other, as with {@link System#nanoTime()}:
 * compare them with {@code a - b < 0}, never {@code a < b}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
    /**
     * Returns the current reading in nanoseconds.
     *
     * @return a reading; later calls never return a smaller value (modulo overflow)
     */
    long read();

    /**
     * Returns the system ticker, {@link System#nanoTime()}.
     *
     * @return the system ticker; never {@code null}
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** The system ticker; an enum so that it is a serialisation-safe singleton. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
