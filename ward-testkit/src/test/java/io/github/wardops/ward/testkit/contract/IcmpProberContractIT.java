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

/** ward's ICMP prober passes the contract it asks of others. */
class IcmpProberContractIT extends ProberContract {
    static LoopbackFaults faults;

    @BeforeAll
    static void faults() {
        faults = LoopbackFaults.install();
    }

    @AfterAll
    static void removeFaults() {
        faults.close();
    }

    static ProbeRequest request(String address, Check check) {
        return new ProbeRequest(Device.builder(DeviceId.fromKey(address + check.name()), address, Addresses.parse(address)).build(),
                check, Instant.now());
    }

    @Override
    protected Prober createProber() {
        return Probers.icmp(IcmpOptions.defaults());
    }

    @Override
    protected ProbeRequest reachable(int i) {
        return request("127.0.7." + (i + 1), Check.icmp(new IcmpSettings(2, Duration.ofMillis(10), Duration.ofMillis(500), 56),
                Duration.ofSeconds(30)));
    }

    @Override
    protected ProbeRequest unreachable() {
        return request(LoopbackFaults.silentHost(7), Check.icmp(new IcmpSettings(1, Duration.ZERO, Duration.ofMillis(300), 56),
                Duration.ofSeconds(30)));
    }
}
