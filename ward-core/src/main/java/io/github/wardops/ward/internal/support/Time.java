package io.github.wardops.ward.internal.support;

import io.github.wardops.ward.Ticker;
import java.time.Instant;
import java.time.InstantSource;

/** The one rule every builder follows for its ticker, so that one fake drives a component. */
public final class Time {
    private Time() {
    }

    /**
     * The ticker a builder uses when none was set: the clock itself when it is also a
     * {@link Ticker} (ward-testkit's {@code ManualClock}), so that a test setting only the clock
     * still moves both; otherwise the system ticker.
     *
     * @param clock the builder's clock, or {@code null} (then the system ticker)
     * @return the ticker to use
     */
    public static Ticker defaultTicker(InstantSource clock) {
        return clock instanceof Ticker t ? t : Ticker.system();
    }

    /**
     * One object that is both a clock and a ticker, for handing a pair to code that takes only a
     * clock and lets {@link #defaultTicker} find the ticker in it.
     *
     * @param clock the wall clock
     * @param ticker the ticker
     * @return the pair; {@code clock} itself when it already is that ticker
     */
    public static InstantSource both(InstantSource clock, Ticker ticker) {
        if (clock == ticker) {
            return clock;
        }
        return new Both(clock, ticker);
    }

    /**
     * The clock read to the microsecond, the precision PostgreSQL keeps: every instant that
     * reaches storage and the API is the same before and after a round trip.
     *
     * @param clock the clock
     * @return a clock whose instants have no nanoseconds below the microsecond
     */
    public static InstantSource micros(InstantSource clock) {
        return clock instanceof Micros ? clock : new Micros(clock);
    }

    private record Micros(InstantSource clock) implements InstantSource {
        @Override
        public Instant instant() {
            return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }

        @Override
        public long millis() {
            return clock.millis();
        }
    }

    private record Both(InstantSource clock, Ticker ticker) implements InstantSource, Ticker {
        @Override
        public Instant instant() {
            return clock.instant();
        }

        @Override
        public long millis() {
            return clock.millis();
        }

        @Override
        public long read() {
            return ticker.read();
        }

        @Override
        public Registration onAdvance(Runnable listener) {
            return ticker.onAdvance(listener);
        }
    }
}
