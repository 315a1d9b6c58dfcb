package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {
    static final Instant NOW = Instant.parse("2026-03-29T10:17:31Z");

    @Test
    void theDefaultIsTheLastDayInTwoMinuteSteps() {
        HistoryQuery q = HistoryQuery.parse(null, NOW);
        assertEquals(Duration.ofMinutes(2), q.step());
        assertEquals(Instant.parse("2026-03-28T10:16:00Z"), q.from());
        assertEquals(Instant.parse("2026-03-29T10:18:00Z"), q.to());
        assertFalse(q.csv());
    }

    @Test
    void theStepIsPickedFromTheRangeForAtMostAThousandPoints() {
        assertEquals(Duration.ofMinutes(15), HistoryQuery.parse("from=-7d", NOW).step());
        assertEquals(Duration.ofHours(1), HistoryQuery.parse("from=-30d", NOW).step());
        assertEquals(Duration.ofHours(12), HistoryQuery.parse("from=-400d", NOW).step());
        assertEquals(Duration.ofDays(2), HistoryQuery.parse("from=-1500d", NOW).step());
        assertEquals(Duration.ofMinutes(1), HistoryQuery.parse("from=-1h&to=now", NOW).step());
        for (String range : new String[] {"-24h", "-7d", "-30d", "-90d", "-400d", "-3000d"}) {
            HistoryQuery q = HistoryQuery.parse("from=" + range, NOW);
            long points = Duration.between(q.from(), q.to()).toSeconds() / q.step().toSeconds();
            assertTrue(points <= 1000 && points > 100, range + ": " + points);
        }
    }

    @Test
    void instantsAndExplicitStepsAreAlignedOnTheStepInUtc() {
        HistoryQuery q = HistoryQuery.parse("from=2026-03-28T22:30:00%2B01:00&to=2026-03-29T05:00:00Z&step=PT1H&format=csv", NOW);
        assertEquals(Instant.parse("2026-03-28T21:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-03-29T05:00:00Z"), q.to());
        assertTrue(q.csv());
        assertEquals(Duration.ofDays(1), HistoryQuery.parse("from=-30d&step=1d", NOW).step());
    }

    @Test
    void everyBadParameterIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryQuery.parse("from=yesterday&to=-x&step=0s&format=xml&colour=red", NOW));
        String m = e.getMessage();
        assertTrue(m.contains("from 'yesterday'"), m);
        assertTrue(m.contains("to '-x'"), m);
        assertTrue(m.contains("step '0s'"), m);
        assertTrue(m.contains("format 'xml'"), m);
        assertTrue(m.contains("unknown parameter 'colour'"), m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryQuery.parse("from=-1h&to=-2h", NOW))
                .getMessage().contains("must be before"));
        String tooFine = assertThrows(IllegalArgumentException.class, () -> HistoryQuery.parse("from=-7d&step=1m", NOW))
                .getMessage();
        assertTrue(tooFine.contains("more than 1000: use a step of at least PT15M"), tooFine);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryQuery.parse("from=-4000d", NOW))
                .getMessage().contains("more than 3660 days back"));
    }
}
