package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default run (no db-url) stores into the embedded PostgreSQL in the data directory; a device
 * going down and coming back shows in the API, the alerts, the database and the metrics.
 */
class StorageIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String A = DeviceId.fromKey("storage-a").toString();
    private static final String B = DeviceId.fromKey("storage-b").toString();

    @TempDir
    Path dir;

    private Path writeCsv(String addressOfB) throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Path tmp = dir.resolve("fleet.csv.tmp");
        Files.writeString(tmp, "id,name,address,region\n" + A + ",a,127.44.0.1,Achara\n" + B + ",b," + addressOfB + ",Achara\n");
        Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return csv;
    }

    private static long query(DataSource ds, String sql, String device) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            if (device != null) {
                st.setObject(1, UUID.fromString(device));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static JsonNode byId(JsonNode list, String id) {
        for (JsonNode d : list) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return fail("no device " + id + " in " + list);
    }

    private static boolean hasAlert(JsonNode alerts, String device, boolean open) {
        for (JsonNode a : alerts) {
            if (a.get("deviceId").asText().equals(device) && a.get("open").asBoolean() == open) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDefaultRunStoresResultsInTheEmbeddedDatabaseAndADeviceGoingDownAndBackShowsEverywhere() throws Exception {
        try (LoopbackFaults faults = TestFaults.installOrSkip()) {
            Path csv = writeCsv("127.44.0.2");
            Path data = dir.resolve("data");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory",
                    csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--inventory-poll", "100ms",
                    "--down-after", "2", "--up-after", "1", "--alert-tick", "1s", "--data-dir", data.toString(),
                    "--alert-rules", TestRules.statusDown(dir).toString())) {
                assertTrue(Files.isDirectory(data.resolve("pg")), "the embedded server's data directory");
                DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
                r.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 2);

                // After a cycle, the results are in ping_results, and the inventory in devices.
                InProcessRunner.await("ping results of both devices stored", BOUND, () -> query(ds,
                        "select count(distinct device_id) from ping_results where status = 'UP'", null) == 2);
                assertEquals(2, query(ds, "select count(*) from devices", null));
                assertEquals(1, query(ds, "select count(*) from devices where labels->>'region' = 'Achara' and id = ?", A));

                JsonNode ready = InProcessRunner.JSON.readTree(r.get("/ready").body());
                boolean databaseReady = false;
                for (JsonNode c : ready.get("checks")) {
                    if (c.get("name").asText().equals("database")) {
                        databaseReady = c.get("ok").asBoolean();
                    }
                }
                assertTrue(databaseReady, ready.toString());

                // B goes silent.
                writeCsv(LoopbackFaults.silentHost(7));
                r.awaitDevices(BOUND, d -> byId(d, B).get("status").asText().equals("DOWN")
                        && byId(d, A).get("status").asText().equals("UP"));
                InProcessRunner.await("an open alert for b", BOUND, () -> hasAlert(r.getJson("/api/alerts"), B, true));
                InProcessRunner.await("b's failed pings stored", BOUND, () -> query(ds,
                        "select count(*) from ping_results where status = 'DOWN' and device_id = ?", B) > 0);
                assertEquals(0, query(ds, "select count(*) from ping_results where status = 'DOWN' and device_id = ?", A));
                String metrics = r.get("/metrics").body();
                assertTrue(metrics.contains("ward_state_devices{status=\"down\"} 1.0"), metrics);
                assertTrue(metrics.contains("ward_storage_rows_written_total"), "storage meters on /metrics");
                assertTrue(metrics.contains("hikaricp_connections_active"), "the pool's meters on /metrics");

                // B comes back.
                writeCsv("127.44.0.2");
                r.awaitDevices(BOUND, d -> byId(d, B).get("status").asText().equals("UP"));
                InProcessRunner.await("b's alert resolved", BOUND, () -> hasAlert(r.getJson("/api/alerts?state=resolved"), B, false));
                assertFalse(hasAlert(r.getJson("/api/alerts"), B, true));
                long upAfter = query(ds, "select count(*) from ping_results where status = 'UP' and device_id = ?", B);
                InProcessRunner.await("b's pings stored as up again", BOUND, () -> query(ds,
                        "select count(*) from ping_results where status = 'UP' and device_id = ?", B) > upAfter);
                String metricsAfter = r.get("/metrics").body();
                assertTrue(metricsAfter.contains("ward_state_devices{status=\"down\"} 0.0"), metricsAfter);
            }
            // Stopped: the embedded server is down, its data directory kept for the next start.
            assertTrue(Files.isRegularFile(data.resolve("pg").resolve("PG_VERSION")));
        }
    }
}
