package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code kill -9} of the embedded postmaster while the runner polls with storage on.
 * The runner restarts it on the same port; {@code /ready} answers 503 saying so, then 200;
 * {@code ward_storage_embedded_restarts_total} is 1; and every result the engine produced lands
 * in {@code ping_results}: the spooled ones replayed, no gap in any device's series.
 */
class EmbeddedRestartIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int DEVICES = 10;

    @TempDir
    Path dir;

    private static JsonNode database(InProcessRunner r) throws Exception {
        HttpResponse<String> ready = r.get("/ready");
        JsonNode body = InProcessRunner.JSON.readTree(ready.body());
        for (JsonNode c : body.get("checks")) {
            if (c.get("name").asText().equals("database")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("httpStatus", ready.statusCode());
                return c;
            }
        }
        return fail("no database check: " + body);
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.Ee+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double sum(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aKilledPostmasterIsRestartedAndEveryResultLands() throws Exception {
        StringBuilder csv = new StringBuilder("id,name,address\n");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= DEVICES; i++) {
            String id = DeviceId.fromKey("restart-" + i).toString();
            ids.add(id);
            csv.append(id).append(",d").append(i).append(",127.47.0.").append(i).append('\n');
        }
        Path fleet = Files.writeString(dir.resolve("fleet.csv"), csv);
        Path data = dir.resolve("data");
        Path pg = data.resolve("pg");
        MeterRegistry registry;
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory",
                fleet.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--data-dir", data.toString())) {
            registry = r.poller.registry();
            javax.sql.DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            InProcessRunner.await("results of every device stored", BOUND, () -> InProcessRunner.queryLong(ds,
                    "select count(distinct device_id) from ping_results") == DEVICES);
            JsonNode before = database(r);
            assertTrue(before.get("ok").asBoolean(), before.toString());
            assertTrue(before.get("detail").asText().contains("server running (pid "), before.toString());
            String port = before.get("detail").asText().replaceAll(".* on 127\\.0\\.0\\.1:(\\d+).*", "$1");

            long postmaster = Long.parseLong(Files.readAllLines(pg.resolve("postmaster.pid")).getFirst().strip());
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(postmaster)).start();
            assertEquals(0, kill.waitFor());

            JsonNode[] down = new JsonNode[1];
            InProcessRunner.await("/ready saying the server is being restarted", BOUND, () -> {
                JsonNode d = database(r);
                if (d.get("httpStatus").asInt() == 503 && d.get("detail").asText().contains("being restarted")) {
                    down[0] = d;
                    return true;
                }
                return false;
            });
            assertTrue(down[0].get("detail").asText().contains("signal 9 (KILL)"), down[0].toString());
            InProcessRunner.await("/ready 200 again", BOUND, () -> r.get("/ready").statusCode() == 200);
            JsonNode after = database(r);
            assertTrue(after.get("detail").asText().contains("on 127.0.0.1:" + port), "the same port: " + after);
            assertTrue(after.get("detail").asText().contains("restarted 1 time"), after.toString());
            String metrics = r.get("/metrics").body();
            assertEquals(1.0, metric(metrics, "ward_storage_embedded_restarts_total"), metrics);
            assertEquals(1.0, metric(metrics, "ward_storage_embedded_up"), metrics);

            // Whatever went to the spool while the server was down is replayed into it. (Whether any
            // batch spooled depends on timing: a write that waits for a pool connection outlasts a
            // short outage. The row counts below prove every result landed, either way.)
            InProcessRunner.await("the spool empty", BOUND,
                    () -> metric(r.get("/metrics").body(), "ward_storage_spool_pending_rows") == 0);
            Instant since = Instant.now();
            InProcessRunner.await("results stored after the restart", BOUND, () -> InProcessRunner.queryLong(ds,
                    "select count(*) from ping_results where at > '" + since + "'") >= DEVICES);
        }
        assertEquals(0.0, sum(registry, "ward.sink.dropped"), "nothing dropped");
        assertEquals(0.0, sum(registry, "ward.storage.spool.dropped"), "nothing dropped from the spool");
        double produced = sum(registry, "ward.probes", "type", "icmp");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(pg, 0);
             Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            Map<String, Long> rows = new HashMap<>();
            Map<String, Double> maxGap = new HashMap<>();
            try (ResultSet rs = st.executeQuery("select device_id, count(*), max(gap) from (select device_id, "
                    + "extract(epoch from at - lag(at) over (partition by device_id order by at)) as gap from ping_results) g "
                    + "group by device_id")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                    maxGap.put(rs.getString(1), rs.getDouble(3));
                }
            }
            assertEquals(DEVICES, rows.size(), rows.toString());
            long total = rows.values().stream().mapToLong(Long::longValue).sum();
            assertEquals((long) produced, total, "every result the engine produced is stored, once: " + rows);
            // The outage lasted over a second: results lost with it would leave a hole of several
            // intervals in each series. (A single late cycle on a loaded machine stays under 3 s.)
            for (String id : ids) {
                assertTrue(maxGap.get(id) < 2.9, "no gap in " + id + "'s series (largest " + maxGap.get(id) + " s)");
            }
        }
    }
}
