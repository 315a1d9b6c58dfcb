package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The roll-ups (V7__rollups.sql) against the raw rows they come from: random results, state
 * changes and interface samples over two and a half days around the end of daylight saving time
 * in Europe (2026-03-29 01:00 UTC), with the database's time zone set to Europe/Berlin, so UTC
 * buckets are checked where local days have 23 hours. Every expected value is computed here in
 * Java from the rows the test wrote. Incremental runs (with late rows inside the look-back), a
 * re-run and a fresh backfill give the same rows. One embedded PostgreSQL for the class; a fake clock.
 */
class RollupsIT {
    static final Instant START = Instant.parse("2026-03-28T20:00:00Z");
    static final Instant NOW1 = Instant.parse("2026-03-29T09:40:00Z");
    static final Instant NOW2 = Instant.parse("2026-03-30T13:17:05Z");
    static final String[] STATUSES = {"UP", "DOWN", "UNREACHABLE", "UNKNOWN"};
    private static EmbeddedDatabase db;
    final ManualClock clock = new ManualClock(NOW1);
    PostgresStorage storage;

    record Ping(UUID device, Instant at, int sent, int received, Double min, Double avg, Double max) {
    }

    record Change(UUID device, Instant at, String status) {
    }

    record Sample(UUID device, int ifIndex, Instant at, Double inBps, Double outBps, Double inUtil, Double outUtil,
                  Double inErr, Double outErr, Double inDisc, Double outDisc) {
    }

    @BeforeAll
    static void startDatabase() throws SQLException {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-rollups"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // local days of 23 and 25 hours: buckets must stay UTC hours and days anyway
            st.execute("ALTER ROLE CURRENT_USER SET TimeZone = 'Europe/Berlin'");
        }
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void open() throws SQLException {
        PgSupport.reset(db);
        storage = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-rollups-spool"),
                new SimpleMeterRegistry()).clock(clock).build());
        storage.runMaintenance();
        exec("TRUNCATE device_hourly, device_daily, interface_hourly, interface_daily, device_outage_daily");
        exec("UPDATE rollup_progress SET rolled_to = NULL");
        for (String table : List.of("ping_results", "interface_samples")) {
            for (LocalDate d = LocalDate.parse("2026-03-28"); !d.isAfter(LocalDate.parse("2026-03-30")); d = d.plusDays(1)) {
                exec("CREATE TABLE IF NOT EXISTS " + table + "_p" + d.toString().replace("-", "") + " PARTITION OF "
                        + table + " FOR VALUES FROM ('" + d.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                        + d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
            }
        }
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void rollUpsEqualTheRawRowsIncrementallyAndAfterARerunAndABackfill() throws Exception {
        Random rnd = new Random(16);
        List<UUID> devices = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<Ping> pings = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (UUID d : devices) {
            for (Instant t = START.plusMillis(rnd.nextInt(30_000)); t.isBefore(NOW2); t = t.plusMillis(25_000 + rnd.nextInt(10_000))) {
                if (rnd.nextInt(50) == 0) {
                    continue; // a gap
                }
                int sent = 1 + rnd.nextInt(3);
                int received = rnd.nextInt(4) == 0 ? rnd.nextInt(sent + 1) : sent;
                if (received == 0) {
                    pings.add(new Ping(d, t, sent, 0, null, null, null));
                } else {
                    double min = 0.1 + rnd.nextDouble() * 20;
                    double max = min + rnd.nextDouble() * 30;
                    pings.add(new Ping(d, t, sent, received, min, min + (max - min) * rnd.nextDouble(), max));
                }
            }
            // the state before the window, then random changes (and an exact hour boundary)
            changes.add(new Change(d, START.minus(Duration.ofHours(5)), "UP"));
            changes.add(new Change(d, Instant.parse("2026-03-29T01:00:00Z"), "DOWN"));
            for (int i = 0; i < 25; i++) {
                long span = Duration.between(START, NOW2).toMillis();
                changes.add(new Change(d, START.plusMillis((long) (rnd.nextDouble() * span)), STATUSES[rnd.nextInt(4)]));
            }
            for (int ifIndex = 1; ifIndex <= 2; ifIndex++) {
                boolean first = true;
                for (Instant t = START.plusSeconds(rnd.nextInt(60)); t.isBefore(NOW2); t = t.plusSeconds(60)) {
                    boolean rates = !first && rnd.nextInt(20) != 0;
                    boolean util = rates && rnd.nextInt(10) != 0;
                    samples.add(new Sample(d, ifIndex, t,
                            rates ? rnd.nextDouble() * 1e9 : null, rates ? rnd.nextDouble() * 1e9 : null,
                            util ? rnd.nextDouble() * 100 : null, util ? rnd.nextDouble() * 100 : null,
                            rates ? rnd.nextDouble() * 3 : null, rates ? rnd.nextDouble() * 3 : null,
                            rates ? rnd.nextDouble() : null, rates ? rnd.nextDouble() : null));
                    first = false;
                }
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        // late rows: device 0's results of 08:00-09:00 arrive after the first run (within the look-back)
        Instant lateFrom = Instant.parse("2026-03-29T08:00:00Z");
        Instant lateTo = Instant.parse("2026-03-29T09:00:00Z");
        List<Ping> late = pings.stream()
                .filter(p -> p.device().equals(devices.get(0)) && !p.at().isBefore(lateFrom) && p.at().isBefore(lateTo)).toList();
        List<Ping> onTime = pings.stream().filter(p -> !late.contains(p)).toList();

        insertPings(onTime);
        insertChanges(changes);
        insertSamples(samples);
        // whatever the background run at open did, the first run now is a backfill
        exec("UPDATE rollup_progress SET rolled_to = NULL");
        RetentionReport first = storage.runMaintenance();
        assertTrue(first.rolledUpHours() >= 30 * 24, "the first run backfills the raw retention: " + first);
        insertPings(late);
        clock.set(NOW2);
        storage.runMaintenance();

        checkDevices(pings, changes);
        checkInterfaces(samples);
        String snapshot = snapshot();

        storage.runMaintenance();
        assertEquals(snapshot, snapshot(), "a re-run changes no roll-up");
        exec("UPDATE rollup_progress SET rolled_to = NULL");
        storage.runMaintenance();
        assertEquals(snapshot, snapshot(), "a fresh backfill gives the same roll-ups");
        exec("TRUNCATE device_hourly, device_daily, interface_hourly, interface_daily, device_outage_daily");
        exec("UPDATE rollup_progress SET rolled_to = NULL");
        storage.runMaintenance();
        assertEquals(snapshot, snapshot(), "a backfill into empty tables gives the same roll-ups");

        // UTC buckets: 2026-03-29 has 24 hourly buckets (the local day in Berlin has 23 hours)
        assertEquals(24, PgSupport.count(db, "SELECT count(*) FROM device_hourly WHERE device_id = '" + devices.get(1)
                + "' AND bucket >= '2026-03-29T00:00:00Z' AND bucket < '2026-03-30T00:00:00Z'"));
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM device_daily WHERE extract(epoch FROM bucket)::bigint % 86400 <> 0"));
    }

    @Test
    void rollUpsAndEventsExpireAfterTheirRetentionOpenAlertsStay() throws Exception {
        UUID d = UUID.randomUUID();
        Instant old = NOW1.minus(Duration.ofDays(401));
        Instant kept = NOW1.minus(Duration.ofDays(399));
        for (String table : List.of("device_hourly", "device_daily")) {
            for (Instant at : List.of(old, kept)) {
                exec("INSERT INTO " + table + " (device_id, bucket, results, probes_sent, probes_answered) VALUES ('" + d
                        + "', '" + at.truncatedTo(ChronoUnit.HOURS) + "', 1, 1, 1)");
            }
        }
        for (Instant at : List.of(old, kept)) {
            exec("INSERT INTO interface_hourly (device_id, if_index, bucket, samples) VALUES ('" + d + "', 1, '"
                    + at.truncatedTo(ChronoUnit.HOURS) + "', 1)");
            exec("INSERT INTO state_changes (device_id, at, from_status, to_status) VALUES ('" + d + "', '" + at
                    + "', 'UP', 'DOWN')");
            exec("INSERT INTO alerts (device_id, rule, severity, opened_at, since, resolved_at) VALUES ('" + d
                    + "', 'r" + at + "', 'critical', '" + at.minusSeconds(60) + "', '" + at.minusSeconds(60) + "', '" + at + "')");
        }
        exec("INSERT INTO alerts (device_id, rule, severity, opened_at, since) VALUES ('" + d + "', 'open', 'critical', '"
                + old.minus(Duration.ofDays(100)) + "', '" + old.minus(Duration.ofDays(100)) + "')");
        RetentionReport r = storage.runMaintenance();
        // the old roll-up rows (hourly, daily, interface), state change and resolved alert, and the old day's
        // outage boundaries (V9, built from that state change: a row for each outage definition)
        assertEquals(7, r.expiredRows(), r.toString());
        assertEquals(2, PgSupport.count(db, "SELECT count(*) FROM device_outage_daily"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM device_hourly"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM device_daily"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM interface_hourly"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM state_changes"));
        assertEquals(2, PgSupport.count(db, "SELECT count(*) FROM alerts"), "the resolved recent alert and the open one");
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE resolved_at IS NULL"));
    }

    @Test
    void thirtyDaysOfOneDeviceReadFromTheHourlyRollUps() throws Exception {
        // 30 days x 2,880 results (every 30 s) of one device; timings printed for docs/benchmarks.md
        UUID d = UUID.randomUUID();
        Instant now = Instant.parse("2026-03-30T00:00:00Z");
        Instant from = now.minus(Duration.ofDays(30));
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); day.isBefore(LocalDate.parse("2026-03-30")); day = day.plusDays(1)) {
            exec("CREATE TABLE IF NOT EXISTS ping_results_p" + day.toString().replace("-", "") + " PARTITION OF ping_results"
                    + " FOR VALUES FROM ('" + day.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                    + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
        }
        exec("INSERT INTO ping_results (device_id, check_name, at, status, sent, received, rtt_min_ms, rtt_avg_ms, rtt_max_ms) "
                + "SELECT '" + d + "', 'icmp', g, 'UP', 3, 3, 1, 2, 3 FROM generate_series(TIMESTAMPTZ '" + from
                + "', TIMESTAMPTZ '" + now + "' - INTERVAL '1 second', INTERVAL '30 seconds') g");
        exec("INSERT INTO state_changes (device_id, at, from_status, to_status) VALUES ('" + d + "', '"
                + from.minusSeconds(60) + "', 'UNKNOWN', 'UP')");
        clock.set(now.plusSeconds(1));
        exec("UPDATE rollup_progress SET rolled_to = NULL");
        long t0 = System.nanoTime();
        storage.runMaintenance();
        long backfillMs = (System.nanoTime() - t0) / 1_000_000;
        DeviceHistory.Series s = null;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t1 = System.nanoTime();
            s = storage.deviceHistory().read(d, from, now, Duration.ofHours(1));
            best = Math.min(best, System.nanoTime() - t1);
        }
        long t2 = System.nanoTime();
        DeviceHistory.Series rawDay = storage.deviceHistory().read(d, now.minus(Duration.ofDays(1)), now, Duration.ofMinutes(2));
        long rawMs = (System.nanoTime() - t2) / 1_000_000;
        System.out.printf("30 days of one device: backfill %d ms (86,400 raw rows); 720 hourly points read in %.1f ms;"
                + " 720 raw 2-minute points of a day in %d ms%n", backfillMs, best / 1e6, rawMs);
        assertEquals(DeviceHistory.Source.HOURLY, s.source());
        assertEquals(720, s.points().size());
        assertEquals(720, rawDay.points().size());
        for (DeviceHistory.Point p : s.points()) {
            assertEquals(0.0, p.lossPct());
            assertEquals(100.0, p.upPct());
            assertEquals(2.0, p.rttAvgMs(), 1e-12);
        }
        assertEquals(30, storage.deviceHistory().read(d, from, now, Duration.ofDays(1)).points().size());
    }

    // ---- expectations, computed from the rows written

    private static Instant hour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    private static Instant day(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    /** Columns: results, sent, answered, min, avg, max, weight, up, down, unreachable, unknown. */
    private void checkDevices(List<Ping> pings, List<Change> changes) throws SQLException {
        for (Function<Instant, Instant> bucketOf : List.<Function<Instant, Instant>>of(RollupsIT::hour, RollupsIT::day)) {
            boolean hourly = bucketOf.apply(Instant.parse("2026-03-29T05:00:00Z")).equals(Instant.parse("2026-03-29T05:00:00Z"));
            Duration width = hourly ? Duration.ofHours(1) : Duration.ofDays(1);
            Map<String, double[]> expected = new TreeMap<>();
            for (Ping p : pings) {
                double[] e = expected.computeIfAbsent(p.device() + "@" + bucketOf.apply(p.at()),
                        k -> new double[] {0, 0, 0, Double.NaN, 0, Double.NaN, 0, 0, 0, 0, 0});
                e[0]++;
                e[1] += p.sent();
                e[2] += p.received();
                if (p.avg() != null) {
                    e[3] = Double.isNaN(e[3]) ? p.min() : Math.min(e[3], p.min());
                    e[5] = Double.isNaN(e[5]) ? p.max() : Math.max(e[5], p.max());
                    e[4] += p.avg() * p.received();
                    e[6] += p.received();
                }
            }
            for (Map.Entry<String, double[]> en : expected.entrySet()) {
                double[] e = en.getValue();
                e[4] = e[6] == 0 ? Double.NaN : e[4] / e[6];
                UUID device = UUID.fromString(en.getKey().substring(0, 36));
                Instant b = Instant.parse(en.getKey().substring(37));
                // state seconds count in the hours that have results (a day sums its hours)
                List<Instant> hours = pings.stream().filter(p -> p.device().equals(device))
                        .map(p -> hour(p.at())).filter(h -> !h.isBefore(b) && h.isBefore(b.plus(width))).distinct().toList();
                List<Change> mine = changes.stream().filter(c -> c.device().equals(device)).toList();
                for (Instant h : hours) {
                    Instant hEnd = h.plus(Duration.ofHours(1));
                    for (int i = 0; i < mine.size(); i++) {
                        Instant s = mine.get(i).at();
                        Instant end = i + 1 < mine.size() ? mine.get(i + 1).at() : NOW2;
                        Instant from = s.isAfter(h) ? s : h;
                        Instant to = end.isBefore(hEnd) ? end : hEnd;
                        if (to.isAfter(NOW2)) {
                            to = NOW2;
                        }
                        if (to.isAfter(from)) {
                            int col = 7 + List.of(STATUSES).indexOf(mine.get(i).status());
                            e[col] += Duration.between(from, to).toNanos() / 1e9;
                        }
                    }
                }
            }
            Map<String, double[]> actual = read(hourly ? "device_hourly" : "device_daily", false,
                    "results, probes_sent, probes_answered, rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_weight, up_seconds, "
                            + "down_seconds, unreachable_seconds, unknown_seconds");
            compare(hourly ? "device_hourly" : "device_daily", expected, actual);
        }
        // loss is derived from the probes
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM device_hourly "
                + "WHERE abs(loss_pct - 100.0 * (probes_sent - probes_answered) / probes_sent) > 1e-9"));
    }

    /** Columns: samples, in avg, in max, out avg, out max, in util avg, in util max, out util avg, out util max, err in, err out, disc in, disc out. */
    private void checkInterfaces(List<Sample> samples) throws SQLException {
        for (boolean hourly : new boolean[] {true, false}) {
            Map<String, List<Sample>> groups = new TreeMap<>();
            for (Sample s : samples) {
                Instant b = hourly ? hour(s.at()) : day(s.at());
                groups.computeIfAbsent(s.device() + "/" + s.ifIndex() + "@" + b, k -> new ArrayList<>()).add(s);
            }
            Map<String, double[]> expected = new TreeMap<>();
            for (Map.Entry<String, List<Sample>> g : groups.entrySet()) {
                List<Sample> l = g.getValue();
                expected.put(g.getKey(), new double[] {l.size(),
                        avg(l, Sample::inBps), max(l, Sample::inBps), avg(l, Sample::outBps), max(l, Sample::outBps),
                        avg(l, Sample::inUtil), max(l, Sample::inUtil), avg(l, Sample::outUtil), max(l, Sample::outUtil),
                        avg(l, Sample::inErr), avg(l, Sample::outErr), avg(l, Sample::inDisc), avg(l, Sample::outDisc)});
            }
            Map<String, double[]> actual = read(hourly ? "interface_hourly" : "interface_daily", true,
                    "samples, in_bps_avg, in_bps_max, out_bps_avg, out_bps_max, in_util_pct_avg, in_util_pct_max, "
                            + "out_util_pct_avg, out_util_pct_max, in_errors_ps_avg, out_errors_ps_avg, in_discards_ps_avg, "
                            + "out_discards_ps_avg");
            compare(hourly ? "interface_hourly" : "interface_daily", expected, actual);
        }
    }

    private static double avg(List<Sample> l, Function<Sample, Double> f) {
        return l.stream().map(f).filter(x -> x != null).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double max(List<Sample> l, Function<Sample, Double> f) {
        return l.stream().map(f).filter(x -> x != null).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static void compare(String table, Map<String, double[]> expected, Map<String, double[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), table + ": the buckets");
        for (String k : expected.keySet()) {
            double[] e = expected.get(k);
            double[] a = actual.get(k);
            for (int i = 0; i < e.length; i++) {
                boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                        : Math.abs(e[i] - a[i]) <= 1e-6 * Math.max(1, Math.abs(e[i]));
                assertTrue(same, table + " " + k + " column " + i + ": expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    private Map<String, double[]> read(String table, boolean ifIndex, String columns) throws SQLException {
        Map<String, double[]> out = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT device_id" + (ifIndex ? ", if_index" : "") + ", bucket, " + columns
                     + " FROM " + table)) {
            int first = ifIndex ? 4 : 3;
            int n = rs.getMetaData().getColumnCount() - first + 1;
            while (rs.next()) {
                String key = rs.getString(1) + (ifIndex ? "/" + rs.getInt(2) : "") + "@"
                        + rs.getTimestamp(first - 1).toInstant();
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    double x = rs.getDouble(first + i);
                    v[i] = rs.wasNull() ? Double.NaN : x;
                }
                out.put(key, v);
            }
        }
        return out;
    }

    private String snapshot() throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (String table : List.of("device_hourly", "device_daily", "interface_hourly", "interface_daily",
                "device_outage_daily")) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2, 3")) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    sb.append(table);
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        sb.append(',').append(rs.getString(i));
                    }
                    sb.append('\n');
                }
            }
        }
        assertTrue(sb.length() > 1000, "the roll-ups are not empty");
        return sb.toString();
    }

    // ---- writing raw rows

    private void exec(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void insertPings(List<Ping> pings) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ping_results (device_id, check_name, at, status, sent, received, rtt_min_ms, rtt_avg_ms, "
                        + "rtt_max_ms) VALUES (?, 'icmp', ?, ?, ?, ?, ?, ?, ?)")) {
            for (Ping p : pings) {
                ps.setObject(1, p.device());
                ps.setTimestamp(2, Timestamp.from(p.at()));
                ps.setString(3, p.received() > 0 ? "UP" : "DOWN");
                ps.setShort(4, (short) p.sent());
                ps.setShort(5, (short) p.received());
                ps.setObject(6, p.min());
                ps.setObject(7, p.avg());
                ps.setObject(8, p.max());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertChanges(List<Change> changes) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO state_changes (device_id, at, from_status, to_status) VALUES (?, ?, 'UNKNOWN', ?)")) {
            for (Change ch : changes) {
                ps.setObject(1, ch.device());
                ps.setTimestamp(2, Timestamp.from(ch.at()));
                ps.setString(3, ch.status());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertSamples(List<Sample> samples) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO interface_samples (device_id, if_index, at, in_bps, out_bps, in_util_pct, out_util_pct, "
                        + "in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Sample s : samples) {
                ps.setObject(1, s.device());
                ps.setInt(2, s.ifIndex());
                ps.setTimestamp(3, Timestamp.from(s.at()));
                ps.setObject(4, s.inBps());
                ps.setObject(5, s.outBps());
                ps.setObject(6, s.inUtil());
                ps.setObject(7, s.outUtil());
                ps.setObject(8, s.inErr());
                ps.setObject(9, s.outErr());
                ps.setObject(10, s.inDisc());
                ps.setObject(11, s.outDisc());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
