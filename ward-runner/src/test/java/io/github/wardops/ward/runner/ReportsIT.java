package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/reports/availability} on a runner with the embedded PostgreSQL: daily roll-ups
 * and state changes written into the database give, per region, device type and device (with a
 * label filter), the availability, downtime, outages, MTTR and longest outage worked out by hand
 * in the comments, with UNREACHABLE left out or counted as down; sorted; as CSV; every bad
 * parameter named in one 400.
 */
class ReportsIT {
    private static final String A = DeviceId.fromKey("report-a").toString();
    private static final String B = DeviceId.fromKey("report-b").toString();
    private static final String C = DeviceId.fromKey("report-c").toString();

    @TempDir
    Path dir;

    @Test
    void availabilityPerRegionTypeAndDeviceAsJsonAndCsv() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address,region,device_type\n" + A + ",router-a,127.0.0.1,R1,Router\n"
                + B + ",atm-b,127.0.0.1,R1,ATM\n" + C + ",c,127.0.0.1,R2,\n");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory",
                csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString())) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            Instant day0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(5));
            Instant day1 = day0.plus(Duration.ofDays(1));
            try (Connection c = ds.getConnection()) {
                // A: down 10:00-11:00 on day 0. B: unreachable 05:00 for 6,400 s on day 0.
                // C: down from 12:00 on day 0 to 00:30 on day 1 (45,000 s, one outage across midnight).
                daily(c, A, day0, 82_800, 3_600, 0);
                daily(c, A, day1, 86_400, 0, 0);
                daily(c, B, day0, 80_000, 0, 6_400);
                daily(c, B, day1, 86_400, 0, 0);
                daily(c, C, day0, 43_200, 43_200, 0);
                daily(c, C, day1, 84_600, 1_800, 0);
                change(c, A, day0.minus(Duration.ofDays(1)), "UNKNOWN", "UP");
                change(c, A, day0.plus(Duration.ofHours(10)), "UP", "DOWN");
                change(c, A, day0.plus(Duration.ofHours(11)), "DOWN", "UP");
                change(c, B, day0.minus(Duration.ofDays(1)), "UNKNOWN", "UP");
                change(c, B, day0.plus(Duration.ofHours(5)), "UP", "UNREACHABLE");
                change(c, B, day0.plus(Duration.ofHours(5)).plusSeconds(6_400), "UNREACHABLE", "UP");
                change(c, C, day0.minus(Duration.ofDays(1)), "UNKNOWN", "UP");
                change(c, C, day0.plus(Duration.ofHours(12)), "UP", "DOWN");
                change(c, C, day1.plus(Duration.ofMinutes(30)), "DOWN", "UP");
                // rows written behind the roll-up job's back: let it build the report's roll-ups (V9) from
                // them, as its first run after an upgrade does
                try (var st = c.createStatement()) {
                    st.execute("UPDATE rollup_progress SET report_ready = false");
                }
            }
            r.poller.wiring().storage().orElseThrow().runMaintenance();
            String range = "from=" + day0 + "&to=" + day0.plus(Duration.ofDays(2));
            String base = "/api/reports/availability?" + range;

            // per region, worst first: R2 up 127,800 of 172,800 s; R1 up 335,600 of 339,200 s
            JsonNode region = r.getJson(base + "&group=region");
            assertEquals(day0.toString(), region.get("from").asText());
            assertEquals("region", region.get("group").asText());
            assertEquals("excluded", region.get("unreachable").asText());
            assertEquals(2, region.get("groups").asInt());
            JsonNode r2 = region.get("rows").get(0);
            assertEquals("R2", r2.get("group").asText());
            assertEquals(1, r2.get("devices").asInt());
            assertEquals(Math.round(100_000.0 * 127_800 / 172_800) / 1000.0, r2.get("availabilityPct").asDouble());
            assertEquals(45_000.0, r2.get("downtimeSeconds").asDouble());
            assertEquals(1, r2.get("outages").asInt());
            assertEquals(45_000.0, r2.get("mttrSeconds").asDouble());
            assertEquals(45_000.0, r2.get("longestOutageSeconds").asDouble());
            JsonNode r1 = region.get("rows").get(1);
            assertEquals("R1", r1.get("group").asText());
            assertEquals(2, r1.get("devices").asInt());
            assertEquals(Math.round(100_000.0 * 335_600 / 339_200) / 1000.0, r1.get("availabilityPct").asDouble());
            assertEquals(3_600.0, r1.get("downtimeSeconds").asDouble());
            assertEquals(1, r1.get("outages").asInt(), "B's UNREACHABLE time is not an outage");

            // UNREACHABLE counted as down: R1 down 10,000 s in two outages, the longest B's 6,400 s
            JsonNode down = r.getJson(base + "&group=region&unreachable=down&sort=group");
            JsonNode r1d = down.get("rows").get(0);
            assertEquals("R1", r1d.get("group").asText());
            assertEquals(Math.round(100_000.0 * 335_600 / 345_600) / 1000.0, r1d.get("availabilityPct").asDouble());
            assertEquals(10_000.0, r1d.get("downtimeSeconds").asDouble());
            assertEquals(2, r1d.get("outages").asInt());
            assertEquals(5_000.0, r1d.get("mttrSeconds").asDouble());
            assertEquals(6_400.0, r1d.get("longestOutageSeconds").asDouble());

            // per device type, most downtime first; C has no type (null group)
            JsonNode type = r.getJson(base + "&group=device_type&sort=-downtimeSeconds");
            List<String> types = new ArrayList<>();
            type.get("rows").forEach(n -> types.add(n.get("group").isNull() ? null : n.get("group").asText()));
            assertEquals(java.util.Arrays.asList(null, "Router", "ATM"), types);

            // per device in R1, with names, one page of one row
            JsonNode devices = r.getJson(base + "&label=region:R1&sort=-availabilityPct&limit=1");
            assertEquals(2, devices.get("groups").asInt());
            assertEquals(1, devices.get("rows").size());
            assertEquals(B, devices.get("rows").get(0).get("group").asText(), "B: 100 % with UNREACHABLE left out");
            assertEquals("atm-b", devices.get("rows").get(0).get("name").asText());
            assertEquals(100.0, devices.get("rows").get(0).get("availabilityPct").asDouble());
            JsonNode second = r.getJson(base + "&label=region:R1&sort=-availabilityPct&limit=1&offset=1");
            assertEquals(A, second.get("rows").get(0).get("group").asText());

            // CSV
            HttpResponse<String> csvAnswer = r.get(base + "&group=region&sort=group&format=csv");
            assertEquals(200, csvAnswer.statusCode());
            assertTrue(csvAnswer.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            assertEquals("group,devices,availabilityPct,downtimeSeconds,outages,mttrSeconds,longestOutageSeconds\n"
                    + "R1,2,98.939,3600.0,1,3600.0,3600.0\nR2,1,73.958,45000.0,1,45000.0,45000.0\n", csvAnswer.body());

            // every bad parameter named in one 400
            HttpResponse<String> bad = r.get("/api/reports/availability?from=yesterday&group=city&unreachable=maybe"
                    + "&sort=colour&limit=0&offset=-1&format=pdf&label=nocolon&colour=red");
            assertEquals(400, bad.statusCode(), bad.body());
            for (String named : new String[] {"from 'yesterday'", "group 'city'", "unreachable 'maybe'", "sort 'colour'",
                    "limit '0'", "offset '-1'", "format 'pdf'", "label 'nocolon'", "unknown parameter 'colour'"}) {
                assertTrue(bad.body().contains(named), named + " in " + bad.body());
            }
            HttpResponse<String> reversed = r.get("/api/reports/availability?from=-1h&to=-2h");
            assertEquals(400, reversed.statusCode());
            assertTrue(reversed.body().contains("must be before"), reversed.body());
        }
    }

    private static void daily(Connection c, String device, Instant day, double up, double down, double unreachable)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_daily (device_id, bucket, results, probes_sent, "
                + "probes_answered, up_seconds, down_seconds, unreachable_seconds) VALUES (?, ?, 2880, 2880, 2880, ?, ?, ?)")) {
            ps.setObject(1, UUID.fromString(device));
            ps.setTimestamp(2, Timestamp.from(day));
            ps.setDouble(3, up);
            ps.setDouble(4, down);
            ps.setDouble(5, unreachable);
            ps.execute();
        }
    }

    private static void change(Connection c, String device, Instant at, String from, String to) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO state_changes (device_id, at, from_status, to_status) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, UUID.fromString(device));
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, from);
            ps.setString(4, to);
            ps.execute();
        }
    }
}
