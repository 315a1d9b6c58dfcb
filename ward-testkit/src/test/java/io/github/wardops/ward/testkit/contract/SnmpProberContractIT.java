package io.github.wardops.ward.testkit.contract;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.simulator.snmp.SimulatedBehaviour;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ward's SNMP prober passes the contract it asks of others, against simulated agents on
 * loopback: twenty that answer v2c, and one that receives every request and never answers (the
 * unreachable target, a timeout).
 */
class SnmpProberContractIT extends ProberContract {
    private static final SnmpCredentials V2C = SnmpCredentials.v2c(Secret.of("public"));
    static SnmpSimulator sim;

    @BeforeAll
    static void agents() throws UnknownHostException {
        SnmpSimulator.Builder b = SnmpSimulator.builder();
        for (int i = 0; i < 20; i++) {
            b.device(SimulatedDevice.builder(address(i)).interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000))));
        }
        b.device(SimulatedDevice.builder(silentAddress()));
        sim = b.start();
        sim.devices().getLast().behaviour(SimulatedBehaviour.SILENT);
    }

    @AfterAll
    static void stopAgents() {
        sim.close();
    }

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByName("127.0.9." + (i + 1));
    }

    private static InetAddress silentAddress() throws UnknownHostException {
        return InetAddress.getByName("127.0.9.200");
    }

    @Override
    protected Prober createProber() {
        return SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress()).build());
    }

    private static ProbeRequest request(SimulatedDevice d, String name, Duration requestTimeout, int retries, Duration timeout) {
        SnmpSettings s = SnmpSettings.builder().credentials(V2C).port(sim.port(d)).requestTimeout(requestTimeout)
                .retries(retries).build();
        return IcmpProberContractIT.request(d.address().getHostAddress(), new Check(name, s, Duration.ofSeconds(30), timeout));
    }

    @Override
    protected ProbeRequest reachable(int i) {
        return request(sim.devices().get(i), "snmp-" + i, Duration.ofSeconds(1), 1, Duration.ofSeconds(5));
    }

    @Override
    protected ProbeRequest unreachable() {
        return request(sim.devices().getLast(), "snmp-silent", Duration.ofMillis(300), 1, Duration.ofSeconds(2));
    }
}
