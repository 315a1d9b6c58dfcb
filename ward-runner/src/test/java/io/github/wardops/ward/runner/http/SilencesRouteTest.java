package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.Silence;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/silences}, {@code /api/alerts/{id}/notifications} and the alerts' {@code heldBy},
 * over a real server with the in-memory silence store and notification log, on a manual clock:
 * every route with good and malformed input (each {@code 400} naming every problem), {@code 404}s,
 * the idempotent {@code DELETE}, what holds an alert (a silence, a maintenance window, nothing for
 * ward's own rules under a window), the store full, a runner without notification routing, and
 * that writes need the token as acknowledging does.
 */
class SilencesRouteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-07T03:00:00Z");

    private final ManualClock clock = new ManualClock(T);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<MaintenanceWindow> windows = new CopyOnWriteArrayList<>();
    private SilenceStore silences;
    private NotificationLog log;
    private Alert vake;
    private Alert saburtalo;
    private Alert own;
    private Alert other;
    private HttpApi.Backend backend;

    private static Device device(String key, String name, String branch) {
        return Device.builder(DeviceId.fromKey(key), name, InetAddress.ofLiteral("127.0.0.9"))
                .labels(Map.of("region", "Tbilisi", "branch", branch)).build();
    }

    private static Alert alert(Device d, String rule, Severity severity) {
        return new Alert(UUID.randomUUID(), d.id(), d.name(), "127.0.0.9", d.labels(), 0, rule, rule, severity,
                d.name() + " " + rule, T.minusSeconds(600), T.minusSeconds(600), null, null, null, null, 0, List.of());
    }

    @BeforeEach
    void setUp() throws Exception {
        Device a = device("sil-vake", "vake-r1", "Vake");
        Device b = device("sil-saburtalo", "saburtalo-sw", "Saburtalo");
        Device c = device("sil-other", "other-r1", "Other");
        vake = alert(a, "Down", Severity.CRITICAL);
        saburtalo = alert(b, "Down", Severity.HIGH);
        own = alert(b, "ward_impaired", Severity.HIGH);
        other = alert(c, "Down", Severity.CRITICAL);
        List<Alert> open = List.of(vake, saburtalo, own, other);
        Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build();
        StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
        Ward ward = Ward.builder().build();
        closing.add(ward);
        closing.add(tracker);
        closing.add(alerting);
        List<DeviceState> states = new ArrayList<>();
        for (Device d : List.of(a, b, c)) {
            states.add(new DeviceState(new StateKey(d.id(), 0), DeviceStatus.DOWN, T, false, 0, 3, 0, T));
        }
        SharedFleetView fleet = new SharedFleetView(() -> List.of(a, b, c), ward, tracker, alerting, () -> states,
                () -> open, Duration.ofMinutes(10), Duration.ofSeconds(5), clock);
        silences = SilenceStore.inMemory(3);
        log = NotificationLog.inMemory(100);
        backend = new HttpApi.Backend(ward, tracker, alerting, AlertStore.inMemory(10),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(), clock.withZone(ZoneOffset.UTC))
                .withFleet(fleet, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private HttpApi start(HttpApi.Backend b, Secret token) throws Exception {
        HttpApi api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), token, HttpLimits.DEFAULTS, b);
        closing.add(api);
        return api;
    }

    private HttpApi start() throws Exception {
        return start(backend.withNotifications(new Notifications(silences, log, () -> windows)), null);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpApi api, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(api, path)));
    }

    private static HttpResponse<String> post(HttpApi api, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(api, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> delete(HttpApi api, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(api, path)).DELETE());
    }

    private static URI uri(HttpApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertBad(HttpResponse<String> r, String... fragments) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        String error = json(r).get("error").asText();
        for (String f : fragments) {
            assertTrue(error.contains(f), "'" + f + "' in: " + error);
        }
    }

    /** The open alerts' heldBy by alert id; a missing field as "absent". */
    private static Map<String, JsonNode> heldBy(HttpApi api) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : json(get(api, "/api/alerts"))) {
            out.put(a.get("id").asText(), a.has("heldBy") ? a.get("heldBy") : JSON.getNodeFactory().textNode("absent"));
        }
        return out;
    }

    @Test
    void aSilenceIsCreatedListedReadAndExpiredOnceForAll() throws Exception {
        HttpApi api = start();
        HttpResponse<String> created = post(api, "/api/silences", """
                {"matchers": "branch = Vake and severity = critical", "duration": "2h",
                 "comment": "router swap, ticket 4711", "author": " alice "}""");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode s = json(created);
        String id = s.get("id").asText();
        assertEquals("/api/silences/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("branch = Vake and severity = critical", s.get("matchers").asText());
        assertEquals(T.toString(), s.get("startsAt").asText());
        assertEquals(T.plus(Duration.ofHours(2)).toString(), s.get("endsAt").asText());
        assertEquals("alice", s.get("author").asText(), "the author is stripped as ack's user is");
        assertEquals("router swap, ticket 4711", s.get("comment").asText());
        assertEquals(T.toString(), s.get("createdAt").asText());
        assertEquals("active", s.get("state").asText());
        assertEquals(1, s.get("heldAlerts").asInt(), "it holds vake-r1's alert");

        HttpResponse<String> pending = post(api, "/api/silences", """
                {"matchers": "device = other-r1", "startsAt": "2026-12-07T05:00:00+01:00",
                 "endsAt": "2026-12-07T06:00:00Z", "author": "bob"}""");
        assertEquals(201, pending.statusCode(), pending.body());
        assertEquals("pending", json(pending).get("state").asText());
        assertEquals("2026-12-07T04:00:00Z", json(pending).get("startsAt").asText(), "an offset is read as the instant it means");
        assertEquals(0, json(pending).get("heldAlerts").asInt(), "a pending silence holds nothing yet");
        assertEquals("", json(pending).get("comment").asText());

        JsonNode list = json(get(api, "/api/silences"));
        assertEquals(2, list.size());
        assertEquals(id, list.get(0).get("id").asText(), "the current ones, oldest start first");

        JsonNode one = json(get(api, "/api/silences/" + id));
        assertEquals("active", one.get("state").asText());

        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> expired = delete(api, "/api/silences/" + id);
        assertEquals(200, expired.statusCode(), expired.body());
        assertEquals("expired", json(expired).get("state").asText());
        assertEquals(T.plus(Duration.ofMinutes(10)).toString(), json(expired).get("endsAt").asText());
        assertEquals(0, json(expired).get("heldAlerts").asInt());
        clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> again = delete(api, "/api/silences/" + id);
        assertEquals(200, again.statusCode(), "expiring an expired silence is no error");
        assertEquals(json(expired).get("endsAt").asText(), json(again).get("endsAt").asText(), "and changes nothing");
        assertEquals("expired", json(get(api, "/api/silences/" + id)).get("state").asText(), "an ended one is still found");

        JsonNode after = json(get(api, "/api/silences"));
        assertEquals(2, after.size(), "the recently ended one after the current ones: " + after);
        assertEquals("pending", after.get(0).get("state").asText());
        assertEquals("expired", after.get(1).get("state").asText());
        assertEquals(1, json(get(api, "/api/silences?limit=1")).size());
        assertEquals(1, json(get(api, "/api/silences?endedSince=2026-12-07T03:30:00Z")).size(), "ended before: left out");
        assertEquals(2, json(get(api, "/api/silences?endedSince=1h")).size());

        // expiring a pending silence: it never takes effect
        String pendingId = json(pending).get("id").asText();
        JsonNode never = json(delete(api, "/api/silences/" + pendingId));
        assertEquals("expired", never.get("state").asText(), "one expired before its start never takes effect");
        assertEquals(0, never.get("heldAlerts").asInt());

        String unknown = UUID.randomUUID().toString();
        assertEquals(404, delete(api, "/api/silences/" + unknown).statusCode());
        assertEquals(404, get(api, "/api/silences/" + unknown).statusCode());
        assertBad(delete(api, "/api/silences/not-a-uuid"), "'not-a-uuid' is not a silence id");
        assertBad(get(api, "/api/silences/not-a-uuid"), "'not-a-uuid' is not a silence id");
        assertBad(get(api, "/api/silences?limit=0&endedSince=yesterday&verbose=1"), "limit '0' is not a whole number",
                "endedSince 'yesterday'", "unknown parameter 'verbose'");
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri(api, "/api/silences/" + unknown))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(405, put.statusCode());
        assertTrue(put.headers().firstValue("Allow").orElseThrow().contains("DELETE"), put.headers().toString());
    }

    @Test
    void everyProblemOfASilenceIsNamedInOneAnswer() throws Exception {
        HttpApi api = start();
        assertBad(post(api, "/api/silences", """
                {"matchers": "branch = = Vake", "startsAt": "tomorrow", "endsAt": "2026-12-07T04:00:00Z", "duration": "2h",
                 "author": "", "comment": 5, "colour": "red"}"""),
                "matchers: at column", "startsAt 'tomorrow' is not an ISO-8601 time", "give endsAt or duration, not both",
                "author must be 1-200 characters", "comment must be a string", "unknown member 'colour'");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\"}"),
                "endsAt or duration is missing", "author is missing");
        assertBad(post(api, "/api/silences", "{\"duration\": \"2h\", \"author\": \"a\"}"), "matchers is missing");
        assertBad(post(api, "/api/silences", """
                {"matchers": "device = x", "startsAt": "2026-12-07T05:00:00Z", "endsAt": "2026-12-07T04:00:00Z", "author": "a"}"""),
                "endsAt 2026-12-07T04:00:00Z is not after startsAt 2026-12-07T05:00:00Z");
        assertBad(post(api, "/api/silences", """
                {"matchers": "device = x", "startsAt": "2026-12-07T01:00:00Z", "endsAt": "2026-12-07T02:00:00Z", "author": "a"}"""),
                "endsAt 2026-12-07T02:00:00Z is in the past");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"91d\", \"author\": \"a\"}"),
                "longer than 90d");
        assertBad(post(api, "/api/silences", """
                {"matchers": "device = x", "endsAt": "2027-06-01T00:00:00Z", "author": "a"}"""), "longer than 90d");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"soon\", \"author\": \"a\"}"),
                "duration 'soon'");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"0s\", \"author\": \"a\"}"),
                "must be more than 0");
        assertBad(post(api, "/api/silences", """
                {"matchers": "device = x", "duration": "1h", "author": "%s", "comment": "%s"}"""
                .formatted("a".repeat(201), "c".repeat(2001))), "author must be 1-200", "comment must be at most 2000");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"1h\", \"author\": \"a\\u0007b\"}"),
                "without control characters");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\\nrule = y\", \"duration\": \"1h\", \"author\": \"a\"}"),
                "matchers must not contain control characters");
        // silencing everything must be meant
        assertBad(post(api, "/api/silences", "{\"matchers\": \" \", \"duration\": \"1h\", \"author\": \"a\"}"),
                "matchers is empty, which would silence every alert", "\"all\": true");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"device = x\", \"all\": true, \"duration\": \"1h\", \"author\": \"a\"}"),
                "not empty");
        assertBad(post(api, "/api/silences", "{\"matchers\": \"\", \"all\": \"yes\", \"duration\": \"1h\", \"author\": \"a\"}"),
                "all must be true or false");
        HttpResponse<String> all = post(api, "/api/silences", "{\"matchers\": \"\", \"all\": true, \"duration\": \"1h\", \"author\": \"a\"}");
        assertEquals(201, all.statusCode(), all.body());
        assertEquals(4, json(all).get("heldAlerts").asInt(), "every open alert");

        assertBad(post(api, "/api/silences", "[1, 2]"), "must be a JSON object");
        assertBad(post(api, "/api/silences", "{\"matchers\": "), "not JSON");
        HttpResponse<String> form = send(HttpRequest.newBuilder(uri(api, "/api/silences"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")));
        assertEquals(415, form.statusCode());
        HttpResponse<String> big = post(api, "/api/silences", "{\"comment\": \"" + "x".repeat(HttpApi.MAX_BODY_BYTES) + "\"}");
        assertEquals(413, big.statusCode(), "the server's body limit");
        assertEquals(1, json(get(api, "/api/silences")).size(), "nothing refused was stored");
    }

    @Test
    void aFullStoreIsAConflictThatSaysWhatToDo() throws Exception {
        HttpApi api = start();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post(api, "/api/silences", "{\"matchers\": \"device = d" + i + "\", \"duration\": \"1h\", \"author\": \"a\"}")
                    .statusCode());
        }
        HttpResponse<String> full = post(api, "/api/silences", "{\"matchers\": \"device = d4\", \"duration\": \"1h\", \"author\": \"a\"}");
        assertEquals(409, full.statusCode(), full.body());
        assertTrue(json(full).get("error").asText().contains("expire silences no longer needed"), full.body());
        String first = json(get(api, "/api/silences")).get(0).get("id").asText();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, delete(api, "/api/silences/" + first).statusCode());
        assertEquals(201, post(api, "/api/silences", "{\"matchers\": \"device = d4\", \"duration\": \"1h\", \"author\": \"a\"}")
                .statusCode(), "an expired silence makes room");
    }

    @Test
    void alertsSayWhatHoldsThemSilenceWindowOrNothingForWardsOwnRules() throws Exception {
        windows.add(MaintenanceWindow.once("saburtalo-night", LabelSelector.parse("branch = Saburtalo"), T.minusSeconds(60),
                T.plus(Duration.ofHours(1))));
        HttpApi api = start();
        Map<String, JsonNode> held = heldBy(api);
        assertEquals("maintenance", held.get(saburtalo.id().toString()).get("kind").asText());
        assertEquals("saburtalo-night", held.get(saburtalo.id().toString()).get("name").asText());
        assertTrue(held.get(own.id().toString()).isNull(), "a window never holds ward's own rules: " + held);
        assertTrue(held.get(vake.id().toString()).isNull());
        assertTrue(held.get(other.id().toString()).isNull());

        String id = json(post(api, "/api/silences", """
                {"matchers": "branch in (Vake, Saburtalo)", "duration": "30m", "author": "alice"}""")).get("id").asText();
        held = heldBy(api);
        assertEquals("{\"kind\":\"silence\",\"id\":\"" + id + "\"}", held.get(vake.id().toString()).toString(),
                "seen at once after the API created it");
        assertEquals(id, held.get(saburtalo.id().toString()).get("id").asText(), "a silence before a window, as the dispatcher does");
        assertEquals(id, held.get(own.id().toString()).get("id").asText(), "a silence holds ward's own rules too");
        assertTrue(held.get(other.id().toString()).isNull());
        assertEquals(3, json(get(api, "/api/silences/" + id)).get("heldAlerts").asInt());

        // the status page's snapshot and a device's alerts say it too
        JsonNode status = json(get(api, "/api/status"));
        for (JsonNode a : status.get("alerts")) {
            assertTrue(a.has("heldBy"), a.toString());
        }
        JsonNode device = json(get(api, "/api/devices/" + vake.device()));
        assertEquals(id, device.get("alerts").get(0).get("heldBy").get("id").asText());

        // a silence added to the shared store by another runner shows within a second or so
        silences.add(new Silence(UUID.randomUUID(), LabelSelector.parse("device = other-r1"), T, T.plusSeconds(3600), "bob", "",
                T));
        assertTrue(heldBy(api).get(other.id().toString()).isNull(), "the reading of a moment ago is still used");
        clock.advance(Holds.MAX_AGE);
        assertEquals("silence", heldBy(api).get(other.id().toString()).get("kind").asText());

        // the silence ends: the window holds again
        clock.advance(Duration.ofMinutes(31));
        held = heldBy(api);
        assertEquals("maintenance", held.get(saburtalo.id().toString()).get("kind").asText());
        assertTrue(held.get(vake.id().toString()).isNull());
        // the window ends
        clock.advance(Duration.ofMinutes(30));
        assertTrue(heldBy(api).get(saburtalo.id().toString()).isNull());
    }

    @Test
    void anAlertsNotificationLogNewestFirstAndBounded() throws Exception {
        HttpApi api = start();
        UUID id = vake.id();
        log.append(new NotificationLog.Entry("noc-email", "r{branch=Vake}", Set.of(id), Set.of(), "new", T.minusSeconds(300)));
        log.append(new NotificationLog.Entry("oncall-telegram", "r{branch=Vake}", Set.of(id, other.id()), Set.of(), "escalation",
                T.minusSeconds(200)));
        log.append(new NotificationLog.Entry("noc-email", "r{branch=Other}", Set.of(other.id()), Set.of(), "new", T.minusSeconds(150)));
        log.append(new NotificationLog.Entry("noc-email", "r{branch=Vake}", Set.of(), Set.of(id), "changed", T.minusSeconds(100)));
        JsonNode entries = json(get(api, "/api/alerts/" + id + "/notifications"));
        assertEquals(3, entries.size(), entries.toString());
        assertEquals("noc-email", entries.get(0).get("receiver").asText());
        assertEquals("resolved", entries.get(0).get("status").asText());
        assertEquals("changed", entries.get(0).get("reason").asText());
        assertEquals(T.minusSeconds(100).toString(), entries.get(0).get("sentAt").asText());
        assertEquals("escalation", entries.get(1).get("reason").asText());
        assertEquals("firing", entries.get(1).get("status").asText());
        assertEquals(2, entries.get(1).get("alerts").asInt());
        assertEquals("new", entries.get(2).get("reason").asText());
        assertEquals(1, json(get(api, "/api/alerts/" + id + "/notifications?limit=1")).size());
        assertEquals(0, json(get(api, "/api/alerts/" + UUID.randomUUID() + "/notifications")).size(), "never told: empty");
        assertBad(get(api, "/api/alerts/x/notifications"), "'x' is not an alert id");
        assertBad(get(api, "/api/alerts/" + id + "/notifications?limit=1001&order=asc"), "limit '1001' is not a whole number from 1 to 1000",
                "unknown parameter 'order'");
    }

    @Test
    void withoutNotificationRoutingTheRoutesSaySoAndAlertsHaveNoHeldBy() throws Exception {
        HttpApi api = start(backend, null);
        for (HttpResponse<String> r : List.of(get(api, "/api/silences"), get(api, "/api/silences/" + UUID.randomUUID()),
                delete(api, "/api/silences/" + UUID.randomUUID()),
                post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"1h\", \"author\": \"a\"}"),
                get(api, "/api/alerts/" + vake.id() + "/notifications"))) {
            assertEquals(404, r.statusCode(), r.body());
            assertTrue(json(r).get("error").asText().contains("notification routing is not configured"), r.body());
            assertTrue(json(r).get("error").asText().contains("notifications setting"), r.body());
        }
        for (JsonNode a : json(get(api, "/api/alerts"))) {
            assertFalse(a.has("heldBy"), a.toString());
        }
        for (JsonNode a : json(get(api, "/api/status")).get("alerts")) {
            assertFalse(a.has("heldBy"), a.toString());
        }
    }

    @Test
    void writesNeedTheTokenAsAcknowledgingDoes() throws Exception {
        HttpApi api = start(backend.withNotifications(new Notifications(silences, log, () -> windows)), Secret.of("sil-token-0123456789"));
        HttpResponse<String> post = post(api, "/api/silences", "{\"matchers\": \"device = x\", \"duration\": \"1h\", \"author\": \"a\"}");
        assertEquals(401, post.statusCode());
        assertFalse(post.body().contains("sil-token"), "the token is never echoed");
        assertEquals(401, delete(api, "/api/silences/" + UUID.randomUUID()).statusCode());
        assertEquals(401, get(api, "/api/silences").statusCode());
        HttpResponse<String> ok = send(HttpRequest.newBuilder(uri(api, "/api/silences"))
                .header("Authorization", "Bearer sil-token-0123456789").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"matchers\": \"device = x\", \"duration\": \"1h\", \"author\": \"a\"}")));
        assertEquals(201, ok.statusCode(), ok.body());
        assertFalse(ok.body().contains("sil-token"));
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> del = send(HttpRequest.newBuilder(uri(api, "/api/silences/" + json(ok).get("id").asText()))
                .header("Authorization", "Bearer sil-token-0123456789").DELETE());
        assertEquals(200, del.statusCode(), del.body());
        assertTrue(silences.current(clock.instant()).isEmpty());
    }
}
