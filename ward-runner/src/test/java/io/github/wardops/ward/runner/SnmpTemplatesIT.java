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
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snmp-templates}: a directory with a good and a bad template file. The bad one is named
 * with its line on {@code /ready} and counted on {@code /metrics}; the good ones (one replacing
 * the built-in Hikvision template by its name) give a simulated NVR its tables, which reach the
 * device's check values and items.
 */
class SnmpTemplatesIT {
    private static final String COMMUNITY = "ward-it-community";
    private static final String NVR = DeviceId.fromKey("templates-nvr").toString();

    @TempDir
    Path dir;

    @Test
    void aBadTemplateFileIsReportedAndTheOthersAreUsed() throws Exception {
        SnmpOid disk = SnmpOid.parse("1.3.6.1.4.1.50001.1.241.1");
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.46.1.1")).community(COMMUNITY)
                .system("DS-7608NI-K2", SnmpOid.parse("1.3.6.1.4.1.39165.1.1"), "nvr1", "Batumi")
                .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000)))
                .scalar(SnmpOid.parse("1.3.6.1.4.1.39165.1.7.0"), SnmpValue.OctetString.of("23"))
                .scalar(disk.append(2, 1), SnmpValue.OctetString.of("HDD1"))
                .scalar(disk.append(3, 1), new SnmpValue.Integer32(0))
                .scalar(disk.append(4, 1), new SnmpValue.Integer32(1000))
                .scalar(disk.append(5, 1), new SnmpValue.Integer32(4000));
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("nvr-ports.tmpl"), """
                # every NVR's ports, whatever its vendor
                vendor nvr-ports
                select device_type=NVR
                table  port 1.3.6.1.2.1.2.2.1 1s
                label  port descr 2
                column port in_octets 10 counter octets
                """);
        // replaces the built-in hikvision template by its name: the same disk table, read every second
        Files.writeString(templates.resolve("hikvision.tmpl"), """
                vendor hikvision
                match  1.3.6.1.4.1.39165
                item   cpu_pct 1.3.6.1.4.1.39165.1.7.0 gauge percent 1s
                table  disk 1.3.6.1.4.1.50001.1.241.1 1s
                label  disk volume 2
                column disk status 3 gauge -
                column disk free_bytes 4 gauge bytes scale=1048576
                """);
        Files.writeString(templates.resolve("broken.tmpl"), """
                vendor broken
                match 1.3.6.1.4.1.39165
                column nosuch used 6 gauge bytes
                """);
        Files.writeString(templates.resolve("notes.txt"), "not a template: ignored\n");
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start()) {
            int port = sim.port(sim.devices().get(0));
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,device_type,snmp_version\n"
                    + NVR + ",nvr1,127.46.1.1,NVR,2c\n");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_COMMUNITY", COMMUNITY), "run", "--inventory",
                    csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--snmp-port", String.valueOf(port),
                    "--snmp-interval", "1s", "--snmp-templates", templates.toString())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                JsonNode values;
                JsonNode items = null;
                do {
                    values = null;
                    for (JsonNode c : r.getJson("/api/devices/" + NVR).get("checks")) {
                        if (c.get("name").asText().equals("snmp")) {
                            values = c.get("values");
                            items = c.get("items");
                        }
                    }
                    if (values != null && values.has("item.disk_free_bytes.1") && values.has("item.port_in_octets.1")
                            && values.has("item.cpu_pct")) {
                        break;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        fail("no table values within 20 s: " + values);
                    }
                    Thread.sleep(200);
                } while (true);
                assertEquals(1000.0 * 1048576, values.get("item.disk_free_bytes.1").asDouble(), values.toString());
                assertEquals(23.0, values.get("item.cpu_pct").asDouble(), "a number sent as text");
                JsonNode cell = null;
                JsonNode portCell = null;
                for (JsonNode i : items) {
                    if (i.get("name").asText().equals("disk_free_bytes.1")) {
                        cell = i;
                    } else if (i.get("name").asText().equals("port_in_octets.1")) {
                        portCell = i;
                    }
                }
                assertTrue(cell != null && portCell != null, items.toString());
                assertEquals("template:hikvision", cell.get("source").asText());
                assertEquals("bytes", cell.get("unit").asText());
                assertEquals(1000.0 * 1048576, cell.get("value").asDouble());
                assertEquals("INTEGER: 1000", cell.get("text").asText());
                assertEquals("HDD1", cell.get("labels").get("volume").asText(), cell.toString());
                assertEquals("1", cell.get("labels").get("index").asText());
                assertEquals("template:nvr-ports", portCell.get("source").asText(), "the label-selected template from the directory");

                JsonNode ready = InProcessRunner.JSON.readTree(r.get("/ready").body());
                JsonNode check = null;
                for (JsonNode c : ready.get("checks")) {
                    if (c.get("name").asText().equals("snmp-templates")) {
                        check = c;
                    }
                }
                assertTrue(check != null, ready.toString());
                assertTrue(check.get("ok").asBoolean(), "a bad template does not make the runner unready");
                String detail = check.get("detail").asText();
                assertTrue(detail.startsWith("2 templates from "), detail);
                assertTrue(detail.contains("(hikvision, nvr-ports)"), detail);
                assertTrue(detail.contains("1 file not used: broken.tmpl:3: table 'nosuch' is not declared"), detail);

                String metrics = r.get("/metrics").body();
                assertTrue(metrics.contains("ward_runner_snmp_templates{state=\"failed\"} 1.0"), metrics);
                assertTrue(metrics.contains("ward_runner_snmp_templates{state=\"loaded\"} 2.0"), metrics);
                assertTrue(metrics.contains("ward_snmp_tables_truncated_total"), "the table bound's meter is there");
                assertFalse(metrics.contains(COMMUNITY));
            }
        }
    }

    @Test
    void aTemplateDirectoryThatDoesNotExistIsAConfigurationError() {
        InProcessRunner.Failed f = InProcessRunner.runToExit(Map.of("WARD_SNMP_COMMUNITY", COMMUNITY), "run", "--inventory",
                writeFleet(), "--http", "127.0.0.1:0", "--snmp-templates", dir.resolve("nowhere").toString());
        assertEquals(2, f.exitCode(), f.err());
        assertTrue(f.err().contains("snmp-templates " + dir.resolve("nowhere")) && f.err().contains("no such directory"),
                f.err());
    }

    private String writeFleet() {
        try {
            return Files.writeString(dir.resolve("one.csv"), "id,name,address,snmp_version\n" + NVR + ",nvr1,127.46.1.2,2c\n")
                    .toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
