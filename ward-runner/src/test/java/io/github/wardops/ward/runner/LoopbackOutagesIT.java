package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.simulator.net.LoopbackOutages;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ward-simulator's {@link LoopbackOutages}, which the demo and the status-page test use: an
 * address taken down stops answering echoes and answers again when restored; both are
 * idempotent; only loopback IPv4 is accepted. Checked with {@code fping} (skipped without it,
 * failed in CI).
 */
class LoopbackOutagesIT {
    private static final InetAddress HOST = InetAddress.ofLiteral("127.44.7.1");

    private static boolean answers(InetAddress a) throws Exception {
        Process p = new ProcessBuilder("fping", "-c", "2", "-t", "300", "-q", a.getHostAddress())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "fping ended");
        return p.exitValue() == 0;
    }

    @Test
    void anAddressTakenDownStopsAnsweringAndAnswersAgainWhenRestored() throws Exception {
        fpingOrSkip();
        try (LoopbackOutages outages = TestFaults.outagesOrSkip()) {
            assertTrue(answers(HOST), "loopback answers before the outage");
            outages.drop(HOST);
            outages.drop(HOST);
            assertEquals(false, answers(HOST), "echoes to the address are dropped");
            assertTrue(answers(InetAddress.ofLiteral("127.44.7.2")), "only that address");
            outages.restore(HOST);
            outages.restore(HOST);
            assertTrue(answers(HOST), "it answers again, and restoring twice is fine");
            outages.drop(HOST);
        }
        assertTrue(answers(HOST), "closing ends every outage");
    }

    /**
     * A demo killed with {@code kill -9} leaves its table behind, still dropping echoes; the next
     * installation removes the tables of processes that are gone, and keeps those of live ones.
     */
    @Test
    void aTableLeftByAKilledProcessIsRemovedByTheNextInstallation() throws Exception {
        fpingOrSkip();
        TestFaults.outagesOrSkip().close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        InetAddress stale = InetAddress.ofLiteral("127.44.8.1");
        InetAddress kept = InetAddress.ofLiteral("127.44.8.2");
        String staleTable = "ward_outages_" + gone.pid() + "_abc";
        String liveTable = "ward_outages_" + alive.pid() + "_abc";
        try {
            nft("table inet " + staleTable + " {\nchain in {\ntype filter hook input priority -10; policy accept\n"
                    + "ip daddr " + stale.getHostAddress() + " icmp type echo-request drop\n}\n}\n");
            nft("table inet " + liveTable + " {\nchain in {\ntype filter hook input priority -10; policy accept\n"
                    + "ip daddr " + kept.getHostAddress() + " icmp type echo-request drop\n}\n}\n");
            assertEquals(false, answers(stale), "the stale table drops echoes");
            try (LoopbackOutages outages = LoopbackOutages.install()) {
                assertTrue(answers(stale), "the dead process's table is gone");
                assertEquals(false, answers(kept), "a live process's table is kept");
            }
        } finally {
            alive.destroy();
            nftQuiet("delete table inet " + liveTable);
            nftQuiet("delete table inet " + staleTable);
        }
    }

    private static void nft(String script) throws Exception {
        Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static void nftQuiet(String command) throws Exception {
        new ProcessBuilder(("nft " + command).split(" ")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static void fpingOrSkip() throws Exception {
        try {
            new ProcessBuilder("fping", "-v").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            if (TestFaults.ci()) {
                throw new AssertionError("CI=true but fping is not installed", e);
            }
            Assumptions.abort("fping is not installed");
        }
    }

    @Test
    void onlyLoopbackIpv4MayBeTakenDown() throws Exception {
        try (LoopbackOutages outages = TestFaults.outagesOrSkip()) {
            // Test data only: nothing is sent to these addresses.
            for (String a : new String[] {"192.0.2.1", "::1"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> outages.drop(InetAddress.ofLiteral(a)));
                assertTrue(e.getMessage().contains("only IPv4 loopback addresses"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> outages.restore(InetAddress.ofLiteral(a)));
            }
        }
    }
}
