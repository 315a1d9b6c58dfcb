package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ward run} with SNMP chosen by label selectors against a real net-snmp {@code snmpd}
 * listening on two loopback addresses: the device matching the v3 rule is polled with the v3
 * user (SHA-256/AES, authPriv), the one matching the v2c rule with the community, the one no rule
 * matches is only pinged; and a wrong v3 passphrase makes the SNMP check fail without the
 * passphrase showing anywhere. Without snmpd the test fails in CI ({@code CI=true}) and is
 * skipped elsewhere.
 */
class SnmpV3IT {
    private static final String AUTH = "ward-v3-auth-pass";
    private static final String PRIV = "ward-v3-priv-pass";
    private static final String COMMUNITY = "ward-v2c-it";
    private static final String V3 = DeviceId.fromKey("snmpd-v3").toString();
    private static final String V2 = DeviceId.fromKey("snmpd-v2c").toString();
    private static final String NONE = DeviceId.fromKey("snmpd-none").toString();
    private static Path snmpdDir;
    private static Process snmpd;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSnmpd() throws Exception {
        Path exe = Path.of("/usr/sbin/snmpd");
        if (!Files.isExecutable(exe)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("net-snmp's snmpd is needed (apt-get install snmpd)");
            }
            Assumptions.abort("net-snmp's snmpd is not installed");
        }
        snmpdDir = Files.createTempDirectory("ward-runner-snmpd");
        Path persist = Files.createDirectories(snmpdDir.resolve("persist"));
        Path conf = Files.writeString(snmpdDir.resolve("snmpd.conf"), """
                rocommunity %s 127.0.0.0/8
                createUser wardv3 SHA-256 %s AES %s
                rouser wardv3 priv
                sysLocation ward runner v3 test
                """.formatted(COMMUNITY, AUTH, PRIV));
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-f", "-Lo", "-C", "-c", conf.toString(), "-p",
                snmpdDir.resolve("pid").toString(), "--persistentDir=" + persist,
                "udp:127.0.0.1:" + port + ",udp:127.46.3.2:" + port)
                .redirectErrorStream(true).redirectOutput(snmpdDir.resolve("snmpd.log").toFile());
        pb.environment().put("MIBS", "");
        snmpd = pb.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!answers(port)) {
            if (!snmpd.isAlive() || System.nanoTime() > until) {
                fail("snmpd did not answer: " + Files.readString(snmpdDir.resolve("snmpd.log")));
            }
            Thread.sleep(100);
        }
    }

    /** Whether snmpd answers a v2c GET of sysUpTime.0 (a hand-made packet: no ward code under test). */
    private static boolean answers(int port) throws Exception {
        byte[] c = COMMUNITY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] oid = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00};
        byte[] varbind = concat(new byte[] {0x30, (byte) (oid.length + 2)}, oid, new byte[] {0x05, 0x00});
        byte[] list = concat(new byte[] {0x30, (byte) varbind.length}, varbind);
        byte[] pduBody = concat(new byte[] {0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}, list);
        byte[] pdu = concat(new byte[] {(byte) 0xa0, (byte) pduBody.length}, pduBody);
        byte[] msgBody = concat(new byte[] {0x02, 0x01, 0x01, 0x04, (byte) c.length}, c, pdu);
        byte[] msg = concat(new byte[] {0x30, (byte) msgBody.length}, msgBody);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(300);
            s.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("127.0.0.1"), port));
            s.receive(new DatagramPacket(new byte[1500], 1500));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @AfterAll
    static void stop() throws Exception {
        if (snmpd != null) {
            snmpd.destroy();
            if (!snmpd.waitFor(5, TimeUnit.SECONDS)) {
                snmpd.destroyForcibly();
            }
        }
    }

    private Path fleet() throws Exception {
        return Files.writeString(dir.resolve("fleet.csv"), "id,name,address,device_type,snmp_version\n"
                + V3 + ",core,127.0.0.1,Router,3\n"
                + V2 + ",branch switch,127.46.3.2,Switch,2c\n"
                + NONE + ",atm,127.46.3.3,ATM,\n");
    }

    private InProcessRunner start(String authPassphrase) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("WARD_SNMP_COMMUNITY", COMMUNITY);
        env.put("WARD_SNMP_V3_AUTH_PASSPHRASE", authPassphrase);
        env.put("WARD_SNMP_V3_PRIV_PASSPHRASE_FILE", Files.writeString(dir.resolve("priv"), PRIV + "\n").toString());
        return InProcessRunner.start(env, "run", "--inventory", fleet().toString(), "--interval", "1s", "--http",
                "127.0.0.1:0", "--snmp-port", String.valueOf(port), "--snmp-interval", "1s",
                "--snmp-checks", "snmp_version = 3 => v3; device_type in (Router, Switch) => v2c",
                "--snmp-v3-user", "wardv3", "--snmp-v3-auth-protocol", "SHA-256", "--snmp-v3-priv-protocol", "AES");
    }

    private static JsonNode snmpCheck(JsonNode detail) {
        for (JsonNode c : detail.get("checks")) {
            if (c.get("name").asText().equals("snmp")) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode awaitSnmp(InProcessRunner r, String id, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode detail;
        do {
            detail = r.getJson("/api/devices/" + id);
            JsonNode c = snmpCheck(detail);
            if (c != null && c.hasNonNull("outcome") && until.test(detail)) {
                return detail;
            }
            Thread.sleep(200);
        } while (System.nanoTime() - deadline < 0);
        return fail("SNMP of " + id + " not as expected within 20 s: " + detail);
    }

    @Test
    void eachDeviceIsPolledWithTheCredentialsOfTheFirstRuleThatMatchesIt() throws Exception {
        try (InProcessRunner r = start(AUTH)) {
            JsonNode v3 = awaitSnmp(r, V3, d -> snmpCheck(d).get("outcome").asText().equals("UP")
                    && d.get("interfaces").size() > 0);
            assertTrue(v3.get("interfaces").size() >= 1, "snmpd's interfaces (lo at least): " + v3);
            JsonNode v2 = awaitSnmp(r, V2, d -> snmpCheck(d).get("outcome").asText().equals("UP"));
            assertEquals("UP", snmpCheck(v2).get("outcome").asText(), v2.toString());
            String ready = r.get("/ready").body();
            assertTrue(ready.matches("(?s).*\\{\"name\":\"snmp\",\"ok\":true,\"detail\":\"socket bound to UDP [^\"]+:\\d+, \\d+ requests pending\"\\}.*"),
                    ready);
            JsonNode none = r.getJson("/api/devices/" + NONE);
            assertEquals(null, snmpCheck(none), "no rule matches an ATM: ICMP only: " + none);
            for (String body : new String[] {r.get("/api/devices/" + V3).body(), r.get("/metrics").body()}) {
                assertFalse(body.contains(AUTH) || body.contains(PRIV) || body.contains(COMMUNITY), "no secret served");
            }
        }
    }

    @Test
    void aWrongPassphraseFailsTheCheckAndIsNeverShown() throws Exception {
        String wrong = "not-the-v3-auth-pass";
        try (InProcessRunner r = start(wrong)) {
            JsonNode v3 = awaitSnmp(r, V3, d -> true);
            assertNotEquals("UP", snmpCheck(v3).get("outcome").asText(), v3.toString());
            assertTrue(snmpCheck(v3).path("detail").asText().contains("usmStatsWrongDigests (wrong authentication passphrase"),
                    "the agent's report says why: " + snmpCheck(v3));
            assertTrue(v3.get("interfaces").isEmpty(), v3.toString());
            // the v2c device is unaffected
            awaitSnmp(r, V2, d -> snmpCheck(d).get("outcome").asText().equals("UP"));
            String body = r.get("/api/devices/" + V3).body() + r.get("/metrics").body() + r.err;
            assertFalse(body.contains(wrong) || body.contains(PRIV), "no secret served or printed");
        }
    }

    @Test
    void walkAndSnmpGetSpeakV3LikeNetSnmp() throws Exception {
        String target = "127.0.0.1:" + port;
        String[] v3 = {"-v", "3", "-u", "wardv3", "-l", "authPriv", "-a", "SHA-256", "-A", AUTH, "-x", "AES", "-X", PRIV};
        String expected = WalkIT.netSnmp(args("snmpbulkwalk", "-On", "-t", "2", "-r", "1", v3, target, ".1.3.6.1.2.1.1"));
        WalkIT.Run walk = WalkIT.ward(args("walk", v3, target, ".1.3.6.1.2.1.1"));
        assertEquals(0, walk.code(), walk.err());
        // sysUpTime moves between the two walks; every other line must be identical.
        assertEquals(withoutUptime(expected), withoutUptime(walk.out()));
        assertTrue(walk.out().contains(".1.3.6.1.2.1.1.6.0 = STRING: \"ward runner v3 test\""), walk.out());

        WalkIT.Run get = WalkIT.ward(args("probe", new String[] {"snmp-get"}, v3, target, ".1.3.6.1.2.1.1.5.0"));
        assertEquals(0, get.code(), get.err());
        assertTrue(get.out().startsWith(".1.3.6.1.2.1.1.5.0 = STRING: "), get.out());

        String[] wrong = v3.clone();
        wrong[9] = "not-the-v3-auth-pass";
        WalkIT.Run bad = WalkIT.ward(args("probe", new String[] {"snmp-get", "-r", "0"}, wrong, target, ".1.3.6.1.2.1.1.5.0"));
        assertEquals(1, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("usmStatsWrongDigests (wrong authentication passphrase or protocol)"), bad.err());
        assertFalse(bad.err().contains("not-the-v3-auth-pass") || bad.out().contains("not-the-v3-auth-pass"));

        String[] unknown = v3.clone();
        unknown[3] = "nobody";
        WalkIT.Run nobody = WalkIT.ward(args("walk", new String[] {"-r", "0"}, unknown, target, ".1.3.6.1.2.1.1"));
        assertEquals(1, nobody.code(), nobody.out() + nobody.err());
        assertTrue(nobody.err().contains("usmStatsUnknownUserNames (no such user on the agent)"), nobody.err());
    }

    private static String withoutUptime(String walk) {
        return walk.lines().filter(l -> !l.startsWith(".1.3.6.1.2.1.1.3.0 ")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String[] args(Object... parts) {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String[] a) {
                all.addAll(java.util.List.of(a));
            } else {
                all.add((String) p);
            }
        }
        return all.toArray(String[]::new);
    }

    @Test
    void credentialsStoredEncryptedAreUsedByRulesAndChangesArriveWhileRunning() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString("ward-runner-it-32-byte-key-00000".getBytes());
        String data = dir.resolve("data").toString();
        Map<String, String> env = Map.of("WARD_ENCRYPTION_KEY", key, "WARD_SNMP_V3_AUTH_PASSPHRASE", AUTH,
                "WARD_SNMP_V3_PRIV_PASSPHRASE", PRIV);

        WalkIT.Run noKey = WalkIT.ward(Map.of(), "credentials", "add", "core", "-v", "3", "-u", "wardv3", "-a", "SHA-256", "-x",
                "AES", "-A", AUTH, "-X", PRIV, "--data-dir", data);
        assertEquals(2, noKey.code(), noKey.err());
        assertTrue(noKey.err().contains("encryption-key is not set"), noKey.err());
        WalkIT.Run badName = WalkIT.ward(env, "credentials", "add", "v3", "-v", "2c", "--data-dir", data);
        assertEquals(2, badName.code(), badName.err());
        assertTrue(badName.err().contains("v1, v2c and v3 are the names of the credentials in the settings"), badName.err());
        assertTrue(badName.err().contains("-c: a community is required"), "no silent 'public': " + badName.err());

        WalkIT.Run add = WalkIT.ward(env, "credentials", "add", "core", "-v", "3", "-u", "wardv3", "-a", "SHA-256", "-x", "AES",
                "--data-dir", data);
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("stored SNMP credentials 'core' (v3, user wardv3, authPriv, SHA-256/AES-128)"),
                add.out());
        WalkIT.Run list = WalkIT.ward(env, "credentials", "list", "--data-dir", data);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().matches("(?s).*core\\s+v3\\s+wardv3\\s+authPriv\\s+SHA-256\\s+AES-128.*"), list.out());
        assertFalse(list.out().contains(AUTH) || list.out().contains(PRIV), list.out());
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        WalkIT.Run wrongKey = WalkIT.ward(Map.of("WARD_ENCRYPTION_KEY", otherKey), "credentials", "list", "--data-dir", data);
        assertEquals(1, wrongKey.code(), wrongKey.out() + wrongKey.err());
        assertTrue(wrongKey.err().contains("does not match the key that encrypted it"), wrongKey.err());
        // A row under another key (another tool, a dropped key): listed as unreadable, the others still work.
        WalkIT.Run broken = WalkIT.ward(Map.of("WARD_ENCRYPTION_KEY", "other=" + otherKey), "credentials", "add", "broken", "-v", "2c",
                "-c", "another-community", "--data-dir", data);
        assertEquals(0, broken.code(), broken.err());
        WalkIT.Run mixed = WalkIT.ward(env, "credentials", "list", "--data-dir", data);
        assertEquals(1, mixed.code(), mixed.out() + mixed.err());
        assertTrue(mixed.out().contains("broken                   (cannot be decrypted; see below)"), mixed.out());
        assertTrue(mixed.out().matches("(?s).*core\\s+v3\\s+wardv3.*"), mixed.out());
        assertTrue(mixed.out().contains("1 stored, 1 unreadable"), mixed.out());
        assertTrue(mixed.err().contains("key id 'other' is not configured"), mixed.err());
        assertFalse(mixed.out().contains("another-community") || mixed.err().contains("another-community"));

        Map<String, String> runEnv = new HashMap<>(Map.of("WARD_ENCRYPTION_KEY", key, "WARD_STORAGE", "postgres"));
        try (InProcessRunner r = InProcessRunner.start(runEnv, "run", "--inventory", fleet().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0", "--snmp-port", String.valueOf(port), "--snmp-interval", "1s", "--data-dir", data,
                "--inventory-poll", "200ms", "--snmp-checks", "snmp_version = 3 => core; device_type = Switch => broken")) {
            JsonNode v3 = awaitSnmp(r, V3, d -> snmpCheck(d).get("outcome").asText().equals("UP")
                    && d.get("interfaces").size() > 0);
            assertTrue(v3.get("interfaces").size() >= 1, v3.toString());
            assertEquals(null, snmpCheck(r.getJson("/api/devices/" + V2)), "its rule's credentials cannot be decrypted");

            // Another program replaces 'core' with a wrong passphrase: the next polls use it.
            var store = r.poller.wiring().storage().orElseThrow().snmpCredentials(
                    io.github.wardops.ward.postgres.SecretKeys.parse(key, "test"));
            var old = store.loadByName("core").orElseThrow();
            store.save(new io.github.wardops.ward.postgres.StoredSnmpCredential(old.id(), "core", "v3", null, "wardv3",
                    "SHA-256", io.github.wardops.ward.Secret.of("not-the-v3-auth-pass"), "AES-128",
                    io.github.wardops.ward.Secret.of(PRIV), null));
            awaitSnmp(r, V3, d -> snmpCheck(d).path("detail").asText().contains("usmStatsWrongDigests"));

            // Deleted: the rule is skipped, the device keeps only ICMP.
            store.delete(old.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (snmpCheck(r.getJson("/api/devices/" + V3)) != null) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the SNMP check stayed after its credentials were deleted");
                }
                Thread.sleep(200);
            }
            String served = r.get("/api/devices/" + V3).body() + r.get("/metrics").body() + r.err;
            assertFalse(served.contains(AUTH) || served.contains(PRIV) || served.contains(key), "no secret served");
        }
        // With a ward.yaml full of SNMP settings and the SNMP secrets in the environment, the database
        // commands still work (they check only the database's settings), and the unreadable row can go.
        Path yaml = Files.writeString(dir.resolve("ward.yaml"), "snmp-checks: \"device_type = Router => v2c\"\n"
                + "snmp-v3-user: wardv3\nsnmp-v3-auth-protocol: SHA-256\n");
        WalkIT.Run delete = WalkIT.ward(env, "credentials", "delete", "broken", "--config", yaml.toString(), "--data-dir", data);
        assertEquals(0, delete.code(), delete.err());
        WalkIT.Run after = WalkIT.ward(env, "credentials", "list", "--config", yaml.toString(), "--data-dir", data);
        assertEquals(0, after.code(), after.err());
        assertTrue(after.out().contains("0 stored"), after.out());
    }
}
