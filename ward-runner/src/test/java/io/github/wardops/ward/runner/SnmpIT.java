package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices whose snmp_version is 2c get an SNMP check when a community is set; interfaces and rates show in the API. */
class SnmpIT {
    private static final String COMMUNITY = "ward-it-community";
    private static final String WITH = DeviceId.fromKey("snmp-with").toString();
    private static final String WITHOUT = DeviceId.fromKey("snmp-without").toString();

    @TempDir
    Path dir;

    @Test
    void snmpDevicesShowInterfacesAndRatesAndOthersOnlyPing() throws Exception {
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.46.0.1")).community(COMMUNITY)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000), SimulatedInterface.ethernet(2, 250_000)));
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start()) {
            int port = sim.port(sim.devices().get(0));
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,snmp_version\n"
                    + WITH + ",with,127.46.0.1,2c\n" + WITHOUT + ",without,127.46.0.2,\n");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_COMMUNITY", COMMUNITY), "run", "--inventory",
                    csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--snmp-port", String.valueOf(port),
                    "--snmp-interval", "1s")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                JsonNode detail;
                do {
                    detail = r.getJson("/api/devices/" + WITH);
                    JsonNode rates = detail.get("interfaceValues").path("1");
                    if (detail.get("interfaces").has("2") && rates.has("if_in_bps")) {
                        break;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        fail("no interface rates within 20 s: " + detail);
                    }
                    Thread.sleep(200);
                } while (true);
                assertEquals("UP", detail.get("interfaces").get("1").get("status").asText(), detail.toString());
                double inBps = detail.get("interfaceValues").get("1").get("if_in_bps").asDouble();
                assertTrue(inBps > 500_000 && inBps < 1_500_000, "1 Mbit/s simulated: " + inBps);
                assertEquals(1e9, detail.get("interfaceValues").get("1").get("if_speed_bps").asDouble());
                JsonNode snmpCheck = null;
                for (JsonNode c : detail.get("checks")) {
                    if (c.get("name").asText().equals("snmp")) {
                        snmpCheck = c;
                    }
                }
                assertTrue(snmpCheck != null, detail.toString());
                assertEquals("UP", snmpCheck.get("outcome").asText(), snmpCheck.toString());

                JsonNode other = r.getJson("/api/devices/" + WITHOUT);
                assertEquals(1, other.get("checks").size(), "no snmp_version: ICMP only: " + other);
                assertTrue(other.get("interfaces").isEmpty());
                String metrics = r.get("/metrics").body();
                assertTrue(metrics.contains("ward_snmp_polls_total"), "SNMP meters on /metrics");
                assertFalse(metrics.contains(COMMUNITY));
                assertFalse(r.get("/api/devices/" + WITH).body().contains(COMMUNITY));
            }
        }
    }
}
