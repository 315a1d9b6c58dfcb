package io.github.wardops.ward.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
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
}
