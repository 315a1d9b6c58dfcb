package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interface roles in the runner ({@code snmp-interface-rules}) against a simulated branch router
 * with two ISP uplinks and an access port: the rules classify, the API lists role and provider,
 * an uplink rule fires for the uplink only, all uplinks down is one alert naming the providers,
 * and {@code /api/summary} and {@code /metrics} count uplinks per provider. A bad rules file stops
 * the start with every bad line.
 */
class InterfaceRolesIT {
    private static final String COMMUNITY = "ward-roles-community";
    private static final String ROUTER = DeviceId.fromKey("roles-router").toString();
    private static final String RULES = """
            # the replaced system's ISP tagging, as data
            uplink alias (?i)isp[-_ ]?(?<provider>magti|silknet|caucasus)
            lag    type  ieee8023adLag
            """;
    private static final String ALERT_RULES = """
            [{"name": "Uplink down", "expression": "if_role == uplink and if_oper_status != up", "severity": "high"},
             {"name": "All uplinks down", "expression": "uplinks_up == 0 and uplinks_down > 0", "severity": "critical"}]
            """;

    @TempDir
    Path dir;

    @Test
    void uplinksAreClassifiedAndAProviderOutageIsOneAlertNamingTheProviders() throws Exception {
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.46.19.1")).community(COMMUNITY)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000).withAlias("ISP-Magti 100M"),
                        SimulatedInterface.ethernet(2, 125_000).withAlias("to isp_silknet"),
                        SimulatedInterface.ethernet(3, 1_000).withAlias("office switch")));
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start()) {
            SimulatedDevice router = sim.devices().get(0);
            int port = sim.port(router);
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,branch,snmp_version\n"
                    + ROUTER + ",Vake-R1,127.46.19.1,Vake,2c\n");
            Path rules = Files.writeString(dir.resolve("roles.rules"), RULES);
            Path alertRules = Files.writeString(dir.resolve("alert-rules.json"), ALERT_RULES);
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_COMMUNITY", COMMUNITY), "run", "--inventory",
                    csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--snmp-port", String.valueOf(port),
                    "--snmp-interval", "1s", "--snmp-interface-rules", rules.toString(),
                    "--alert-rules", alertRules.toString())) {
                InProcessRunner.await("three interfaces, uplinks up", Duration.ofSeconds(20), () -> {
                    JsonNode d = r.getJson("/api/devices/" + ROUTER);
                    return d.get("interfaces").has("1") && d.get("interfaces").has("2") && d.get("interfaces").has("3")
                            && "UP".equals(d.get("interfaces").get("1").get("status").asText())
                            && "UP".equals(d.get("interfaces").get("2").get("status").asText());
                });
                JsonNode ifs = r.getJson("/api/devices/" + ROUTER + "/interfaces").get("interfaces");
                assertEquals(3, ifs.size(), ifs.toString());
                assertEquals("uplink", ifs.get(0).get("role").asText(), ifs.toString());
                assertEquals("Magti", ifs.get(0).get("provider").asText());
                assertEquals("Gi0/1", ifs.get(0).get("ifName").asText());
                assertEquals("ISP-Magti 100M", ifs.get(0).get("ifAlias").asText());
                assertEquals("up", ifs.get(0).get("operStatus").asText());
                assertEquals("silknet", ifs.get(1).get("provider").asText());
                assertTrue(ifs.get(2).get("role").isNull(), "the office port has no role: " + ifs.get(2));
                assertTrue(ifs.get(2).get("provider").isNull());
                JsonNode uplinks = r.getJson("/api/summary").get("uplinks");
                assertEquals(1, uplinks.get("devices").asInt(), uplinks.toString());
                assertEquals(0, uplinks.get("devicesAllDown").asInt());
                assertEquals(2, uplinks.get("providers").size());

                // the office port and the Magti link go down: one uplink alert, none for the office port
                router.operStatus(3, 2);
                router.operStatus(1, 2);
                InProcessRunner.await("the Magti uplink alert", Duration.ofSeconds(20),
                        () -> alerts(r).stream().anyMatch(a -> a.get("rule").asText().equals("Uplink down")));
                InProcessRunner.await("the office port confirmed down", Duration.ofSeconds(20), () -> "DOWN".equals(
                        r.getJson("/api/devices/" + ROUTER).get("interfaces").get("3").get("status").asText()));
                List<JsonNode> open = alerts(r);
                assertEquals(1, open.size(), open.toString());
                assertEquals(1, open.get(0).get("ifIndex").asInt());
                assertTrue(open.get(0).get("message").asText().contains("provider Magti"), open.get(0).toString());

                // the second provider goes too: the branch has no uplink left, one alert names both
                router.operStatus(2, 2);
                InProcessRunner.await("the all-uplinks-down alert", Duration.ofSeconds(20),
                        () -> alerts(r).stream().anyMatch(a -> a.get("rule").asText().equals("All uplinks down")));
                open = alerts(r);
                List<JsonNode> all = open.stream().filter(a -> a.get("rule").asText().equals("All uplinks down")).toList();
                assertEquals(1, all.size(), open.toString());
                assertEquals(0, all.get(0).get("ifIndex").asInt(), "one alert for the device, not per interface");
                String msg = all.get(0).get("message").asText();
                assertTrue(msg.contains("uplinks down: Magti (Gi0/1), silknet (Gi0/2)"), msg);
                assertEquals(3, open.size(), "two uplink alerts and the device's: " + open);

                InProcessRunner.await("the summary counting both down", Duration.ofSeconds(5), () ->
                        r.getJson("/api/summary").get("uplinks").get("devicesAllDown").asInt() == 1);
                JsonNode providers = r.getJson("/api/summary").get("uplinks").get("providers");
                assertEquals("Magti", providers.get(0).get("provider").asText(), providers.toString());
                assertEquals(1, providers.get(0).get("down").asInt());
                assertEquals(0, providers.get(0).get("up").asInt());
                assertEquals(1, providers.get(1).get("down").asInt());
                String metrics = r.get("/metrics").body();
                assertTrue(metrics.contains("ward_runner_uplinks{provider=\"Magti\",status=\"down\"} 1.0"), metrics);
                assertTrue(metrics.contains("ward_runner_uplinks{provider=\"silknet\",status=\"up\"} 0.0"));
                assertFalse(metrics.contains(COMMUNITY));

                // Silknet comes back: the branch has an uplink again
                router.operStatus(2, 1);
                InProcessRunner.await("the all-uplinks-down alert resolved", Duration.ofSeconds(20),
                        () -> alerts(r).stream().noneMatch(a -> a.get("rule").asText().equals("All uplinks down")));
            }
        }
    }

    @Test
    void aBadRulesFileStopsTheStartWithEveryBadLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + ROUTER + ",r,127.0.0.1\n");
        Path rules = Files.writeString(dir.resolve("bad.rules"), """
                uplink alias (?i)isp(?<provider>\\w+
                # fine
                uplink colour red
                lag type ethernet
                fast speed > fast
                ok name ^wan
                """);
        InProcessRunner.Failed f = InProcessRunner.runToExit("run", "--inventory", csv.toString(), "--http", "127.0.0.1:0",
                "--snmp-interface-rules", rules.toString());
        assertEquals(ExitCodes.USAGE, f.exitCode(), f.err());
        String err = f.err();
        assertTrue(err.contains("snmp-interface-rules " + rules + " has 4 problems"), err);
        for (String line : List.of(":1: ", ":3: ", ":4: ", ":5: ")) {
            assertTrue(err.contains(rules + line), "line " + line + " named: " + err);
        }
        assertTrue(err.contains("not a regular expression") && err.contains("field 'colour'")
                && err.contains("ifType 'ethernet'") && err.contains("speed '> fast'"), err);
        assertFalse(err.contains(":6: "), err);

        InProcessRunner.Failed missing = InProcessRunner.runToExit("run", "--inventory", csv.toString(), "--http",
                "127.0.0.1:0", "--snmp-interface-rules", dir.resolve("nope.rules").toString());
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("snmp-interface-rules " + dir.resolve("nope.rules") + ": no such file"),
                missing.err());
    }

    private static List<JsonNode> alerts(InProcessRunner r) throws Exception {
        JsonNode body = r.getJson("/api/alerts");
        JsonNode list = body.isArray() ? body : body.get("alerts");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }
}
