package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.alert.WebhookOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of {@code ward run} with the state tracker and alerting wired in: bearer token,
 * readiness, device detail, a device going down (alert opens, is acknowledged, resolves), and a
 * parent going down (its child is UNREACHABLE). Real ICMP on loopback; silent hosts from
 * nftables rules.
 */
class ApiIT {
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final String TOKEN = "it-token-0123456789";
    private static final String WEBHOOK_SECRET = "it-webhook-secret-42";
    private static final String ROUTER = DeviceId.fromKey("api-router").toString();
    private static final String CHILD = DeviceId.fromKey("api-child").toString();
    private static final String PLAIN = DeviceId.fromKey("api-plain").toString();

    @TempDir
    Path dir;

    private Path writeCsv(String routerAddr, String childAddr, String plainAddr) throws Exception {
        String csv = "id,name,address,region,branch,parent_id\n"
                + ROUTER + ",router," + routerAddr + ",Achara,Batumi,\n"
                + CHILD + ",child," + childAddr + ",Achara,Batumi," + ROUTER + "\n"
                + PLAIN + ",plain," + plainAddr + ",Imereti,Kutaisi,\n";
        Path tmp = dir.resolve("fleet.csv.tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        return Files.move(tmp, dir.resolve("fleet.csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode byId(JsonNode devices, String id) {
        for (JsonNode d : devices) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError(id + " not in " + devices);
    }

    private static JsonNode await(InProcessRunner r, String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        JsonNode last;
        do {
            last = r.getJson(path);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError(path + " not as expected within " + BOUND + "; last answer: " + last);
    }

    private static HttpRequest.Builder post(InProcessRunner r, String path, String type, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return type == null ? b : b.header("Content-Type", type);
    }

    /** A webhook receiver on loopback that keeps what it got (bounded). */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<String[]> got = new LinkedBlockingQueue<>(1000);

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 16);
            server.createContext("/hook", ex -> {
                try (ex) {
                    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    got.offer(new String[] {body, ex.getRequestHeaders().getFirst(WebhookOptions.SIGNATURE_HEADER)});
                    ex.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tokenReadinessDeviceDetailAlertsAcknowledgementWebhookAndAParentTakingItsChildDown() throws Exception {
        try (LoopbackFaults faults = TestFaults.installOrSkip(); Receiver hook = new Receiver()) {
            Path csv = writeCsv("127.43.0.1", "127.43.0.2", "127.43.0.3");
            Path hookSecret = Files.writeString(dir.resolve("hook-secret"), WEBHOOK_SECRET + "\n");
            Instant start = Instant.now();
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_HTTP_TOKEN", TOKEN,
                            "WARD_WEBHOOK_SECRET_FILE", hookSecret.toString()), "run", "--inventory", csv.toString(),
                    "--interval", "1s", "--http", "127.0.0.1:0", "--inventory-poll", "100ms", "--down-after", "2",
                    "--up-after", "1", "--alert-tick", "1s", "--webhook-url", hook.url(),
                    "--alert-rules", TestRules.statusDown(dir).toString())) {
                // Without the token: only /health and the page shell answer.
                for (String p : List.of("/api/devices", "/api/alerts", "/ready", "/metrics", "/api/devices/" + PLAIN, "/nothing")) {
                    HttpResponse<String> denied = r.get(p);
                    assertEquals(401, denied.statusCode(), p);
                    assertEquals("Bearer realm=\"ward\"", denied.headers().firstValue("WWW-Authenticate").orElseThrow(), p);
                    assertFalse(denied.body().contains(TOKEN));
                }
                assertEquals(200, r.get("/health").statusCode());
                HttpResponse<String> page = r.get("/");
                assertEquals(200, page.statusCode());
                assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
                assertTrue(page.body().contains("<title>ward status</title>"));
                assertFalse(page.body().contains("src=\"http"), "no external assets");
                r.token = "wrong-token-0123456789";
                assertEquals(401, r.get("/api/devices").statusCode());
                r.token = TOKEN + "x";
                assertEquals(401, r.get("/api/devices").statusCode());
                r.token = TOKEN;

                JsonNode up = await(r, "/api/devices", d -> InProcessRunner.count(d, "UP") == 3);
                assertEquals(ROUTER, byId(up, CHILD).get("parentId").asText());
                assertFalse(byId(up, PLAIN).get("flapping").asBoolean());
                assertTrue(byId(up, PLAIN).get("downSince").isNull());

                HttpResponse<String> ready = r.get("/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                JsonNode rj = InProcessRunner.JSON.readTree(ready.body());
                assertEquals("ready", rj.get("status").asText());
                List<String> names = new ArrayList<>();
                rj.get("checks").forEach(c -> {
                    names.add(c.get("name").asText());
                    assertTrue(c.get("ok").asBoolean(), c.toString());
                });
                assertEquals(List.of("icmp", "engine", "cache"), names);

                JsonNode detail = r.getJson("/api/devices/" + ROUTER);
                assertEquals("router", detail.get("device").get("name").asText());
                assertEquals("UP", detail.get("state").get("status").asText());
                assertEquals(1, detail.get("dependents").asInt(), detail.toString());
                JsonNode check = detail.get("checks").get(0);
                assertEquals("icmp", check.get("name").asText());
                assertEquals("icmp", check.get("type").asText());
                assertEquals(1.0, check.get("intervalSeconds").asDouble());
                assertEquals("UP", check.get("outcome").asText());
                assertTrue(check.get("latencyMs").asDouble() >= 0);
                assertTrue(check.get("values").size() > 0, check.toString());
                assertTrue(detail.get("values").has("avg_ping_ms"), detail.toString());
                assertEquals(0, detail.get("alerts").size());
                assertEquals(400, r.get("/api/devices/not-a-uuid").statusCode());
                assertEquals(404, r.get("/api/devices/" + DeviceId.fromKey("nobody")).statusCode());
                assertEquals(0, r.getJson("/api/alerts").size());

                // The plain device and the router go silent; the router's child too.
                writeCsv(LoopbackFaults.silentHost(1), LoopbackFaults.silentHost(2), LoopbackFaults.silentHost(3));
                JsonNode down = await(r, "/api/devices", d -> byId(d, PLAIN).get("status").asText().equals("DOWN")
                        && byId(d, ROUTER).get("status").asText().equals("DOWN")
                        && byId(d, CHILD).get("status").asText().equals("UNREACHABLE"));
                Instant downSince = Instant.parse(byId(down, PLAIN).get("downSince").asText());
                assertTrue(downSince.isAfter(start), downSince.toString());
                assertNotNull(byId(down, CHILD).get("downSince").asText());
                assertEquals(1, r.getJson("/api/devices?status=unreachable").size());

                // The child may fail before its parent is confirmed down; once the parent is, the child's alert goes.
                JsonNode alerts = await(r, "/api/alerts", a -> rulesOf(a, PLAIN).contains("Ping Unavailable")
                        && rulesOf(a, ROUTER).contains("Ping Unavailable") && rulesOf(a, CHILD).isEmpty());
                JsonNode plainAlert = null;
                for (JsonNode a : alerts) {
                    assertTrue(a.get("open").asBoolean());
                    if (a.get("deviceId").asText().equals(PLAIN) && a.get("group").asText().equals("reachability")) {
                        assertNull(plainAlert, "one problem per outage: " + alerts);
                        plainAlert = a;
                    }
                }
                assertNotNull(plainAlert);
                assertEquals("Ping Unavailable", plainAlert.get("history").get(0).get("rule").asText(), plainAlert.toString());
                assertFalse(plainAlert.get("address").asText().isEmpty(), "the alert says which device: " + plainAlert);
                assertTrue(plainAlert.get("device").asText().startsWith("plain (" + plainAlert.get("address").asText()),
                        plainAlert.toString());
                assertEquals("CRITICAL", plainAlert.get("severity").asText());
                assertEquals("plain", plainAlert.get("deviceName").asText());
                assertTrue(plainAlert.get("acknowledgedBy").isNull());
                assertEquals(0, r.getJson("/api/alerts?severity=medium,low").size(), "only critical and high rules fired");
                assertFalse(rulesOf(r.getJson("/api/alerts?severity=CRITICAL"), PLAIN).isEmpty());
                assertTrue(alerts.toString().contains("\"impactedDevices\":1"), "the router's alert counts its child: " + alerts);
                assertEquals(400, r.get("/api/alerts?state=sideways&severity=huge").statusCode());
                assertTrue(r.get("/api/alerts?state=sideways&severity=huge").body().contains("huge"));
                assertTrue(r.getJson("/api/devices/" + PLAIN).get("alerts").size() >= 1);

                // Acknowledge it.
                String ackPath = "/api/alerts/" + plainAlert.get("id").asText() + "/ack";
                assertEquals(405, r.get(ackPath).statusCode());
                assertEquals(415, r.send(post(r, ackPath, "text/plain", "{\"user\":\"alice\"}").build()).statusCode());
                assertEquals(400, r.send(post(r, ackPath, "application/json", "{\"who\":\"alice\"}").build()).statusCode());
                assertEquals(400, r.send(post(r, ackPath, "application/json", "not json").build()).statusCode());
                assertEquals(413, r.send(post(r, ackPath, "application/json", "{\"user\":\"" + "a".repeat(5000) + "\"}").build())
                        .statusCode());
                assertEquals(401, r.sendRaw(post(r, ackPath, "application/json", "{\"user\":\"mallory\"}").build()).statusCode());
                assertEquals(404, r.send(post(r, "/api/alerts/" + java.util.UUID.randomUUID() + "/ack", "application/json",
                        "{\"user\":\"alice\"}").build()).statusCode());
                HttpResponse<String> acked = r.send(post(r, ackPath, "application/json; charset=utf-8", "{\"user\":\"alice\"}").build());
                assertEquals(200, acked.statusCode(), acked.body());
                JsonNode ackedJson = InProcessRunner.JSON.readTree(acked.body());
                assertEquals("alice", ackedJson.get("acknowledgedBy").asText());
                assertFalse(Instant.parse(ackedJson.get("acknowledgedAt").asText()).isBefore(start));

                // Resolve the router's alert by hand while it is still down: recorded, then opened again.
                String routerAlert = null;
                for (JsonNode a : r.getJson("/api/alerts")) {
                    if (a.get("deviceId").asText().equals(ROUTER) && a.get("group").asText().equals("reachability")) {
                        routerAlert = a.get("id").asText();
                    }
                }
                assertNotNull(routerAlert);
                String resolvePath = "/api/alerts/" + routerAlert + "/resolve";
                assertEquals(400, r.send(post(r, resolvePath, "application/json", "{\"user\":\"bob\",\"comment\":7}").build())
                        .statusCode());
                assertEquals(400, r.send(post(r, resolvePath, "application/json",
                        "{\"user\":\"bob\",\"comment\":\"" + "c".repeat(501) + "\"}").build()).statusCode());
                assertEquals(404, r.send(post(r, "/api/alerts/" + java.util.UUID.randomUUID() + "/resolve", "application/json",
                        "{\"user\":\"bob\"}").build()).statusCode());
                HttpResponse<String> byHand = r.send(post(r, resolvePath, "application/json",
                        "{\"user\":\"bob\",\"comment\":\"ticket 4711\"}").build());
                assertEquals(200, byHand.statusCode(), byHand.body());
                JsonNode byHandJson = InProcessRunner.JSON.readTree(byHand.body());
                assertFalse(byHandJson.get("open").asBoolean());
                assertEquals("resolved by bob: ticket 4711", byHandJson.get("resolution").asText());
                String resolvedId = routerAlert;
                JsonNode reopened = await(r, "/api/alerts", a -> {
                    for (JsonNode x : a) {
                        if (x.get("deviceId").asText().equals(ROUTER) && !x.get("id").asText().equals(resolvedId)) {
                            return true;
                        }
                    }
                    return false;
                });
                assertFalse(rulesOf(reopened, ROUTER).isEmpty(), "still down: a new alert opened " + reopened);

                // The plain device comes back: its alerts resolve.
                writeCsv(LoopbackFaults.silentHost(1), LoopbackFaults.silentHost(2), "127.43.0.3");
                await(r, "/api/devices", d -> byId(d, PLAIN).get("status").asText().equals("UP"));
                JsonNode resolved = await(r, "/api/alerts?state=resolved", a -> rulesOf(a, PLAIN).contains("Ping Unavailable"));
                for (JsonNode a : resolved) {
                    assertFalse(a.get("open").asBoolean());
                    assertNotNull(a.get("resolvedAt").asText());
                    if (a.get("deviceId").asText().equals(PLAIN) && a.get("group").asText().equals("reachability")) {
                        assertEquals("alice", a.get("acknowledgedBy").asText(), "the acknowledgement is kept");
                        assertTrue(a.get("durationSeconds").asDouble() > 0);
                    }
                }
                assertTrue(rulesOf(r.getJson("/api/alerts"), PLAIN).isEmpty());
                assertFalse(rulesOf(r.getJson("/api/alerts?state=all"), ROUTER).isEmpty());

                // The webhook got the notifications, each signed with the secret from the file.
                String[] first = hook.got.poll(10, TimeUnit.SECONDS);
                assertNotNull(first, "no webhook notification");
                List<String[]> all = new ArrayList<>();
                all.add(first);
                hook.got.drainTo(all);
                boolean sawPlain = false;
                for (String[] n : all) {
                    assertEquals(hmac(WEBHOOK_SECRET, n[0]), n[1], "signature of " + n[0]);
                    sawPlain |= n[0].contains("plain") && n[0].contains("Ping Unavailable");
                }
                assertTrue(sawPlain, "a notification about the plain device");
                assertFalse(r.err.toString().contains(TOKEN) || r.err.toString().contains(WEBHOOK_SECRET));

                String metrics = r.get("/metrics").body();
                for (String m : List.of("ward_state_devices{", "ward_alerts_opened_total", "ward_alerts_resolved_total",
                        "ward_notifications_sent_total",
                        "ward_runner_alert_rules 4.0")) {
                    assertTrue(metrics.contains(m), m + " missing from /metrics");
                }
            }
        }
    }

    private static List<String> rulesOf(JsonNode alerts, String deviceId) {
        List<String> rules = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (a.get("deviceId").asText().equals(deviceId)) {
                // the current rule and every rule the problem went through
                rules.add(a.get("rule").asText());
                for (JsonNode step : a.get("history")) {
                    rules.add(step.get("rule").asText());
                }
            }
        }
        return rules;
    }
}
