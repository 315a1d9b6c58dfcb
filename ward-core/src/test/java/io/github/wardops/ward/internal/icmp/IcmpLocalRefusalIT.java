package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.icmp.IcmpEchoProberIT.probeAll;
import static io.github.wardops.ward.internal.icmp.IcmpEchoProberIT.request;
import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpSocketMode;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testing.NetNs;
import io.github.wardops.ward.testing.Netfilter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Echoes the local host refuses to send are failed probes, not UNKNOWN: an nftables rule on the
 * output hook makes {@code sendto} fail with EPERM (LOCAL_FIREWALL), and routes of type
 * {@code throw}, {@code unreachable} and {@code prohibit} in a private network namespace make it
 * fail with ENETUNREACH, EHOSTUNREACH and EACCES. The neighbouring loopback address answers.
 */
class IcmpLocalRefusalIT {
    /** Echo requests to it are dropped on the output hook: sendto fails with EPERM. */
    private static final String DROPPED = "127.241.0.1";
    /** Echo requests to it are rejected (admin-prohibited) on the output hook. */
    private static final String REJECTED = "127.241.0.3";
    /** Untouched, next to the two above. */
    private static final String NEIGHBOUR = "127.241.0.2";

    private static final String OUTPUT_RULES = """
              chain out {
                type filter hook output priority 0; policy accept;
                ip daddr %s icmp type echo-request drop
                ip daddr %s icmp type echo-request reject with icmp type admin-prohibited
              }
            """.formatted(DROPPED, REJECTED);

    private static void assertLocalFirewall(ProbeResult r) {
        ProbeResult.Down down = assertInstanceOf(ProbeResult.Down.class, r, () -> "expected down: " + r);
        assertEquals(DownReason.LOCAL_FIREWALL, down.reason(), down.detail());
        assertTrue(down.detail().startsWith("EPERM on send"), down.detail());
        PingStats s = (PingStats) down.measurement();
        assertEquals(3, s.sent(), "every echo counts, as fping counts it");
        assertEquals(0, s.received());
        assertEquals(100.0, s.lossPct());
    }

    @Test
    void anOutputHookDropIsALocalFirewallFailureAndTheNeighbourStaysUp() throws Exception {
        try (Netfilter nf = Netfilter.custom(null, OUTPUT_RULES);
             IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder().socketMode(IcmpSocketMode.RAW).build())) {
            List<ProbeResult> rs = probeAll(p, List.of(request(DROPPED), request(REJECTED), request(NEIGHBOUR)));
            assertLocalFirewall(rs.get(0));
            // reject drops the echo (sendto fails with EPERM) and also sends this host's own ICMP
            // admin-prohibited to the raw socket, which may settle the echo first: both say DOWN
            ProbeResult.Down rejected = assertInstanceOf(ProbeResult.Down.class, rs.get(1), () -> "expected down: " + rs.get(1));
            if (rejected.reason() != DownReason.LOCAL_FIREWALL) {
                assertEquals(DownReason.OTHER, rejected.reason(), rejected.detail());
                assertTrue(rejected.detail().startsWith("communication administratively prohibited"), rejected.detail());
            } else {
                assertLocalFirewall(rejected);
            }
            assertInstanceOf(ProbeResult.Up.class, rs.get(2), () -> "the neighbour answers: " + rs.get(2));
            assertEquals(6, p.counters().sendErrors.sum(), "each refused echo is counted as a send error, also when rejected");
            assertEquals(0, p.outstandingEchoes());
        }
    }

    @ParameterizedTest
    @EnumSource(value = IcmpSocketMode.class, names = {"DATAGRAM", "RAW"})
    void refusalsAndMissingRoutesInANamespaceAreFailedProbes(IcmpSocketMode mode) throws Exception {
        try (NetNs ns = NetNs.create("0 2147483647")) {
            // The local table is looked up first; a more specific route there wins over 127/8.
            // throw: fall through to the (empty) main table, so no route at all.
            ns.exec("ip", "route", "add", "throw", "127.242.0.0/16", "table", "local");
            ns.exec("ip", "route", "add", "unreachable", "127.243.0.0/16", "table", "local");
            ns.exec("ip", "route", "add", "prohibit", "127.244.0.0/16", "table", "local");
            try (Netfilter nf = Netfilter.custom(ns.name(), OUTPUT_RULES);
                 IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.builder()
                         .socketMode(mode).networkNamespace(ns.file()).build())) {
                assertEquals(mode, p.mode());
                List<ProbeResult> rs = probeAll(p, List.of(request(DROPPED), request("127.242.0.1"),
                        request("127.243.0.1"), request("127.244.0.1"), request(NEIGHBOUR)));
                assertLocalFirewall(rs.get(0));
                assertDown(rs.get(1), DownReason.NETWORK_UNREACHABLE, "ENETUNREACH on send");
                assertDown(rs.get(2), DownReason.HOST_UNREACHABLE, "EHOSTUNREACH on send");
                assertDown(rs.get(3), DownReason.LOCAL_FIREWALL, "EACCES on send");
                assertInstanceOf(ProbeResult.Up.class, rs.get(4), () -> "the neighbour answers: " + rs.get(4));
                assertEquals(0, p.outstandingEchoes());
            }
        }
    }

    private static void assertDown(ProbeResult r, DownReason reason, String detailStart) {
        ProbeResult.Down down = assertInstanceOf(ProbeResult.Down.class, r, () -> "expected down: " + r);
        assertEquals(reason, down.reason(), down.detail());
        assertTrue(down.detail().startsWith(detailStart), down.detail());
        assertEquals(100.0, ((PingStats) down.measurement()).lossPct());
    }
}
