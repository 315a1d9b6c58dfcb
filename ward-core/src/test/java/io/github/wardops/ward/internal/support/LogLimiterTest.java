package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        AtomicLong now = new AtomicLong(1_000);
        LogLimiter limiter = new LogLimiter(TimeUnit.MINUTES.toNanos(1), now::get);
        assertEquals(0, limiter.permit("k"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertEquals(-1, limiter.permit("k"));
        assertEquals(-1, limiter.permit("k"));
        assertFalse(limiter.allow("k"));
        assertEquals(0, limiter.permit("other"), "another key has its own period");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(3, limiter.permit("k"), "three lines held back within the minute");
        assertEquals(-1, limiter.permit("k"));
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        assertEquals(1, limiter.permit("k"), "the count starts again after each line let through");
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
