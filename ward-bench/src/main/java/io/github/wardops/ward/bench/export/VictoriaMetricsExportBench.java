package io.github.wardops.ward.bench.export;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Throughput of the VictoriaMetrics sink against a running server: ICMP results of a fleet of
 * devices (three samples each) written in engine-sized batches of 1,000 results. Prints samples
 * per second and the sink's meters. Usage:
 * {@code VictoriaMetricsExportBench http://127.0.0.1:8428 [devices=875] [rounds=200]}.
 */
public final class VictoriaMetricsExportBench {
    private VictoriaMetricsExportBench() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8428");
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 875;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Map<DeviceId, Device> fleet = new HashMap<>();
        List<Device> list = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            Device d = Device.builder(DeviceId.fromKey("bench-" + i), "Branch-" + (i / 7) + " \"device\" " + i,
                            InetAddress.getByAddress(new byte[] {127, 9, (byte) (i >> 8), (byte) i}))
                    .label("device_type", i % 3 == 0 ? "Router" : "ATM").label("region", "R" + (i % 8)).build();
            fleet.put(d.id(), d);
            list.add(d);
        }
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        VictoriaMetricsOptions options = VictoriaMetricsOptions.builder(base).deviceLabel("region", "region").build();
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS);
        long samples = 0;
        long start;
        try (ResultSink sink = VictoriaMetricsSinks.create(options, id -> Optional.ofNullable(fleet.get(id)), reg)) {
            List<ProbeResult> batch = new ArrayList<>(1000);
            start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                Instant at = t0.plusSeconds(r * 10L);
                for (Device d : list) {
                    long rtt = 200_000 + (d.id().hashCode() & 0xffff);
                    batch.add(new ProbeResult.Up(d.id(), "icmp", "icmp", at, Duration.ofNanos(rtt),
                            PingStats.of(2, new long[] {rtt, rtt + 1000}, 2)));
                    if (batch.size() == 1000) {
                        sink.write(batch);
                        samples += 3L * batch.size();
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                sink.write(batch);
                samples += 3L * batch.size();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("devices=%d rounds=%d samples=%d in %.2f s: %.0f samples/s%n", devices, rounds, samples, secs,
                samples / secs);
        System.out.printf("sent=%.0f batches=%.0f dropped(buffer_full)=%.0f failures(connect)=%.0f%n",
                reg.get("ward.export.samples.sent").counter().count(),
                reg.get("ward.export.batches.sent").counter().count(),
                reg.get("ward.export.samples.dropped").tag("reason", "buffer_full").counter().count(),
                reg.get("ward.export.batches.failed").tag("reason", "connect").counter().count());
    }
}
