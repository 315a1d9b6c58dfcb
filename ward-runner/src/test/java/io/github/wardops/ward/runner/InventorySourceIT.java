package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inventory-source database} and {@code both}: the devices table is polled, changes made by
 * another program (SQL here) arrive while running, a row ward cannot use is rejected without
 * losing the fleet, and with {@code both} the file is upserted and wins for its own devices.
 */
class InventorySourceIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String A = DeviceId.fromKey("source-a").toString();
    private static final String B = DeviceId.fromKey("source-b").toString();
    private static final String C = DeviceId.fromKey("source-c").toString();
    private static final String D = DeviceId.fromKey("source-d").toString();

    @TempDir
    Path dir;

    private Path csv(String name, String... rows) throws Exception {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, "id,name,address,device_type\n" + String.join("\n", rows) + "\n");
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sql(DataSource ds, String... statements) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String checkNames(InProcessRunner r, String id) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : r.getJson("/api/devices/" + id).get("checks")) {
            sb.append(c.get("name").asText()).append(' ');
        }
        return sb.toString().strip();
    }

    @Test
    void theDevicesTableAloneIsPolledAndChangesArriveWhileRunning() throws Exception {
        Path data = dir.resolve("data");
        Path seed = csv("seed.csv", A + ",a,127.45.0.1,Router", B + ",b,127.45.0.2,ATM");
        assertEquals(0, WalkIT.ward("import", "--data-dir", data.toString(), seed.toString()).code());
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory-source",
                "database", "--data-dir", data.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                "--inventory-poll", "100ms", "--tcp-checks", "device_type = ATM => 9")) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            JsonNode both = r.awaitDevices(BOUND, d -> d.size() == 2 && InProcessRunner.count(d, "UP") == 2);
            assertEquals("a", InProcessRunner.byId(both, A).get("name").asText());
            assertEquals("icmp tcp:9", checkNames(r, B), "checks come from the row's labels, as for a file");
            assertEquals("icmp", checkNames(r, A));
            JsonNode ready = r.getJson("/ready");
            assertTrue(ready.toString().contains("\"name\":\"inventory\",\"ok\":true"), ready.toString());

            // Another program inserts, renames, disables.
            sql(ds, "INSERT INTO devices (id, name, address, labels) VALUES ('" + C + "', 'c', '127.45.0.3', "
                            + "'{\"device_type\": \"ATM\"}')",
                    "UPDATE devices SET name = 'a renamed' WHERE id = '" + A + "'",
                    "UPDATE devices SET enabled = false WHERE id = '" + B + "'");
            JsonNode after = r.awaitDevices(BOUND, d -> d.size() == 3 && InProcessRunner.byId(d, C) != null
                    && InProcessRunner.byId(d, A).get("name").asText().equals("a renamed") && !InProcessRunner.byId(d, B).get("enabled").asBoolean());
            assertEquals("icmp tcp:9", checkNames(r, C));
            r.awaitDevices(BOUND, d -> InProcessRunner.byId(d, C).get("status").asText().equals("UP"));
            assertTrue(after.size() == 3);

            // A row ward cannot use (a nested label): rejected, nothing lost, counted.
            sql(ds, "INSERT INTO devices (id, name, address, labels) VALUES ('" + D + "', 'd', '127.45.0.4', "
                    + "'{\"site\": {\"floor\": 2}}')");
            InProcessRunner.await("the rejection counted", BOUND, () -> r.get("/metrics").body()
                    .contains("ward_runner_inventory_reloads_total{outcome=\"rejected\"} 1.0"));
            assertEquals(3, r.devices().size(), "the previous devices are still polled");
            assertTrue(InProcessRunner.byId(r.devices(), D) == null);

            // Fixed, and a delete: both arrive.
            sql(ds, "UPDATE devices SET labels = '{\"site\": \"floor 2\"}' WHERE id = '" + D + "'",
                    "DELETE FROM devices WHERE id = '" + A + "'");
            r.awaitDevices(BOUND, d -> d.size() == 3 && InProcessRunner.byId(d, D) != null && InProcessRunner.byId(d, A) == null);
            String metrics = r.get("/metrics").body();
            assertFalse(metrics.contains("ward_runner_inventory_reloads_total{outcome=\"applied\"} 0.0"), metrics);
        }
    }

    @Test
    void bothUpsertsTheFilePollsEveryDeviceOfTheTableAndTheFileWinsForItsOwn() throws Exception {
        Path data = dir.resolve("data");
        // C is in the table only (imported earlier from another file).
        Path other = csv("other.csv", C + ",c from elsewhere,127.45.1.3,Switch");
        assertEquals(0, WalkIT.ward("import", "--data-dir", data.toString(), other.toString()).code());
        Path fleet = csv("fleet.csv", A + ",a,127.45.1.1,Router", B + ",b,127.45.1.2,Router");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory-source",
                "both", "--inventory", fleet.toString(), "--data-dir", data.toString(), "--interval", "1s", "--http",
                "127.0.0.1:0", "--inventory-poll", "100ms")) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            r.awaitDevices(BOUND, d -> d.size() == 3 && InProcessRunner.count(d, "UP") == 3);
            assertEquals(3, InProcessRunner.queryLong(ds, "SELECT count(*) FROM devices"), "the file was upserted");

            // Edits in the table: C's arrives; A's is overridden by the file's row.
            sql(ds, "UPDATE devices SET name = 'a edited in sql' WHERE id = '" + A + "'",
                    "UPDATE devices SET name = 'c edited in sql' WHERE id = '" + C + "'");
            r.awaitDevices(BOUND, d -> InProcessRunner.byId(d, C).get("name").asText().equals("c edited in sql"));
            assertEquals("a", InProcessRunner.byId(r.devices(), A).get("name").asText(), "the file's row wins for a device in both");

            // The file changes: D is added to the table and polled; B, gone from the file, stays (it is in the table).
            csv("fleet.csv", A + ",a,127.45.1.1,Router", D + ",d,127.45.1.4,Router");
            r.awaitDevices(BOUND, d -> d.size() == 4 && InProcessRunner.byId(d, D) != null);
            assertEquals(1, InProcessRunner.queryLong(ds, "SELECT count(*) FROM devices WHERE id = '" + D + "' AND name = 'd'"));
            assertTrue(InProcessRunner.byId(r.devices(), B) != null, "removing a row from the file does not delete the device");
        }
    }

    @Test
    void aTableWithABadRowAtStartIsCountedNotReadyAndPolledOnceFixed() throws Exception {
        Path data = dir.resolve("data");
        Path seed = csv("seed.csv", A + ",a,127.45.2.1,Router");
        assertEquals(0, WalkIT.ward("import", "--data-dir", data.toString(), seed.toString()).code());
        String[] args = {"run", "--inventory-source", "database", "--data-dir", data.toString(), "--interval", "1s",
            "--http", "127.0.0.1:0", "--inventory-poll", "100ms"};
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), args)) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            r.awaitDevices(BOUND, d -> d.size() == 1);
            // Another program writes a row ward cannot use while it runs: counted, the device read before stays.
            sql(ds, "INSERT INTO devices (id, name, address, labels) VALUES ('" + B + "', 'b', '127.45.2.2', "
                    + "'{\"rack\": [1, 2]}')");
            InProcessRunner.await("the rejection counted", BOUND, () -> r.get("/metrics").body()
                    .contains("ward_runner_inventory_reloads_total{outcome=\"rejected\"} 1.0"));
            String ready = r.get("/ready").body();
            assertTrue(ready.contains("\"name\":\"inventory\",\"ok\":true"), "read once, so still ready: " + ready);
            assertTrue(ready.contains("last read: the devices table has 1 row(s) ward cannot use: device " + B), ready);
            assertEquals(1, r.devices().size());
        }
        // Started with the bad row in the table: counted at start, not ready, nothing polled until it is fixed.
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), args)) {
            DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
            assertTrue(r.get("/metrics").body().contains("ward_runner_inventory_reloads_total{outcome=\"rejected\"} 1.0"));
            var notReady = r.get("/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("the devices table has not been read: the devices table has 1 row(s)"),
                    notReady.body());
            assertEquals(0, r.devices().size());
            sql(ds, "UPDATE devices SET labels = '{\"rack\": \"1-2\"}' WHERE id = '" + B + "'");
            r.awaitDevices(BOUND, d -> d.size() == 2);
            InProcessRunner.await("ready once read", BOUND, () -> r.get("/ready").statusCode() == 200);
            assertTrue(r.get("/ready").body().contains("\"detail\":\"devices table read (database)\""), "problem cleared");
        }
    }
}
