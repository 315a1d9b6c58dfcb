package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.AvailabilityReport;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportQueryTest {
    static final Instant NOW = Instant.parse("2026-03-29T10:17:31Z");

    @Test
    void theDefaultIsTheLastThirtyDaysPerDeviceWorstFirst() {
        ReportQuery q = ReportQuery.parse(null, NOW);
        assertEquals(NOW.minus(Duration.ofDays(30)), q.from());
        assertEquals(NOW, q.to());
        assertEquals("device", q.group());
        assertEquals(AvailabilityReport.Unreachable.EXCLUDED, q.unreachable());
        assertEquals(AvailabilityReport.Sort.AVAILABILITY, q.sort());
        assertFalse(q.descending());
        assertEquals(0, q.offset());
        assertEquals(ReportQuery.DEFAULT_LIMIT, q.limit());
        assertFalse(q.csv());
    }

    @Test
    void everyParameterIsRead() {
        ReportQuery q = ReportQuery.parse("from=2026-03-01T00:00:00Z&to=-1d&group=branch&label=region:Achara"
                + "&label=device_type:ATM&unreachable=down&sort=-mttrSeconds&limit=50&offset=100&format=csv", NOW);
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), q.from());
        assertEquals(NOW.minus(Duration.ofDays(1)), q.to());
        assertEquals("branch", q.group());
        assertEquals(Map.of("region", "Achara", "device_type", "ATM"), q.labels());
        assertEquals(AvailabilityReport.Unreachable.DOWN, q.unreachable());
        assertEquals(AvailabilityReport.Sort.MTTR, q.sort());
        assertTrue(q.descending());
        assertEquals(50, q.limit());
        assertEquals(100, q.offset());
        assertTrue(q.csv());
        Device atm = Device.builder(DeviceId.fromKey("x"), "x", InetAddress.getLoopbackAddress())
                .labels(Map.of("region", "Achara", "device_type", "ATM", "branch", "Batumi1")).build();
        assertTrue(q.matches(atm));
        assertEquals("Batumi1", q.groupOf(atm));
        Device router = Device.builder(DeviceId.fromKey("y"), "y", InetAddress.getLoopbackAddress())
                .labels(Map.of("region", "Achara", "device_type", "Router")).build();
        assertFalse(q.matches(router));
        assertEquals("", q.groupOf(router), "no branch label: the empty group");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportQuery.parse(
                "to=soon&group=city&sort=-speed&limit=10001&offset=x&unreachable=up&label=:v&format=pdf&x=1", NOW));
        for (String named : new String[] {"to 'soon'", "group 'city'", "sort '-speed'", "limit '10001'", "offset 'x'",
                "unreachable 'up'", "label ':v'", "format 'pdf'", "unknown parameter 'x'"}) {
            assertTrue(e.getMessage().contains(named), named + " in " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportQuery.parse("from=-1d&to=-2d", NOW))
                .getMessage().contains("must be before"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportQuery.parse("from=-4000d", NOW))
                .getMessage().contains("days back"));
    }

    @Test
    void csvFieldsAreQuotedAndFormulasDefused() {
        assertEquals("Tbilisi", ReportsResource.csv("Tbilisi"));
        assertEquals("\"a,b\"", ReportsResource.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ReportsResource.csv("say \"hi\""));
        assertEquals("'=1+1", ReportsResource.csv("=1+1"));
        assertEquals("", ReportsResource.csv(""));
    }
}
