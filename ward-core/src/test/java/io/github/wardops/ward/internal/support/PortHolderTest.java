package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PortHolderTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    @Test
    void readsTheHolderOfTheAddressAskedForOrOfAWildcard() {
        String ss = """
                LISTEN 0 50 127.0.0.2:9090 0.0.0.0:* users:(("nginx",pid=77,fd=6))
                LISTEN 0 50 127.0.0.1:9090 0.0.0.0:* users:(("java",pid=4242,fd=7))
                """;
        assertEquals(Optional.of("java (pid 4242)"), PortHolder.parse(ss, LOOPBACK, 9090));
        assertEquals(Optional.of("snmpd (pid 9)"), PortHolder.parse(
                "UNCONN 0 0 0.0.0.0:1161 0.0.0.0:* users:((\"snmpd\",pid=9,fd=3))\n", LOOPBACK, 1161));
        assertEquals(Optional.empty(), PortHolder.parse("LISTEN 0 50 127.0.0.1:9090 0.0.0.0:*\n", LOOPBACK, 9090),
                "no process named (another user's, without root)");
        assertEquals(Optional.empty(), PortHolder.parse("garbage\n\n", LOOPBACK, 9090));
        assertEquals(Optional.of("java (pid 5)"), PortHolder.parse(
                "LISTEN 0 1 [::ffff:127.0.0.1]:9090 *:* users:((\"java\",pid=5,fd=9))\n", LOOPBACK, 9090), "a JVM's dual-stack socket");
    }

    @Test
    void namesThisJvmHoldingAPort() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Optional<String> t = PortHolder.of(LOOPBACK, tcp.getLocalPort(), true);
            Assumptions.assumeTrue(t.isPresent() || !"true".equalsIgnoreCase(System.getenv("CI")), "ss (iproute2) names holders in CI");
            Assumptions.assumeTrue(t.isPresent(), "ss is not here");
            assertTrue(t.get().endsWith("(pid " + pid + ")"), t.get());
            assertTrue(PortHolder.of(LOOPBACK, udp.getLocalPort(), false).orElseThrow().endsWith("(pid " + pid + ")"));
        }
    }
}
