package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/devices/{id}/history} on a runner with the embedded PostgreSQL: raw rows, hourly
 * and daily roll-ups written into the database are answered as the step needs, as JSON and CSV;
 * every bad parameter is named in one 400; an unknown device is a 404.
 */
class HistoryIT {
    private static final String A = DeviceId.fromKey("history-a").toString();

    @TempDir
    Path dir;

    @Test
    void historyComesFromRawRowsOrRollUpsAsTheRangeNeeds() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address\n" + A + ",a,127.0.0.1\n");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory",
                csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString())) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            Instant t = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
            Instant hourBucket = t.minus(Duration.ofDays(10));
            Instant dayBucket = t.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(20));
            try (Connection c = ds.getConnection()) {
                LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS ping_results_p" + day.toString().replace("-", "")
                            + " PARTITION OF ping_results FOR VALUES FROM ('" + day.atStartOfDay(ZoneOffset.UTC).toInstant()
                            + "') TO ('" + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ping_results (device_id, check_name, at, status, "
                        + "sent, received, rtt_min_ms, rtt_avg_ms, rtt_max_ms) VALUES (?, 'icmp', ?, ?, ?, ?, ?, ?, ?)")) {
                    Object[][] rows = {{t.plusSeconds(10), "UP", 3, 3, 1.0, 2.0, 3.0},
                            {t.plusSeconds(40), "DOWN", 3, 1, 4.0, 5.0, 9.0},
                            {t.plusSeconds(130), "UP", 3, 3, 1.5, 1.5, 1.5}};
                    for (Object[] row : rows) {
                        ps.setObject(1, UUID.fromString(A));
                        ps.setTimestamp(2, Timestamp.from((Instant) row[0]));
                        ps.setString(3, (String) row[1]);
                        ps.setShort(4, (short) (int) (Integer) row[2]);
                        ps.setShort(5, (short) (int) (Integer) row[3]);
                        ps.setDouble(6, (Double) row[4]);
                        ps.setDouble(7, (Double) row[5]);
                        ps.setDouble(8, (Double) row[6]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_hourly (device_id, bucket, results, "
                        + "probes_sent, probes_answered, rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_weight, up_seconds, "
                        + "down_seconds, unreachable_seconds) VALUES (?, ?, 120, 360, 270, 0.5, 2.5, 40, 270, 2700, 900, 0)")) {
                    ps.setObject(1, UUID.fromString(A));
                    ps.setTimestamp(2, Timestamp.from(hourBucket));
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_daily (device_id, bucket, results, "
                        + "probes_sent, probes_answered, rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_weight, up_seconds, "
                        + "down_seconds, unreachable_seconds) VALUES (?, ?, 2880, 8640, 8640, 0.4, 1.25, 60, 8640, 64800, 0, 21600)")) {
                    ps.setObject(1, UUID.fromString(A));
                    ps.setTimestamp(2, Timestamp.from(dayBucket));
                    ps.execute();
                }
            }
            String base = "/api/devices/" + A + "/history";

            // raw rows, two-minute steps: the first two rows make one point, the third another
            JsonNode raw = r.getJson(base + "?from=" + t + "&to=" + t.plus(Duration.ofHours(1)) + "&step=2m");
            assertEquals(A, raw.get("device").asText());
            assertEquals("raw", raw.get("source").asText());
            assertEquals("PT2M", raw.get("step").asText());
            assertEquals(t.toString(), raw.get("from").asText());
            assertEquals(2, raw.get("points").size(), raw.toString());
            JsonNode p = raw.get("points").get(0);
            assertEquals(t.toString(), p.get("t").asText());
            assertEquals(1.0, p.get("rttMinMs").asDouble());
            assertEquals(2.75, p.get("rttAvgMs").asDouble(), 1e-9, "(2 x 3 + 5 x 1) / 4");
            assertEquals(9.0, p.get("rttMaxMs").asDouble());
            assertEquals(33.333, p.get("lossPct").asDouble(), 1e-9, "2 of 6 lost");
            assertEquals(50.0, p.get("upPct").asDouble());
            assertEquals(t.plus(Duration.ofMinutes(2)).toString(), raw.get("points").get(1).get("t").asText());

            // the default: the last 24 hours from raw rows, at most 1000 points
            JsonNode day = r.getJson(base);
            assertEquals("raw", day.get("source").asText());
            assertEquals("PT2M", day.get("step").asText());
            assertTrue(day.get("points").size() <= 1000);

            // 30 days: hourly roll-ups
            JsonNode month = r.getJson(base + "?from=-30d");
            assertEquals("hourly", month.get("source").asText());
            assertEquals("PT1H", month.get("step").asText());
            JsonNode h = point(month, hourBucket);
            assertEquals(25.0, h.get("lossPct").asDouble(), 1e-9);
            assertEquals(75.0, h.get("upPct").asDouble(), 1e-9);
            assertEquals(2.5, h.get("rttAvgMs").asDouble());
            assertEquals(40.0, h.get("rttMaxMs").asDouble());

            // whole days: daily roll-ups
            JsonNode daily = r.getJson(base + "?from=-30d&to=now&step=1d");
            assertEquals("daily", daily.get("source").asText());
            assertEquals("PT24H", daily.get("step").asText());
            JsonNode d = point(daily, dayBucket);
            assertEquals(0.0, d.get("lossPct").asDouble());
            assertEquals(75.0, d.get("upPct").asDouble(), 1e-9, "UNREACHABLE counts against UP");
            assertEquals(0.4, d.get("rttMinMs").asDouble());

            // CSV
            HttpResponse<String> csvAnswer = r.get(base + "?from=" + t + "&to=" + t.plus(Duration.ofHours(1))
                    + "&step=2m&format=csv");
            assertEquals(200, csvAnswer.statusCode());
            assertTrue(csvAnswer.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            assertEquals("t,rttMinMs,rttAvgMs,rttMaxMs,lossPct,upPct\n" + t + ",1.0,2.75,9.0,33.333,50.0\n"
                    + t.plus(Duration.ofMinutes(2)) + ",1.5,1.5,1.5,0.0,100.0\n", csvAnswer.body());

            // every bad parameter named in one 400
            HttpResponse<String> bad = r.get(base + "?from=yesterday&to=-x&step=0s&format=xml&colour=red");
            assertEquals(400, bad.statusCode(), bad.body());
            for (String named : new String[] {"from 'yesterday'", "to '-x'", "step '0s'", "format 'xml'", "unknown parameter 'colour'"}) {
                assertTrue(bad.body().contains(named), named + " in " + bad.body());
            }
            HttpResponse<String> fine = r.get(base + "?from=-7d&step=1m");
            assertEquals(400, fine.statusCode());
            assertTrue(fine.body().contains("use a step of at least PT15M"), fine.body());
            HttpResponse<String> reversed = r.get(base + "?from=-1h&to=-2h");
            assertEquals(400, reversed.statusCode());
            assertTrue(reversed.body().contains("must be before"), reversed.body());
            HttpResponse<String> badId = r.get("/api/devices/nope/history?format=pdf");
            assertEquals(400, badId.statusCode());
            assertTrue(badId.body().contains("'nope' is not a device id") && badId.body().contains("format 'pdf'"), badId.body());

            // an unknown device
            HttpResponse<String> unknown = r.get("/api/devices/" + UUID.randomUUID() + "/history");
            assertEquals(404, unknown.statusCode(), unknown.body());
        }
    }

    private static JsonNode point(JsonNode answer, Instant t) {
        for (JsonNode p : answer.get("points")) {
            if (p.get("t").asText().equals(t.toString())) {
                return p;
            }
        }
        return fail("no point at " + t + " in " + answer);
    }
}
