package io.github.wardops.ward.testkit.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.simulator.snmp.SimulatedBehaviour;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine drives the SNMP prober like any other: many simulated devices on many loopback addresses. */
class SnmpEngineIT {

    @Test
    void theEnginePollsAFleetOfSimulatedAgents() throws Exception {
        int n = 50;
        SnmpSimulator.Builder b = SnmpSimulator.builder();
        for (int i = 0; i < n; i++) {
            b.device(SimulatedDevice.builder(InetAddress.getByAddress(new byte[] {127, 77, 0, (byte) (i + 1)}))
                    .interfaces(List.of(SimulatedInterface.ethernet(1, 1000), SimulatedInterface.ethernet(2, 1000))));
        }
        List<ProbeResult> results = new CopyOnWriteArrayList<>();
        try (SnmpSimulator sim = b.start();
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress())
                     .build())) {
            List<Device> devices = sim.devices().stream().map(d -> {
                SnmpSettings s = SnmpSettings.builder().port(sim.port(d)).credentials(SnmpCredentials.v2c(Secret.of("public")))
                        .requestTimeout(Duration.ofMillis(500)).build();
                Check c = new Check("snmp", s, Duration.ofSeconds(4), Duration.ofSeconds(3));
                return Device.builder(new DeviceId(UUID.nameUUIDFromBytes(d.address().getAddress())), "sim", d.address())
                        .check(c).build();
            }).toList();
            sim.devices().get(7).behaviour(SimulatedBehaviour.SILENT);
            try (Ward ward = Ward.builder().prober(prober).devices(devices).listener(results::add).build()) {
                ward.start();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (results.stream().map(ProbeResult::device).distinct().count() < n && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
            }
            long up = results.stream().filter(r -> r instanceof ProbeResult.Up u
                    && ((SnmpMeasurement) u.measurement()).interfaces().size() == 2).map(ProbeResult::device).distinct().count();
            long downs = results.stream().filter(r -> r instanceof ProbeResult.Down).map(ProbeResult::device).distinct().count();
            assertEquals(n - 1, up);
            assertEquals(1, downs);
            assertEquals(0, prober.pendingRequests());
            assertEquals(n, prober.trackedDevices());
        }
    }
}
