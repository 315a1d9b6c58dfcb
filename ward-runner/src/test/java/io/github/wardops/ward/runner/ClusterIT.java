package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.simulator.net.LoopbackOutages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several runner processes (the jar) on one PostgreSQL started by the test (issue 17): they share
 * the fleet, each device is probed by one of them, a runner killed with {@code kill -9} has its
 * devices polled again by the others without a duplicate, lost or re-notified alert, the killed
 * runner comes back and gets shards again, an acknowledgement made through one runner holds at
 * the owner, and a zone's devices are polled only by that zone's runners.
 */
class ClusterIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final Pattern STARTED = Pattern.compile("ward runner started: .* HTTP on http://127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killAll() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    /** A runner process and its log. */
    record Runner(String name, Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        int port() throws IOException {
            Matcher m = STARTED.matcher(output());
            if (!m.find()) {
                throw new AssertionError(name + " has not started:\n" + output());
            }
            return Integer.parseInt(m.group(1));
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        double metric(String name) throws Exception {
            for (String line : get("/metrics").body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Double.NaN;
        }
    }

    private Runner start(String name, EmbeddedDatabase db, Path csv, String... extra) throws Exception {
        Path jar = Path.of(System.getProperty("ward.runner.jar", "target/ward-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar.toAbsolutePath());
        Path pw = dir.resolve("db-password");
        if (!Files.exists(pw)) {
            Files.writeString(pw, db.password().reveal() + "\n");
            Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        Path rules = Files.exists(dir.resolve("alert-rules.json")) ? dir.resolve("alert-rules.json") : TestRules.statusDown(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "run", "--inventory", csv.toString(), "--interval", "1s",
                "--alert-tick", "1s", "--inventory-poll", "500ms", "--http", "127.0.0.1:0", "--alert-rules", rules.toString(),
                "--db-user", db.user(), "--data-dir", dir.resolve("data-" + name).toString()));
        if (!List.of(extra).contains("--db-url")) {
            cmd.addAll(List.of("--db-url", db.jdbcUrl()));
        }
        cmd.addAll(List.of(extra));
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARD_STORAGE", "postgres");
        pb.environment().put("WARD_DB_PASSWORD_FILE", pw.toString());
        Process p = pb.start();
        processes.add(p);
        Runner r = new Runner(name, p, log);
        InProcessRunner.await(name + " started", BOUND, () -> {
            assertTrue(p.isAlive(), name + " exited:\n" + r.output());
            return STARTED.matcher(r.output()).find();
        });
        return r;
    }

    private static Connection connect(EmbeddedDatabase db) throws Exception {
        return db.dataSource().getConnection();
    }

    private static long one(EmbeddedDatabase db, String sql, Object... args) throws Exception {
        try (Connection c = connect(db); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** The id of the live runner with this process id, from cluster_runners. */
    private static UUID idOf(EmbeddedDatabase db, Runner r) throws Exception {
        try (Connection c = connect(db); PreparedStatement st = c.prepareStatement(
                "SELECT id FROM cluster_runners WHERE name LIKE ? AND cluster_runner_live(id)")) {
            st.setString(1, "%, pid " + r.process().pid());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private static long liveOwners(EmbeddedDatabase db, String zone) throws Exception {
        return one(db, "SELECT count(DISTINCT owner) FROM cluster_shards WHERE zone = ? AND owner IS NOT NULL "
                + "AND cluster_runner_live(owner)", zone);
    }

    private static long ownedShards(EmbeddedDatabase db, String zone) throws Exception {
        return one(db, "SELECT count(*) FROM cluster_shards WHERE zone = ? AND owner IS NOT NULL AND cluster_runner_live(owner)",
                zone);
    }

    /** Result rows per device with a probe time in [from, to). */
    private static Map<UUID, Long> rowsPerDevice(EmbeddedDatabase db, Instant from, Instant to) throws Exception {
        Map<UUID, Long> out = new HashMap<>();
        try (Connection c = connect(db); PreparedStatement st = c.prepareStatement(
                "SELECT device_id, count(*) FROM ping_results WHERE at >= ? AND at < ? GROUP BY device_id")) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static String alertRows(EmbeddedDatabase db, DeviceId d) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(db); PreparedStatement st = c.prepareStatement(
                "SELECT alert_id, rule, opened_at, resolved_at, resolution FROM alerts WHERE device_id = ? ORDER BY opened_at")) {
            st.setObject(1, d.value());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.append("\n  ").append(rs.getString(1)).append(' ').append(rs.getString(2)).append(" opened ")
                            .append(rs.getString(3)).append(" resolved ").append(rs.getString(4)).append(' ')
                            .append(rs.getString(5));
                }
            }
        }
        return out.toString();
    }

    private static String linesAbout(List<Runner> runners, DeviceId d) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Runner r : runners) {
            for (String line : r.output().split("\n")) {
                if (line.contains(d.toString()) || line.contains("cluster:")) {
                    out.append(r.name()).append(": ").append(line).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Lines of notify-log's "alert opened: [severity] RULE on NAME (ADDRESS): ..." about the device at this address. */
    private static long openedNotifications(List<Runner> runners, String address) throws IOException {
        long n = 0;
        for (Runner r : runners) {
            for (String line : r.output().split("\n")) {
                if (line.contains("alert opened: ") && line.contains("(" + address + ")")) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void threeRunnersShareTheFleetAndTheDevicesOfOneKilledResumeWithoutADuplicateAlert() throws Exception {
        int n = 24;
        List<DeviceId> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,name,address\n");
        for (int i = 1; i <= n; i++) {
            DeviceId id = DeviceId.fromKey("cluster-it-" + i);
            ids.add(id);
            csv.append(id).append(",c").append(i).append(",127.48.0.").append(i).append('\n');
        }
        Path fleet = Files.writeString(dir.resolve("fleet.csv"), csv);
        List<DeviceId> down = ids.subList(0, 3);
        try (LoopbackOutages outages = TestFaults.outagesOrSkip();
             EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
            for (int i = 1; i <= 3; i++) {
                outages.drop(InetAddress.getByName("127.48.0." + i));
            }
            Runner a = start("a", db, fleet);
            Runner b = start("b", db, fleet);
            Runner c = start("c", db, fleet);
            List<Runner> all = new ArrayList<>(List.of(a, b, c));
            InProcessRunner.await("three runners owning all 256 shards", BOUND,
                    () -> liveOwners(db, "") == 3 && ownedShards(db, "") == 256);
            InProcessRunner.await("one open alert per device down", BOUND, () -> one(db,
                    "SELECT count(*) FROM alerts WHERE resolved_at IS NULL AND device_id = ANY(?::uuid[])",
                    (Object) down.stream().map(DeviceId::toString).toArray(String[]::new)) == 3);
            // the three together poll every device, each runner a part
            InProcessRunner.await("every device polled by one runner", BOUND, () -> a.metric("ward_runner_cluster_devices")
                    + b.metric("ward_runner_cluster_devices") + c.metric("ward_runner_cluster_devices") == n);
            assertEquals(n, a.metric("ward_runner_cluster_fleet"));
            // per-runner shard gauges: each runner shows every live runner's shards
            InProcessRunner.await("per-runner shard gauges summing to 256", BOUND, () -> {
                double sum = 0;
                int rows = 0;
                for (String line : b.get("/metrics").body().split("\n")) {
                    if (line.startsWith("ward_cluster_runner_shards{")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        rows++;
                    }
                }
                return rows == 3 && sum == 256;
            });

            // every UP device is probed once per interval (1 s), not twice: rows per device over 8 s
            Thread.sleep(2_000);
            Instant from = Instant.now();
            Thread.sleep(8_000);
            Instant to = Instant.now();
            Thread.sleep(3_000);   // the results' write-behind
            Map<UUID, Long> rows = rowsPerDevice(db, from, to);
            for (DeviceId id : ids.subList(3, n)) {
                long r = rows.getOrDefault(id.value(), 0L);
                assertTrue(r >= 1 && r <= 12, id + ": " + r + " results in 8 s at a 1 s interval (twice would be ~16): "
                        + rows);
            }

            // kill -9 of the runner that owns the most devices
            Runner victim = all.stream().max(java.util.Comparator.comparingDouble(r -> {
                try {
                    return r.metric("ward_runner_cluster_devices");
                } catch (Exception e) {
                    return 0;
                }
            })).orElseThrow();
            UUID victimId = idOf(db, victim);
            assertNotNull(victimId);
            victim.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Instant killed = Instant.now();
            InProcessRunner.await("every device probed again after the kill", BOUND, () -> {
                Map<UUID, Long> after = rowsPerDevice(db, killed.plusSeconds(1), Instant.now().plusSeconds(60));
                return ids.stream().allMatch(id -> after.containsKey(id.value()));
            });
            long failover = Duration.between(killed, Instant.now()).toSeconds();
            System.out.println("ClusterIT: every device of the killed runner probed again within " + failover + " s");
            assertEquals(0, one(db, "SELECT count(*) FROM cluster_shards WHERE owner = ?", victimId),
                    "the killed runner's shards moved");
            Thread.sleep(3_000);
            for (DeviceId d : down) {
                assertEquals(1, one(db, "SELECT count(*) FROM alerts WHERE device_id = ?", d.value()),
                        d + ": one alert, never closed and opened again: " + alertRows(db, d) + "\n" + linesAbout(all, d));
                assertEquals(1, one(db, "SELECT count(*) FROM alerts WHERE device_id = ? AND resolved_at IS NULL", d.value()),
                        d + ": still open");
                String address = "127.48.0." + (ids.indexOf(d) + 1);
                assertEquals(1, openedNotifications(all, address), d + ": notified once, across all runners: "
                        + linesAbout(all, d));
            }
            assertEquals(0, one(db, "SELECT count(*) FROM alerts WHERE resolution LIKE 'superseded%'"));

            // any live runner answers for the whole fleet, and lists the runners
            for (Runner r : all) {
                if (!r.process().isAlive()) {
                    continue;
                }
                InProcessRunner.await(r.name() + " answering for the whole fleet", BOUND, () -> {
                    JsonNode devices = InProcessRunner.JSON.readTree(r.get("/api/devices").body());
                    return devices.size() == n && InProcessRunner.count(devices, "DOWN") == 3
                            && InProcessRunner.count(devices, "UP") == n - 3;
                });
                JsonNode cluster = InProcessRunner.JSON.readTree(r.get("/api/cluster").body());
                long liveRunners = 0;
                for (JsonNode x : cluster.path("runners")) {
                    liveRunners += x.path("live").asBoolean() ? 1 : 0;
                }
                assertEquals(2, liveRunners, cluster.toString());
            }

            // the killed runner comes back: it gets shards again
            Runner back = start(victim.name() + "-again", db, fleet);
            all.add(back);
            InProcessRunner.await("the restarted runner owning shards", BOUND,
                    () -> liveOwners(db, "") == 3 && back.metric("ward_runner_cluster_devices") > 0
                            && ownedShards(db, "") == 256);

            // an acknowledgement made through a runner that does not own the device holds at the owner
            DeviceId x = down.getFirst();
            String alertId;
            try (Connection conn = connect(db); PreparedStatement st = conn.prepareStatement(
                    "SELECT alert_id FROM alerts WHERE device_id = ? AND resolved_at IS NULL")) {
                st.setObject(1, x.value());
                try (ResultSet rs = st.executeQuery()) {
                    assertTrue(rs.next());
                    alertId = rs.getString(1);
                }
            }
            List<Runner> live = all.stream().filter(r -> r.process().isAlive()).toList();
            Runner owner = null;
            for (Runner r : live) {
                if (owns(db, r, x)) {
                    owner = r;
                }
            }
            assertNotNull(owner, "a live runner owns " + x);
            Runner ownerRunner = owner;
            Runner other = live.stream().filter(r -> r != ownerRunner).findFirst().orElseThrow();
            HttpResponse<String> ack = other.post("/api/alerts/" + alertId + "/ack", "{\"user\":\"nino\"}");
            assertEquals(200, ack.statusCode(), ack.body());
            InProcessRunner.await("the owner holding the acknowledgement", BOUND, () -> {
                JsonNode alerts = InProcessRunner.JSON.readTree(ownerRunner.get("/api/alerts").body());
                for (JsonNode al : alerts) {
                    if (al.path("id").asText().equals(alertId)) {
                        return "nino".equals(al.path("acknowledgedBy").asText());
                    }
                }
                return false;
            });
            Thread.sleep(3_000);   // the owner's later writes of the alert keep it
            assertEquals(1, one(db, "SELECT count(*) FROM alerts WHERE alert_id = ?::uuid AND acknowledged_by = 'nino' "
                    + "AND resolved_at IS NULL", alertId));
        }
    }

    /** Whether this runner owns the device's shard now (its live runner id in cluster_shards). */
    private static boolean owns(EmbeddedDatabase db, Runner r, DeviceId d) throws Exception {
        UUID id = idOf(db, r);
        return id != null && one(db, "SELECT count(*) FROM cluster_shards WHERE zone = '' AND shard = ? AND owner = ?",
                io.github.wardops.ward.postgres.cluster.Shards.of(d.value()), id) == 1;
    }

    @Test
    void aZonesDevicesArePolledOnlyByThatZonesRunners() throws Exception {
        StringBuilder csv = new StringBuilder("id,name,address,zone\n");
        for (int i = 1; i <= 10; i++) {
            csv.append(DeviceId.fromKey("zone-west-" + i)).append(",w").append(i).append(",127.49.0.").append(i)
                    .append(",west\n");
            csv.append(DeviceId.fromKey("zone-none-" + i)).append(",n").append(i).append(",127.49.1.").append(i)
                    .append(",\n");
        }
        Path fleet = Files.writeString(dir.resolve("zones.csv"), csv);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg-zones"), 0)) {
            Runner west = start("west", db, fleet, "--zone", "west");
            Runner any = start("any", db, fleet);
            InProcessRunner.await("the west zone's shards owned by its runner, the rest shared", BOUND,
                    () -> ownedShards(db, "west") == 256 && liveOwners(db, "west") == 1 && liveOwners(db, "") == 2);
            assertEquals(0, one(db, "SELECT count(*) FROM cluster_shards s JOIN cluster_runners r ON r.id = s.owner "
                    + "WHERE s.zone = 'west' AND r.zone <> 'west'"), "only west runners own west shards");
            InProcessRunner.await("all 20 devices polled", BOUND,
                    () -> west.metric("ward_runner_cluster_devices") + any.metric("ward_runner_cluster_devices") == 20);
            assertTrue(west.metric("ward_runner_cluster_devices") >= 10, "west polls its 10 and a share of the rest");
            assertTrue(any.metric("ward_runner_cluster_devices") <= 10, "the other runner polls none of west's");
            // without a west runner, nobody polls west's devices
            west.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            InProcessRunner.await("the zone-less shards all at the other runner", BOUND,
                    () -> any.metric("ward_runner_cluster_devices") == 10 && ownedShards(db, "") == 256);
            Thread.sleep(12_000);   // past the take-over grace
            assertEquals(10.0, any.metric("ward_runner_cluster_devices"), "west's devices stay with west's runners");
            assertEquals(0, ownedShards(db, "west"));
            // and they are never shown UP from their last stored state: UNKNOWN, stale, once it is old
            InProcessRunner.await("west's devices shown UNKNOWN (stale) by the other runner", BOUND, () -> {
                JsonNode devices = InProcessRunner.JSON.readTree(any.get("/api/devices").body());
                long stale = 0;
                for (JsonNode d : devices) {
                    if (d.path("name").asText().startsWith("w") && d.path("status").asText().equals("UNKNOWN")
                            && "stale".equals(d.path("detail").asText())) {
                        stale++;
                    }
                }
                return stale == 10 && InProcessRunner.count(devices, "UP") == 10;
            });
            // one alert for the zone, not ten DOWN devices; it resolves when a west runner is back
            InProcessRunner.await("one open alert for zone west", BOUND, () -> one(db,
                    "SELECT count(*) FROM alerts WHERE rule = 'ward_zone_without_runner' AND resolved_at IS NULL") == 1);
            assertEquals(0, one(db, "SELECT count(*) FROM alerts WHERE rule <> 'ward_zone_without_runner'"),
                    "no device alert for the zone's devices");
            assertTrue(any.output().contains("zone west has no live ward runner: its 10 devices are not polled"),
                    any.output());
            Runner westAgain = start("west-again", db, fleet, "--zone", "west");
            InProcessRunner.await("the zone's alert resolved once a west runner is live", BOUND, () -> one(db,
                    "SELECT count(*) FROM alerts WHERE rule = 'ward_zone_without_runner' AND resolved_at IS NOT NULL") == 1);
            assertEquals(1, one(db, "SELECT count(*) FROM alerts WHERE rule = 'ward_zone_without_runner'"));
            InProcessRunner.await("west polled again", BOUND, () -> westAgain.metric("ward_runner_cluster_devices") >= 10);
            assertFalse(any.output().contains("Exception"), any.output());
            assertFalse(any.output().contains("ERROR"), any.output());
        }
    }

    private static void nft(String script) throws Exception {
        Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("nft failed: " + out);
        }
    }

    /**
     * A runner cut off from the database (an nftables drop of its traffic to and from the
     * database port; it reaches the database from its own loopback address, 127.0.0.9, so only its
     * traffic is cut) stops probing and alerting before its shards move to the other runner, says
     * so on /ready, and takes shards again once the cut is lifted.
     */
    @Test
    void aRunnerCutOffFromTheDatabaseStopsProbingBeforeItsShardsMove() throws Exception {
        try {
            nft("table inet ward_cluster_it_probe {\n}\n");
            nft("delete table inet ward_cluster_it_probe\n");
        } catch (Exception e) {
            if (TestFaults.ci()) {
                throw new AssertionError("CI=true but nftables cannot be used: " + e.getMessage(), e);
            }
            org.junit.jupiter.api.Assumptions.abort("nftables cannot be used here (needs root and nft): " + e.getMessage());
        }
        StringBuilder csv = new StringBuilder("id,name,address\n");
        for (int i = 1; i <= 24; i++) {
            csv.append(DeviceId.fromKey("cut-" + i)).append(",k").append(i).append(",127.51.0.").append(i).append('\n');
        }
        Path fleet = Files.writeString(dir.resolve("cut.csv"), csv);
        String table = "ward_cluster_it_" + ProcessHandle.current().pid();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg-cut"), 0)) {
            // the test's own server: let it also accept logins from 127.0.0.9 (password, as from 127.0.0.1)
            Path hba = dir.resolve("pg-cut").resolve("pg_hba.conf");
            Files.writeString(hba, "host all all 127.0.0.9/32 scram-sha-256\n", java.nio.file.StandardOpenOption.APPEND);
            one(db, "SELECT CASE WHEN pg_reload_conf() THEN 1 ELSE 0 END");
            int port = URI.create(db.jdbcUrl().substring("jdbc:".length())).getPort();
            Runner stays = start("stays", db, fleet);
            Runner cut = start("cut", db, fleet, "--db-url", db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?")
                    + "localSocketAddress=127.0.0.9");
            InProcessRunner.await("both runners owning shards", BOUND,
                    () -> liveOwners(db, "") == 2 && ownedShards(db, "") == 256 && cut.metric("ward_runner_cluster_devices") > 0);
            UUID cutId = idOf(db, cut);
            long cutShards = one(db, "SELECT count(*) FROM cluster_shards WHERE owner = ?", cutId);
            assertTrue(cutShards > 0);
            try {
                nft("table inet " + table + " {\nchain out {\ntype filter hook output priority -10; policy accept\n"
                        + "ip saddr 127.0.0.9 tcp dport " + port + " drop\n"
                        + "ip daddr 127.0.0.9 tcp sport " + port + " drop\n}\n}\n");
                Instant cutAt = Instant.now();
                Instant stopped = null;
                Instant moved = null;
                long deadline = System.nanoTime() + BOUND.toNanos();
                while ((stopped == null || moved == null) && System.nanoTime() < deadline) {
                    if (stopped == null && cut.metric("ward_runner_cluster_devices") == 0) {
                        stopped = Instant.now();
                        HttpResponse<String> ready = cut.get("/ready");
                        assertEquals(503, ready.statusCode(), ready.body());
                        assertTrue(ready.body().contains("FENCED"), ready.body());
                    }
                    if (moved == null && one(db, "SELECT count(*) FROM cluster_shards WHERE owner = ?", cutId) < cutShards) {
                        moved = Instant.now();
                        assertNotNull(stopped, "the shards of the runner cut off moved to another while it still probed them");
                    }
                    Thread.sleep(100);
                }
                assertNotNull(stopped, "the runner cut off never stopped probing:\n" + cut.output());
                assertNotNull(moved, "its shards never moved");
                System.out.println("ClusterIT: cut off at 0 s, stopped probing at " + Duration.between(cutAt, stopped).toMillis()
                        + " ms, its shards moved at " + Duration.between(cutAt, moved).toMillis() + " ms");
                assertTrue(cut.output().contains("FENCED"), "said at WARN:\n" + cut.output());
                InProcessRunner.await("the other runner polling all 24", BOUND,
                        () -> stays.metric("ward_runner_cluster_devices") == 24);
            } finally {
                nft("delete table inet " + table + "\n");
            }
            InProcessRunner.await("the runner cut off rejoining and owning shards again", BOUND,
                    () -> cut.metric("ward_runner_cluster_devices") > 0 && liveOwners(db, "") == 2);
        }
    }
}
