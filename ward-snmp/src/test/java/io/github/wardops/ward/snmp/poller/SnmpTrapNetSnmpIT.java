package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trap receiver against net-snmp's {@code snmptrap} and {@code snmpinform} on 127.0.0.1: v1,
 * v2c, v2c informs (the tool exits 0 only when the receiver answered), v3 authPriv (SHA/AES) and
 * authNoPriv traps, v3 informs (engine-ID discovery), a wrong community, a wrong passphrase and
 * a too-low security level. Without the tools the test fails in CI ({@code CI=true}) and is
 * skipped elsewhere.
 */
class SnmpTrapNetSnmpIT {
    private static final DeviceId ROUTER = DeviceId.fromKey("router-127.0.0.1");
    private static final DeviceId SWITCH = DeviceId.fromKey("switch-127.0.0.5");
    private static final String COMMUNITY = "trap-c0mmunity";
    private static final String AUTH = "authpass-s3cret";
    private static final String PRIV = "privpass-s3cret";
    private static final String ENGINE = "0x8000000001020304";

    private static Path dir;
    private static String snmptrap;
    private static String snmpinform;
    private static SnmpTrapReceiver receiver;
    private static SimpleMeterRegistry registry;
    private static final LinkedBlockingQueue<Object[]> EVENTS = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        snmptrap = find("snmptrap");
        snmpinform = find("snmpinform");
        if (snmptrap == null || snmpinform == null) {
            String msg = "net-snmp's snmptrap and snmpinform are needed (apt-get install snmp)";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        dir = Files.createTempDirectory("ward-snmptrap");
        registry = new SimpleMeterRegistry();
        Map<String, DeviceId> known = Map.of("127.0.0.1", ROUTER, "127.0.0.5", SWITCH);
        receiver = SnmpTrapReceiver.start(SnmpTrapOptions.builder()
                        .bindAddress(InetAddress.getByName("127.0.0.1")).port(0)
                        .community(Secret.of(COMMUNITY))
                        .user(SnmpCredentials.v3("trapuser", SnmpAuthProtocol.SHA1, Secret.of(AUTH),
                                SnmpPrivProtocol.AES128, Secret.of(PRIV)))
                        .user(SnmpCredentials.v3("authonly", SnmpAuthProtocol.SHA256, Secret.of(AUTH)))
                        .meterRegistry(registry).build(),
                a -> Optional.ofNullable(known.get(a.getHostAddress())),
                (device, event) -> EVENTS.add(new Object[] {device, event}));
    }

    @AfterAll
    static void stop() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void drain() {
        EVENTS.clear();
    }

    private static String find(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", name)) ? "/usr/bin/" + name : null;
    }

    /** Runs a net-snmp tool against the receiver; returns its exit code. */
    private static int run(String tool, List<String> args) throws Exception {
        return run(receiver.localAddress().getPort(), tool, args);
    }

    private static int run(int port, String tool, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(args.subList(0, args.indexOf("TARGET")));
        cmd.add("udp:127.0.0.1:" + port);
        cmd.addAll(args.subList(args.indexOf("TARGET") + 1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile());
        pb.environment().put("MIBS", "");
        pb.environment().put("SNMP_PERSISTENT_DIR", dir.toString());
        pb.environment().put("SNMPCONFPATH", dir.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(tool + " did not finish");
        }
        return p.exitValue();
    }

    private static String toolLog() throws Exception {
        return Files.readString(dir.resolve("tool.log"));
    }

    private static TrapEvent next(DeviceId expectedDevice) throws Exception {
        Object[] got = EVENTS.poll(10, TimeUnit.SECONDS);
        assertNotNull(got, "no event; tool said: " + toolLog());
        assertEquals(expectedDevice, got[0]);
        return (TrapEvent) got[1];
    }

    private static void await(String what, LongSupplier actual, long expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsLong() < expected) {
            if (System.nanoTime() > until) {
                fail(what + ": " + actual.getAsLong() + " of " + expected + "; tool said: " + toolLog());
            }
            Thread.sleep(10);
        }
    }

    private static List<String> v3(String user, String level, String auth, String authPass, String priv, String privPass) {
        List<String> a = new ArrayList<>(List.of("-v3", "-u", user, "-l", level, "-a", auth, "-A", authPass));
        if (priv != null) {
            a.addAll(List.of("-x", priv, "-X", privPass));
        }
        return a;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    @Test
    void v1LinkDownWithIfIndexMatchesTheAgentAddress() throws Exception {
        assertEquals(0, run(snmptrap, List.of("-v1", "-c", COMMUNITY, "TARGET", "1.3.6.1.4.1.8072.2.3",
                "127.0.0.5", "2", "0", "12345", "1.3.6.1.2.1.2.2.1.1.3", "i", "3")), () -> "snmptrap failed");
        TrapEvent e = next(SWITCH);
        assertEquals(SnmpVersion.V1, e.version());
        assertEquals(SnmpOid.parse("1.3.6.1.6.3.1.1.5.3"), e.trapOid(), "RFC 3584: generic 2 is linkDown");
        assertEquals("linkDown", e.wellKnownName());
        assertEquals(3, e.ifIndex());
        assertEquals(12345, e.sysUpTime());
        assertEquals(InetAddress.getByName("127.0.0.5"), e.agentAddress());
        assertEquals(InetAddress.getByName("127.0.0.1"), e.source().getAddress());
        assertFalse(e.inform());
        assertNull(e.user());
    }

    @Test
    void v2cLinkUpFallsBackToTheSourceAddress() throws Exception {
        assertEquals(0, run(snmptrap, List.of("-v2c", "-c", COMMUNITY, "TARGET", "4242", "1.3.6.1.6.3.1.1.5.4",
                "1.3.6.1.2.1.2.2.1.1.2", "i", "2", "1.3.6.1.2.1.2.2.1.2.2", "s", "uplink ISP-Magti",
                "1.3.6.1.6.3.18.1.3.0", "a", "127.0.0.6")));
        TrapEvent e = next(ROUTER);
        assertEquals(SnmpVersion.V2C, e.version());
        assertEquals("linkUp", e.wellKnownName());
        assertEquals(2, e.ifIndex());
        assertEquals(4242, e.sysUpTime());
        assertEquals(InetAddress.getByName("127.0.0.6"), e.agentAddress(), "snmpTrapAddress.0; unknown, so the source matched");
        assertEquals(SnmpValue.OctetString.of("uplink ISP-Magti"), e.value(SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.2")).orElseThrow());
    }

    @Test
    void v2cInformIsAcknowledged() throws Exception {
        int exit = run(snmpinform, List.of("-v2c", "-c", COMMUNITY, "-t", "2", "-r", "1", "TARGET", "100",
                "1.3.6.1.6.3.1.1.5.1"));
        assertEquals(0, exit, () -> "snmpinform exits 0 only when answered: " + uncheckedLog());
        TrapEvent e = next(ROUTER);
        assertTrue(e.inform());
        assertEquals("coldStart", e.wellKnownName());
        assertEquals(100, e.sysUpTime());
    }

    @Test
    void v3AuthPrivShaAesTrap() throws Exception {
        assertEquals(0, run(snmptrap, concat(List.of("-e", ENGINE), concat(v3("trapuser", "authPriv", "SHA", AUTH, "AES", PRIV),
                List.of("TARGET", "200", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.7", "i", "7")))));
        TrapEvent e = next(ROUTER);
        assertEquals(SnmpVersion.V3, e.version());
        assertEquals("trapuser", e.user());
        assertEquals("linkDown", e.wellKnownName());
        assertEquals(7, e.ifIndex());
        assertFalse(e.inform());
    }

    @Test
    void v3AuthNoPrivTrap() throws Exception {
        assertEquals(0, run(snmptrap, concat(List.of("-e", "0x8000000001020305"),
                concat(v3("authonly", "authNoPriv", "SHA-256", AUTH, null, null),
                        List.of("TARGET", "300", "1.3.6.1.6.3.1.1.5.2")))));
        TrapEvent e = next(ROUTER);
        assertEquals("authonly", e.user());
        assertEquals("warmStart", e.wellKnownName());
    }

    @Test
    void v3InformDiscoversTheReceiversEngineIdAndIsAcknowledged() throws Exception {
        long reports = receiver.count("report");
        int exit = run(snmpinform, concat(v3("trapuser", "authPriv", "SHA", AUTH, "AES", PRIV),
                List.of("-t", "2", "-r", "1", "TARGET", "400", "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.9", "i", "9")));
        assertEquals(0, exit, () -> "snmpinform exits 0 only when answered: " + uncheckedLog());
        TrapEvent e = next(ROUTER);
        assertTrue(e.inform());
        assertEquals(SnmpVersion.V3, e.version());
        assertEquals("linkUp", e.wellKnownName());
        assertEquals(9, e.ifIndex());
        assertTrue(receiver.count("report") > reports, "the engine-ID discovery was answered with a report");
    }

    @Test
    void rejectedTrapsAreCountedNeverEventsAndNoSecretIsLogged() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            long bad = receiver.count("bad_community");
            assertEquals(0, run(snmptrap, List.of("-v2c", "-c", "wr0ng-c0mmunity", "TARGET", "1", "1.3.6.1.6.3.1.1.5.3")));
            await("bad_community", () -> receiver.count("bad_community"), bad + 1);

            long auth = receiver.count("auth_failure");
            assertEquals(0, run(snmptrap, concat(List.of("-e", ENGINE), concat(v3("trapuser", "authPriv", "SHA",
                    "wr0ng-passphrase", "AES", PRIV), List.of("TARGET", "1", "1.3.6.1.6.3.1.1.5.3")))));
            await("auth_failure (wrong passphrase)", () -> receiver.count("auth_failure"), auth + 1);

            assertEquals(0, run(snmptrap, concat(List.of("-e", ENGINE), concat(v3("trapuser", "authNoPriv", "SHA",
                    AUTH, null, null), List.of("TARGET", "1", "1.3.6.1.6.3.1.1.5.3")))));
            await("auth_failure (below the user's security level)", () -> receiver.count("auth_failure"), auth + 2);

            assertEquals(0, run(snmptrap, concat(List.of("-e", ENGINE), concat(v3("nosuchuser", "authPriv", "SHA",
                    AUTH, "AES", PRIV), List.of("TARGET", "1", "1.3.6.1.6.3.1.1.5.3")))));
            await("auth_failure (unknown user)", () -> receiver.count("auth_failure"), auth + 3);

        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        for (String secret : List.of(COMMUNITY, AUTH, PRIV, "wr0ng-c0mmunity", "wr0ng-passphrase")) {
            assertFalse(log.contains(secret), "a secret reached the log: " + log);
        }
        assertEquals(1.0, registry.get("ward.snmp.traps").tag("outcome", "bad_community").counter().count(), 0.0);
        Thread.sleep(200);
        assertTrue(EVENTS.isEmpty(), "no rejected trap became an event: " + EVENTS.size());
    }

    @Test
    void remoteEngineIdsAreBounded() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        LinkedBlockingQueue<TrapEvent> got = new LinkedBlockingQueue<>();
        try (SnmpTrapReceiver r = SnmpTrapReceiver.start(SnmpTrapOptions.builder()
                        .bindAddress(InetAddress.getByName("127.0.0.1")).port(0).maxEngineIds(2)
                        .user(SnmpCredentials.v3("trapuser", SnmpAuthProtocol.SHA1, Secret.of(AUTH),
                                SnmpPrivProtocol.AES128, Secret.of(PRIV)))
                        .meterRegistry(own).build(),
                a -> Optional.of(ROUTER), (d, e) -> got.add(e))) {
            List<String> engines = List.of("0x80000000010a0001", "0x80000000010a0002", "0x80000000010a0003",
                    "0x80000000010a0004", "0x80000000010a0005", "0x80000000010a0001");
            for (String engine : engines) {
                assertEquals(0, run(r.localAddress().getPort(), snmptrap, concat(List.of("-e", engine),
                        concat(v3("trapuser", "authPriv", "SHA", AUTH, "AES", PRIV),
                                List.of("TARGET", "1", "1.3.6.1.6.3.1.1.5.1")))));
                TrapEvent e = got.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "no event from engine " + engine + "; tool said: " + toolLog());
                double engineIds = own.get("ward.snmp.traps.engineids").gauge().value();
                double users = own.get("ward.snmp.traps.localized.users").gauge().value();
                assertTrue(engineIds <= 2 && users <= 2, "engine IDs " + engineIds + ", localized users " + users);
            }
            assertEquals(engines.size(), r.count("accepted"), "the first engine, forgotten, was localized again");
            assertEquals(2.0, own.get("ward.snmp.traps.localized.users").gauge().value());
            assertEquals(2.0, own.get("ward.snmp.traps.engineids").gauge().value());
        }
    }

    private static String uncheckedLog() {
        try {
            return toolLog();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
