package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.postgres.cluster.ClusterMember;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.ShardListener;
import io.github.wardops.ward.runner.http.HttpApi;
import io.github.wardops.ward.runner.http.ShardOf;
import io.github.wardops.ward.runner.http.SharedFleetView;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.runner.poll.Wiring;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any runner answers for the whole fleet (issue 17): a runner with the embedded PostgreSQL polls
 * two devices; its API, built with a {@link SharedFleetView} over the whole inventory (those two
 * and two polled "elsewhere"), shows the states and alerts that a second {@link PostgresStorage}
 * writes for the others in {@code /api/devices}, {@code /api/devices/{id}}, {@code /api/alerts},
 * {@code /api/summary} and {@code /api/status}, with their age; {@code /api/cluster} answers from
 * a real {@link ClusterMember} joined to the database beside a second member; an alert of a device
 * polled elsewhere is acknowledged through this runner (in the shared store) and refused a manual
 * resolution with a 409 naming its owner; bad input is still a 400.
 */
class ClusterFleetIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MINE_1 = DeviceId.fromKey("fleet-mine-1").toString();
    private static final String MINE_2 = DeviceId.fromKey("fleet-mine-2").toString();

    @TempDir
    Path dir;

    private static final ShardListener QUIET = new ShardListener() {
        @Override
        public void gained(ShardKey shard, long epoch) {
        }

        @Override
        public void lost(ShardKey shard) {
        }
    };

    private static ClusterOptions options(String name, UUID id, String address) {
        return ClusterOptions.builder().name(name).id(id).address(address).tickInterval(Duration.ofMillis(200))
                .fenceAfter(Duration.ofSeconds(4)).statementTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void theApiAnswersForDevicesPolledByAnotherRunnerFromTheSharedDatabase() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address\n" + MINE_1 + ",mine-1,127.0.0.1\n" + MINE_2 + ",mine-2,127.0.0.2\n");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory",
                csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString())) {
            Wiring w = r.poller.wiring();
            PostgresStorage storage = w.storage().orElseThrow();
            HikariDataSource pool = (HikariDataSource) storage.dataSource();
            String url = pool.getJdbcUrl();
            String user = pool.getUsername();
            String password = pool.getPassword();
            ClusterMember.Connector connect = () -> DriverManager.getConnection(url, user, password);
            UUID selfId = UUID.randomUUID();
            UUID otherId = UUID.randomUUID();
            try (ClusterMember self = ClusterMember.join(connect, options("runner a", selfId, "http://127.0.0.1:1"), QUIET);
                 ClusterMember other = ClusterMember.join(connect, options("runner b", otherId, "http://127.0.0.2:9090"), QUIET);
                 PostgresStorage elsewhere = PostgresStorage.open(PostgresOptions.builder()
                         .jdbc(url, user, Secret.of(password)).maxPoolSize(2)
                         .spoolDirectory(dir.resolve("spool-b")).build())) {
                InProcessRunner.await("both members own shards", Duration.ofSeconds(30), () -> {
                    ClusterView v = self.view();
                    return v.runners().size() == 2 && v.runners().stream().allMatch(x -> x.live() && x.shards() > 0)
                            && v.shards().stream().filter(s -> s.key().zone().isEmpty()).allMatch(s -> s.owner() != null);
                });
                // two devices polled "elsewhere": the first in a shard runner b owns, the second in zone west under it
                List<Device> mine = w.ward().inventory().devices();
                Map<DeviceId, Device> all = new HashMap<>();
                mine.forEach(d -> all.put(d.id(), d));
                Device found = null;
                for (int k = 0; found == null; k++) {
                    Device d = Device.builder(DeviceId.fromKey("fleet-theirs-" + k), "theirs-" + k,
                            InetAddress.ofLiteral("127.0.0.3")).label("region", "east").build();
                    ShardKey key = ShardOf.key(d, id -> Optional.ofNullable(all.get(id)));
                    if (self.view().shards().stream().anyMatch(s -> s.key().equals(key) && otherId.equals(s.owner()))) {
                        found = d;
                    }
                }
                Device theirs = found;
                Device zoned = Device.builder(DeviceId.fromKey("fleet-zoned"), "zoned", InetAddress.ofLiteral("127.0.0.4"))
                        .label("zone", "west").parent(theirs.id()).build();
                List<Device> fleet = new ArrayList<>(mine);
                fleet.add(theirs);
                fleet.add(zoned);
                List<Device> fleetView = List.copyOf(fleet);

                // runner b's storage writes their state and an alert, as the owner would
                Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(20);
                elsewhere.stateStore().save(new DeviceState(new StateKey(theirs.id(), 0), DeviceStatus.DOWN, t, false, 0, 4,
                        0, t.plusSeconds(60), t, null, "0000"));
                elsewhere.stateStore().save(new DeviceState(new StateKey(theirs.id(), 3), DeviceStatus.UP, t, false, 0, 0,
                        1, t, null, null, ""));
                elsewhere.stateStore().save(new DeviceState(new StateKey(DeviceId.fromKey("not-in-inventory"), 0),
                        DeviceStatus.DOWN, t, false, 0, 1, 0, t, null, null, ""));
                Alert down = new Alert(UUID.randomUUID(), theirs.id(), theirs.name(), 0, "Device Down - Critical",
                        Severity.CRITICAL, theirs.name() + " is down", t, t.plusSeconds(60), null, null, null, null, 0);
                elsewhere.alertStore().opened(down);
                elsewhere.flushStateWrites();

                HttpApi.Backend backend = new HttpApi.Backend(w.ward(), w.tracker(), w.alerting(), w.alertStore(),
                        w.registry(), List.of(), Clock.systemUTC(), storage.deviceHistory(), storage.interfaceHistory(),
                        storage.deviceEvents(), storage.availability())
                        .withFleet(SharedFleetView.over(() -> fleetView, w.ward(), w.tracker(), w.alerting(), storage,
                                Duration.ofMillis(500)), self::view);
                try (HttpApi api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), null, HttpLimits.DEFAULTS, backend)) {
                    String base = "http://127.0.0.1:" + api.address().getPort();

                    // /api/devices: the whole fleet, the others' states from the shared database
                    HttpResponse<String> list = get(base + "/api/devices");
                    assertEquals(200, list.statusCode(), list.body());
                    assertTrue(list.headers().firstValue("X-Ward-Fleet-Age").isPresent(), "the snapshot's age is said");
                    JsonNode devices = InProcessRunner.JSON.readTree(list.body());
                    assertEquals(4, devices.size(), devices.toString());
                    JsonNode th = InProcessRunner.byId(devices, theirs.id().toString());
                    assertEquals("DOWN", th.get("status").asText(), th.toString());
                    assertEquals(t.toString(), th.get("downSince").asText());
                    assertEquals(4, th.get("consecutiveFailures").asInt());
                    assertNull(th.get("lastProbeAt").textValue(), "latest results are known only where polled");
                    assertEquals("UNKNOWN", InProcessRunner.byId(devices, zoned.id().toString()).get("status").asText());
                    InProcessRunner.await("mine-1 polled here comes UP from the tracker", Duration.ofSeconds(20), () -> {
                        JsonNode d = InProcessRunner.byId(json(base + "/api/devices"), MINE_1);
                        return d.get("status").asText().equals("UP") && !d.get("lastProbeAt").isNull();
                    });
                    JsonNode paged = json(base + "/api/devices?status=down&size=10");
                    assertEquals(1, paged.get("total").asInt(), paged.toString());

                    // /api/devices/{id}
                    JsonNode one = json(base + "/api/devices/" + theirs.id());
                    assertEquals("DOWN", one.get("device").get("status").asText());
                    assertEquals("DOWN", one.get("state").get("status").asText());
                    assertEquals(1, one.get("alerts").size(), one.toString());
                    assertEquals(down.id().toString(), one.get("alerts").get(0).get("id").asText());
                    assertEquals(0, one.get("interfaces").size(), "interface states only where polled");

                    // /api/alerts, /api/summary, /api/status
                    JsonNode alerts = json(base + "/api/alerts");
                    assertNotNull(InProcessRunner.byId(alerts, down.id().toString()), alerts.toString());
                    HttpResponse<String> summaryAnswer = get(base + "/api/summary");
                    assertTrue(summaryAnswer.headers().firstValue("X-Ward-Fleet-Age").isPresent());
                    JsonNode summary = InProcessRunner.JSON.readTree(summaryAnswer.body());
                    assertEquals(4, summary.get("devices").asInt(), summary.toString());
                    assertEquals(1, summary.get("counts").get("DOWN").asInt(), summary.toString());
                    assertTrue(summary.get("alerts").asInt() >= 1);
                    JsonNode east = null;
                    for (JsonNode reg : summary.get("regions")) {
                        if ("east".equals(reg.get("region").textValue())) {
                            east = reg;
                        }
                    }
                    assertNotNull(east, summary.toString());
                    assertEquals(1, east.get("counts").get("DOWN").asInt());
                    JsonNode status = json(base + "/api/status");
                    assertEquals(4, status.get("devices").size());
                    assertEquals(1, status.get("counts").get("DOWN").asInt(), status.toString());
                    assertNotNull(InProcessRunner.byId(status.get("alerts"), down.id().toString()), status.toString());
                    JsonNode problems = json(base + "/api/status?devices=problems");
                    assertEquals(theirs.id().toString(), problems.get("devices").get(0).get("id").asText());

                    // /api/cluster: both runners, the shard map, zone west without a runner
                    HttpResponse<String> clusterAnswer = get(base + "/api/cluster");
                    assertEquals(200, clusterAnswer.statusCode(), clusterAnswer.body());
                    JsonNode cluster = InProcessRunner.JSON.readTree(clusterAnswer.body());
                    assertEquals(selfId.toString(), cluster.get("self").asText());
                    assertFalse(cluster.get("fenced").asBoolean());
                    assertEquals(2, cluster.get("runners").size(), cluster.get("runners").toString());
                    int shards = 0;
                    int counted = 0;
                    for (JsonNode run : cluster.get("runners")) {
                        assertTrue(run.get("live").asBoolean());
                        assertFalse(run.get("lastHeartbeat").isNull());
                        shards += run.get("shards").asInt();
                        counted += run.get("devices").asInt();
                        if (run.get("id").asText().equals(otherId.toString())) {
                            assertEquals("http://127.0.0.2:9090", run.get("address").asText());
                            assertTrue(run.get("devices").asInt() >= 1, "theirs is in one of b's shards");
                        }
                    }
                    assertEquals(256, shards);
                    assertEquals(3, counted, "every device without a zone has an owner");
                    assertEquals(1, cluster.get("devicesWithoutOwner").asInt(), "zone west has no runner");
                    assertTrue(cluster.get("shards").size() >= 256);
                    JsonNode shard0 = cluster.get("shards").get(0);
                    for (String f : List.of("zone", "shard", "owner", "ownerLive", "epoch", "since")) {
                        assertTrue(shard0.has(f), f);
                    }
                    // the runner alone (its own API) is not in cluster mode
                    HttpResponse<String> alone = r.get("/api/cluster");
                    assertEquals(404, alone.statusCode());
                    assertTrue(alone.body().contains("not in cluster mode"), alone.body());
                    assertTrue(r.get("/api/devices").headers().firstValue("X-Ward-Fleet-Age").isEmpty());

                    // resolving by hand an alert runner b owns: 409 naming runner b
                    HttpResponse<String> resolve = post(base + "/api/alerts/" + down.id() + "/resolve",
                            "{\"user\":\"noc-anna\",\"comment\":\"done\"}");
                    assertEquals(409, resolve.statusCode(), resolve.body());
                    JsonNode refused = InProcessRunner.JSON.readTree(resolve.body());
                    assertTrue(refused.get("error").asText().contains("runner b"), refused.toString());
                    assertTrue(refused.get("error").asText().contains("127.0.0.2:9090"), refused.toString());
                    assertEquals(otherId.toString(), refused.get("owner").get("id").asText());
                    HttpResponse<String> unknown = post(base + "/api/alerts/" + UUID.randomUUID() + "/resolve",
                            "{\"user\":\"noc-anna\"}");
                    assertEquals(404, unknown.statusCode(), unknown.body());

                    // acknowledging it through this runner: recorded in the shared store, shown at once
                    HttpResponse<String> ack = post(base + "/api/alerts/" + down.id() + "/ack", "{\"user\":\"noc-anna\"}");
                    assertEquals(200, ack.statusCode(), ack.body());
                    assertEquals("noc-anna", InProcessRunner.JSON.readTree(ack.body()).get("acknowledgedBy").asText());
                    Alert stored = elsewhere.alertStore().loadOpen().stream().filter(a -> a.id().equals(down.id()))
                            .findFirst().orElseThrow();
                    assertEquals("noc-anna", stored.acknowledgedBy(), "in the shared store, for the owner to take up");
                    JsonNode after = InProcessRunner.byId(json(base + "/api/alerts"), down.id().toString());
                    assertEquals("noc-anna", after.get("acknowledgedBy").asText(), after.toString());

                    // a change written elsewhere shows within the snapshot's most age
                    elsewhere.stateStore().save(new DeviceState(new StateKey(theirs.id(), 0), DeviceStatus.UP,
                            t.plusSeconds(90), false, 0, 0, 3, t.plusSeconds(100), null, null, ""));
                    elsewhere.flushStateWrites();
                    InProcessRunner.await("theirs UP through the snapshot", Duration.ofSeconds(10), () ->
                            InProcessRunner.byId(json(base + "/api/devices"), theirs.id().toString())
                                    .get("status").asText().equals("UP"));

                    // bad input is still a 400
                    assertEquals(400, get(base + "/api/devices/not-a-uuid").statusCode());
                    assertEquals(400, get(base + "/api/cluster?x=1").statusCode());
                    assertEquals(400, post(base + "/api/alerts/nope/resolve", "{\"user\":\"a\"}").statusCode());
                    assertEquals(404, get(base + "/api/devices/" + UUID.randomUUID()).statusCode());
                    assertEquals(200, get(base + "/api/devices/" + zoned.id() + "/events").statusCode(),
                            "a device polled elsewhere has its stored past too");
                }
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String url) throws Exception {
        HttpResponse<String> r = get(url);
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return InProcessRunner.JSON.readTree(r.body());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
