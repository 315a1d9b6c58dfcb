package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.alert.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The query-parameter parser shared by the resources, on malformed input. */
class QueryStringTest {
    private static List<Map.Entry<String, String>> parse(String q, List<String> problems) {
        return QueryString.parse(q, 4096, problems);
    }

    @Test
    void decodesPairsInOrderAndKeepsRepeatedKeys() {
        List<String> problems = new ArrayList<>();
        assertEquals(List.of(Map.entry("label", "site:Tbilisi Old Town"), Map.entry("status", "down"),
                        Map.entry("status", "up"), Map.entry("flag", ""), Map.entry("a=b", "c=d")),
                parse("label=site%3ATbilisi+Old%20Town&status=down&&status=up&flag&a%3Db=c=d", problems));
        assertEquals(List.of(), problems);
        assertEquals(List.of(), parse(null, problems));
        assertEquals(List.of(), parse("&&&", problems));
    }

    @Test
    void badPercentEncodingIsReportedPerPairAndTheOthersKept() {
        List<String> problems = new ArrayList<>();
        List<Map.Entry<String, String>> out = parse("status=%zz&label=a:b&x=%4&%E2%82=1&y=%C3%A9", problems);
        assertEquals(List.of("bad percent-encoding in 'status=%zz'", "bad percent-encoding in 'x=%4'"), problems);
        // A truncated UTF-8 sequence decodes to U+FFFD rather than failing; é decodes whole.
        assertEquals(List.of(Map.entry("label", "a:b"), Map.entry("\uFFFD", "1"), Map.entry("y", "\u00e9")), out);
    }

    @Test
    void anOversizedQueryIsRefusedWhole() {
        List<String> problems = new ArrayList<>();
        assertEquals(1, parse("v=" + "x".repeat(4094), problems).size(), "exactly at the limit");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("v=" + "x".repeat(4095), problems));
        assertEquals("the query is longer than 4096 characters", e.getMessage());
        assertTrue(problems.isEmpty());
    }

    @Test
    void theResourcesReportMalformedParametersAllAtOnce() {
        IllegalArgumentException devices = assertThrows(IllegalArgumentException.class,
                () -> DeviceFilter.parse("status=%zz&label=nocolon&colour=red"));
        assertEquals("bad percent-encoding in 'status=%zz'; label 'nocolon' is not KEY:VALUE; unknown parameter "
                + "'colour' (known: status, failing, label, q, page, size)", devices.getMessage());
        IllegalArgumentException alerts = assertThrows(IllegalArgumentException.class,
                () -> AlertQuery.parse("limit=%&limit=0&since=" + "9".repeat(20) + "d"));
        assertTrue(alerts.getMessage().startsWith("bad percent-encoding in 'limit=%'; limit '0' must be 1-10000; since '"),
                alerts.getMessage());
        // Repeated keys: the last state wins, severities add up.
        AlertQuery q = AlertQuery.parse("state=resolved&state=open&severity=low&severity=HIGH");
        assertTrue(q.open());
        assertFalse(q.resolved());
        assertEquals(Set.of(Severity.LOW, Severity.HIGH), q.severities());
    }

    @Test
    void aWholeNumberOutsideItsBoundsOrNotANumberIsNamedAndTheFallbackKept() {
        List<String> problems = new ArrayList<>();
        assertEquals(7, QueryString.wholeNumber("limit", " 7 ", 1, 10, 3, problems));
        assertEquals(1, QueryString.wholeNumber("limit", "1", 1, 10, 3, problems));
        assertEquals(10, QueryString.wholeNumber("limit", "10", 1, 10, 3, problems));
        assertTrue(problems.isEmpty(), problems::toString);
        for (String bad : new String[] {"0", "11", "-1", "x", "", "1.5", "99999999999"}) {
            assertEquals(3, QueryString.wholeNumber("limit", bad, 1, 10, 3, problems), bad);
        }
        assertEquals(7, problems.size(), problems::toString);
        assertEquals("limit '11' is not a whole number from 1 to 10", problems.get(1));
        assertEquals("limit 'x' is not a whole number from 1 to 10", problems.get(3));
    }
}
