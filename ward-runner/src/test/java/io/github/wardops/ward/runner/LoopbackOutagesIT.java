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
        try {
            new ProcessBuilder("fping", "-v").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            if (TestFaults.ci()) {
                throw new AssertionError("CI=true but fping is not installed", e);
            }
            Assumptions.abort("fping is not installed");
        }
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
