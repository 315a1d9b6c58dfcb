package io.github.wardops.ward.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");

    @Test
    void advanceMovesTheWallClockAndTheTickerTogether() {
        ManualClock clock = new ManualClock(T0);
        long start = clock.read();
        clock.advance(Duration.ofMillis(1500));
        assertEquals(T0.plusMillis(1500), clock.instant());
        assertEquals(1_500_000_000L, clock.read() - start);
    }

    @Test
    void theTickerNeverGoesBackWhenTheWallClockIsSetBack() {
        ManualClock clock = new ManualClock(T0);
        clock.advance(Duration.ofSeconds(10));
        long before = clock.read();
        clock.set(T0.plusSeconds(3));
        assertEquals(T0.plusSeconds(3), clock.instant());
        assertEquals(before, clock.read());
        clock.set(T0.plusSeconds(12));
        assertEquals(before + 2_000_000_000L, clock.read());
    }

    @Test
    void refusesToMoveBackwards() {
        ManualClock clock = new ManualClock(T0);
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void advanceAndSetWakeListenersUntilTheyAreClosed() {
        ManualClock clock = new ManualClock(T0);
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        Runnable same = a::incrementAndGet;
        Ticker.Registration first = clock.onAdvance(same);
        Ticker.Registration second = clock.onAdvance(same);
        clock.onAdvance(b::incrementAndGet);
        clock.advance(Duration.ofSeconds(1));
        clock.set(T0.plusSeconds(5));
        assertEquals(4, a.get(), "one listener registered twice runs twice per move");
        assertEquals(2, b.get());
        first.close();
        first.close();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(5, a.get(), "closing one registration leaves the other");
        second.close();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(5, a.get());
        assertEquals(4, b.get());
    }

    @Test
    void theSystemTickerKeepsNoListeners() {
        assertSame(Ticker.Registration.NONE, Ticker.system().onAdvance(() -> { }));
    }
}
