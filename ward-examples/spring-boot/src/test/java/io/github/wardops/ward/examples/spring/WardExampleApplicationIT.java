package io.github.wardops.ward.examples.spring;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the whole application on a random port, with three loopback devices pinged every
 * second, and reads its endpoints over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ward.example.devices=127.0.46.1,127.0.46.2,127.0.46.3", "ward.example.interval=1s",
                "ward.example.data-directory=target/it-data"})
class WardExampleApplicationIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls /devices until every device is UP, for at most 20 s. */
    private JsonNode devicesOnceAllUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode devices;
        do {
            HttpResponse<String> r = get("/devices");
            assertEquals(200, r.statusCode(), r.body());
            devices = JSON.readTree(r.body());
            boolean allUp = devices.size() == 3;
            for (JsonNode d : devices) {
                allUp &= "UP".equals(d.get("status").asString());
            }
            if (allUp) {
                return devices;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail("not every device was UP within 20 s: " + devices);
        return devices;
    }

    @Test
    void devicesShowsEveryLoopbackDeviceUpWithItsLatestIcmpResult() throws Exception {
        JsonNode devices = devicesOnceAllUp();
        List<String> addresses = new ArrayList<>();
        for (JsonNode d : devices) {
            addresses.add(d.get("address").asString());
            assertEquals(d.get("address").asString(), d.get("name").asString());
            JsonNode icmp = d.get("checks").get("icmp");
            assertEquals("up", icmp.get("outcome").asString(), d.toString());
            assertTrue(icmp.get("latencyMs").isNumber() && icmp.get("latencyMs").asDouble() >= 0, d.toString());
            // Boot's default Jackson 3 writes instants as ISO-8601 text.
            Instant at = Instant.parse(icmp.get("at").asString());
            assertTrue(at.isAfter(Instant.now().minusSeconds(60)), at.toString());
            assertTrue(icmp.get("values").has("rtt_avg_ms"), d.toString());
        }
        assertEquals(List.of("127.0.46.1", "127.0.46.2", "127.0.46.3"), addresses.stream().sorted().toList());
        for (JsonNode d : devices) {
            // From the cache's snapshot, not the engine: RTT and loss of the last ICMP probe.
            assertTrue(d.get("lastRttMs").isNumber(), d.toString());
            assertEquals(0.0, d.get("lossPct").asDouble(), d.toString());
            assertTrue(d.get("downSince").isNull(), d.toString());
        }
    }

    @Test
    void resultsAreStoredThroughTheApplicationsOwnDataSource() throws Exception {
        devicesOnceAllUp();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Integer rows;
        do {
            // The application's JdbcTemplate, over the DataSource ward's sink writes through.
            rows = jdbc.queryForObject("SELECT count(DISTINCT device_id) FROM ping_results WHERE received = sent", Integer.class);
            if (rows != null && rows == 3) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail("ping results of all 3 devices were not stored within 20 s, found " + rows);
    }

    @Test
    void oneDeviceByIdAndBadIds() throws Exception {
        JsonNode first = devicesOnceAllUp().get(0);
        HttpResponse<String> one = get("/devices/" + first.get("id").asString());
        assertEquals(200, one.statusCode());
        assertEquals(first.get("address").asString(), JSON.readTree(one.body()).get("address").asString());
        assertEquals(404, get("/devices/b28054ed-930a-4913-a509-0f3b616e3371").statusCode());
        assertEquals(400, get("/devices/not-a-uuid").statusCode());
        assertEquals(400, get("/devices/%27%3B%20drop%20table").statusCode());
    }

    @Test
    void wardsMetersAreInActuatorsPrometheusEndpoint() throws Exception {
        devicesOnceAllUp();
        HttpResponse<String> r = get("/actuator/prometheus");
        assertEquals(200, r.statusCode());
        String body = r.body();
        assertTrue(body.lines().anyMatch(l -> l.startsWith("ward_probes_total{") && l.contains("outcome=\"up\"") && l.contains("type=\"icmp\"")),
                () -> "no ward_probes_total for up icmp probes in:\n" + body.lines().filter(l -> l.startsWith("ward")).toList());
        assertTrue(body.contains("ward_probes_in_flight"), "in-flight gauge missing");
        // The application's own meters share the registry.
        assertTrue(body.contains("jvm_memory_used_bytes"), "not the application's registry");
    }
}
