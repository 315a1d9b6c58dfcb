package io.github.wardops.ward.postgres.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A reader called on every dispatch (the current silences) warns about a bad row once a minute, and counts every time. */
class UnreadableTest {

    private static void readWithOneBadRow(Unreadable u) {
        Unreadable.Read r = u.read();
        r.skip("silence 1", "its matchers 'region = (' do not parse");
        r.done();
    }

    @Test
    void aLimitedReaderWarnsOncePerPeriodButCountsEveryRow() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T06:00:00Z"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Unreadable u = new Unreadable(registry, "silences", new LogLimiter(TimeUnit.MINUTES.toNanos(1), clock));
        for (int i = 0; i < 5; i++) {
            readWithOneBadRow(u);
        }
        assertEquals(1, u.warnings());
        assertEquals(5, u.total());
        assertEquals(5.0, registry.get("ward.storage.rows.unreadable").tag("table", "silences").counter().count());
        clock.advance(Duration.ofMinutes(1));
        readWithOneBadRow(u);
        assertEquals(2, u.warnings(), "a period later the warning comes again (saying how many were held back)");
    }

    @Test
    void anUnlimitedReaderWarnsOnEveryRead() {
        Unreadable u = new Unreadable(new SimpleMeterRegistry(), "alerts");
        readWithOneBadRow(u);
        readWithOneBadRow(u);
        assertEquals(2, u.warnings());
    }
}
