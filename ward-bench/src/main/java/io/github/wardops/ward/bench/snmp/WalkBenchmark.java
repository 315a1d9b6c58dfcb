package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpTarget;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Walks ifTable and ifXTable of one simulated device with many interfaces, with ward and with
 * net-snmp's {@code snmpbulkwalk}, against the same agent and the same max-repetitions, and prints
 * the times: {@code WalkBenchmark [interfaces=10000] [maxRepetitions=25] [rounds=3]}.
 */
public final class WalkBenchmark {
    private static final List<String> ROOTS = List.of("1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1");

    private WalkBenchmark() {
    }

    /**
     * The entry point.
     *
     * @param args interfaces, max repetitions, rounds
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int interfaces = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int port = 11161;
        InetAddress addr = SimulatorMain.address(30, 0);
        try (Harness.Sim sim = new Harness.Sim(1, interfaces, port, 30);
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getLoopbackAddress())
                     .build())) {
            SnmpTarget target = new SnmpTarget(addr, port, Duration.ofSeconds(2), 1, reps, 50);
            SnmpCredentials c = SnmpCredentials.v2c(Secret.of("public"));
            walkWard(prober, target, c); // warm-up
            List<Double> ward = new ArrayList<>();
            List<Double> net = new ArrayList<>();
            long wardVbs = 0;
            long netVbs = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                wardVbs = walkWard(prober, target, c);
                ward.add((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                netVbs = walkNetSnmp(addr, port, reps);
                net.add((System.nanoTime() - t0) / 1e9);
            }
            double w = Harness.median(ward);
            double n = Harness.median(net);
            System.out.printf(Locale.ROOT, "interfaces=%d maxRepetitions=%d rounds=%d%n", interfaces, reps, rounds);
            System.out.printf(Locale.ROOT, "ward:         %d varbinds, median %.2f s (%s), %.0f varbinds/s%n", wardVbs, w, ward,
                    wardVbs / w);
            System.out.printf(Locale.ROOT, "snmpbulkwalk: %d varbinds, median %.2f s (%s), %.0f varbinds/s%n", netVbs, n, net,
                    netVbs / n);
            System.out.printf(Locale.ROOT, "ratio snmpbulkwalk/ward time: %.2f%n", n / w);
            System.out.printf(Locale.ROOT, "pending after: %d%n", prober.pendingRequests());
        }
    }

    private static long walkNetSnmp(InetAddress addr, int port, int reps) throws Exception {
        long n = 0;
        for (String root : ROOTS) {
            n += Harness.snmpbulkwalk(addr, port, reps, root);
        }
        return n;
    }

    private static long walkWard(SnmpProber p, SnmpTarget t, SnmpCredentials c) throws Exception {
        long n = 0;
        for (String root : ROOTS) {
            SnmpResponse r = p.walk(t, c, SnmpOid.parse(root));
            if (!r.ok()) {
                throw new IllegalStateException("walk failed: " + r.status() + " " + r.detail());
            }
            n += r.varBinds().size();
        }
        return n;
    }
}
