package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ward demo}: the whole fleet answers SNMP, and devices go down (keeping their addresses:
 * their echoes are dropped on loopback) and come back with alerts opening and resolving. The
 * outages last 90 s, over the minute of confirmed outage the fleet's first rule needs.
 */
class DemoIT {
    @TempDir
    Path dir;

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDemoShowsTheFleetWithInterfacesAndAlertsOpeningAndResolving() throws Exception {
        try (var faults = TestFaults.installOrSkip()) {
            // The demo installs its own rules; this only checks that it can.
        }
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "demo", "--http", "127.0.0.1:0",
                "--interval", "5s", "--snmp-interval", "2s", "--snmp-port", String.valueOf(freeUdpPort()),
                "--data-dir", dir.toString(), "--fault-every", "90s", "--faults", "2", "--down-after", "2", "--up-after", "1",
                "--inventory-poll", "200ms", "--alert-tick", "1s")) {
            assertTrue(Files.isRegularFile(dir.resolve("demo-fleet.csv")));
            JsonNode all = r.awaitDevices(Duration.ofSeconds(30), d -> d.size() == 875 && InProcessRunner.count(d, "UP") > 800);
            assertEquals(875, all.size());
            // A device with snmp_version 2c shows its interfaces with rates.
            String snmpDevice = "b0ebfc4f-0000-0000-0000-000000000000";
            for (JsonNode d : all) {
                JsonNode labels = d.get("labels");
                if (labels != null && "2c".equals(labels.path("snmp_version").asText()) && d.get("parentId").isNull()) {
                    snmpDevice = d.get("id").asText();
                    break;
                }
            }
            Map<String, String> addresses = new java.util.HashMap<>();
            all.forEach(d -> addresses.put(d.get("id").asText(), d.get("address").asText()));
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            boolean interfaces = false;
            boolean opened = false;
            boolean resolved = false;
            while (System.nanoTime() - deadline < 0 && !(interfaces && opened && resolved)) {
                interfaces = interfaces || r.getJson("/api/devices/" + snmpDevice).get("interfaceValues").path("1").has("if_in_bps");
                JsonNode open = r.getJson("/api/alerts");
                if (!opened && open.size() > 0) {
                    opened = true;
                    String id = open.get(0).get("deviceId").asText();
                    JsonNode d = r.getJson("/api/devices/" + id).get("device");
                    assertEquals(addresses.get(id), d.get("address").asText(), "a device taken down keeps its address");
                }
                resolved = resolved || r.getJson("/api/alerts?state=resolved").size() > 0;
                Thread.sleep(500);
            }
            if (!(interfaces && opened && resolved)) {
                fail("interfaces " + interfaces + ", alert opened " + opened + ", alert resolved " + resolved);
            }
        }
    }

    @Test
    void simulateRejectsABadCsvWithExit2() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "id,name,address\nnot-a-uuid,x,127.48.0.1\n");
        WalkIT.Run r = WalkIT.ward("simulate", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("line 2"), r.err());
        WalkIT.Run inv = WalkIT.ward("demo", "--inventory", bad.toString());
        assertEquals(2, inv.code(), inv.err());
    }
}
