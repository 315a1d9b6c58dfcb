package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.net.LoopbackOutages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's notifications file: a branch of 20 devices going down is ONE grouped message per
 * receiver of its route (signed where the receiver has a secret), its recovery one more; a broken
 * file on reload changes nothing, a good one is applied; the same for the alert rules. Real ICMP on loopback; outages by nftables.
 */
class NotificationsIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String SECRET = "notifications-it-secret-0123";

    @TempDir
    Path dir;

    /** A local HTTP receiver keeping every body. */
    private static final class Hook implements AutoCloseable {
        final HttpServer server;
        final List<String[]> got = new CopyOnWriteArrayList<>();

        Hook() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 16);
            server.createContext("/hook", ex -> {
                try (ex) {
                    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    got.add(new String[] {body, ex.getRequestHeaders().getFirst(WebhookOptions.SIGNATURE_HEADER)});
                    ex.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        JsonNode body(int i) throws Exception {
            return InProcessRunner.JSON.readTree(got.get(i)[0]);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Path write(String name, String text) throws Exception {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String routes(Hook noc, Hook oncall, String vakeReceivers) {
        return """
                receivers:
                  - name: noc
                    webhook:
                      url: %s
                      secret-file: noc-secret
                  - name: oncall
                    webhook: {url: %s}
                  - name: rest
                    log: {}
                route:
                  receivers: [rest]
                  group-by: [branch]
                  group-wait: 6s
                  group-interval: 10s
                  repeat-interval: 1h
                  routes:
                    - name: vake
                      match: branch = Vake
                      receivers: [%s]
                """.formatted(noc.url(), oncall.url(), vakeReceivers);
    }

    private static double metric(InProcessRunner r, String line) throws Exception {
        for (String l : r.get("/metrics").body().lines().toList()) {
            if (l.startsWith(line)) {
                return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aBranchOutageIsOneSignedMessagePerReceiverAndABrokenReloadChangesNothing() throws Exception {
        try (LoopbackOutages outages = TestFaults.outagesOrSkip(); Hook noc = new Hook(); Hook oncall = new Hook()) {
            StringBuilder csv = new StringBuilder("id,name,address,region,branch,parent_id\n");
            List<InetAddress> vake = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                String a = "127.46.0." + i;
                vake.add(InetAddress.ofLiteral(a));
                csv.append(DeviceId.fromKey("vake-" + i)).append(",vake-").append(i).append(',').append(a)
                        .append(",Tbilisi,Vake,\n");
            }
            csv.append(DeviceId.fromKey("sab-1")).append(",sab-1,127.46.1.1,Tbilisi,Saburtalo,\n");
            Path fleet = write("fleet.csv", csv.toString());
            write("noc-secret", SECRET + "\n");
            Path file = write("notifications.yaml", routes(noc, oncall, "noc, oncall"));
            try (InProcessRunner r = InProcessRunner.start("run", "--inventory", fleet.toString(), "--interval", "1s",
                    "--http", "127.0.0.1:0", "--down-after", "2", "--up-after", "1", "--alert-tick", "1s",
                    "--notifications", file.toString(), "--alert-rules", TestRules.statusDown(dir).toString())) {
                InProcessRunner.await("all up", BOUND, () -> InProcessRunner.count(r.getJson("/api/devices"), "UP") == 21);
                vake.forEach(outages::drop);
                InProcessRunner.await("20 alerts open", BOUND, () -> r.getJson("/api/alerts").size() >= 20);
                InProcessRunner.await("a message at each receiver", BOUND, () -> !noc.got.isEmpty() && !oncall.got.isEmpty());
                Thread.sleep(4000); // nothing more may follow within the group interval
                for (Hook h : List.of(noc, oncall)) {
                    assertEquals(1, h.got.size(), "one message, not one per device");
                    JsonNode m = h.body(0);
                    assertEquals("alerts.group", m.get("type").asText());
                    assertEquals("new", m.get("reason").asText());
                    assertEquals("Vake", m.get("group_labels").get("branch").asText());
                    assertEquals(20, m.get("firing").size());
                    assertEquals(0, m.get("resolved").size());
                }
                assertEquals(hmac(noc.got.get(0)[0]), noc.got.get(0)[1], "signed with the secret file's key");
                assertEquals(null, oncall.got.get(0)[1], "no secret, no signature");

                // A broken file: every problem logged, nothing changed.
                write("notifications.yaml", routes(noc, oncall, "noc, pager").replace("group-wait: 6s", "group-wait: soon"));
                InProcessRunner.await("the reload refused", BOUND, () -> metric(r,
                        "ward_runner_config_reloads_total{file=\"notifications\",outcome=\"refused\"") == 1.0);
                String err = r.err.toString();
                assertFalse(err.contains(SECRET));
                // A good one: applied (Vake now also to the log receiver).
                write("notifications.yaml", routes(noc, oncall, "noc, oncall, rest"));
                InProcessRunner.await("the reload applied", BOUND, () -> metric(r,
                        "ward_runner_config_reloads_total{file=\"notifications\",outcome=\"applied\"") == 1.0);

                // Recovery: told as resolved (in one message, or two when the group interval fell inside the
                // recovery), never announced again as new.
                vake.forEach(outages::restore);
                InProcessRunner.await("every resolution told", BOUND, () -> resolvedTold(noc) == 20 && resolvedTold(oncall) == 20);
                for (Hook h : List.of(noc, oncall)) {
                    assertTrue(h.got.size() <= 3, h.got.size() + " messages");
                    for (int i = 1; i < h.got.size(); i++) {
                        JsonNode m = h.body(i);
                        assertEquals("changed", m.get("reason").asText());
                        assertTrue(m.get("firing").size() + m.get("resolved").size() <= 20, "no alert twice");
                    }
                    assertEquals(0, h.body(h.got.size() - 1).get("firing").size());
                }
                // The rule file reloads the same way: a broken one changes nothing, a good one is in force.
                Path rules = dir.resolve("alert-rules.json");
                Files.writeString(rules, "[{\"name\": \"Down\", \"expression\": \"status == \", \"severity\": \"high\"}]");
                InProcessRunner.await("the rules reload refused", BOUND, () -> metric(r,
                        "ward_runner_config_reloads_total{file=\"alert-rules\",outcome=\"refused\"") == 1.0);
                assertEquals(4.0, metric(r, "ward_runner_alert_rules "));
                Files.writeString(rules, "[{\"name\": \"Down\", \"expression\": \"status == down\", \"severity\": \"high\"}]");
                InProcessRunner.await("the rules reload applied", BOUND, () -> metric(r,
                        "ward_runner_config_reloads_total{file=\"alert-rules\",outcome=\"applied\"") == 1.0);
                assertEquals(1.0, metric(r, "ward_runner_alert_rules "));
                assertTrue(metric(r, "ward_notify_messages_total{outcome=\"sent\",receiver=\"noc\"") >= 2.0);
            }
        }
    }

    /**
     * A runner stopped in the middle of a group wait and started again on the same database: the
     * group's message goes out once, after the restart; a second restart sends nothing again.
     */
    @Test
    void aRestartInTheMiddleOfAGroupWaitNeitherLosesNorRepeatsTheMessage() throws Exception {
        try (LoopbackOutages outages = TestFaults.outagesOrSkip(); Hook noc = new Hook(); Hook oncall = new Hook()) {
            StringBuilder csv = new StringBuilder("id,name,address,region,branch,parent_id\n");
            List<InetAddress> vake = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String a = "127.46.2." + i;
                vake.add(InetAddress.ofLiteral(a));
                csv.append(DeviceId.fromKey("restart-vake-" + i)).append(",vake-").append(i).append(',').append(a)
                        .append(",Tbilisi,Vake,\n");
            }
            Path fleet = write("fleet.csv", csv.toString());
            write("noc-secret", SECRET + "\n");
            Path file = write("notifications.yaml", routes(noc, oncall, "noc, oncall").replace("group-wait: 6s", "group-wait: 20s"));
            Path data = dir.resolve("data");
            String[] args = {"run", "--inventory", fleet.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                "--down-after", "2", "--up-after", "1", "--alert-tick", "1s", "--data-dir", data.toString(),
                "--notifications", file.toString(), "--alert-rules", TestRules.statusDown(dir).toString()};
            vake.forEach(outages::drop);
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), args)) {
                InProcessRunner.await("5 alerts open", BOUND, () -> r.getJson("/api/alerts").size() == 5);
                Thread.sleep(3000);
            }
            assertEquals(0, noc.got.size(), "stopped inside the group wait");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), args)) {
                InProcessRunner.await("the message after the restart", Duration.ofSeconds(60), () -> noc.got.size() == 1);
                Thread.sleep(3000);
            }
            JsonNode m = noc.body(0);
            assertEquals(5, m.get("firing").size());
            assertEquals("new", m.get("reason").asText());
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), args)) {
                InProcessRunner.await("the alerts still open", BOUND, () -> r.getJson("/api/alerts").size() == 5);
                Thread.sleep(26_000); // past the group wait: the log says the receivers know
            }
            assertEquals(1, noc.got.size(), "not sent again after a restart");
            assertEquals(1, oncall.got.size());
        }
    }

    /**
     * A silence made through the API holds the branch's notifications, not its alerts (open, with
     * heldBy); expired through the API, the alerts still open are told at once.
     */
    @Test
    void aSilenceThroughTheApiHoldsTheMessageUntilItIsExpired() throws Exception {
        try (LoopbackOutages outages = TestFaults.outagesOrSkip(); Hook noc = new Hook(); Hook oncall = new Hook()) {
            StringBuilder csv = new StringBuilder("id,name,address,region,branch,parent_id\n");
            List<InetAddress> vake = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String a = "127.46.3." + i;
                vake.add(InetAddress.ofLiteral(a));
                csv.append(DeviceId.fromKey("silenced-vake-" + i)).append(",vake-").append(i).append(',').append(a)
                        .append(",Tbilisi,Vake,\n");
            }
            Path fleet = write("fleet.csv", csv.toString());
            write("noc-secret", SECRET + "\n");
            Path file = write("notifications.yaml", routes(noc, oncall, "noc, oncall").replace("group-wait: 6s", "group-wait: 1s"));
            try (InProcessRunner r = InProcessRunner.start("run", "--inventory", fleet.toString(), "--interval", "1s",
                    "--http", "127.0.0.1:0", "--down-after", "2", "--up-after", "1", "--alert-tick", "1s",
                    "--notifications", file.toString(), "--alert-rules", TestRules.statusDown(dir).toString())) {
                java.net.http.HttpResponse<String> made = r.send(java.net.http.HttpRequest.newBuilder(r.uri("/api/silences"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"matchers\": \"branch = Vake\", \"duration\": \"1h\", \"author\": \"nino\","
                                        + " \"comment\": \"router swap\"}")).build());
                assertEquals(201, made.statusCode(), made.body());
                String id = InProcessRunner.JSON.readTree(made.body()).get("id").asText();
                vake.forEach(outages::drop);
                InProcessRunner.await("3 alerts open, held", BOUND, () -> {
                    JsonNode a = r.getJson("/api/alerts");
                    int held = 0;
                    for (JsonNode x : a) {
                        held += x.path("heldBy").path("id").asText().equals(id) ? 1 : 0;
                    }
                    return held == 3;
                });
                Thread.sleep(4000); // past the group wait and a tick: nothing may go out
                assertEquals(0, noc.got.size(), "silenced");
                assertEquals(200, r.send(java.net.http.HttpRequest.newBuilder(r.uri("/api/silences/" + id)).DELETE().build())
                        .statusCode());
                InProcessRunner.await("told once the silence is over", BOUND, () -> noc.got.size() == 1);
                assertEquals(3, noc.body(0).get("firing").size());
            }
        }
    }

    private static int resolvedTold(Hook h) throws Exception {
        int n = 0;
        for (int i = 0; i < h.got.size(); i++) {
            n += h.body(i).get("resolved").size();
        }
        return n;
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
