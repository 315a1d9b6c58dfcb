package io.github.wardops.ward.bench.storage;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.InterfaceSample;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.postgres.WriteMode;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ingest throughput of ward's PostgreSQL storage into the embedded PostgreSQL 17, and disk bytes
 * per device per day. Not a test: it prints numbers. Arguments (all optional):
 * {@code rows=200000 batch=1000 devices=200 rounds=3}.
 */
public final class StorageIngestBenchmark {
    private StorageIngestBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code key=value} overrides
     * @throws Exception when the database fails
     */
    public static void main(String[] args) throws Exception {
        int rows = 200_000;
        int batch = 1_000;
        int devices = 200;
        int rounds = 3;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "rows" -> rows = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "devices" -> devices = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Path tmp = Files.createTempDirectory("ward-bench-pg");
        System.out.printf("java %s, %d cpus; rows=%d batch=%d devices=%d rounds=%d%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), rows, batch, devices, rounds);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0)) {
            for (int round = 1; round <= rounds; round++) {
                for (WriteMode mode : WriteMode.values()) {
                    reset(db);
                    try (PostgresStorage s = open(db, tmp, mode)) {
                        ResultSink sink = s.resultSink();
                        Instant start = Instant.parse("2026-11-29T00:00:00Z");
                        write(sink, pings(start.minusSeconds(3600), 20_000, 5_000), batch); // warm-up
                        List<ProbeResult> data = pings(start, rows, 5_000);
                        long t0 = System.nanoTime();
                        write(sink, data, batch);
                        double secs = (System.nanoTime() - t0) / 1e9;
                        long t1 = System.nanoTime();
                        write(sink, data, batch); // the same rows again: a replay, all conflicts
                        double replaySecs = (System.nanoTime() - t1) / 1e9;
                        System.out.printf("round %d ping_results %-6s %,10.0f rows/s   (replay of the same rows: %,10.0f rows/s)%n",
                                round, mode, rows / secs, rows / replaySecs);
                    }
                }
                for (WriteMode mode : WriteMode.values()) {
                    reset(db);
                    try (PostgresStorage s = open(db, tmp, mode)) {
                        Instant start = Instant.parse("2026-11-29T00:00:00Z");
                        s.interfaces().writeSamples(samples(start.minusSeconds(7200), 20_000, 5_000)); // warm-up
                        List<InterfaceSample> samples = samples(start, rows, 5_000);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < samples.size(); i += batch) {
                            s.interfaces().writeSamples(samples.subList(i, Math.min(samples.size(), i + batch)));
                        }
                        double secs = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("round %d interface_samples %-6s %,10.0f rows/s%n", round, mode, rows / secs);
                    }
                }
            }
            diskPerDevicePerDay(db, tmp, devices);
        }
    }

    private static PostgresStorage open(EmbeddedDatabase db, Path tmp, WriteMode mode) throws Exception {
        return PostgresStorage.open(PostgresOptions.builder()
                .jdbc(db.jdbcUrl(), db.user(), db.password())
                .writeMode(mode)
                .spoolDirectory(Files.createTempDirectory(tmp, "spool"))
                .retention("ping_results", Duration.ofDays(3650))
                .retention("interface_samples", Duration.ofDays(3650))
                .retention("snmp_values", Duration.ofDays(3650))
                .build());
    }

    private static void write(ResultSink sink, List<ProbeResult> data, int batch) throws Exception {
        for (int i = 0; i < data.size(); i += batch) {
            sink.write(data.subList(i, Math.min(data.size(), i + batch)));
        }
    }

    /** {@code n} ICMP results over {@code devices} devices, 30 s apart per device; 2 % down. */
    static List<ProbeResult> pings(Instant start, int n, int devices) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<ProbeResult> out = new ArrayList<>(n);
        DeviceId[] ids = new DeviceId[devices];
        for (int d = 0; d < devices; d++) {
            ids[d] = DeviceId.fromKey("bench-" + d);
        }
        for (int i = 0; i < n; i++) {
            int d = i % devices;
            Instant at = start.plusSeconds(30L * (i / devices)).plusMillis(d % 30_000);
            if (rnd.nextInt(50) == 0) {
                out.add(new ProbeResult.Down(ids[d], "icmp", "icmp", at, DownReason.TIMEOUT, "",
                        new PingStats(3, 0, null, null, null, null)));
            } else {
                long base = 200_000 + rnd.nextLong(5_000_000);
                PingStats p = PingStats.of(3, new long[] {base, base + rnd.nextLong(300_000), base + rnd.nextLong(900_000)}, 3);
                out.add(new ProbeResult.Up(ids[d], "icmp", "icmp", at, p.rttAvg(), p));
            }
        }
        return out;
    }

    /** {@code n} interface samples: 4 interfaces per device, 60 s apart. */
    static List<InterfaceSample> samples(Instant start, int n, int devices) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<InterfaceSample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int slot = i / 4;
            int d = slot % devices;
            int ifIndex = 1 + i % 4;
            Instant at = start.plusSeconds(60L * (slot / devices)).plusMillis(d % 60_000);
            long octets = rnd.nextLong(1L << 50);
            out.add(new InterfaceSample(DeviceId.fromKey("bench-" + d), ifIndex, at, "up", octets, octets / 3,
                    octets / 900, octets / 1000, 0L, 0L, rnd.nextLong(10), 0L, rnd.nextDouble() * 1e8,
                    rnd.nextDouble() * 1e7, rnd.nextDouble() * 1e4, rnd.nextDouble() * 1e4, 0.0, 0.0, 0.0, 0.0));
        }
        return out;
    }

    /** Writes one day for {@code devices} devices at the defaults and measures the partitions. */
    private static void diskPerDevicePerDay(EmbeddedDatabase db, Path tmp, int devices) throws Exception {
        reset(db);
        Instant day = Instant.parse("2026-11-20T00:00:00Z");
        int pingsPerDevice = 86_400 / 30;
        int samplesPerDevice = 4 * 86_400 / 60;
        try (PostgresStorage s = open(db, tmp, WriteMode.COPY)) {
            List<ProbeResult> p = pings(day, devices * pingsPerDevice, devices);
            write(s.resultSink(), p, 1_000);
            List<InterfaceSample> is = samples(day, devices * samplesPerDevice, devices);
            for (int i = 0; i < is.size(); i += 1_000) {
                s.interfaces().writeSamples(is.subList(i, Math.min(is.size(), i + 1_000)));
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE");
            for (String t : List.of("ping_results", "interface_samples")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), pg_total_relation_size('" + t + "_p20261120') FROM "
                        + t + "_p20261120")) {
                    rs.next();
                    long count = rs.getLong(1);
                    long bytes = rs.getLong(2);
                    System.out.printf("%s: %,d rows/day/device, %,d bytes/row, %,d bytes/device/day (%d devices)%n", t,
                            count / devices, bytes / count, bytes / devices, devices);
                }
            }
        }
    }

    private static void reset(EmbeddedDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            List<String> parts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE c.relkind = 'r'")) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
            for (String p : parts) {
                st.execute("DROP TABLE " + p);
            }
        }
    }
}
