package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVarBind;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conformance with net-snmp: a real {@code snmpd} on 127.0.0.1 (unprivileged port, config written
 * here, v2c and v3 authPriv users) is walked by ward and by {@code snmpbulkwalk}; the two must
 * agree value for value. Counters and timeticks move between walks, so ward's value must lie
 * between a walk taken before and one taken after. Without snmpd the test fails in CI
 * ({@code CI=true}) and is skipped elsewhere.
 */
class SnmpdConformanceIT {
    private static final List<String> SUBTREES = List.of("1.3.6.1.2.1.1", "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1");
    private static final Pattern LINE = Pattern.compile("^(\\.[0-9.]+) = (?:([A-Za-z0-9-]+): )?(.*)$");
    private static Path dir;
    private static Process snmpd;
    private static int port;
    private static SnmpProber prober;

    @BeforeAll
    static void startSnmpd() throws Exception {
        String exe = find("snmpd", "/usr/sbin/snmpd");
        String walk = find("snmpbulkwalk", "/usr/bin/snmpbulkwalk");
        if (exe == null || walk == null) {
            String msg = "net-snmp's snmpd and snmpbulkwalk are needed (apt-get install snmpd snmp)";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        dir = Files.createTempDirectory("ward-snmpd");
        Path persist = Files.createDirectories(dir.resolve("persist"));
        Path conf = dir.resolve("snmpd.conf");
        Files.writeString(conf, """
                rocommunity public 127.0.0.1
                createUser wardsha SHA authpass123 AES privpass123
                rouser wardsha priv
                createUser wardsha512 SHA-512 authpass512 AES-256 privpass512
                rouser wardsha512 priv
                createUser wardmd5 MD5 authpassmd5 DES privpassdes
                rouser wardmd5 priv
                createUser wardsha224 SHA-224 authpass224 AES-192 privpass192
                rouser wardsha224 priv
                createUser wardsha256 SHA-256 authpass256 AES privpass128
                rouser wardsha256 priv
                createUser wardsha384 SHA-384 authpass384 AES-256 privpass256
                rouser wardsha384 priv
                createUser wardauth SHA-256 authpassonly
                rouser wardauth auth
                createUser wardnoauth
                rouser wardnoauth noauth
                sysLocation ward conformance "quoted" \\\\ lab
                sysContact ward
                """);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(exe, "-f", "-Lo", "-C", "-c", conf.toString(), "-p",
                dir.resolve("pid").toString(), "--persistentDir=" + persist, "udp:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.log").toFile());
        pb.environment().put("MIBS", "");
        snmpd = pb.start();
        prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress()).build());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            SnmpResponse r = prober.get(target(), v2c(), List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0")));
            if (r.ok()) {
                break;
            }
            if (!snmpd.isAlive() || System.nanoTime() > until) {
                fail("snmpd did not answer: " + Files.readString(dir.resolve("snmpd.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (prober != null) {
            prober.close();
        }
        if (snmpd != null) {
            snmpd.destroy();
            if (!snmpd.waitFor(5, TimeUnit.SECONDS)) {
                snmpd.destroyForcibly();
            }
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String find(String name, String fallback) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return Files.isExecutable(Path.of(fallback)) ? fallback : null;
    }

    private static SnmpTarget target() throws Exception {
        return new SnmpTarget(InetAddress.getByName("127.0.0.1"), port, Duration.ofSeconds(1), 1, 10, 50);
    }

    private static SnmpCredentials v2c() {
        return SnmpCredentials.v2c(Secret.of("public"));
    }

    @Test
    void v2cWalksMatchSnmpbulkwalk() throws Exception {
        for (String root : SUBTREES) {
            compare(root, v2c(), List.of("-v2c", "-c", "public"));
        }
    }

    @Test
    void v3AuthPrivShaAesWalksMatchSnmpbulkwalk() throws Exception {
        SnmpCredentials c = SnmpCredentials.v3("wardsha", SnmpAuthProtocol.SHA1, Secret.of("authpass123"),
                SnmpPrivProtocol.AES128, Secret.of("privpass123"));
        for (String root : SUBTREES) {
            compare(root, c, List.of("-v3", "-l", "authPriv", "-u", "wardsha", "-a", "SHA", "-A", "authpass123",
                    "-x", "AES", "-X", "privpass123"));
        }
    }

    @Test
    void v3AuthPrivSha512Aes256WalksMatchSnmpbulkwalk() throws Exception {
        SnmpCredentials c = SnmpCredentials.v3("wardsha512", SnmpAuthProtocol.SHA512, Secret.of("authpass512"),
                SnmpPrivProtocol.AES256, Secret.of("privpass512"));
        compare("1.3.6.1.2.1.1", c, List.of("-v3", "-l", "authPriv", "-u", "wardsha512", "-a", "SHA-512", "-A",
                "authpass512", "-x", "AES-256", "-X", "privpass512"));
    }

    /** Every authentication and privacy protocol ward offers, at every security level, against snmpd. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "wardmd5,    MD5,    authpassmd5,  DES,    privpassdes, MD5,     DES",
        "wardsha224, SHA224, authpass224,  AES192, privpass192, SHA-224, AES-192",
        "wardsha256, SHA256, authpass256,  AES128, privpass128, SHA-256, AES",
        "wardsha384, SHA384, authpass384,  AES256, privpass256, SHA-384, AES-256",
    })
    void v3EveryProtocolMatchesSnmpbulkwalk(String user, SnmpAuthProtocol auth, String authPass, SnmpPrivProtocol priv,
                                            String privPass, String netSnmpAuth, String netSnmpPriv) throws Exception {
        SnmpCredentials c = SnmpCredentials.v3(user, auth, Secret.of(authPass), priv, Secret.of(privPass));
        compare("1.3.6.1.2.1.1", c, List.of("-v3", "-l", "authPriv", "-u", user, "-a", netSnmpAuth, "-A", authPass,
                "-x", netSnmpPriv, "-X", privPass));
    }

    @Test
    void v3AuthNoPrivAndNoAuthNoPrivMatchSnmpbulkwalk() throws Exception {
        compare("1.3.6.1.2.1.1", SnmpCredentials.v3("wardauth", SnmpAuthProtocol.SHA256, Secret.of("authpassonly")),
                List.of("-v3", "-l", "authNoPriv", "-u", "wardauth", "-a", "SHA-256", "-A", "authpassonly"));
        compare("1.3.6.1.2.1.1", SnmpCredentials.v3("wardnoauth"), List.of("-v3", "-l", "noAuthNoPriv", "-u", "wardnoauth"));
    }

    @Test
    void wrongV3PassphraseIsAnErrorNotAHang() throws Exception {
        SnmpCredentials c = SnmpCredentials.v3("wardsha", SnmpAuthProtocol.SHA1, Secret.of("wrongpass1"),
                SnmpPrivProtocol.AES128, Secret.of("privpass123"));
        SnmpResponse r = prober.get(new SnmpTarget(InetAddress.getByName("127.0.0.1"), port, Duration.ofMillis(300), 0, 10, 50),
                c, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0")));
        assertFalse(r.ok());
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void aFullPollOfSnmpdFindsItsInterfacesAndVendor() throws Exception {
        SnmpSettings s = SnmpSettings.builder().port(port).credentials(v2c()).build();
        Check check = new Check("snmp", s, Duration.ofSeconds(60), Duration.ofSeconds(10));
        Device device = Device.builder(new DeviceId(UUID.randomUUID()), "localhost", InetAddress.getByName("127.0.0.1"))
                .check(check).build();
        ProbeResult r = prober.probe(new ProbeRequest(device, check, Instant.now()));
        assertTrue(r instanceof ProbeResult.Up, r::toString);
        SnmpMeasurement m = (SnmpMeasurement) r.measurement();
        assertEquals("net-snmp", m.vendor());
        assertTrue(m.complete(), m.problem());
        assertTrue(m.interfaces().stream().anyMatch(i -> i.displayName().equals("lo") && i.type() == 24), m::toString);
        assertTrue(m.values().containsKey("item.mem_total_kb"), m.values()::toString);
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void interfaceRulesClassifyWhatRealSnmpdReports() throws Exception {
        // snmpd's own interfaces: lo (softwareLoopback) and whatever this machine has (ethernet...)
        List<InterfaceRule> rules = InterfaceRule.parseAll("roles", """
                uplink name ^(?<provider>lo)$
                lan    type ethernetCsmacd
                """);
        SnmpSettings s = SnmpSettings.builder().port(port).credentials(v2c()).build();
        Check check = new Check("snmp", s, Duration.ofSeconds(60), Duration.ofSeconds(10));
        Device device = Device.builder(new DeviceId(UUID.randomUUID()), "localhost", InetAddress.getByName("127.0.0.1"))
                .check(check).build();
        try (SnmpProber p = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress())
                .interfaceRules(rules).build())) {
            ProbeResult r = p.probe(new ProbeRequest(device, check, Instant.now()));
            assertTrue(r instanceof ProbeResult.Up, r::toString);
            SnmpMeasurement m = (SnmpMeasurement) r.measurement();
            assertTrue(m.interfaces().stream().anyMatch(i -> i.displayName().equals("lo")), m::toString);
            for (io.github.wardops.ward.snmp.SnmpInterface i : m.interfaces()) {
                if (i.displayName().equals("lo")) {
                    assertEquals("uplink", i.role(), i::toString);
                    assertEquals(java.util.Map.of("provider", "lo"), i.attributes(), "the capture group is the provider");
                } else if (i.type() == 6) {
                    assertEquals("lan", i.role(), i::toString);
                } else {
                    assertEquals(null, i.role(), i::toString);
                }
            }
        }
    }

    private static final String STORAGE_TEMPLATE = """
            vendor net-snmp
            match  1.3.6.1.4.1.8072
            item   mem_total_bytes 1.3.6.1.4.1.2021.4.5.0 gauge bytes 1h scale=1024
            table  storage 1.3.6.1.2.1.25.2.3.1 1m
            label  storage descr 3
            column storage units 4 gauge bytes
            column storage size 5 gauge units
            table  if 1.3.6.1.2.1.2.2.1 1m
            label  if name .2
            column if in_octets .10 counter octets
            """;

    private static SnmpMeasurement pollWith(SnmpOptions.Builder options) throws Exception {
        SnmpSettings s = SnmpSettings.builder().port(port).credentials(v2c())
                .polls(java.util.EnumSet.of(SnmpSettings.Poll.SYSTEM, SnmpSettings.Poll.TEMPLATE_ITEMS)).build();
        Check check = new Check("snmp", s, Duration.ofSeconds(60), Duration.ofSeconds(10));
        Device device = Device.builder(new DeviceId(UUID.randomUUID()), "localhost", InetAddress.getByName("127.0.0.1"))
                .check(check).build();
        try (SnmpProber p = SnmpProbers.create(options.bindAddress(InetAddress.getLoopbackAddress())
                .templates(List.of(VendorTemplate.parse("net-snmp.tmpl", STORAGE_TEMPLATE))).build())) {
            ProbeResult r = p.probe(new ProbeRequest(device, check, Instant.now()));
            assertTrue(r instanceof ProbeResult.Up, r::toString);
            assertEquals(0, p.pendingRequests());
            return (SnmpMeasurement) r.measurement();
        }
    }

    private static java.util.Map<String, String> column(String oid) throws Exception {
        java.util.Map<String, String> byIndex = new java.util.LinkedHashMap<>();
        for (Line l : snmpbulkwalk(oid, List.of("-v2c", "-c", "public"))) {
            String v = l.value();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            byIndex.put(l.oid().substring(oid.length() + 1), v);
        }
        return byIndex;
    }

    @Test
    void templateTablesReadHrStorageAndIfTableAsSnmpbulkwalkDoes() throws Exception {
        SnmpMeasurement m = pollWith(SnmpOptions.builder());
        assertTrue(m.complete(), m.problem());
        java.util.Map<String, String> descr = column("1.3.6.1.2.1.25.2.3.1.3");
        java.util.Map<String, String> units = column("1.3.6.1.2.1.25.2.3.1.4");
        assertFalse(descr.isEmpty(), "snmpd has an hrStorageTable");
        java.util.Map<String, io.github.wardops.ward.snmp.SnmpItemValue> byName = new java.util.HashMap<>();
        m.items().forEach(v -> byName.put(v.item().name(), v));
        for (var e : descr.entrySet()) {
            var cell = byName.get("storage_units." + e.getKey());
            assertTrue(cell != null, "row " + e.getKey() + " missing: " + byName.keySet());
            assertEquals(java.util.Map.of("table", "storage", "column", "units", "index", e.getKey(), "descr", e.getValue()),
                    cell.labels());
            assertEquals(Double.parseDouble(units.get(e.getKey()).replace(" Bytes", "")),
                    m.values().get("item.storage_units." + e.getKey()));
            assertTrue(m.values().containsKey("item.storage_size." + e.getKey()));
            assertEquals("template:net-snmp", cell.source());
        }
        assertEquals(descr.size(), m.items().stream().filter(v -> v.item().name().startsWith("storage_units.")).count(),
                "one value per row, no more");
        var lo = byName.get("if_in_octets.1");
        assertTrue(lo != null, byName.keySet()::toString);
        assertEquals("lo", lo.labels().get("name"));
        assertEquals(io.github.wardops.ward.snmp.SnmpItem.Kind.COUNTER, lo.item().kind());
        SnmpResponse kb = prober.get(target(), v2c(), List.of(SnmpOid.parse("1.3.6.1.4.1.2021.4.5.0")));
        double totalKb = kb.varBinds().getFirst().value().asNumber().orElseThrow();
        assertEquals(totalKb * 1024, m.values().get("item.mem_total_bytes"), "scale=1024 turns kB into bytes");
    }

    @Test
    void aTableLongerThanMaxTableRowsIsCutAndCounted() throws Exception {
        int rows = column("1.3.6.1.2.1.25.2.3.1.3").size();
        Assumptions.assumeTrue(rows > 2, "snmpd has more than 2 hrStorage rows");
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        SnmpMeasurement m = pollWith(SnmpOptions.builder().maxTableRows(2).meterRegistry(registry));
        assertTrue(m.complete(), m.problem());
        assertEquals(2, m.items().stream().filter(v -> v.item().name().startsWith("storage_units.")).count());
        assertEquals(2, m.items().stream().filter(v -> v.item().name().startsWith("storage_size.")).count());
        assertTrue(registry.get("ward.snmp.tables.truncated").counter().count() >= 1);
    }

    private record Line(String oid, String type, String value) {
    }

    private static List<Line> snmpbulkwalk(String root, List<String> auth) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("snmpbulkwalk", "-On", "-Oe", "-r", "1", "-t", "2"));
        cmd.addAll(auth);
        cmd.add("127.0.0.1:" + port);
        cmd.add(root);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "snmpbulkwalk failed: " + out);
        List<Line> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (l.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                // a string value that continued on a new line
                Line last = lines.removeLast();
                lines.add(new Line(last.oid(), last.type(), last.value() + "\n" + l));
                continue;
            }
            lines.add(new Line(m.group(1).substring(1), m.group(2) == null ? "" : m.group(2), m.group(3)));
        }
        return lines;
    }

    private static void compare(String root, SnmpCredentials c, List<String> auth) throws Exception {
        List<Line> before = snmpbulkwalk(root, auth);
        SnmpResponse ours = prober.walk(target(), c, SnmpOid.parse(root));
        List<Line> after = snmpbulkwalk(root, auth);
        assertTrue(ours.ok(), root + ": " + ours.status() + " " + ours.detail());
        assertFalse(before.isEmpty(), root + " is empty");
        assertEquals(before.stream().map(Line::oid).toList(), ours.varBinds().stream().map(v -> v.oid().toString()).toList(),
                root + ": OIDs differ");
        assertEquals(after.size(), before.size(), root + " changed between walks");
        for (int i = 0; i < before.size(); i++) {
            Line b = before.get(i);
            Line a = after.get(i);
            SnmpVarBind vb = ours.varBinds().get(i);
            SnmpValue v = vb.value();
            String where = root + " " + b.oid();
            if (b.type().isEmpty()) {
                assertEquals(b.value(), v.format(), where);
                continue;
            }
            assertEquals(b.type(), v.typeName(), where);
            switch (v) {
                case SnmpValue.Counter32 x -> between(number(b), x.value(), number(a), where);
                case SnmpValue.Gauge32 x -> between(number(b), x.value(), number(a), where);
                case SnmpValue.TimeTicks x -> between(number(b), x.value(), number(a), where);
                case SnmpValue.Counter64 x -> between(number(b), x.value(), number(a), where);
                default -> {
                    assertEquals(b.value().strip(), v.formatValue().strip(), where);
                    assertEquals(("." + b.oid() + " = " + b.type() + ": " + b.value()).strip(), vb.format().strip(), where);
                }
            }
        }
        assertEquals(0, prober.pendingRequests());
    }

    private static long number(Line l) {
        String v = l.value();
        if (v.startsWith("(")) {
            v = v.substring(1, v.indexOf(')'));
        }
        return Long.parseUnsignedLong(v.strip());
    }

    private static void between(long lo, long v, long hi, String where) {
        long min = Math.min(lo, hi);
        long max = Math.max(lo, hi);
        assertTrue(Long.compareUnsigned(min, v) <= 0 && Long.compareUnsigned(v, max) <= 0,
                where + ": ward read " + Long.toUnsignedString(v) + ", snmpbulkwalk " + lo + " then " + hi);
    }
}
