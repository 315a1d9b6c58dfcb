package io.github.wardops.ward;

/**
 * A monotonic source of nanoseconds, for measuring durations, pacing and deadlines.
 *
 * <p>ward tells time in two ways and never mixes them: a {@link java.time.InstantSource} stamps
 * results and alerts with wall-clock instants, and a {@code Ticker} measures how long something
 * took or how long to wait. Wall-clock time may jump (NTP, a VM resumed); a ticker never goes
 * back. The builders of the engine, alerting, state tracking, the caches and the PostgreSQL
 * storage take both ({@code clock(InstantSource)} and {@code ticker(Ticker)}); when no ticker is
 * set they use the clock if it is also a ticker, so a test can drive both from one fake
 * (ward-testkit's {@code ManualClock} is both).
 *
 * <p>Values are only meaningful relative to each other, as with {@link System#nanoTime()}:
 * compare them with {@code a - b < 0}, never {@code a < b}. Implementations must be thread-safe.
 *
 * <p>A thread that waits for a reading (ward's scheduler waiting for the next due check) sleeps
 * for the difference in real time, which is right for a ticker that moves with real time. A fake
 * ticker that jumps when a test says so overrides {@link #onAdvance} so that such waiters wake
 * at the jump instead of sleeping on.
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
     * Asks to be told when this ticker jumps forward other than by the passing of real time, so a
     * thread waiting for a later reading can wake up and read again. A ticker that follows real
     * time, such as {@link #system()}, never jumps: the default keeps no listener and returns
     * {@link Registration#NONE}. A fake ticker (ward-testkit's {@code ManualClock}) runs every
     * registered listener after each jump, on the thread that moved it.
     *
     * <p>The listener must return quickly and must not throw; it is typically a
     * {@code Condition.signal}. It may also run when the reading did not change (for example
     * when only the wall clock of a combined fake was set).
     *
     * @param listener what to run after a jump; never {@code null}
     * @return the registration; close it to stop being told
     */
    default Registration onAdvance(Runnable listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return Registration.NONE;
    }

    /** A listener added by {@link #onAdvance}; closing it removes the listener. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** A registration with nothing to remove, for tickers that never jump. */
        Registration NONE = () -> { };

        /** Removes the listener; closing twice does nothing more. */
        @Override
        void close();
    }

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
