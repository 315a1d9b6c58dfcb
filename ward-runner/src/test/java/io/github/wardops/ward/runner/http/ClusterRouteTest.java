package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/cluster} and the resolution of an alert polled elsewhere, over a real server:
 * {@code 404} for a runner alone, {@code 503} before the runner has joined, {@code 400} for a
 * parameter; a {@code 409} with {@code owner: null} when no cluster view names the owner.
 */
class ClusterRouteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theClusterRouteSaysWhyItCannotAnswer() throws Exception {
        Instant t = Instant.parse("2026-12-07T03:00:00Z");
        Device theirs = Device.builder(DeviceId.fromKey("route-theirs"), "theirs", InetAddress.ofLiteral("127.0.0.5")).build();
        Alert down = new Alert(UUID.randomUUID(), theirs.id(), "theirs", 0, "Down", Severity.HIGH, "theirs is down", t, t,
                null, null, null, null, 0);
        ManualClock clock = new ManualClock(t);
        try (Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build();
             StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
             Ward ward = Ward.builder().build()) {
            SharedFleetView fleet = new SharedFleetView(() -> List.of(theirs), ward, tracker, alerting,
                    () -> List.of(new DeviceState(new StateKey(theirs.id(), 0), DeviceStatus.DOWN, t, false, 0, 3, 0, t)),
                    () -> List.of(down), Duration.ofSeconds(5), Duration.ofSeconds(5), clock);
            HttpApi.Backend local = new HttpApi.Backend(ward, tracker, alerting, AlertStore.inMemory(10),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(), Clock.systemUTC());
            try (HttpApi alone = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), null, HttpLimits.DEFAULTS, local);
                 HttpApi notJoined = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), null, HttpLimits.DEFAULTS,
                         local.withFleet(fleet, () -> null))) {
                HttpResponse<String> a = send(HttpRequest.newBuilder(uri(alone, "/api/cluster")));
                assertEquals(404, a.statusCode());
                assertTrue(a.body().contains("not in cluster mode"), a.body());
                assertTrue(a.headers().firstValue("X-Ward-Fleet-Age").isEmpty(), "a runner alone has no shared part");
                HttpResponse<String> b = send(HttpRequest.newBuilder(uri(notJoined, "/api/cluster")));
                assertEquals(503, b.statusCode());
                assertTrue(b.body().contains("not joined the cluster yet"), b.body());
                HttpResponse<String> c = send(HttpRequest.newBuilder(uri(notJoined, "/api/cluster?verbose=1")));
                assertEquals(400, c.statusCode());
                assertTrue(c.body().contains("unknown parameter 'verbose'"), c.body());
                HttpResponse<String> s = send(HttpRequest.newBuilder(uri(alone, "/api/summary?colour=red&size=2")));
                assertEquals(400, s.statusCode(), "the summary refuses parameters the same way");
                assertTrue(s.body().contains("unknown parameter 'colour' (known: none)")
                        && s.body().contains("unknown parameter 'size'"), s.body());

                HttpResponse<String> devices = send(HttpRequest.newBuilder(uri(notJoined, "/api/devices")));
                assertEquals(200, devices.statusCode());
                assertEquals("0.000", devices.headers().firstValue("X-Ward-Fleet-Age").orElseThrow());
                assertEquals("DOWN", JSON.readTree(devices.body()).get(0).get("status").asText());

                HttpResponse<String> resolve = send(HttpRequest.newBuilder(uri(notJoined, "/api/alerts/" + down.id() + "/resolve"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"a\"}")));
                assertEquals(409, resolve.statusCode(), resolve.body());
                JsonNode refused = JSON.readTree(resolve.body());
                assertTrue(refused.get("owner").isNull());
                assertTrue(refused.get("error").asText().contains("which another runner polls"), resolve.body());
                assertTrue(refused.get("error").asText().contains("GET /api/cluster"), resolve.body());
                // a runner alone still answers 404 for an alert it does not hold
                HttpResponse<String> missing = send(HttpRequest.newBuilder(uri(alone, "/api/alerts/" + down.id() + "/resolve"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"a\"}")));
                assertEquals(404, missing.statusCode());
            }
        }
    }

    private static URI uri(HttpApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }
}
