package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.alert.Severity;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertQueryTest {
    @Test
    void defaultsAreOpenAlertsOfAnySeverity() {
        for (String q : new String[] {null, "", "&"}) {
            AlertQuery a = AlertQuery.parse(q);
            assertTrue(a.open());
            assertFalse(a.resolved());
            assertEquals(Set.of(), a.severities());
            assertEquals(Duration.ofHours(24), a.window());
            assertEquals(1000, a.limit());
        }
    }

    @Test
    void stateSeveritySinceAndLimitAreRead() {
        AlertQuery a = AlertQuery.parse("state=ALL&severity=critical,High&severity=info&since=6h&limit=5");
        assertTrue(a.open());
        assertTrue(a.resolved());
        assertEquals(Set.of(Severity.CRITICAL, Severity.HIGH, Severity.INFO), a.severities());
        assertEquals(Duration.ofHours(6), a.window());
        assertEquals(5, a.limit());
        AlertQuery resolved = AlertQuery.parse("state=resolved");
        assertFalse(resolved.open());
        assertTrue(resolved.resolved());
    }

    @Test
    void everyBadParameterIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertQuery.parse(
                "state=sideways&severity=huge&since=forever&limit=0&colour=red&limit=x&since=400d&bad=%ZZ"));
        String m = e.getMessage();
        for (String s : new String[] {"state 'sideways' is not open, resolved or all", "severity 'huge' is not CRITICAL",
                "since 'forever'", "limit '0' must be 1-10000", "unknown parameter 'colour'", "limit 'x' is not a whole number",
                "since '400d' must be more than 0 and at most 366d", "bad percent-encoding in 'bad=%ZZ'"}) {
            assertTrue(m.contains(s), s + " in " + m);
        }
        assertThrows(IllegalArgumentException.class, () -> AlertQuery.parse("state=" + "x".repeat(5000)));
    }
}
