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
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Embeds ward in a plain Java program: builds the engine from code, adds devices, and receives
 * results in a custom {@link ResultSink}. Run it with {@code ./mvnw -q -pl ward-examples/plain-java
 * -am exec:java} (after a build) or from the test.
 */
public final class PlainJavaExample {
    private PlainJavaExample() {
    }

    /** A sink that prints one line per result and counts distinct devices heard from. */
    static final class PrintingSink implements ResultSink {
        private final PrintStream out;
        final ConcurrentHashMap<DeviceId, ProbeResult> seen = new ConcurrentHashMap<>();
        final CountDownLatch allSeen;

        PrintingSink(PrintStream out, int devices) {
            this.out = out;
            this.allSeen = new CountDownLatch(devices);
        }

        @Override
        public void write(List<ProbeResult> batch) {
            for (ProbeResult r : batch) {
                String line = switch (r) {
                    case ProbeResult.Up up when up.measurement() instanceof PingStats s ->
                            "%s %s UP rtt=%.3f ms loss=%.0f%%".formatted(r.device(), r.check(), PingStats.millis(s.rttAvg()), s.lossPct());
                    case ProbeResult.Up up -> "%s %s UP %s".formatted(r.device(), r.check(), up.latency());
                    case ProbeResult.Down down -> "%s %s DOWN %s: %s".formatted(r.device(), r.check(), down.reason(), down.detail());
                    case ProbeResult.Unknown unknown -> "%s %s UNKNOWN %s".formatted(r.device(), r.check(), unknown.detail());
                };
                out.println(line);
                if (seen.putIfAbsent(r.device(), r) == null) {
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
     * Pings ten loopback devices every 2 seconds until each has reported once, then stops.
     *
     * @param out where results are printed
     * @return the sink, with what it received
     * @throws InterruptedException if interrupted
     */
    static PrintingSink run(PrintStream out) throws InterruptedException {
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String address = "127.0.42." + i;
            devices.add(Device.builder(DeviceId.fromKey(address), "example-" + i, Addresses.parse(address))
                    .label("region", "example")
                    .check(Check.icmp(Duration.ofSeconds(2)))
                    .build());
        }
        PrintingSink sink = new PrintingSink(out, devices.size());
        // The prober and the sink are ours: the engine does not close them.
        try (IcmpProber icmp = Probers.icmp(IcmpOptions.defaults());
             Ward ward = Ward.builder()
                     .prober(icmp)
                     .sink(sink)
                     .maxProbesInFlight(100)
                     .build()) {
            ward.inventory().replaceAll(devices);
            ward.start();
            if (!sink.allSeen.await(30, TimeUnit.SECONDS)) {
                out.println("not every device reported within 30 s");
            }
            out.println("ICMP socket mode: " + icmp.mode());
        }
        return sink;
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }
}
