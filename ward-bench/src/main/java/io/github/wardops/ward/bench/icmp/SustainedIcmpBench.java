package io.github.wardops.ward.bench.icmp;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.Probers;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sustained-run benchmark: N loopback devices pinged every interval (3 echoes each, the
 * default check) for a duration. Prints schedule lag p50/p99, overruns, heap after GC, process
 * RSS and CPU. Usage: {@code SustainedIcmpBench [devices=10000] [interval=30s] [duration=5m]}.
 */
public final class SustainedIcmpBench {
    private SustainedIcmpBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Duration interval = args.length > 1 ? Duration.parse("PT" + args[1].toUpperCase()) : Duration.ofSeconds(30);
        Duration duration = args.length > 2 ? Duration.parse("PT" + args[2].toUpperCase()) : Duration.ofMinutes(5);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        reg.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("ward.schedule.lag")) {
                    return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).percentilePrecision(2)
                            .expiry(duration.plusMinutes(1)).bufferLength(1).build().merge(config);
                }
                return config;
            }
        });
        List<Device> list = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            String a = "127." + (100 + i / 62_500) + "." + (i % 62_500 / 250) + "." + (i % 250 + 1);
            list.add(Device.builder(DeviceId.fromKey(a), "bench-" + i, Addresses.parse(a))
                    .check(Check.icmp(interval)).build());
        }
        long cpu0 = cpuNanos();
        try (IcmpProber icmp = Probers.icmp(IcmpOptions.defaults());
             Ward ward = Ward.builder().prober(icmp).meterRegistry(reg).build()) {
            ward.inventory().replaceAll(list);
            list = null;
            ward.start();
            long end = System.nanoTime() + duration.toNanos();
            long lastReport = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (System.nanoTime() - lastReport >= interval.toNanos()) {
                    lastReport = System.nanoTime();
                    System.out.printf("t=%ds probes=%.0f overruns=%.0f inFlight=%d outstanding=%d%n",
                            TimeUnit.NANOSECONDS.toSeconds(duration.toNanos() - (end - System.nanoTime())),
                            count(reg, "ward.probes"), count(reg, "ward.probes.skipped"), ward.probesInFlight(),
                            icmp.outstandingEchoes());
                }
            }
            Timer lag = reg.get("ward.schedule.lag").timer();
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : lag.takeSnapshot().percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(TimeUnit.MILLISECONDS);
                }
            }
            System.gc();
            Thread.sleep(200);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long cpu = cpuNanos() - cpu0;
            System.out.printf("RESULT devices=%d interval=%s duration=%s probes=%.0f up=%.0f down=%.0f unknown=%.0f overruns=%.0f "
                            + "lag_p50_ms=%.2f lag_p99_ms=%.2f lag_max_ms=%.2f heap_after_gc_mb=%.1f rss_mb=%.1f rss_peak_mb=%.1f cpu_s=%.1f%n",
                    devices, interval, duration, count(reg, "ward.probes"),
                    outcome(reg, "up"), outcome(reg, "down"), outcome(reg, "unknown"), count(reg, "ward.probes.skipped"),
                    p50, p99, lag.max(TimeUnit.MILLISECONDS), heap / 1048576.0, status("VmRSS") / 1024.0,
                    status("VmHWM") / 1024.0, cpu / 1e9);
        }
    }

    private static double count(SimpleMeterRegistry r, String name) {
        return r.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double outcome(SimpleMeterRegistry r, String outcome) {
        return r.find("ward.probes").tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A /proc/self/status field in kB. */
    private static long status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
