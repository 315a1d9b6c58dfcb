package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    @Test
    void theFirstLinePassesTheRestAreHeldBackPerKey() {
        LogLimiter limiter = new LogLimiter(TimeUnit.HOURS.toNanos(1));
        assertEquals(0, limiter.permit("a"));
        assertEquals(-1, limiter.permit("a"));
        assertFalse(limiter.allow("a"));
        assertTrue(limiter.allow("b"), "another key has its own period");
        assertFalse(limiter.allow("b"));
    }

    @Test
    void theNextLineLetThroughSaysHowManyWereHeldBack() {
        LogLimiter limiter = new LogLimiter(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(0, limiter.permit("k"));
        long heldBack = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long got;
        while ((got = limiter.permit("k")) < 0) {
            heldBack++;
            assertTrue(System.nanoTime() < deadline, "the period of 1 ms never ended");
        }
        assertEquals(heldBack, got);
        long again = limiter.permit("k");
        assertTrue(again == -1 || again == 0, "the count starts again from zero: " + again);
    }

    @Test
    void resetLetsTheNextLineThroughAtOnce() {
        LogLimiter limiter = new LogLimiter(TimeUnit.HOURS.toNanos(1));
        assertTrue(limiter.allow("loss"));
        assertFalse(limiter.allow("loss"));
        limiter.reset("loss");
        assertEquals(0, limiter.permit("loss"));
        assertFalse(limiter.allow("loss"));
    }
}
