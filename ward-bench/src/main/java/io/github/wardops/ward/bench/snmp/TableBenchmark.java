package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads one template table of a simulated device (a text label column and three integer columns
 * per row) with ward's poll, as the runner does for a template's {@code table}, and walks the same
 * columns with net-snmp's {@code snmpbulkwalk}, alternating, against the same agent:
 * {@code TableBenchmark [rows=10000] [maxRepetitions=25] [rounds=5]}.
 *
 * <p>ward's time is a whole poll (the system GET, then the table's four columns walked together,
 * one GETBULK carrying every open column); it also turns each cell into a labelled item.
 * snmpbulkwalk walks the entry's subtree column after column and prints each varbind. It runs
 * twice: with the same max-repetitions, and with four times as many, so that one of its
 * responses carries as many varbinds as one of ward's.
 */
public final class TableBenchmark {
    private TableBenchmark() {
    }

    /**
     * The entry point.
     *
     * @param args rows, max repetitions, rounds
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int port = 11163;
        InetAddress addr = SimulatorMain.address(32, 0);
        System.setProperty("ward.sim.tableRows", Integer.toString(rows));
        VendorTemplate template = VendorTemplate.parse("bench.tmpl", """
                vendor benchtable
                select bench=table
                table  disk %s 1s
                label  disk volume 2
                column disk status 3 gauge -
                column disk free_bytes 4 gauge bytes scale=1048576
                column disk total_bytes 5 gauge bytes scale=1048576
                """.formatted(SimulatorMain.TABLE));
        SnmpSettings settings = SnmpSettings.builder().port(port).credentials(SnmpCredentials.v2c(Secret.of("public")))
                .requestTimeout(Duration.ofSeconds(2)).retries(1).maxRepetitions(reps)
                .polls(EnumSet.of(SnmpSettings.Poll.SYSTEM, SnmpSettings.Poll.TEMPLATE_ITEMS)).build();
        Check check = new Check("snmp", settings, Duration.ofSeconds(60), Duration.ofSeconds(30));
        Device device = Device.builder(new DeviceId(new UUID(0x7AB1E, 0)), "table-0", addr).label("bench", "table")
                .check(check).build();
        try (Harness.Sim sim = new Harness.Sim(1, 1, port, 32);
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress())
                     .templates(List.of(template)).maxTableRows(Math.max(rows, 1)).build())) {
            pollWard(prober, device, check, rows); // warm-up
            List<Double> ward = new ArrayList<>();
            List<Double> net = new ArrayList<>();
            List<Double> netWide = new ArrayList<>();
            long wardCells = 0;
            long netVbs = 0;
            long netWideVbs = 0;
            for (int r = 0; r < rounds; r++) {
                Thread.sleep(100); // the table (1 s, less half the 60 s check interval) is due at every poll
                long t0 = System.nanoTime();
                wardCells = pollWard(prober, device, check, rows);
                ward.add((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                netVbs = Harness.snmpbulkwalk(addr, port, reps, SimulatorMain.TABLE);
                net.add((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                netWideVbs = Harness.snmpbulkwalk(addr, port, reps * 4, SimulatorMain.TABLE);
                netWide.add((System.nanoTime() - t0) / 1e9);
            }
            double w = Harness.median(ward);
            double n = Harness.median(net);
            double nw = Harness.median(netWide);
            System.out.printf(Locale.ROOT, "rows=%d columns=4 maxRepetitions=%d rounds=%d%n", rows, reps, rounds);
            System.out.printf(Locale.ROOT, "ward poll:          %d cells + %d labels read, median %.3f s (%s)%n",
                    wardCells, rows, w, round(ward));
            System.out.printf(Locale.ROOT, "snmpbulkwalk -Cr%d: %d varbinds, median %.3f s (%s)%n", reps, netVbs, n, round(net));
            System.out.printf(Locale.ROOT, "snmpbulkwalk -Cr%d: %d varbinds, median %.3f s (%s)%n", reps * 4, netWideVbs, nw,
                    round(netWide));
            System.out.printf(Locale.ROOT, "ratio snmpbulkwalk/ward time: %.2f (-Cr%d), %.2f (-Cr%d)%n", n / w, reps, nw / w,
                    reps * 4);
            System.out.printf(Locale.ROOT, "pending after: %d%n", prober.pendingRequests());
        }
    }

    /** One poll; returns the table cells it read (value columns), checking it read them all. */
    private static long pollWard(SnmpProber p, Device d, Check c, int rows) throws Exception {
        ProbeResult r = p.probe(new ProbeRequest(d, c, Instant.now()));
        if (!(r instanceof ProbeResult.Up up) || !(up.measurement() instanceof SnmpMeasurement m) || !m.problem().isEmpty()) {
            throw new IllegalStateException("poll failed: " + r);
        }
        long cells = m.items().stream().filter(i -> !i.labels().isEmpty()).count();
        if (cells != 3L * rows) {
            throw new IllegalStateException("read " + cells + " cells, expected " + 3L * rows);
        }
        return cells;
    }

    private static List<String> round(List<Double> l) {
        return l.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList();
    }
}
