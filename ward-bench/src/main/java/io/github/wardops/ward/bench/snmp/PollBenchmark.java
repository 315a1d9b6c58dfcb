package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls a simulated fleet through the real engine: {@code PollBenchmark <devices=1000> <interfaces=48>
 * <intervalSeconds=60> <intervals=3>}. Every device has one SNMP check (system group, interfaces,
 * template items) at the interval. Per interval it prints results, complete polls, varbinds/s,
 * CPU of this JVM and of the simulator, heap after GC and the most pending requests seen. The
 * first interval includes interface discovery.
 *
 * <p>With {@code -Dward.sim.tableRows=N} every simulated device also serves an N-row table (a text
 * column and three integer columns, like an NVR's disks), and a template selected by a device
 * label reads it at the check's interval: each poll then walks the table too, and the engine
 * keeps its {@code 3 x N} cells, with their labels, in the device's latest measurement.
 */
public final class PollBenchmark {
    private PollBenchmark() {
    }

    /**
     * The entry point.
     *
     * @param args devices, interfaces, interval seconds, intervals
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int interfaces = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int intervalS = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int intervals = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int port = 11162;
        Duration interval = Duration.ofSeconds(intervalS);
        SnmpSettings settings = SnmpSettings.builder().port(port).credentials(SnmpCredentials.v2c(Secret.of("public")))
                .requestTimeout(Duration.ofSeconds(2)).retries(1).polls(EnumSet.allOf(SnmpSettings.Poll.class)).build();
        Check check = new Check("snmp", settings, interval, interval.dividedBy(2));
        int tableRows = Integer.getInteger("ward.sim.tableRows", 0);
        List<VendorTemplate> templates = tableRows == 0 ? List.of() : List.of(VendorTemplate.parse("bench.tmpl", """
                vendor benchtable
                select bench=table
                table  disk %s %ds
                label  disk volume 2
                column disk status 3 gauge -
                column disk free_bytes 4 gauge bytes scale=1048576
                column disk total_bytes 5 gauge bytes scale=1048576
                """.formatted(SimulatorMain.TABLE, intervalS)));
        List<Device> fleet = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            fleet.add(Device.builder(new DeviceId(new UUID(0x5EED, i)), "sim-" + i, SimulatorMain.address(40, i))
                    .label("bench", "table").check(check).build());
        }
        AtomicLong cells = new AtomicLong();
        AtomicInteger results = new AtomicInteger();
        AtomicInteger complete = new AtomicInteger();
        AtomicInteger down = new AtomicInteger();
        AtomicLong varbinds = new AtomicLong();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        System.out.printf(Locale.ROOT, "devices=%d interfaces=%d tableRows=%d interval=%ds intervals=%d maxHeap=%s cpus=%d%n",
                devices, interfaces, tableRows, intervalS, intervals, Harness.mib(Runtime.getRuntime().maxMemory()),
                Runtime.getRuntime().availableProcessors());
        try (Harness.Sim sim = new Harness.Sim(devices, interfaces, port, 40);
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().meterRegistry(meters)
                     .bindAddress(InetAddress.getLoopbackAddress()).maxRequestsInFlight(2_000).templates(templates)
                     .maxTableRows(Math.max(1, tableRows)).build());
             Ward ward = Ward.builder().prober(prober).devices(fleet).meterRegistry(meters).maxProbesInFlight(4_096)
                     .listener(r -> {
                         results.incrementAndGet();
                         if (r instanceof ProbeResult.Up up && up.measurement() instanceof SnmpMeasurement m) {
                             varbinds.addAndGet(m.varBinds());
                             cells.addAndGet(m.items().stream().filter(i -> !i.labels().isEmpty()).count());
                             if (m.complete()) {
                                 complete.incrementAndGet();
                             }
                         } else {
                             down.incrementAndGet();
                         }
                     }).build()) {
            ward.start();
            for (int k = 1; k <= intervals; k++) {
                Duration cpu0 = Harness.processCpu();
                Duration simCpu0 = sim.cpu();
                int r0 = results.get();
                int c0 = complete.get();
                int d0 = down.get();
                long v0 = varbinds.get();
                long cells0 = cells.get();
                int maxPending = 0;
                Instant end = Instant.now().plus(interval);
                while (Instant.now().isBefore(end)) {
                    Thread.sleep(200);
                    maxPending = Math.max(maxPending, prober.pendingRequests());
                }
                double cpu = (Harness.processCpu().minus(cpu0)).toMillis() / 1000.0;
                double simCpu = (sim.cpu().minus(simCpu0)).toMillis() / 1000.0;
                long heap = Harness.heapAfterGc();
                System.out.printf(Locale.ROOT,
                        "interval %d: results %d (complete %d, down/unknown %d) of %d devices, %.0f varbinds/s, "
                                + "table cells %d, ward CPU %.1f s (%.0f%% of one core), simulator CPU %.1f s, heap after GC %s, "
                                + "max pending %d, pending now %d, tracked %d, missed slots %.0f%n",
                        k, results.get() - r0, complete.get() - c0, down.get() - d0, devices,
                        (varbinds.get() - v0) / (double) intervalS, cells.get() - cells0, cpu, 100 * cpu / intervalS, simCpu,
                        Harness.mib(heap), maxPending, prober.pendingRequests(), prober.trackedDevices(),
                        meters.find("ward.schedule.missed").counter() == null ? 0.0
                                : meters.find("ward.schedule.missed").counter().count());
            }
        }
    }
}
