package io.github.wardops.ward.internal.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
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
}
