package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: with the data directory on a full filesystem, 77,514 results were dropped with one
 * WARN line while {@code /ready} said "0 rows spooled". Now a database that does not take writes,
 * and a spool that cannot write, each make {@code /ready} answer 503 with the reason; the drops
 * are counted, and writing resumes by itself once space returns.
 *
 * <p>The data directory (the spool) is a 128 KiB tmpfs mounted by the test (root); the database
 * is a PostgreSQL of the test's own, set read-only (as after a failover to a standby) so that
 * results must go to the spool.
 */
class DiskFullIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Pattern DROPPED = Pattern.compile("ward_storage_spool_dropped_total\\{reason=\"io_error\"\\} ([0-9.E]+)");

    @TempDir
    Path dir;

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return p.exitValue();
    }

    private static void sql(DataSource ds, String... statements) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static JsonNode databaseCheck(InProcessRunner r) throws Exception {
        for (JsonNode c : InProcessRunner.JSON.readTree(r.get("/ready").body()).get("checks")) {
            if (c.get("name").asText().equals("database")) {
                return c;
            }
        }
        throw new AssertionError("no database check");
    }

    private static double dropped(InProcessRunner r) throws Exception {
        Matcher m = DROPPED.matcher(r.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aFullSpoolIsNotReadyCountsItsDropsAndResumesWhenSpaceReturns() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        run("mount", "-t", "tmpfs", "-o", "size=128k,mode=0700", "ward-diskfull-test", data.toString());
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
            StringBuilder csv = new StringBuilder("id,name,address\n");
            for (int i = 1; i <= 400; i++) {
                csv.append(DeviceId.fromKey("full-" + i)).append(",d").append(i).append(",127.46.").append(i / 200)
                        .append('.').append(i % 200 + 1).append('\n');
            }
            Path inventory = dir.resolve("fleet.csv");
            Files.writeString(inventory, csv);
            String url = "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres";
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres",
                    "WARD_DB_PASSWORD", db.password().reveal()), "run",
                    "--inventory", inventory.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                    "--db-url", url, "--db-user", db.user(), "--cluster", "false", "--data-dir", data.toString())) {
                InProcessRunner.await("the database ready", BOUND, () -> databaseCheck(r).get("ok").asBoolean());
                long before = InProcessRunner.queryLong(db.dataSource(), "select count(*) from ping_results");

                // The database stops taking writes: results go to the spool, and /ready says so.
                sql(db.dataSource(), "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
                InProcessRunner.await("/ready 503: the database does not take writes", BOUND, () -> {
                    JsonNode c = databaseCheck(r);
                    return !c.get("ok").asBoolean() && c.get("detail").asText().contains("does not take writes");
                });
                assertEquals(503, r.get("/ready").statusCode());

                // The spool fills the 128 KiB filesystem: results are lost, counted, and /ready says that.
                InProcessRunner.await("/ready: results are being lost", BOUND,
                        () -> databaseCheck(r).get("detail").asText().contains("results are being lost"));
                String detail = databaseCheck(r).get("detail").asText();
                assertTrue(detail.contains("No space left on device"), detail);
                InProcessRunner.await("drops counted", BOUND, () -> dropped(r) > 0);

                // Space returns: the spool takes results again, with no one's help.
                run("mount", "-o", "remount,size=64m", data.toString());
                InProcessRunner.await("the spool takes results again", BOUND,
                        () -> !databaseCheck(r).get("detail").asText().contains("results are being lost"));
                double droppedWhenBack = dropped(r);
                Thread.sleep(2500);
                assertEquals(droppedWhenBack, dropped(r), "nothing dropped once there is space");

                // The database takes writes again: the spool replays into it and /ready is 200.
                sql(db.dataSource(), "ALTER SYSTEM RESET default_transaction_read_only", "SELECT pg_reload_conf()");
                InProcessRunner.await("/ready 200 again", BOUND, () -> r.get("/ready").statusCode() == 200);
                InProcessRunner.await("the spool replayed", BOUND, () -> r.poller.wiring().storage().orElseThrow()
                        .spooledRows() == 0);
                assertTrue(InProcessRunner.queryLong(db.dataSource(), "select count(*) from ping_results") > before);
            }
        } finally {
            run("umount", "-l", data.toString());
        }
    }

    /**
     * Regression (review): with the disk full from the first spooled batch, the spool stays empty;
     * when the database took writes again, results went straight to it but /ready kept saying
     * "results are being lost" until some later outage spooled successfully.
     */
    @Test
    void aDatabaseBackWhileTheDiskIsStillFullIsReadyAgain() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "ward-diskfull-test", data.toString());
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
            Path inventory = dir.resolve("fleet.csv");
            Files.writeString(inventory, "id,name,address\n" + DeviceId.fromKey("full-a") + ",a,127.46.9.1\n");
            String url = "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres";
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres",
                    "WARD_DB_PASSWORD", db.password().reveal()), "run",
                    "--inventory", inventory.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                    "--db-url", url, "--db-user", db.user(), "--cluster", "false", "--data-dir", data.toString())) {
                InProcessRunner.await("the database ready", BOUND, () -> databaseCheck(r).get("ok").asBoolean());
                // Fill the filesystem to the last byte: not one spool record fits.
                try (var out = Files.newOutputStream(data.resolve("filler"))) {
                    byte[] block = new byte[4096];
                    while (true) {
                        out.write(block);
                    }
                } catch (IOException full) {
                    // no space left, as intended
                }
                sql(db.dataSource(), "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
                InProcessRunner.await("/ready: results are being lost", BOUND,
                        () -> databaseCheck(r).get("detail").asText().contains("results are being lost"));
                assertEquals(0, r.poller.wiring().storage().orElseThrow().spooledRows(), "nothing could be spooled");

                sql(db.dataSource(), "ALTER SYSTEM RESET default_transaction_read_only", "SELECT pg_reload_conf()");
                InProcessRunner.await("/ready 200 with the disk still full", BOUND, () -> r.get("/ready").statusCode() == 200);
            }
        } finally {
            run("umount", "-l", data.toString());
        }
    }
}
