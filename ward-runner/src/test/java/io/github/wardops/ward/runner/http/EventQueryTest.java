package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventQueryTest {
    private static final Instant NOW = Instant.parse("2026-03-29T10:17:31Z");

    @Test
    void theDefaultIsTheLastDayOldestFirstAThousandAtMost() {
        EventQuery q = EventQuery.parse(null, NOW);
        assertEquals(NOW.minus(Duration.ofDays(1)), q.from(), "not aligned: events have no step");
        assertEquals(NOW, q.to());
        assertEquals(1_000, q.limit());
        assertFalse(q.newestFirst());
        assertFalse(q.csv());
    }

    @Test
    void parametersAreRead() {
        EventQuery q = EventQuery.parse("from=2026-03-01T00:00:00Z&to=-1h&limit=10000&order=DESC&format=csv", NOW);
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), q.from());
        assertEquals(NOW.minus(Duration.ofHours(1)), q.to());
        assertEquals(10_000, q.limit());
        assertTrue(q.newestFirst());
        assertTrue(q.csv());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventQuery.parse("from=soon&to=-x&limit=ten&order=sideways&format=pdf&step=5m", NOW));
        for (String named : new String[] {"from 'soon'", "to '-x'", "limit 'ten'", "order 'sideways'", "format 'pdf'",
                "unknown parameter 'step' (known: from, to, limit, order, format)"}) {
            assertTrue(e.getMessage().contains(named), named + " in " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventQuery.parse("limit=0", NOW))
                .getMessage().contains("limit '0' is not a whole number from 1 to 10000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventQuery.parse("limit=10001", NOW))
                .getMessage().contains("limit '10001'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventQuery.parse("from=-1h&to=-2h", NOW))
                .getMessage().contains("must be before"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventQuery.parse("from=-3700d", NOW))
                .getMessage().contains("more than 3660 days back"));
    }

    @Test
    void csvCellsAreQuotedAndNeverFormulas() {
        assertEquals("", EventsResource.cell(null));
        assertEquals("plain", EventsResource.cell("plain"));
        assertEquals("\"a, \"\"b\"\"\"", EventsResource.cell("a, \"b\""));
        assertEquals("'=1+1", EventsResource.cell("=1+1"));
        assertEquals("\"'-a,b\"", EventsResource.cell("-a,b"));
    }
}
