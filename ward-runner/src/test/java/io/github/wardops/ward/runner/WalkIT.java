package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ward walk} and {@code ward probe snmp-get} print exactly what net-snmp's tools print with -On. */
class WalkIT {
    private static final String COMMUNITY = "walk-it";
    private static SnmpSimulator sim;
    private static String target;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void agent() throws Exception {
        sim = SnmpSimulator.builder().device(SimulatedDevice.builder(InetAddress.getByName("127.46.1.1")).community(COMMUNITY)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1000), SimulatedInterface.ethernet(2, 2000)))).start();
        target = "127.46.1.1:" + sim.port(sim.devices().get(0));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static Run ward(String... args) {
        return ward(Map.of(), args);
    }

    /** Runs a command that must not start a poller, in this JVM, with this environment. */
    static Run ward(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(env, new PrintWriter(out, true), new PrintWriter(err, true), false, p -> {
            throw new AssertionError("a poller started");
        });
        int code = WardCli.execute(ctx, args);
        return new Run(code, out.toString(), err.toString());
    }

    static String netSnmp(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            return out;
        } catch (java.io.IOException e) {
            if (TestFaults.ci()) {
                throw e;
            }
            Assumptions.abort(cmd[0] + " is not installed (apt-get install snmp)");
            return null;
        }
    }

    @Test
    void walkOfTheSystemAndInterfacesSubtreesEqualsSnmpbulkwalk() throws Exception {
        for (String oid : List.of(".1.3.6.1.2.1.1", ".1.3.6.1.2.1.2.2.1")) {
            // The simulated counters move with time: compare the columns that do not.
            String expected = netSnmp("snmpbulkwalk", "-On", "-v2c", "-c", COMMUNITY, "-t", "2", "-r", "1", target, oid);
            Run ward = ward("walk", "-v2c", "-c", COMMUNITY, "-t", "2", "-r", "1", target, oid);
            assertEquals(0, ward.code(), ward.err());
            assertFalse(ward.out().isBlank());
            assertEquals(stable(expected), stable(ward.out()), oid);
        }
    }

    /** Drops the lines of values that change between two reads (uptime, counters). */
    private static List<String> stable(String out) {
        List<String> keep = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (l.isBlank() || l.contains("Timeticks:") || l.contains("Counter32:") || l.contains("Counter64:")) {
                continue;
            }
            keep.add(l.stripTrailing());
        }
        return keep;
    }

    @Test
    void snmpGetEqualsSnmpget() throws Exception {
        String expected = netSnmp("snmpget", "-On", "-v2c", "-c", COMMUNITY, target, ".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.2.1.0",
                ".1.3.6.1.2.1.1.99.0");
        Run ward = ward("probe", "snmp-get", "-v", "2c", "-c", COMMUNITY, target, ".1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.1.0",
                ".1.3.6.1.2.1.1.99.0");
        assertEquals(0, ward.code(), ward.err());
        assertEquals(expected.strip(), ward.out().strip());
    }

    @Test
    void aWrongCommunityTimesOutWithExit1() {
        Run ward = ward("walk", "-v2c", "-c", "not-" + COMMUNITY, "-t", "0.2", "-r", "0", target, ".1.3.6.1.2.1.1");
        assertEquals(1, ward.code());
        assertTrue(ward.err().contains("TIMEOUT"), ward.err());
        assertFalse(ward.err().contains(COMMUNITY), "the community is never printed");
    }

    @Test
    void badFlagsAreAllListedWithExit2() {
        Run ward = ward("walk", "-v", "4", "-t", "soon", "-r", "99", "127.46.1.300:99999", "1.3.x");
        assertEquals(2, ward.code());
        for (String p : List.of("-v 4", "-t soon", "-r 99", "127.46.1.300", "port must be 1-65535", "OID '1.3.x'")) {
            assertTrue(ward.err().contains(p), p + " in " + ward.err());
        }
        Run v3 = ward("probe", "snmp-get", "-v3", "-l", "authPriv", "-a", "SHA-999", "-A", "x", target, ".1.3.6.1.2.1.1.5.0");
        assertEquals(2, v3.code());
        assertTrue(v3.err().contains("-u: a user is required"), v3.err());
        assertTrue(v3.err().contains("-a SHA-999"), v3.err());
        assertTrue(v3.err().contains("-X: a privacy passphrase is required"), v3.err());
    }

    @Test
    void probeIcmpAndTcpReportEachTargetAndExit1WhenOneFails() throws Exception {
        Run icmp = ward("probe", "icmp", "127.46.2.1");
        assertEquals(0, icmp.code(), icmp.err());
        assertTrue(icmp.out().startsWith("127.46.2.1 : up, "), icmp.out());

        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        try (java.net.ServerSocket open = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Run tcp = ward("probe", "tcp", "127.0.0.1:" + open.getLocalPort(), "127.0.0.1:" + closed);
            assertEquals(1, tcp.code(), tcp.out() + tcp.err());
            assertTrue(tcp.out().contains("127.0.0.1:" + open.getLocalPort() + " : up"), tcp.out());
            assertTrue(tcp.out().contains("127.0.0.1:" + closed + " : down"), tcp.out());
        }
        Run bad = ward("probe", "tcp", "127.0.0.1", "127.0.0.1:70000", "host.example:80");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("3 problem(s)"), bad.err());
        assertEquals(2, ward("probe", "icmp", "127.0.0.300").code());
    }
}
