package io.github.wardops.ward.postgres;

import io.github.wardops.ward.postgres.PgSupport.Change;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.postgres.internal.db.AvailabilitySql;
import io.github.wardops.ward.postgres.internal.db.Rollups;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report's roll-ups (V9: {@code device_outage_daily} and the running totals of
 * {@code device_daily}) against the raw state changes they come from, and the report read from
 * them against the report read as before V9 on the same rows. Random state changes over four days
 * around the end of daylight saving time in Europe (2026-03-29 01:00 UTC, the database's time zone
 * Europe/Berlin), with changes exactly at UTC midnight and at the DST switch, several at one
 * instant, flapping ones (from = to), chains broken on purpose (a from_status that is not the
 * previous to_status), and a device with state changes but no results at all. One embedded
 * PostgreSQL for the class; a fake clock.
 */
class ReportRollupsIT {
    static final Instant START = Instant.parse("2026-03-27T20:00:00Z");
    static final Instant NOW1 = Instant.parse("2026-03-29T09:40:00Z");
    static final Instant NOW2 = Instant.parse("2026-03-31T13:17:05.250Z");
    static final String[] STATUSES = {"UP", "DOWN", "UNREACHABLE", "UNKNOWN"};
    private static EmbeddedDatabase db;
    final ManualClock clock = new ManualClock(NOW1);
    PostgresStorage storage;
    DSLContext ctx;


    @BeforeAll
    static void startDatabase() throws SQLException {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-report-rollups"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // local days of 23 and 25 hours: the buckets must stay UTC days anyway
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
        storage = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-report-rollups-spool"),
                new SimpleMeterRegistry()).clock(clock).build());
        storage.runMaintenance();
        ctx = DSL.using(db.dataSource(), SQLDialect.POSTGRES);
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL");
        for (LocalDate d = LocalDate.parse("2026-03-27"); !d.isAfter(LocalDate.parse("2026-03-31")); d = d.plusDays(1)) {
            PgSupport.exec(db, "CREATE TABLE IF NOT EXISTS ping_results_p" + d.toString().replace("-", "") + " PARTITION OF ping_results"
                    + " FOR VALUES FROM ('" + d.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                    + d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
        }
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void outageDaysAndTotalsEqualTheRawRowsIncrementallyAfterARerunAndAnUpgradeBackfill() throws Exception {
        Random rnd = new Random(916);
        List<Change> changes = new ArrayList<>();
        List<Object[]> pings = new ArrayList<>();
        List<UUID> devices = randomRows(rnd, 7, changes, pings);
        // the first run at NOW1 sees the rows up to then; the rest arrive later (some late, within the look-back)
        Instant cut = NOW1.minus(Duration.ofMinutes(30));
        List<Change> early = changes.stream().filter(c -> c.at().isBefore(cut)).toList();
        List<Change> later = changes.stream().filter(c -> !c.at().isBefore(cut)).toList();
        PgSupport.insertPings(db, pings.stream().filter(p -> ((Instant) p[1]).isBefore(NOW1)).toList());
        PgSupport.insertChanges(db, early);
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL"); // whatever the background run at open did
        storage.runMaintenance();
        assertEquals(expectedOutageDays(early), outageDays(), "after the first run");
        PgSupport.insertPings(db, pings.stream().filter(p -> !((Instant) p[1]).isBefore(NOW1)).toList());
        PgSupport.insertChanges(db, later);
        clock.set(NOW2);
        storage.runMaintenance();
        List<Change> all = new ArrayList<>(early);
        all.addAll(later);
        Map<String, String> expected = expectedOutageDays(all);
        assertEquals(expected, outageDays(), "incrementally");
        assertTrue(expected.size() > 20, "boundaries on many days: " + expected.size());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith(devices.getLast().toString())),
                "the device without results has outage days");
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM device_daily WHERE device_id = '" + devices.getLast() + "'"));
        checkTotals();
        String snapshot = snapshot();

        storage.runMaintenance();
        assertEquals(snapshot, snapshot(), "a re-run changes nothing");
        // the state right after the upgrade to V9: no outage days, no totals, not ready; the first run builds them
        PgSupport.exec(db, "DELETE FROM device_outage_daily");
        PgSupport.exec(db, "UPDATE device_daily SET cum_up_seconds = NULL, cum_down_seconds = NULL, cum_unreachable_seconds = NULL,"
                + " cum_unknown_seconds = NULL");
        PgSupport.exec(db, "UPDATE rollup_progress SET report_ready = false");
        storage.runMaintenance();
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM rollup_progress WHERE report_ready"));
        assertEquals(snapshot, snapshot(), "the upgrade backfill gives the same rows");
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL");
        storage.runMaintenance();
        assertEquals(snapshot, snapshot(), "a full re-roll gives the same rows");
        // the expiry: the report's roll-ups go with the roll-ups' retention
        long before = PgSupport.count(db, "SELECT count(*) FROM device_outage_daily WHERE bucket < '2026-03-29T00:00:00Z'");
        assertTrue(before > 0);
        long gone = Rollups.expire(ctx, Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
        assertTrue(gone >= before, gone + " >= " + before);
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM device_outage_daily WHERE bucket < '2026-03-29T00:00:00Z'"));
    }

    @Test
    void theReportReadsTheSameFiguresFromTheReportRollupsAsFromEveryRow() throws Exception {
        Random rnd = new Random(1717);
        List<Change> changes = new ArrayList<>();
        List<Object[]> pings = new ArrayList<>();
        List<UUID> devices = randomRows(rnd, 9, changes, pings);
        PgSupport.insertPings(db, pings);
        PgSupport.insertChanges(db, changes);
        // a saved current state for some (the time not rolled up yet starts from it)
        for (int i = 0; i < devices.size(); i += 2) {
            PgSupport.exec(db, "INSERT INTO device_state (device_id, status, updated_at) VALUES ('" + devices.get(i) + "', 'DOWN', now())");
        }
        clock.set(NOW2);
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL"); // whatever the background run at open did
        storage.runMaintenance();
        Map<UUID, String> byDevice = new LinkedHashMap<>();
        Map<UUID, String> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            byDevice.put(devices.get(i), devices.get(i).toString());
            byGroup.put(devices.get(i), "g" + (i % 3));
        }
        byDevice.put(UUID.randomUUID(), "never probed");
        List<Instant[]> ranges = new ArrayList<>(List.of(
                new Instant[] {Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")},
                new Instant[] {Instant.parse("2026-03-27T00:00:00Z"), NOW2.plus(Duration.ofDays(1))},
                new Instant[] {Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")},
                new Instant[] {Instant.parse("2026-03-28T13:37:13Z"), Instant.parse("2026-03-30T22:10:00Z")},
                new Instant[] {Instant.parse("2026-03-29T00:30:00Z"), Instant.parse("2026-03-29T01:30:00Z")},
                new Instant[] {Instant.parse("2026-03-30T23:59:59Z"), NOW2}));
        long span = Duration.between(START, NOW2).toSeconds();
        for (int k = 0; k < 14; k++) {
            Instant a = START.plusSeconds(rnd.nextLong(span));
            ranges.add(new Instant[] {a, a.plusSeconds(1 + rnd.nextLong(k % 2 == 0 ? 3 * 86400 : 7200))});
        }
        int compared = 0;
        int withOutages = 0;
        for (Instant rolled : List.of(NOW2.truncatedTo(ChronoUnit.HOURS), NOW2.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(30)))) {
            PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = '" + rolled + "'");
            for (Instant[] r : ranges) {
                Instant end = r[1].isAfter(NOW2) ? NOW2 : r[1];
                for (boolean down : new boolean[] {false, true}) {
                    for (Map<UUID, String> groups : List.of(byDevice, byGroup)) {
                        Result<Record> now = read(r[0], end, groups, down, false);
                        Result<Record> old = read(r[0], end, groups, down, true);
                        String where = "[" + r[0] + ", " + end + ") unreachable=down " + down + " rolled to " + rolled;
                        assertEquals(old.size(), now.size(), where);
                        for (int i = 0; i < old.size(); i++) {
                            assertSameRow(old.get(i), now.get(i), where);
                            compared++;
                            if (old.get(i).get("outages", Long.class) > 0) {
                                withOutages++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared > 500 && withOutages > 100, compared + " rows, " + withOutages + " with outages");
    }

    @Test
    void malformedRowsGiveAClearErrorNotAWrongReport() throws Exception {
        UUID d = UUID.randomUUID();
        storage.runMaintenance(); // the roll-ups' progress: whole days are read from them
        // a state change with a status the report does not know: refused, naming the check
        SQLException bad = assertThrows(SQLException.class, () -> PgSupport.exec(db, "INSERT INTO state_changes (device_id, at,"
                + " from_status, to_status) VALUES ('" + d + "', '2026-03-28T10:00:00Z', 'UP', 'BROKEN')"));
        assertTrue(bad.getMessage().contains("state_changes_to_status_check"), bad.getMessage());
        // an outage day that cannot be (its first boundary the day before): refused
        SQLException day = assertThrows(SQLException.class, () -> PgSupport.exec(db, "INSERT INTO device_outage_daily (device_id, bucket,"
                + " unreachable_down, entries, first_at, first_in, last_at, last_in) VALUES ('" + d
                + "', '2026-03-28T00:00:00Z', false, 1, '2026-03-27T23:00:00Z', true, '2026-03-28T01:00:00Z', true)"));
        assertTrue(day.getMessage().contains("device_outage_daily"), day.getMessage());
        // a daily row written behind the roll-up job's back (no running totals): the read fails and says why
        PgSupport.exec(db, "INSERT INTO device_daily (device_id, bucket, results, probes_sent, probes_answered, up_seconds)"
                + " VALUES ('" + d + "', '2026-03-20T00:00:00Z', 10, 10, 10, 86400)");
        clock.set(NOW2);
        Exception e = assertThrows(Exception.class, () -> storage.availability().read(new AvailabilityReport.Query(
                Instant.parse("2026-03-19T00:00:00Z"), Instant.parse("2026-03-22T00:00:00Z"), Map.of(d, "g"),
                AvailabilityReport.Unreachable.EXCLUDED, AvailabilityReport.Sort.GROUP, false, 0, 10)));
        String msg = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(msg.contains("no running totals for device " + d), msg);
        // once the job has built them, the same read is right
        Rollups.backfillReport(ctx, Instant.parse("2026-03-22T00:00:00Z"));
        AvailabilityReport.Row row = storage.availability().read(new AvailabilityReport.Query(
                Instant.parse("2026-03-19T00:00:00Z"), Instant.parse("2026-03-22T00:00:00Z"), Map.of(d, "g"),
                AvailabilityReport.Unreachable.EXCLUDED, AvailabilityReport.Sort.GROUP, false, 0, 10)).rows().getFirst();
        assertEquals(86400.0, row.upSeconds(), 1e-9);
        assertEquals(0, row.outages());
    }

    /**
     * Random rows for {@code n} devices from START to NOW2: results with whole hours missing (the
     * last device none at all) and state changes as the class javadoc says.
     */
    private static List<UUID> randomRows(Random rnd, int n, List<Change> changes, List<Object[]> pings) {
        List<UUID> devices = new ArrayList<>();
        long span = Duration.between(START, NOW2).toMillis();
        for (int i = 0; i < n; i++) {
            UUID d = UUID.randomUUID();
            devices.add(d);
            if (i < n - 1) {
                Instant skipped = null;
                for (Instant t = START.plusMillis(rnd.nextInt(30_000)); t.isBefore(NOW2); t = t.plusMillis(50_000 + rnd.nextInt(20_000))) {
                    Instant h = t.truncatedTo(ChronoUnit.HOURS);
                    if (h.equals(skipped) || rnd.nextInt(200) == 0) {
                        skipped = h; // the rest of the hour without results
                        continue;
                    }
                    pings.add(new Object[] {d, t});
                }
            }
            List<Instant> ats = new ArrayList<>();
            for (int k = 0; k < 30 + rnd.nextInt(30); k++) {
                ats.add(START.plusMillis((long) (rnd.nextDouble() * span)));
            }
            ats.add(Instant.parse("2026-03-28T00:00:00Z"));
            ats.add(Instant.parse("2026-03-29T00:00:00Z"));
            ats.add(Instant.parse("2026-03-29T01:00:00Z")); // the DST switch in Europe
            ats.add(Instant.parse("2026-03-30T00:00:00Z"));
            ats.add(Instant.parse("2026-03-30T23:59:59.999999Z"));
            ats.sort(null);
            String cur = rnd.nextBoolean() ? "UP" : "DOWN";
            changes.add(new Change(d, START.minus(Duration.ofHours(7)), "UNKNOWN", cur));
            for (Instant at : ats) {
                int kind = rnd.nextInt(14);
                String next = STATUSES[rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : rnd.nextInt(2)];
                if (kind == 0) {
                    changes.add(new Change(d, at, cur, cur)); // flapping: from = to
                } else if (kind == 1) {
                    // a chain broken on purpose: the from_status is not the status the device was in
                    String from = STATUSES[rnd.nextInt(4)];
                    changes.add(new Change(d, at, from, next));
                    cur = next;
                } else if (kind == 2) {
                    // two changes at one instant (ordered by id)
                    String mid = cur.equals("DOWN") ? "UP" : "DOWN";
                    changes.add(new Change(d, at, cur, mid));
                    changes.add(new Change(d, at, mid, next.equals(mid) ? cur : next));
                    cur = next.equals(mid) ? cur : next;
                } else {
                    changes.add(new Change(d, at, cur, next));
                    cur = next;
                }
            }
        }
        return devices;
    }

    /** device|day|mode -> entries|first_at|first_in|last_at|last_in|longest, from the changes in id order. */
    private static Map<String, String> expectedOutageDays(List<Change> changes) {
        Map<String, String> out = new TreeMap<>();
        for (boolean mode : new boolean[] {false, true}) {
            Set<String> outage = mode ? Set.of("DOWN", "UNREACHABLE") : Set.of("DOWN");
            Map<String, List<Change>> byDay = new TreeMap<>();
            List<Change> sorted = new ArrayList<>(changes); // stable: same instant keeps the id order
            sorted.sort(Comparator.comparing(Change::at));
            for (Change c : sorted) {
                if (outage.contains(c.from()) != outage.contains(c.to())) {
                    byDay.computeIfAbsent(c.device() + "|" + c.at().truncatedTo(ChronoUnit.DAYS) + "|" + mode,
                            k -> new ArrayList<>()).add(c);
                }
            }
            for (Map.Entry<String, List<Change>> e : byDay.entrySet()) {
                List<Change> b = e.getValue();
                int entries = 0;
                Double longest = null;
                for (int i = 0; i < b.size(); i++) {
                    boolean in = outage.contains(b.get(i).to());
                    if (in) {
                        entries++;
                        if (i + 1 < b.size()) {
                            double len = Duration.between(b.get(i).at(), b.get(i + 1).at()).toNanos() / 1e9;
                            longest = longest == null ? len : Math.max(longest, len);
                        }
                    }
                }
                out.put(e.getKey(), entries + "|" + b.getFirst().at() + "|" + outage.contains(b.getFirst().to()) + "|"
                        + b.getLast().at() + "|" + outage.contains(b.getLast().to()) + "|"
                        + (longest == null ? "null" : String.format("%.6f", longest)));
            }
        }
        return out;
    }

    private Map<String, String> outageDays() {
        Map<String, String> out = new TreeMap<>();
        for (Record r : ctx.fetch("SELECT * FROM device_outage_daily")) {
            Double longest = r.get("longest_seconds", Double.class);
            out.put(r.get("device_id", UUID.class) + "|" + r.get("bucket", OffsetDateTime.class).toInstant() + "|"
                    + r.get("unreachable_down", Boolean.class),
                    r.get("entries", Integer.class) + "|" + r.get("first_at", OffsetDateTime.class).toInstant() + "|"
                    + r.get("first_in", Boolean.class) + "|" + r.get("last_at", OffsetDateTime.class).toInstant() + "|"
                    + r.get("last_in", Boolean.class) + "|" + (longest == null ? "null" : String.format("%.6f", longest)));
        }
        return out;
    }

    /** Every daily row's running totals are its device's sums up to it. */
    private void checkTotals() {
        Map<UUID, double[]> sums = new LinkedHashMap<>();
        int rows = 0;
        for (Record r : ctx.fetch("SELECT * FROM device_daily ORDER BY device_id, bucket")) {
            double[] s = sums.computeIfAbsent(r.get("device_id", UUID.class), k -> new double[4]);
            String[] cols = {"up", "down", "unreachable", "unknown"};
            for (int i = 0; i < 4; i++) {
                s[i] += r.get(cols[i] + "_seconds", Double.class);
                java.math.BigDecimal cum = r.get("cum_" + cols[i] + "_seconds", java.math.BigDecimal.class);
                assertNotNull(cum, r.toString());
                assertEquals(s[i], cum.doubleValue(), 1e-6, cols[i] + " " + r);
            }
            rows++;
        }
        assertTrue(rows > 20, "daily rows: " + rows);
    }

    private Result<Record> read(Instant from, Instant end, Map<UUID, String> groups, boolean down, boolean before) {
        UUID[] ids = groups.keySet().toArray(UUID[]::new);
        String[] gs = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            gs[i] = groups.get(ids[i]);
        }
        return ctx.transactionResult(cfg -> {
            AvailabilitySql.configure(cfg.dsl(), AvailabilityReport.WORK_MEM_MB);
            return before
                    ? AvailabilitySql.runWithoutReportRollups(cfg.dsl(), from, end, ids, gs, down, "grp", false, 0, 100)
                    : AvailabilitySql.run(cfg.dsl(), from, end, ids, gs, down, "grp", false, 0, 100);
        });
    }

    private static void assertSameRow(Record old, Record now, String where) {
        String w = where + " group " + old.get("grp");
        assertEquals(old.get("grp", String.class), now.get("grp", String.class), w);
        assertEquals(old.get("devices", Long.class), now.get("devices", Long.class), w + " devices");
        assertEquals(old.get("outages", Long.class), now.get("outages", Long.class), w + " outages");
        assertEquals(old.get("total", Long.class), now.get("total", Long.class), w + " total");
        for (String c : List.of("pct", "up", "down", "unr", "unk", "downtime", "mttr", "longest")) {
            Double a = old.get(c, Double.class);
            Double b = now.get(c, Double.class);
            if (a == null || b == null) {
                assertEquals(a, b, w + " " + c);
            } else {
                assertEquals(a, b, 1e-6 * Math.max(1, Math.abs(a)), w + " " + c);
            }
        }
    }

    private String snapshot() throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (String table : List.of("device_daily", "device_outage_daily")) {
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
}
