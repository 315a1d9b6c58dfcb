package io.github.wardops.ward.testkit.contract;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.probe.TcpSettings;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** ward's TCP prober passes the contract it asks of others. */
class TcpProberContractIT extends ProberContract {
    static ServerSocket server;

    @BeforeAll
    static void listen() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Override
    protected Prober createProber() {
        return Probers.tcp();
    }

    @Override
    protected ProbeRequest reachable(int i) {
        int port = server.getLocalPort();
        return IcmpProberContractIT.request("127.0.0.1",
                new Check("tcp:" + port + "-" + i, new TcpSettings(port), Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }

    @Override
    protected ProbeRequest unreachable() {
        return IcmpProberContractIT.request("127.0.0.1", new Check("tcp:1", new TcpSettings(1), Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }
}
