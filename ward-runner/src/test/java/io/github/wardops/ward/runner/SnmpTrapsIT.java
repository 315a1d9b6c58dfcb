package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's trap receiver against net-snmp's snmptrap and snmpinform on 127.0.0.1: v1, v2c and
 * v3 authPriv traps reach the right device's {@code /api/devices/{id}/traps} and probe it at once
 * (the ICMP interval is 60 s, so the newer result cannot be the schedule's), a second link trap
 * within snmp-trap-probe-gap probes nothing, an inform is answered, and a trap from an unknown
 * source is counted and kept nowhere.
 */
class SnmpTrapsIT {
    private static final String COMMUNITY = "ward-it-trap-community";
    private static final String AUTH = "trap-auth-passphrase";
    private static final String PRIV = "trap-priv-passphrase";
    private static final String ROUTER = DeviceId.fromKey("trap-router").toString();
    private static final String SWITCH = DeviceId.fromKey("trap-switch").toString();

    @TempDir
    Path dir;

    private int run(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        boolean target = false;
        for (String a : args) {
            cmd.add(a.equals("TARGET") ? "udp:127.0.0.1:" + port : a);
            target |= a.equals("TARGET");
        }
        assertTrue(target);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("tool.log").toFile());
        pb.environment().put("MIBS", "");
        pb.environment().put("SNMP_PERSISTENT_DIR", dir.toString());
        pb.environment().put("SNMPCONFPATH", dir.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd.get(0) + " did not finish");
        }
        return p.exitValue();
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static JsonNode awaitTraps(InProcessRunner r, String device, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode t = r.getJson("/api/devices/" + device + "/traps");
            if (t.get("traps").size() >= count) {
                return t;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("fewer than " + count + " traps of " + device + " within 10 s: " + t);
            }
            Thread.sleep(100);
        }
    }

    private static Instant icmpAt(InProcessRunner r, String device) throws Exception {
        for (JsonNode c : r.getJson("/api/devices/" + device).get("checks")) {
            if (c.get("name").asText().equals("icmp") && !c.get("at").isNull()) {
                return Instant.parse(c.get("at").asText());
            }
        }
        return null;
    }

    private static void awaitProbeAfter(InProcessRunner r, String device, Instant trapAt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Instant at = icmpAt(r, device);
            if (at != null && !at.isBefore(trapAt)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no ICMP result of " + device + " newer than the trap at " + trapAt + " within 10 s (latest: " + at + ")");
            }
            Thread.sleep(100);
        }
    }

    private static double metric(String body, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*" + Pattern.quote(label) + "[^}]*\\})? (\\S+)$")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void trapsBecomeDeviceEventsAndProbeTheDeviceAtOnce() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmptrap")) && Files.isExecutable(Path.of("/usr/bin/snmpinform"))
                || "true".equals(System.getenv("CI")), "net-snmp's snmptrap and snmpinform are needed (apt-get install snmp)");
        int port = freeUdpPort();
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n"
                + ROUTER + ",router,127.47.0.1\n" + SWITCH + ",switch,127.47.0.2\n");
        Path rules = Files.writeString(dir.resolve("trap-rules.json"), """
                [{"name": "Link down (trap)", "expression": "trap == linkDown", "severity": "high"}]
                """);
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_TRAP_COMMUNITY", COMMUNITY,
                        "WARD_SNMP_V3_AUTH_PASSPHRASE", AUTH, "WARD_SNMP_V3_PRIV_PASSPHRASE", PRIV),
                "run", "--inventory", csv.toString(), "--interval", "60s", "--http", "127.0.0.1:0",
                "--alert-rules", rules.toString(),
                "--snmp-trap-port", String.valueOf(port), "--snmp-trap-probe-gap", "1m",
                "--snmp-v3-user", "trapuser", "--snmp-v3-auth-protocol", "SHA-256", "--snmp-v3-priv-protocol", "AES")) {
            // The engine spreads the first probes over the 60 s interval: the trap's probe is told apart
            // by ward_runner_trap_probes_total below, and by coming within seconds of the trap.

            // v2c linkDown with ifIndex 3; the agent address (snmpTrapAddress.0) names the router
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.6.3.1.1.5.3",
                    "1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.2.2.1.2.3", "s", "uplink ISP-Magti",
                    "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.1"), () -> "snmptrap failed: " + log());
            JsonNode t = awaitTraps(r, ROUTER, 1).get("traps").get(0);
            assertEquals("linkDown", t.get("kind").asText(), t.toString());
            assertEquals(3, t.get("ifIndex").asInt(), t.toString());
            assertEquals("v2c", t.get("version").asText());
            assertEquals("127.47.0.1", t.get("agentAddress").asText());
            assertEquals("127.0.0.1", t.get("source").asText());
            assertTrue(t.get("varbinds").toString().contains("uplink ISP-Magti"), t.toString());
            Instant trapAt = Instant.parse(t.get("at").asText());
            awaitProbeAfter(r, ROUTER, trapAt);
            // the rule trap == linkDown opened an alert for the router (its ping is fine: only the trap says so)
            InProcessRunner.await("the linkDown trap's alert", Duration.ofSeconds(10),
                    () -> r.get("/api/alerts").body().contains("Link down (trap)"));
            assertTrue(r.get("/api/alerts").body().contains(ROUTER.toString()), r.get("/api/alerts").body());

            // a second link trap within snmp-trap-probe-gap is kept but probes nothing
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.6.3.1.1.5.4",
                    "1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.1"));
            JsonNode two = awaitTraps(r, ROUTER, 2).get("traps");
            assertEquals("linkUp", two.get(0).get("kind").asText(), "newest first: " + two);
            InProcessRunner.await("the linkUp trap resolves it", Duration.ofSeconds(10),
                    () -> !r.get("/api/alerts").body().contains("Link down (trap)"));
            assertTrue(r.get("/api/alerts?state=resolved").body().contains("Link down (trap)"),
                    r.get("/api/alerts?state=resolved").body());

            // a vendor trap is named by the built-in cisco template's trap line
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.4.1.9.9.43.2.0.1",
                    "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.1"));
            JsonNode three = awaitTraps(r, ROUTER, 3).get("traps");
            assertEquals("ciscoConfigManEvent", three.get(0).get("kind").asText(), three.toString());

            // v1 coldStart: the agent-addr field names the switch
            assertEquals(0, run(port, "snmptrap", "-v1", "-c", COMMUNITY, "TARGET", "1.3.6.1.4.1.8072.2.3", "127.47.0.2",
                    "0", "0", "100"));
            JsonNode s = awaitTraps(r, SWITCH, 1).get("traps").get(0);
            assertEquals("coldStart", s.get("kind").asText(), s.toString());
            assertEquals("v1", s.get("version").asText());
            awaitProbeAfter(r, SWITCH, Instant.parse(s.get("at").asText()));

            // v3 authPriv warmStart of the switch: the gap is per device, and the switch was probed a moment ago
            assertEquals(0, run(port, "snmptrap", "-v3", "-u", "trapuser", "-l", "authPriv", "-a", "SHA-256", "-A", AUTH,
                    "-x", "AES", "-X", PRIV, "TARGET", "", "1.3.6.1.6.3.1.1.5.2", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.2"));
            JsonNode v3 = awaitTraps(r, SWITCH, 2).get("traps").get(0);
            assertEquals("warmStart", v3.get("kind").asText(), v3.toString());
            assertEquals("v3", v3.get("version").asText());
            assertEquals("trapuser", v3.get("user").asText());

            // an inform is answered (snmpinform exits 0 only on the response)
            assertEquals(0, run(port, "snmpinform", "-v2c", "-c", COMMUNITY, "-t", "2", "-r", "1", "TARGET", "",
                    "1.3.6.1.4.1.8072.2.3.0.1", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.1"), () -> "snmpinform: " + log());
            awaitTraps(r, ROUTER, 4);

            // an unknown source: counted, kept nowhere
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.6.3.1.1.5.3",
                    "1.3.6.1.2.1.2.2.1.1.1", "i", "1", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.99"));
            // a wrong community: counted as such
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", "not-the-community", "TARGET", "", "1.3.6.1.6.3.1.1.5.3"));
            InProcessRunner.await("the unknown source and the bad community counted", Duration.ofSeconds(10), () -> {
                String m = r.get("/metrics").body();
                return metric(m, "ward_snmp_traps_total", "outcome=\"unknown_source\"") >= 1
                        && metric(m, "ward_snmp_traps_total", "outcome=\"bad_community\"") >= 1;
            });
            String metrics = r.get("/metrics").body();
            assertEquals(6, metric(metrics, "ward_snmp_traps_total", "outcome=\"accepted\""), "5 traps, 1 inform: " + metrics);
            assertEquals(2, metric(metrics, "ward_runner_trap_probes_total", "outcome=\"probed\""),
                    "the router's linkDown, the switch's coldStart: " + metrics);
            assertEquals(2, metric(metrics, "ward_runner_trap_probes_total", "outcome=\"limited\""),
                    "the router's linkUp and the switch's warmStart came within the gap: " + metrics);
            assertEquals(4, r.getJson("/api/devices/" + ROUTER + "/traps").get("traps").size());
            assertEquals(2, r.getJson("/api/devices/" + SWITCH + "/traps").get("traps").size());
            assertFalse(metrics.contains(COMMUNITY));
            assertFalse(metrics.contains(AUTH));

            // bad input: 400 naming the problem, 404 for an unknown device
            assertEquals(400, r.get("/api/devices/" + ROUTER + "/traps?limit=0").statusCode());
            assertTrue(r.get("/api/devices/" + ROUTER + "/traps?limit=0").body().contains("limit '0' is not a whole number"));
            assertEquals(400, r.get("/api/devices/" + ROUTER + "/traps?colour=red").statusCode());
            assertEquals(404, r.get("/api/devices/" + DeviceId.fromKey("nobody") + "/traps").statusCode());
            assertEquals(1, r.getJson("/api/devices/" + ROUTER + "/traps?limit=1").get("traps").size());
        }
    }

    @Test
    void withStorageTrapsAreInPostgresqlAndSurviveARestart() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmptrap")) || "true".equals(System.getenv("CI")),
                "net-snmp's snmptrap is needed (apt-get install snmp)");
        int port = freeUdpPort();
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + ROUTER + ",router,127.47.0.1\n");
        String[] args = {"run", "--inventory", csv.toString(), "--interval", "60s", "--http", "127.0.0.1:0",
            "--snmp-trap-port", String.valueOf(port), "--data-dir", dir.resolve("data").toString()};
        Map<String, String> env = Map.of("WARD_STORAGE", "postgres", "WARD_SNMP_TRAP_COMMUNITY", COMMUNITY);
        try (InProcessRunner r = InProcessRunner.start(env, args)) {
            assertEquals(0, run(port, "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.6.3.1.1.5.3",
                    "1.3.6.1.2.1.2.2.1.1.7", "i", "7", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.1"), () -> "snmptrap: " + log());
            JsonNode t = awaitTraps(r, ROUTER, 1).get("traps").get(0);
            assertEquals("linkDown", t.get("kind").asText(), t.toString());
            assertEquals(7, t.get("ifIndex").asInt());
            assertEquals("INTEGER", t.get("varbinds").get(0).get("type").asText(), t.toString());
            assertFalse(r.get("/metrics").body().contains("ward_runner_traps_kept"), "no memory log with storage");
            JsonNode events = r.getJson("/api/devices/" + ROUTER + "/events").get("events");
            JsonNode trapEvent = null;
            for (JsonNode e : events) {
                if (e.get("kind").asText().equals("trap")) {
                    trapEvent = e;
                }
            }
            assertTrue(trapEvent != null, "the trap is a device event: " + events);
            assertEquals("linkDown", trapEvent.get("trap").asText(), trapEvent.toString());
            assertEquals("1.3.6.1.6.3.1.1.5.3", trapEvent.get("trapOid").asText());
            assertEquals(7, trapEvent.get("ifIndex").asInt());
            String eventsCsv = r.get("/api/devices/" + ROUTER + "/events?format=csv").body();
            assertTrue(eventsCsv.contains(",trap,7,") && eventsCsv.contains(",linkDown,1.3.6.1.6.3.1.1.5.3\n"), eventsCsv);
        }
        try (InProcessRunner r = InProcessRunner.start(env, args)) {
            JsonNode traps = r.getJson("/api/devices/" + ROUTER + "/traps").get("traps");
            assertEquals(1, traps.size(), "kept in PostgreSQL across the restart: " + traps);
            assertEquals(7, traps.get(0).get("ifIndex").asInt());
        }
    }

    @Test
    void aFloodFromAnUnknownSourceIsCountedAndKeptNowhere() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmptrap")) || "true".equals(System.getenv("CI")),
                "net-snmp's snmptrap is needed (apt-get install snmp)");
        // snmptrap's datagram, caught once, naming an agent that is in no inventory
        byte[] datagram;
        try (DatagramSocket catcher = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            catcher.setSoTimeout(10_000);
            assertEquals(0, run(catcher.getLocalPort(), "snmptrap", "-v2c", "-c", COMMUNITY, "TARGET", "", "1.3.6.1.6.3.1.1.5.3",
                    "1.3.6.1.2.1.2.2.1.1.1", "i", "1", "1.3.6.1.6.3.18.1.3.0", "a", "127.47.0.99"));
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[65_535], 65_535);
            catcher.receive(p);
            datagram = java.util.Arrays.copyOf(p.getData(), p.getLength());
        }
        int port = freeUdpPort();
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + ROUTER + ",router,127.47.0.1\n");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_TRAP_COMMUNITY", COMMUNITY), "run", "--inventory",
                csv.toString(), "--interval", "60s", "--http", "127.0.0.1:0", "--snmp-trap-port", String.valueOf(port));
             DatagramSocket sender = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            int sent = 2_000;
            InetAddress to = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < sent; i++) {
                sender.send(new java.net.DatagramPacket(datagram, datagram.length, to, port));
                if (i % 200 == 199) {
                    Thread.sleep(20);   // paced a little, so the loopback socket buffer is not what is measured
                }
            }
            InProcessRunner.await("the flood counted", Duration.ofSeconds(15), () -> metric(r.get("/metrics").body(),
                    "ward_snmp_traps_total", "outcome=\"unknown_source\"") >= sent * 0.95);
            String m = r.get("/metrics").body();
            double unknown = metric(m, "ward_snmp_traps_total", "outcome=\"unknown_source\"");
            double suppressed = metric(m, "ward_snmp_traps_unknown_suppressed_total", "");
            assertTrue(unknown - suppressed <= 30, "at most about one a second handed on (logged), the rest only counted: "
                    + unknown + " unknown, " + suppressed + " suppressed");
            assertEquals(0, metric(m, "ward_snmp_traps_total", "outcome=\"accepted\""), m);
            assertEquals(0, metric(m, "ward_runner_traps_kept", ""), "nothing kept: " + m);
            assertTrue(r.getJson("/api/devices/" + ROUTER + "/traps").get("traps").isEmpty());
        }
    }

    @Test
    void aTakenTrapPortIsReportedBeforeTheDatabaseStartsAndNamesItsHolder() throws Exception {
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + ROUTER + ",router,127.47.0.1\n");
        try (DatagramSocket held = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            Path data = dir.resolve("data");
            InProcessRunner.Failed f = InProcessRunner.runToExit(Map.of("WARD_STORAGE", "postgres",
                    "WARD_SNMP_TRAP_COMMUNITY", COMMUNITY), "run", "--inventory", csv.toString(), "--http", "127.0.0.1:0",
                    "--snmp-trap-port", String.valueOf(held.getLocalPort()), "--data-dir", data.toString());
            assertEquals(ExitCodes.FAILURE, f.exitCode(), f.err());
            assertTrue(f.err().contains("cannot receive SNMP traps on UDP 127.0.0.1:" + held.getLocalPort()), f.err());
            assertTrue(f.err().contains("held by java (pid " + ProcessHandle.current().pid() + ")"), f.err());
            assertFalse(f.err().contains(COMMUNITY));
            assertFalse(Files.exists(data.resolve("pg")), "the embedded database was not started first");
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("tool.log"));
        } catch (Exception e) {
            return "?";
        }
    }
}
