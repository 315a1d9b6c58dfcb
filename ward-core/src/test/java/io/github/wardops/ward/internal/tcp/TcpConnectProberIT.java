package io.github.wardops.ward.internal.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.internal.icmp.InNamespace;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import io.github.wardops.ward.testing.NetNs;
import io.github.wardops.ward.testing.Netfilter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TcpConnectProberIT {
    private final TcpConnectProber prober = new TcpConnectProber();

    private ProbeResult probe(String address, int port, Duration timeout) throws InterruptedException {
        Device d = Device.builder(DeviceId.fromKey(address), address, Addresses.parse(address)).build();
        Check c = new Check("tcp:" + port, new io.github.wardops.ward.probe.TcpSettings(port), Duration.ofSeconds(30), timeout);
        return probeOn(d, c);
    }

    private ProbeResult probeOn(Device d, Check c) throws InterruptedException {
        return prober.probe(new ProbeRequest(d, c, Instant.now()));
    }

    @Test
    void upRefusedTimeoutAndUnreachableAreToldApart() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             Netfilter nf = Netfilter.install()) {
            int port = server.getLocalPort();
            ProbeResult up = probe("127.0.0.1", port, Duration.ofSeconds(2));
            ProbeResult.Up u = assertInstanceOf(ProbeResult.Up.class, up);
            assertEquals(port, ((TcpConnect) u.measurement()).port());
            assertFalse(u.latency().isNegative());

            ProbeResult.Down refused = assertInstanceOf(ProbeResult.Down.class, probe("127.0.0.1", 1, Duration.ofSeconds(2)));
            assertEquals(DownReason.REFUSED, refused.reason());

            ProbeResult.Down timeout = assertInstanceOf(ProbeResult.Down.class, probe("127.253.0.1", port, Duration.ofMillis(300)));
            assertEquals(DownReason.TIMEOUT, timeout.reason());

            ProbeResult.Down unreach = assertInstanceOf(ProbeResult.Down.class, probe("127.252.0.1", port, Duration.ofSeconds(2)));
            assertEquals(DownReason.HOST_UNREACHABLE, unreach.reason(), unreach.detail());
        }
    }

    @Test
    void noRouteAndAProhibitRouteAreFailedProbesNotUnknown() throws Exception {
        try (NetNs ns = NetNs.create("1 0")) {
            // more specific than 127/8 in the local table: throw falls through to an empty main
            // table (ENETUNREACH), unreachable gives EHOSTUNREACH, prohibit EACCES
            ns.exec("ip", "route", "add", "throw", "127.242.0.0/16", "table", "local");
            ns.exec("ip", "route", "add", "unreachable", "127.243.0.0/16", "table", "local");
            ns.exec("ip", "route", "add", "prohibit", "127.244.0.0/16", "table", "local");
            ProbeResult[] rs = new ProbeResult[4];
            InNamespace.run(ns.file(), () -> {
                try {
                    rs[0] = probe("127.242.0.1", 22, Duration.ofSeconds(2));
                    rs[1] = probe("127.243.0.1", 22, Duration.ofSeconds(2));
                    rs[2] = probe("127.244.0.1", 22, Duration.ofSeconds(2));
                    rs[3] = probe("127.0.0.1", 1, Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertDown(rs[0], DownReason.NETWORK_UNREACHABLE, "ENETUNREACH");
            assertDown(rs[1], DownReason.HOST_UNREACHABLE, "EHOSTUNREACH");
            assertDown(rs[2], DownReason.LOCAL_FIREWALL, "EACCES");
            assertDown(rs[3], DownReason.REFUSED, "refused");
        }
    }

    private static void assertDown(ProbeResult r, DownReason reason, String inDetail) {
        ProbeResult.Down d = assertInstanceOf(ProbeResult.Down.class, r, () -> "expected down: " + r);
        assertEquals(reason, d.reason(), d.detail());
        assertTrue(d.detail().contains(inDetail), d.detail());
    }
}
