package io.github.wardops.ward.bench.storage;

import io.github.wardops.ward.postgres.AvailabilityReport;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.postgres.PostgresStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The availability report over a large fleet: fills the embedded PostgreSQL with roll-up rows
 * made by {@code generate_series} (every device a {@code device_daily} row for each of the last
 * {@code days} UTC days, and {@code device_hourly} rows for the first of those days and today, for
 * the edges of a range that is not whole days) and state changes (every device UP from 40 days ago,
 * then two outages of 10 to 70 minutes in the last 30 days; one device in ten UNREACHABLE for 30
 * minutes once), then times {@link AvailabilityReport#read} for whole days and for
 * {@code [now - 30 d, now)} per region, and per device (worst 1,000 first). Each device's current
 * status is in {@code device_state}, as a runner keeps it. The report's own
 * roll-ups (V9: the running totals of {@code device_daily} and {@code device_outage_daily}) are
 * built by the roll-up job's own code ({@code Rollups.backfillReport}), day by day as after an
 * upgrade. The devices' groups are passed as the runner passes them (ids and labels in arrays).
 * {@code -Dcompare=1} also times each read as before V9 (one daily row a device and day, the
 * outages from every state change; V8's planner override) on the same rows, and checks that both
 * give the same rows. {@code -Dexplain=1} prints {@code EXPLAIN (ANALYZE, BUFFERS)} of the
 * whole-days statement ({@code -Dexplain=legacy}: the one before V9; {@code -Dexplain=range}: the one
 * of {@code [now - days, now)}; {@code -Dexplain=device}: whole days per device). Usage:
 * {@code AvailabilityBench DIRECTORY [devices=100000] [days=30] [rounds=5]}; the directory keeps the
 * database between runs (a second run reuses the rows when the device count matches).
 */
public final class AvailabilityBench {
    private static final String[] REGIONS = {"Tbilisi", "Imereti", "Achara", "Kakheti", "Samegrelo"};
    /** The statement's sort column of {@code Sort.AVAILABILITY}: every read here sorts by it. */
    private static final String SORT = "pct";

    private AvailabilityBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param a the directory, the devices, the days and the rounds
     * @throws Exception on failure
     */
    public static void main(String[] a) throws Exception {
        Path dir = Files.createDirectories(Path.of(a[0]));
        int devices = a.length > 1 ? Integer.parseInt(a[1]) : 100_000;
        int days = a.length > 2 ? Integer.parseInt(a[2]) : 30;
        int rounds = a.length > 3 ? Integer.parseInt(a[3]) : 5;
        Instant now = Instant.now();
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
             PostgresStorage storage = PostgresStorage.open(PostgresOptions.builder()
                     .jdbc(db.jdbcUrl(), db.user(), db.password()).spoolDirectory(dir.resolve("spool")).build())) {
            storage.runMaintenance();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                long have;
                try (var rs = st.executeQuery("SELECT count(DISTINCT device_id) FROM device_daily WHERE bucket = '"
                        + today.minus(Duration.ofDays(1)) + "'")) {
                    rs.next();
                    have = rs.getLong(1);
                }
                if (have != devices) {
                    long t0 = System.nanoTime();
                    fill(st, org.jooq.impl.DSL.using(db.dataSource(), org.jooq.SQLDialect.POSTGRES), devices, days, now);
                    System.out.printf("filled %,d devices x %d days in %.1f s%n", devices, days,
                            (System.nanoTime() - t0) / 1e9);
                }
                long states;
                try (var rs = st.executeQuery("SELECT count(*) FROM device_state")) {
                    rs.next();
                    states = rs.getLong(1);
                }
                if (states == 0) {
                    // each device's current status, as a runner's state store keeps it (the report's time not
                    // rolled up yet starts from it)
                    st.execute("INSERT INTO device_state (device_id, status, updated_at) SELECT DISTINCT ON (device_id)"
                            + " device_id, to_status, now() FROM state_changes WHERE if_index = 0 AND at <= '" + now
                            + "' ORDER BY device_id, at DESC, id DESC");
                    st.execute("VACUUM ANALYZE device_state");
                }
                try (var rs = st.executeQuery("SELECT (SELECT count(*) FROM device_daily), (SELECT count(*) FROM "
                        + "device_hourly), (SELECT count(*) FROM state_changes), (SELECT count(*) FROM device_outage_daily)")) {
                    rs.next();
                    System.out.printf("rows: device_daily %,d, device_hourly %,d, state_changes %,d, device_outage_daily %,d%n",
                            rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                }
            }
            Map<UUID, String> byRegion = new HashMap<>();
            Map<UUID, String> byDevice = new HashMap<>();
            for (int i = 0; i < devices; i++) {
                UUID id = id(i);
                byRegion.put(id, REGIONS[i % REGIONS.length]);
                byDevice.put(id, id.toString());
            }
            Instant dayFrom = today.minus(Duration.ofDays(days));
            if (System.getProperty("explain") != null) {
                UUID[] ids = byRegion.keySet().toArray(UUID[]::new);
                String[] gs = new String[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    gs[i] = byRegion.get(ids[i]);
                }
                org.jooq.DSLContext ctx = org.jooq.impl.DSL.using(db.dataSource(), org.jooq.SQLDialect.POSTGRES);
                boolean legacy = "legacy".equals(System.getProperty("explain"));
                boolean range = "range".equals(System.getProperty("explain"));
                if ("device".equals(System.getProperty("explain"))) {
                    for (int i = 0; i < ids.length; i++) {
                        gs[i] = ids[i].toString();
                    }
                }
                var s = io.github.wardops.ward.postgres.internal.db.AvailabilitySql.statement(ctx,
                        range ? now.minus(Duration.ofDays(days)) : dayFrom, range ? now : today, ids,
                        gs, false, "pct", false, 0, 100, legacy);
                ctx.transaction(cfg -> {
                    io.github.wardops.ward.postgres.internal.db.AvailabilitySql.configure(cfg.dsl(), 64);
                    if (legacy) {
                        cfg.dsl().execute("SET LOCAL enable_seqscan = off");
                    }
                    for (org.jooq.Record line : cfg.dsl().fetch("EXPLAIN (ANALYZE, BUFFERS) " + s.sql(), s.binds())) {
                        System.out.println(line.get(0));
                    }
                });
                return;
            }
            org.jooq.DSLContext ctx = org.jooq.impl.DSL.using(db.dataSource(), org.jooq.SQLDialect.POSTGRES);
            time(storage, ctx, "whole days (" + days + "), per region", new AvailabilityReport.Query(dayFrom, today, byRegion,
                    AvailabilityReport.Unreachable.EXCLUDED, AvailabilityReport.Sort.AVAILABILITY, false, 0, 100), rounds);
            time(storage, ctx, "whole days, per region, unreachable=down", new AvailabilityReport.Query(dayFrom, today,
                    byRegion, AvailabilityReport.Unreachable.DOWN, AvailabilityReport.Sort.AVAILABILITY, false, 0, 100),
                    rounds);
            time(storage, ctx, "whole days, per device, worst 1,000", new AvailabilityReport.Query(dayFrom, today,
                    byDevice, AvailabilityReport.Unreachable.EXCLUDED, AvailabilityReport.Sort.AVAILABILITY, false, 0,
                    1000), rounds);
            time(storage, ctx, "from now - " + days + " d to now, per region", new AvailabilityReport.Query(
                    now.minus(Duration.ofDays(days)), now, byRegion, AvailabilityReport.Unreachable.EXCLUDED,
                    AvailabilityReport.Sort.AVAILABILITY, false, 0, 100), rounds);
        }
    }

    private static UUID id(int i) {
        return UUID.fromString(String.format("%08x-0000-4000-8000-%012x", i, i));
    }

    private static void time(PostgresStorage storage, org.jooq.DSLContext ctx, String what, AvailabilityReport.Query q,
                             int rounds) {
        timeNew(storage, what, q, rounds);
        if (System.getProperty("compare") == null) {
            return;
        }
        // the same read as before V9, on the same rows, and the same figures
        Instant end = q.to().isAfter(Instant.now()) ? Instant.now() : q.to();
        UUID[] ids = q.groups().keySet().toArray(UUID[]::new);
        String[] gs = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            gs[i] = q.groups().get(ids[i]);
        }
        List<Long> ms = new ArrayList<>();
        org.jooq.Result<org.jooq.Record> old = null;
        for (int i = 0; i < rounds + 1; i++) {
            long t0 = System.nanoTime();
            old = ctx.transactionResult(cfg -> {
                io.github.wardops.ward.postgres.internal.db.AvailabilitySql.configure(cfg.dsl(), 64);
                return io.github.wardops.ward.postgres.internal.db.AvailabilitySql.runWithoutReportRollups(cfg.dsl(),
                        q.from(), end, ids, gs, q.unreachable() == AvailabilityReport.Unreachable.DOWN, SORT,
                        q.descending(), q.offset(), q.limit());
            });
            if (i > 0) {
                ms.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        org.jooq.Result<org.jooq.Record> now = ctx.transactionResult(cfg -> {
            io.github.wardops.ward.postgres.internal.db.AvailabilitySql.configure(cfg.dsl(), 64);
            return io.github.wardops.ward.postgres.internal.db.AvailabilitySql.run(cfg.dsl(), q.from(), end, ids, gs,
                    q.unreachable() == AvailabilityReport.Unreachable.DOWN, SORT, q.descending(), q.offset(),
                    q.limit());
        });
        String same = "same rows";
        for (int i = 0; i < Math.max(old.size(), now.size()); i++) {
            if (i >= old.size() || i >= now.size() || !sameRow(old.get(i), now.get(i))) {
                same = "DIFFERENT rows at " + i + ": before V9 " + (i < old.size() ? old.get(i) : null) + ", now "
                        + (i < now.size() ? now.get(i) : null);
                break;
            }
        }
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("%-45s rounds %s ms, median %d ms (before V9, as V8 read it; %s)%n", "  before V9:", ms,
                sorted.get(sorted.size() / 2), same);
    }

    private static boolean sameRow(org.jooq.Record a, org.jooq.Record b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof Number nx && y instanceof Number ny) {
                double dx = nx.doubleValue();
                double dy = ny.doubleValue();
                if (Math.abs(dx - dy) > 1e-6 * Math.max(1, Math.abs(dx))) {
                    return false;
                }
            } else if (!java.util.Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    private static void timeNew(PostgresStorage storage, String what, AvailabilityReport.Query q, int rounds) {
        List<Long> ms = new ArrayList<>();
        AvailabilityReport.Report r = null;
        for (int i = 0; i < rounds + 1; i++) {
            long t0 = System.nanoTime();
            r = storage.availability().read(q);
            long t = (System.nanoTime() - t0) / 1_000_000;
            if (i > 0) {
                ms.add(t); // the first read warms the caches and the JIT: not counted
            }
        }
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        AvailabilityReport.Row first = r.rows().getFirst();
        System.out.printf("%-45s rounds %s ms, median %d ms (%d groups; first %s %.3f %%, %d outages)%n", what, ms,
                sorted.get(sorted.size() / 2), r.groups(), first.group(), first.availabilityPct(), first.outages());
    }

    private static void fill(Statement st, org.jooq.DSLContext ctx, int devices, int days, Instant now) throws Exception {
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Instant first = today.minus(Duration.ofDays(days));
        st.execute("TRUNCATE device_daily, device_hourly, state_changes, device_outage_daily, device_state");
        String ids = "(lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid";
        // state changes: UP from 40 days ago; two outages per device; one device in ten unreachable once
        st.execute("INSERT INTO state_changes (device_id, at, from_status, to_status) SELECT " + ids + ", '"
                + today.minus(Duration.ofDays(40)) + "'::timestamptz, 'UNKNOWN', 'UP' FROM generate_series(0, "
                + (devices - 1) + ") i");
        st.execute("""
                INSERT INTO state_changes (device_id, at, from_status, to_status)
                SELECT %1$s, s + k * INTERVAL '1 second', f, t
                FROM generate_series(0, %2$d) i, generate_series(0, 1) o,
                     LATERAL (VALUES (TIMESTAMPTZ '%3$s' + ((i * 7919 + o * 1000003) %% (%4$d * 43200)) * INTERVAL '1 second'
                                        + o * %4$d * INTERVAL '12 hours',
                                      600 + (i * 31 + o) %% 3600)) AS x(s, len),
                     LATERAL (VALUES (0, 'UP', 'DOWN'), (len, 'DOWN', 'UP')) AS y(k, f, t)
                """.formatted(ids, devices - 1, today.minus(Duration.ofDays(days)), days));
        st.execute("""
                INSERT INTO state_changes (device_id, at, from_status, to_status)
                SELECT %1$s, TIMESTAMPTZ '%2$s' + (i %% 97) * INTERVAL '1 hour' + k * INTERVAL '30 minutes', f, t
                FROM generate_series(0, %3$d, 10) i, LATERAL (VALUES (0, 'UP', 'UNREACHABLE'), (1, 'UNREACHABLE', 'UP')) AS y(k, f, t)
                """.formatted(ids, today.minus(Duration.ofDays(days)).plus(Duration.ofMinutes(7)), devices - 1));
        // daily rows: the last days; the down seconds a plausible share (the figures are not checked here,
        // but the first day's are its hours' sums, as the roll-up job makes them)
        st.execute("""
                INSERT INTO device_daily (device_id, bucket, results, probes_sent, probes_answered, up_seconds,
                                          down_seconds, unreachable_seconds)
                SELECT %1$s, d, 2880, 8640, 8600, 86400 - (i %% 7) * 120, (i %% 7) * 96, (i %% 7) * 24
                FROM generate_series(0, %2$d) i, generate_series(TIMESTAMPTZ '%3$s', TIMESTAMPTZ '%4$s', INTERVAL '1 day') d
                """.formatted(ids, devices - 1, first, today.minus(Duration.ofDays(1))));
        // hourly rows for the first day and today, the edges of [now - days, now)
        st.execute("""
                INSERT INTO device_hourly (device_id, bucket, results, probes_sent, probes_answered, up_seconds,
                                           down_seconds, unreachable_seconds)
                SELECT %1$s, h, 120, 360, 358, 3600 - (i %% 7) * 5, (i %% 7) * 4, (i %% 7)
                FROM generate_series(0, %2$d) i,
                     (SELECT generate_series(TIMESTAMPTZ '%3$s', TIMESTAMPTZ '%4$s', INTERVAL '1 hour')
                      UNION ALL SELECT generate_series(TIMESTAMPTZ '%5$s', TIMESTAMPTZ '%6$s', INTERVAL '1 hour')) AS hh(h)
                """.formatted(ids, devices - 1, first, first.plus(Duration.ofHours(23)), today,
                now.truncatedTo(ChronoUnit.HOURS)));
        // today's daily row, as the roll-up job keeps it: the sum of today's hours so far
        st.execute("""
                INSERT INTO device_daily (device_id, bucket, results, probes_sent, probes_answered, up_seconds,
                                          down_seconds, unreachable_seconds, unknown_seconds)
                SELECT device_id, TIMESTAMPTZ '%1$s', sum(results), sum(probes_sent), sum(probes_answered),
                       sum(up_seconds::numeric), sum(down_seconds::numeric), sum(unreachable_seconds::numeric),
                       sum(unknown_seconds::numeric)
                FROM device_hourly WHERE bucket >= TIMESTAMPTZ '%1$s' GROUP BY device_id
                """.formatted(today));
        // the report's roll-ups (V9) as the roll-up job builds them after an upgrade: day by day
        long t0 = System.nanoTime();
        long built = io.github.wardops.ward.postgres.internal.db.Rollups.backfillReport(ctx,
                today.plus(Duration.ofDays(1)));
        System.out.printf("built the report roll-ups of %d days in %.1f s%n", built, (System.nanoTime() - t0) / 1e9);
        st.execute("UPDATE rollup_progress SET rolled_to = '" + now.truncatedTo(ChronoUnit.HOURS) + "', report_ready = true");
        st.execute("VACUUM ANALYZE device_daily, device_hourly, state_changes, device_outage_daily");
    }
}
