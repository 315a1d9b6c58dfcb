package io.github.wardops.ward.runner;

import static io.github.wardops.ward.runner.InProcessRunner.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward run} in-process against loopback devices: real ICMP, real HTTP. */
class RunnerIT {
    /** One interval, plus the probe itself (3 echoes 200 ms apart), plus slack for a busy 2-core machine. */
    private static final Duration WITHIN_ONE_INTERVAL = Duration.ofSeconds(1).plusMillis(400).plusSeconds(5);

    @TempDir
    Path dir;

    private static String id(String key) {
        return DeviceId.fromKey(key).toString();
    }

    /** Writes a CSV of n enabled devices on 127.42.0.x and, optionally, a disabled one; atomically. */
    private Path writeCsv(String name, int n, boolean withDisabled) throws Exception {
        StringBuilder sb = new StringBuilder("id,name,address,region,branch,enabled\n");
        for (int i = 1; i <= n; i++) {
            sb.append(id("dev-" + i)).append(",dev-").append(i).append(",127.42.0.").append(i)
                    .append(",Achara,\"Batumi, port\",true\n");
        }
        if (withDisabled) {
            sb.append(id("disabled")).append(",disabled-one,127.42.0.200,Tbilisi,,false\n");
        }
        return write(name, sb.toString());
    }

    private Path write(String name, String text) throws Exception {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void everyEnabledLoopbackDeviceIsUpWithinOneIntervalAndTheApiServesIt() throws Exception {
        Path csv = writeCsv("fleet.csv", 12, true);
        Instant before = Instant.now();
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv.toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            JsonNode devices = r.awaitDevices(WITHIN_ONE_INTERVAL, d -> count(d, "UP") == 12);
            assertEquals(13, devices.size());
            assertEquals(1, count(devices, "UNKNOWN"));
            for (JsonNode d : devices) {
                for (String f : List.of("id", "name", "address", "enabled", "status", "failing", "failingSince",
                        "consecutiveFailures", "lastRttMs", "lossPct", "lastProbeAt", "reason", "detail", "parentId", "labels")) {
                    assertTrue(d.has(f), f + " missing in " + d);
                }
                if (d.get("enabled").asBoolean()) {
                    assertEquals("UP", d.get("status").asText());
                    assertTrue(d.get("address").asText().startsWith("127.42.0."));
                    assertTrue(d.get("lastRttMs").asDouble() >= 0.0, d.toString());
                    assertEquals(0.0, d.get("lossPct").asDouble(), d.toString());
                    assertFalse(Instant.parse(d.get("lastProbeAt").asText()).isBefore(before.minusSeconds(1)), d.toString());
                    assertEquals("Achara", d.get("labels").get("region").asText());
                    assertEquals("Batumi, port", d.get("labels").get("branch").asText());
                    assertEquals(DeviceStatus.UP, r.poller.ward().status(DeviceId.parse(d.get("id").asText())));
                } else {
                    assertEquals("disabled-one", d.get("name").asText());
                    assertEquals("UNKNOWN", d.get("status").asText());
                    assertTrue(d.get("lastProbeAt").isNull());
                    assertFalse(d.get("labels").has("branch"), "empty CSV values are not labels");
                }
            }
            List<String> names = new ArrayList<>();
            devices.forEach(d -> names.add(d.get("name").asText()));
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names, "sorted by name");

            JsonNode unknownOnly = InProcessRunner.JSON.readTree(r.get("/api/devices?status=UNKNOWN").body());
            assertEquals(1, unknownOnly.size());
            assertEquals("disabled-one", unknownOnly.get(0).get("name").asText());
            assertEquals(12, InProcessRunner.JSON.readTree(r.get("/api/devices?status=up,down&label=region:Achara").body()).size());
            assertEquals(0, InProcessRunner.JSON.readTree(r.get("/api/devices?label=region:Tbilisi&status=UP").body()).size());
            HttpResponse<String> badFilter = r.get("/api/devices?status=sideways");
            assertEquals(400, badFilter.statusCode());
            assertTrue(InProcessRunner.JSON.readTree(badFilter.body()).get("error").asText().contains("sideways"));
            assertEquals(0, InProcessRunner.JSON.readTree(r.get("/api/devices?failing=true").body()).size(), "nothing fails");
            assertEquals(13, InProcessRunner.JSON.readTree(r.get("/api/devices?failing=false").body()).size());
            HttpResponse<String> badFailing = r.get("/api/devices?failing=maybe");
            assertEquals(400, badFailing.statusCode());
            assertEquals("failing 'maybe' is not true or false",
                    InProcessRunner.JSON.readTree(badFailing.body()).get("error").asText());

            JsonNode status = r.getJson("/api/status");
            assertTrue(status.get("consistent").asBoolean(), status.toString());
            assertEquals(13, status.get("devices").size());
            assertEquals(12, status.get("counts").get("UP").asInt());
            assertEquals(1, status.get("counts").get("UNKNOWN").asInt());
            assertEquals(0, status.get("counts").get("FAILING").asInt());
            assertEquals(0, status.get("counts").get("ALERTS").asInt());
            assertEquals(0, status.get("alerts").size());
            JsonNode problems = r.getJson("/api/status?devices=problems");
            assertEquals(0, problems.get("devices").size(), "every device is UP or UNKNOWN: no problem listed");
            assertEquals(12, problems.get("counts").get("UP").asInt(), "the counts are still the whole fleet's");
            assertFalse(problems.get("devicesTruncated").asBoolean());
            HttpResponse<String> badStatus = r.get("/api/status?devices=some");
            assertEquals(400, badStatus.statusCode());
            assertEquals("devices 'some' is not all or problems", InProcessRunner.JSON.readTree(badStatus.body()).get("error").asText());

            HttpResponse<String> health = r.get("/health");
            assertEquals(200, health.statusCode());
            assertEquals("ok", InProcessRunner.JSON.readTree(health.body()).get("status").asText());
            assertTrue(health.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));

            HttpResponse<String> metrics = r.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            String m = metrics.body();
            for (String meter : List.of("ward_state_devices{status=\"up\"}", "ward_devices_latest{outcome=\"up\"}", "ward_probes_total{", "ward_icmp_echoes_sent_total",
                    "ward_schedule_lag_seconds", "ward_inventory_devices 13.0", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "process_uptime_seconds", "system_cpu_count", "process_resident_memory_bytes ", "process_open_fds ",
                    "process_max_fds ", "process_start_time_seconds ")) {
                assertTrue(m.contains(meter), meter + " missing from /metrics");
            }

            HttpResponse<String> missing = r.get("/api/nothing");
            assertEquals(404, missing.statusCode());
            assertEquals("/api/nothing", InProcessRunner.JSON.readTree(missing.body()).get("path").asText());

            HttpResponse<String> post = r.send(HttpRequest.newBuilder(r.uri("/api/devices"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());

            HttpResponse<String> head = r.send(HttpRequest.newBuilder(r.uri("/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
        }
    }

    @Test
    void aChangedInventoryFileIsAppliedAndAnInvalidOneIsRejectedKeepingTheOld() throws Exception {
        Path csv = writeCsv("fleet.csv", 3, false);
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv.toString(), "--interval", "1s",
                "--http", "127.0.0.1:0", "--inventory-poll", "100ms")) {
            r.awaitDevices(WITHIN_ONE_INTERVAL, d -> count(d, "UP") == 3);

            writeCsv("fleet.csv", 5, false);
            JsonNode grown = r.awaitDevices(WITHIN_ONE_INTERVAL, d -> d.size() == 5 && count(d, "UP") == 5);
            Set<String> ids = new HashSet<>();
            grown.forEach(d -> ids.add(d.get("id").asText()));
            assertTrue(ids.contains(id("dev-5")));
            assertEquals(1.0, r.poller.registry().get("ward.runner.inventory.reloads").tag("outcome", "applied").counter().count());

            write("fleet.csv", "id,name,address\n" + id("x") + ",x,127.42.0.99\nnot-a-uuid,y,127.42.0.98\n");
            long deadline = System.nanoTime() + WITHIN_ONE_INTERVAL.toNanos();
            while (r.poller.registry().get("ward.runner.inventory.reloads").tag("outcome", "rejected").counter().count() < 1
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            assertEquals(1.0, r.poller.registry().get("ward.runner.inventory.reloads").tag("outcome", "rejected").counter().count());
            JsonNode kept = r.devices();
            assertEquals(5, kept.size(), "the invalid file changed nothing");
            assertEquals(5, count(kept, "UP"));
        }
    }

    @Test
    void aBadInventoryExitsWith2ListingEveryBadLineAndStartsNothing() throws Exception {
        Path csv = write("bad.csv", String.join("\n",
                "id,name,address,region",
                id("ok-1") + ",ok-1,127.42.1.1,A",
                "not-a-uuid,bad-id,127.42.1.2,A",
                id("ok-2") + ",ok-2,127.42.1.3,A",
                id("bad-addr") + ",bad-addr,127.42.1.300,A",
                id("no-name") + ",,127.42.1.5,A",
                id("ok-1") + ",dup,127.42.1.6,A",
                id("short") + ",short,127.42.1.7",
                id("host") + ",host,router.example,A",
                ""));
        InProcessRunner.Failed f = InProcessRunner.runToExit("run", "--inventory", csv.toString(), "--http", "127.0.0.1:0");
        assertEquals(ExitCodes.USAGE, f.exitCode(), f.err());
        for (String line : List.of("line 3: bad id", "line 5: ", "line 6: missing name", "line 7: duplicate id", "line 8: has 3 fields",
                "line 9: ")) {
            assertTrue(f.err().contains(line), "'" + line + "' in " + f.err());
        }
        assertFalse(f.err().contains("line 2:"), f.err());
        assertFalse(f.err().contains("line 4:"), f.err());
        assertTrue(f.err().contains("nothing was started"), f.err());
    }

    @Test
    void aTakenHttpPortIsARuntimeFailureWithAClearMessage() throws Exception {
        Path csv = writeCsv("fleet.csv", 1, false);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            InProcessRunner.Failed f = InProcessRunner.runToExit("run", "--inventory", csv.toString(),
                    "--http", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(ExitCodes.FAILURE, f.exitCode(), f.err());
            assertTrue(f.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), f.err());
            assertTrue(f.err().contains("--http"), f.err());
        }
    }

    @Test
    void httpCanBeTurnedOff() throws Exception {
        Path csv = writeCsv("fleet.csv", 2, false);
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv.toString(), "--interval", "1s", "--http", "off")) {
            assertTrue(r.poller.httpAddress().isEmpty());
            long deadline = System.nanoTime() + WITHIN_ONE_INTERVAL.toNanos();
            while (r.poller.summary().up() < 2 && System.nanoTime() - deadline < 0) {
                Thread.sleep(100);
            }
            assertEquals(2, r.poller.summary().up());
            assertNotNull(r.poller.summary().line(0));
        }
    }
}
