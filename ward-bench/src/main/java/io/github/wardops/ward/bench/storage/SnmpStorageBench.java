package io.github.wardops.ward.bench.storage;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.*;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.*;
import java.nio.file.*;
import java.sql.*;
import java.time.*;
import java.util.*;

/**
 * Disk per device per day and ingest rate of the PostgreSQL sink's SNMP path: devices with 48
 * interfaces polled every 60 s, written through {@code PostgresStorage.resultSink()} into an
 * embedded PostgreSQL. Usage: {@code SnmpStorageBench DEVICES POLLS BATCH COPY|INSERT}.
 */
public final class SnmpStorageBench {
    private SnmpStorageBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param a devices, polls, batch size, write mode
     * @throws Exception on failure
     */
    public static void main(String[] a) throws Exception {
        int devices = Integer.parseInt(a[0]);
        int polls = Integer.parseInt(a[1]);
        int batch = Integer.parseInt(a[2]);
        WriteMode mode = WriteMode.valueOf(a[3]);
        Path tmp = Files.createTempDirectory("snmp-disk");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0);
             PostgresStorage s = PostgresStorage.open(PostgresOptions.builder().jdbc(db.jdbcUrl(), db.user(), db.password())
                     .writeMode(mode).spoolDirectory(tmp.resolve("spool"))
                     .retention("interface_samples", Duration.ofDays(3650)).retention("snmp_values", Duration.ofDays(3650))
                     .retention("ping_results", Duration.ofDays(3650)).build())) {
            Instant day = Instant.parse("2026-11-20T00:00:00Z");
            SplittableRandom rnd = new SplittableRandom(1);
            SnmpItem cpu = new SnmpItem("cpu_5min_pct", SnmpOid.parse("1.3.6.1.4.1.9.9.109.1.1.1.1.8.1"), SnmpItem.Kind.GAUGE, "percent", Duration.ofSeconds(60));
            SnmpItem mem = new SnmpItem("mem_used_bytes", SnmpOid.parse("1.3.6.1.4.1.9.9.48.1.1.1.5.1"), SnmpItem.Kind.GAUGE, "bytes", Duration.ofSeconds(60));
            SnmpItem tmpi = new SnmpItem("temp_c", SnmpOid.parse("1.3.6.1.4.1.9.9.13.1.3.1.3.1"), SnmpItem.Kind.GAUGE, "C", Duration.ofSeconds(60));
            List<ProbeResult> buf = new ArrayList<>();
            long results = 0;
            long t0 = System.nanoTime();
            for (int p = 0; p < polls; p++) {
                for (int d = 0; d < devices; d++) {
                    List<SnmpInterface> ifs = new ArrayList<>(48);
                    for (int i = 1; i <= 48; i++) {
                        long o = (long) p * 60 * 12_500_000 + rnd.nextLong(1L << 40);
                        double bps = rnd.nextDouble() * 1e8;
                        ifs.add(new SnmpInterface(i, "Gi1/0/" + i, "GigabitEthernet1/0/" + i, i % 4 == 0 ? "uplink " + i : "", 6, 1500,
                                1_000_000_000L, String.format("00:11:22:33:%02x:%02x", d & 0xff, i), 1, i % 5 == 0 ? 2 : 1, null, Map.of(),
                                new InterfaceCounters(o, o / 3, o / 900, o / 1000, rnd.nextLong(10), 0L, rnd.nextLong(10), 0L, true),
                                new InterfaceRates(bps, bps / 3, bps / 7200, bps / 8000, 0.0, 0.0, rnd.nextDouble(), 0.0, bps / 1e7, bps / 3e7)));
                    }
                    SnmpMeasurement m = new SnmpMeasurement(new SnmpSystem("Cisco IOS", SnmpOid.parse("1.3.6.1.4.1.9.1.1"),
                            Duration.ofSeconds(1000 + 60L * p), "sw" + d, "lab"), "cisco",
                            List.of(new SnmpItemValue(cpu, "cisco", new SnmpValue.Gauge32(rnd.nextInt(100))),
                                    new SnmpItemValue(mem, "cisco", new SnmpValue.Gauge32(rnd.nextLong(1L << 31))),
                                    new SnmpItemValue(tmpi, "cisco", new SnmpValue.Gauge32(40 + rnd.nextInt(20)))),
                            ifs, p == 0, false, 400, 8, "");
                    buf.add(new ProbeResult.Up(DeviceId.fromKey("sw-" + d), "snmp", "snmp",
                            day.plusSeconds(60L * p).plusMillis(d * 7L % 60_000), Duration.ofMillis(20), m));
                    if (buf.size() == batch) {
                        s.resultSink().write(buf);
                        results += buf.size();
                        buf.clear();
                    }
                }
            }
            if (!buf.isEmpty()) { s.resultSink().write(buf); results += buf.size(); }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %,d SNMP results (%,d interface samples) in %.1f s: %,.0f results/s, %,.0f samples/s%n",
                    mode, results, results * 48, secs, results / secs, results * 48 / secs);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE");
                for (String t : List.of("interface_samples_p20261120", "snmp_values_p20261120", "interfaces")) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*), pg_total_relation_size('" + t + "') FROM " + t)) {
                        rs.next();
                        long n = rs.getLong(1), bytes = rs.getLong(2);
                        System.out.printf("%s: %,d rows, %,d bytes/row, %,d bytes/device (for %d polls)%n", t, n, bytes / Math.max(1, n), bytes / devices, polls);
                    }
                }
            }
        }
    }
}
