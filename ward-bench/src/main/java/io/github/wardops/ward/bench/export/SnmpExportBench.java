package io.github.wardops.ward.bench.export;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.poller.InterfaceRule;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The VictoriaMetrics export of SNMP results, with ward's series only and with the replaced
 * system's compatibility series as well ({@code vm-compat: v1}): {@code SnmpExportBench
 * http://127.0.0.1:8428 [devices=200] [interfaces=48] [rounds=30]}.
 *
 * <p>It polls simulated routers twice (so rates exist; one uplink per router, classified by an
 * interface rule), then writes those results {@code rounds} times, a minute apart in sample time,
 * through a sink of each mode in turn, and prints samples per second and this JVM's CPU time
 * per mode. A write returns once its samples are sent (or buffered after a failure), so the rate
 * is the one the sink and the server sustain together; the dropped count shows any loss.
 */
public final class SnmpExportBench {
    private SnmpExportBench() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8428");
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int interfaces = args.length > 2 ? Integer.parseInt(args[2]) : 48;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        List<SimulatedInterface> ifs = new ArrayList<>();
        for (int k = 1; k <= interfaces; k++) {
            ifs.add(SimulatedInterface.ethernet(k, 1_000_000.0 * (k % 7 + 1)).withAlias(k == 1 ? "ISP-Magti" : "port " + k));
        }
        SnmpSimulator.Builder sb = SnmpSimulator.builder();
        for (int i = 0; i < devices; i++) {
            sb.device(SimulatedDevice.builder(address(i)).interfaces(ifs));
        }
        Map<DeviceId, Device> fleet = new HashMap<>();
        List<ProbeResult> polled = new ArrayList<>();
        try (SnmpSimulator sim = sb.start();
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress())
                     .interfaceRules(InterfaceRule.parseAll("rules", "uplink alias (?i)isp[-_ ]?(?<provider>\\w+)\n"))
                     .build())) {
            for (int i = 0; i < devices; i++) {
                SnmpSettings settings = SnmpSettings.builder().credentials(SnmpCredentials.v2c(Secret.of("public")))
                        .port(sim.port(sim.devices().get(i))).requestTimeout(Duration.ofSeconds(2)).retries(1).build();
                Check check = new Check("snmp", settings, Duration.ofSeconds(60), Duration.ofSeconds(10));
                Device d = Device.builder(DeviceId.fromKey("export-" + i), "Branch-" + i + "-Router", address(i))
                        .label("device_type", "Router").label("region", "R" + (i % 8)).check(check).build();
                fleet.put(d.id(), d);
            }
            for (int poll = 0; poll < 2; poll++) {
                if (poll == 1) {
                    Thread.sleep(1_100);
                    polled.clear();
                }
                for (Device d : fleet.values()) {
                    ProbeResult r = prober.probe(new ProbeRequest(d, d.checks().getFirst(), Instant.now()));
                    if (!(r instanceof ProbeResult.Up)) {
                        throw new IllegalStateException("poll of " + d.name() + ": " + r);
                    }
                    polled.add(r);
                }
            }
        }
        System.out.printf(Locale.ROOT, "devices=%d interfaces=%d rounds=%d results=%d%n", devices, interfaces, rounds,
                devices * rounds);
        for (VictoriaMetricsOptions.Compat mode : List.of(VictoriaMetricsOptions.Compat.NONE, VictoriaMetricsOptions.Compat.V1,
                VictoriaMetricsOptions.Compat.NONE, VictoriaMetricsOptions.Compat.V1)) {
            write(base, mode, fleet, polled, rounds);
        }
    }

    private static void write(URI base, VictoriaMetricsOptions.Compat mode, Map<DeviceId, Device> fleet,
                              List<ProbeResult> polled, int rounds) throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        VictoriaMetricsOptions options = VictoriaMetricsOptions.builder(base).deviceLabel("region", "region").compat(mode).build();
        Instant t0 = Instant.now().minus(rounds + 1L, ChronoUnit.MINUTES);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        try (ResultSink sink = VictoriaMetricsSinks.create(options, id -> Optional.ofNullable(fleet.get(id)), reg)) {
            List<ProbeResult> batch = new ArrayList<>(1000);
            for (int r = 0; r < rounds; r++) {
                Instant at = t0.plus(r, ChronoUnit.MINUTES);
                for (ProbeResult p : polled) {
                    ProbeResult.Up up = (ProbeResult.Up) p;
                    batch.add(new ProbeResult.Up(up.device(), up.check(), up.type(), at, up.latency(), up.measurement()));
                    if (batch.size() == 1000) {
                        sink.write(batch);
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                sink.write(batch);
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double samples = reg.get("ward.export.samples.sent").counter().count();
        System.out.printf(Locale.ROOT, "compat=%-4s samples=%.0f (%.0f per result) in %.2f s: %.0f samples/s, "
                        + "ward CPU %.2f s (%.2f us/sample), dropped %.0f, failed batches %.0f%n", mode, samples,
                samples / (polled.size() * (double) rounds), secs, samples / secs, cpu, 1e6 * cpu / samples,
                reg.get("ward.export.samples.dropped").tag("reason", "buffer_full").counter().count(),
                reg.get("ward.export.batches.failed").tag("reason", "connect").counter().count());
    }

    private static InetAddress address(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 62, (byte) (i / 250), (byte) (i % 250 + 1)});
    }
}
