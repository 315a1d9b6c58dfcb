package io.github.wardops.ward.examples.plain;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Embeds ward in a plain Java program: builds the engine from code, adds devices with an ICMP and
 * an SNMP check each, and receives results in a custom {@link ResultSink}. The SNMP agents are
 * ward-simulator's simulated ones, on the devices' loopback addresses. Run it with {@code ./mvnw -q -pl ward-examples/plain-java
 * -am exec:java} (after a build) or from the test.
 */
public final class PlainJavaExample {
    private PlainJavaExample() {
    }

    /** A sink that prints one line per result and counts distinct devices heard from. */
    static final class PrintingSink implements ResultSink {
        private final PrintStream out;
        private final java.util.Map<DeviceId, String> names;
        final ConcurrentHashMap<String, ProbeResult> seen = new ConcurrentHashMap<>();
        final CountDownLatch allSeen;

        PrintingSink(PrintStream out, int results, java.util.Map<DeviceId, String> names) {
            this.out = out;
            this.allSeen = new CountDownLatch(results);
            this.names = names;
        }

        @Override
        public void write(List<ProbeResult> batch) {
            for (ProbeResult r : batch) {
                // results carry the device's id; people read its name
                String who = names.getOrDefault(r.device(), r.device().toString());
                String line = switch (r) {
                    case ProbeResult.Up up when up.measurement() instanceof SnmpMeasurement m ->
                            "%s %s UP sysName=%s vendor=%s interfaces=%d".formatted(who, r.check(),
                                    m.system() == null ? "?" : m.system().name(), m.vendor(), m.interfaces().size());
                    case ProbeResult.Up up when up.measurement() instanceof PingStats s ->
                            "%s %s UP rtt=%.3f ms loss=%.0f%%".formatted(who, r.check(), PingStats.millis(s.rttAvg()), s.lossPct());
                    case ProbeResult.Up up -> "%s %s UP %s".formatted(who, r.check(), up.latency());
                    case ProbeResult.Down down -> "%s %s DOWN %s: %s".formatted(who, r.check(), down.reason(), down.detail());
                    case ProbeResult.Unknown unknown -> "%s %s UNKNOWN %s".formatted(who, r.check(), unknown.detail());
                };
                out.println(line);
                if (seen.putIfAbsent(r.device() + "/" + r.check(), r) == null) {
                    allSeen.countDown();
                }
            }
        }

        @Override
        public String name() {
            return "printing";
        }
    }

    /**
     * Pings ten loopback devices every 2 seconds and polls their (simulated) SNMP agents every
     * 5 seconds until every check has reported once, then stops.
     *
     * @param out where results are printed
     * @return the sink, with what it received
     * @throws Exception if the simulated agents cannot start
     */
    static PrintingSink run(PrintStream out) throws Exception {
        String community = "example-" + Long.toHexString(System.nanoTime());   // a secret in real life
        SnmpSimulator.Builder agents = SnmpSimulator.builder();
        List<Device> devices = new ArrayList<>();
        int snmpPort = 16161;
        for (int i = 1; i <= 10; i++) {
            String address = "127.0.42." + i;
            agents.device(SimulatedDevice.builder(Addresses.parse(address)).port(snmpPort).community(community)
                    .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000), SimulatedInterface.ethernet(2, 250_000))));
            devices.add(Device.builder(DeviceId.fromKey(address), "example-" + i, Addresses.parse(address))
                    .label("region", "example")
                    .check(Check.icmp(Duration.ofSeconds(2)))
                    .check(new Check("snmp", SnmpSettings.builder().credentialsRef("example").port(snmpPort).build(),
                            Duration.ofSeconds(5), Duration.ofSeconds(4)))
                    .build());
        }
        java.util.Map<DeviceId, String> names = new java.util.HashMap<>();
        devices.forEach(d -> names.put(d.id(), d.name()));
        PrintingSink sink = new PrintingSink(out, devices.size() * 2, names);
        // The probers, the agents and the sink are ours: the engine does not close them.
        try (SnmpSimulator simulator = agents.start();
             IcmpProber icmp = Probers.icmp(IcmpOptions.defaults());
             SnmpProber snmp = SnmpProbers.create(SnmpOptions.builder()
                     .credentials("example", SnmpCredentials.v2c(Secret.of(community)))
                     .build());
             Ward ward = Ward.builder()
                     .prober(icmp)
                     .prober(snmp)
                     .sink(sink)
                     .maxProbesInFlight(100)
                     .build()) {
            ward.inventory().replaceAll(devices);
            ward.start();
            if (!sink.allSeen.await(30, TimeUnit.SECONDS)) {
                out.println("not every check of every device reported within 30 s");
            }
            out.println("ICMP socket mode: " + icmp.mode());
        }
        return sink;
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws Exception if the simulated agents cannot start
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }
}
