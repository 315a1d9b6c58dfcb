package io.github.wardops.ward.postgres;

import io.github.wardops.ward.postgres.PgSupport.Change;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.postgres.AvailabilityReport.Query;
import io.github.wardops.ward.postgres.AvailabilityReport.Row;
import io.github.wardops.ward.postgres.AvailabilityReport.Sort;
import io.github.wardops.ward.postgres.AvailabilityReport.Unreachable;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The availability report (docs/availability.md) against figures computed here in Java from the
 * rows the test wrote: random results (with whole hours missing, which are not monitored) and
 * random state changes (every status, repeated statuses, changes on hour boundaries) over two and
 * a half days, read over ranges that cross hours and days, are whole days, lie within one hour or
 * run past now; with UNREACHABLE left out and counted as down; with the roll-ups up to date and
 * lagging five hours behind. One embedded PostgreSQL for the class; a fake clock.
 */
class AvailabilityIT {
    static final Instant START = Instant.parse("2026-03-28T20:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-31T10:23:17.250Z");
    static final String[] STATUSES = {"UP", "DOWN", "UNREACHABLE", "UNKNOWN"};
    private static EmbeddedDatabase db;
    final ManualClock clock = new ManualClock(NOW);
    PostgresStorage storage;


    record Seg(Instant from, Instant to, String status) {
    }

    /** Per device: its status segments and the hours it had results in. */
    final Map<UUID, List<Seg>> segments = new HashMap<>();
    final Map<UUID, Set<Instant>> pingHours = new HashMap<>();
    final Map<UUID, String> groups = new LinkedHashMap<>();

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-availability"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void open() throws SQLException {
        PgSupport.reset(db);
        storage = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-availability-spool"),
                new SimpleMeterRegistry()).clock(clock).build());
        storage.runMaintenance();
        for (LocalDate d = LocalDate.parse("2026-03-28"); !d.isAfter(LocalDate.parse("2026-03-31")); d = d.plusDays(1)) {
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
    void figuresEqualTheOnesComputedFromTheRowsOverRangesCrossingHoursAndDays() throws Exception {
        Random rnd = new Random(1616);
        List<Change> changes = new ArrayList<>();
        List<Object[]> pings = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID d = UUID.randomUUID();
            groups.put(d, i < 3 ? "g1" : i < 5 ? "g2" : i == 5 ? "" : "g2");
            if (i == 6) {
                continue; // in the inventory, never probed: counts as a device, with no time
            }
            Set<Instant> hours = new HashSet<>();
            Set<Instant> skipped = new HashSet<>();
            for (Instant t = START.plusMillis(rnd.nextInt(30_000)); t.isBefore(NOW); t = t.plusMillis(25_000 + rnd.nextInt(10_000))) {
                Instant h = t.truncatedTo(ChronoUnit.HOURS);
                if (!hours.contains(h) && !skipped.contains(h) && rnd.nextInt(8) == 0) {
                    skipped.add(h); // a whole hour without results: not monitored
                }
                if (skipped.contains(h)) {
                    continue;
                }
                hours.add(h);
                pings.add(new Object[] {d, t});
            }
            pingHours.put(d, hours);
            List<Instant> ats = new ArrayList<>();
            long span = Duration.between(START, NOW).toMillis();
            for (int k = 0; k < 40; k++) {
                ats.add(START.plusMillis((long) (rnd.nextDouble() * span)));
            }
            // changes exactly on hour and day boundaries
            ats.add(Instant.parse("2026-03-29T00:00:00Z"));
            ats.add(Instant.parse("2026-03-30T05:00:00Z"));
            ats.sort(null);
            String cur = "UP";
            List<Seg> segs = new ArrayList<>();
            Instant segStart = START.minus(Duration.ofHours(5));
            changes.add(new Change(d, segStart, "UNKNOWN", "UP"));
            for (Instant at : ats) {
                String next = rnd.nextInt(10) == 0 ? cur : STATUSES[rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : rnd.nextInt(2)];
                changes.add(new Change(d, at, cur, next));
                if (!next.equals(cur)) {
                    segs.add(new Seg(segStart, at, cur));
                    segStart = at;
                    cur = next;
                }
            }
            segs.add(new Seg(segStart, NOW, cur));
            segments.put(d, segs);
        }
        PgSupport.insertPings(db, pings);
        PgSupport.insertChanges(db, changes);
        // a saved current state for some devices (the runner's state store): the time not rolled up yet
        // starts from it; the others from their last change
        int saved = 0;
        for (Map.Entry<UUID, List<Seg>> e : segments.entrySet()) {
            if (saved++ % 2 == 0) {
                PgSupport.exec(db, "INSERT INTO device_state (device_id, status, updated_at) VALUES ('" + e.getKey() + "', '"
                        + e.getValue().getLast().status() + "', now())");
            }
        }
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL");
        storage.runMaintenance();
        Instant rolled = NOW.truncatedTo(ChronoUnit.HOURS);
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM rollup_progress WHERE rolled_to = '" + rolled + "'"));

        List<Instant[]> ranges = new ArrayList<>(List.of(
                new Instant[] {START.plusSeconds(37 * 60 + 13), NOW.plus(Duration.ofHours(2))},
                new Instant[] {Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")},
                new Instant[] {Instant.parse("2026-03-29T05:10:00Z"), Instant.parse("2026-03-29T05:50:00Z")},
                new Instant[] {Instant.parse("2026-03-29T23:30:00Z"), Instant.parse("2026-03-30T01:15:00Z")},
                new Instant[] {Instant.parse("2026-03-31T09:59:00Z"), Instant.parse("2026-03-31T10:20:00Z")},
                new Instant[] {Instant.parse("2026-03-30T22:00:00Z"), NOW}));
        long span = Duration.between(START, NOW).toSeconds();
        for (int k = 0; k < 12; k++) {
            Instant a = START.plusSeconds(rnd.nextLong(span));
            Instant b = a.plusSeconds(1 + rnd.nextLong(k % 2 == 0 ? 7200 : span));
            ranges.add(new Instant[] {a, b});
        }
        for (Instant[] r : ranges) {
            for (Unreachable u : Unreachable.values()) {
                check(r[0], r[1], u, rolled);
            }
        }
        // the roll-ups five hours behind: those hours are read from the state changes
        Instant lagging = rolled.minus(Duration.ofHours(5));
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = '" + lagging + "'");
        for (Instant[] r : ranges) {
            check(r[0], r[1], Unreachable.EXCLUDED, lagging);
        }
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = '" + rolled + "'");

        // per device, sorted and paged
        Map<UUID, String> byDevice = new LinkedHashMap<>();
        groups.keySet().forEach(d -> byDevice.put(d, d.toString()));
        Instant f = ranges.get(0)[0];
        Instant t = ranges.get(0)[1];
        List<Row> all = storage.availability().read(new Query(f, t, byDevice, Unreachable.EXCLUDED, Sort.AVAILABILITY,
                false, 0, 100)).rows();
        assertEquals(7, all.size());
        for (int i = 1; i < all.size(); i++) {
            Double prev = all.get(i - 1).availabilityPct();
            Double cur = all.get(i).availabilityPct();
            assertTrue(cur == null || prev != null && prev <= cur, "worst first, unknown last: " + all);
        }
        assertNull(all.getLast().availabilityPct(), "the device never probed has no availability");
        AvailabilityReport.Report page = storage.availability().read(new Query(f, t, byDevice, Unreachable.EXCLUDED,
                Sort.DOWNTIME, true, 2, 3));
        assertEquals(7, page.groups());
        assertEquals(3, page.rows().size());
        List<Row> byDowntime = new ArrayList<>(all);
        byDowntime.sort((x, y) -> x.downtimeSeconds() != y.downtimeSeconds()
                ? Double.compare(y.downtimeSeconds(), x.downtimeSeconds()) : x.group().compareTo(y.group()));
        assertEquals(byDowntime.subList(2, 5).stream().map(Row::group).toList(), page.rows().stream().map(Row::group).toList());
        assertEquals(t.isAfter(NOW) ? NOW : t, page.to(), "read up to now");
        assertThrows(IllegalArgumentException.class, () -> new Query(t, f, byDevice, Unreachable.EXCLUDED, Sort.GROUP, false, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Query(f, t, byDevice, Unreachable.EXCLUDED, Sort.GROUP, false, 0, AvailabilityReport.MAX_ROWS + 1));
    }

    @Test
    void wholeDaysAreReadFromTheReportRollupsWithoutAnyStateChange() throws Exception {
        // V9: whole days from 2 device_daily rows a device (the running totals) and the outage boundaries
        // from device_outage_daily, both built by the roll-up job: no read of state_changes at all
        UUID d = UUID.randomUUID();
        PgSupport.exec(db, "INSERT INTO device_daily (device_id, bucket, results, probes_sent, probes_answered, up_seconds, down_seconds)"
                + " SELECT '" + d + "', g, 2880, 8640, 8600, 86000, 400 FROM generate_series(TIMESTAMPTZ '2026-03-01',"
                + " TIMESTAMPTZ '2026-03-27', INTERVAL '1 day') g");
        PgSupport.exec(db, "INSERT INTO state_changes (device_id, at, from_status, to_status) VALUES ('" + d
                + "', '2026-03-02T10:00:00Z', 'UP', 'DOWN'), ('" + d + "', '2026-03-02T10:06:40Z', 'DOWN', 'UP')");
        org.jooq.DSLContext ctx = org.jooq.impl.DSL.using(db.dataSource(), org.jooq.SQLDialect.POSTGRES);
        // the rows above were written behind the job's back: build the report's roll-ups as the job does
        io.github.wardops.ward.postgres.internal.db.Rollups.backfillReport(ctx, Instant.parse("2026-03-28T00:00:00Z"));
        PgSupport.exec(db, "VACUUM ANALYZE device_daily, state_changes, device_outage_daily");
        var s = io.github.wardops.ward.postgres.internal.db.AvailabilitySql.statement(ctx,
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-28T00:00:00Z"), new UUID[] {d},
                new String[] {"g"}, false, "pct", false, 0, 10);
        String plan = ctx.transactionResult(cfg -> {
            io.github.wardops.ward.postgres.internal.db.AvailabilitySql.configure(cfg.dsl(), AvailabilityReport.WORK_MEM_MB);
            StringBuilder b = new StringBuilder();
            b.append("enable_seqscan ").append(cfg.dsl().fetchValue("SHOW enable_seqscan")).append('\n');
            for (org.jooq.Record line : cfg.dsl().fetch("EXPLAIN " + s.sql(), s.binds())) {
                b.append(line.get(0)).append('\n');
            }
            return b.toString();
        });
        assertTrue(plan.startsWith("enable_seqscan on\n"), "no planner override any more: " + plan);
        assertTrue(plan.contains("device_outage_daily"), plan);
        assertTrue(!plan.contains("state_changes"), plan);
        Row r = storage.availability().read(new Query(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-28T00:00:00Z"), Map.of(d, "g"), Unreachable.EXCLUDED, Sort.GROUP, false, 0, 10))
                .rows().getFirst();
        assertEquals(27 * 86000.0, r.upSeconds(), 1e-6);
        assertEquals(1, r.outages());
        assertEquals(400.0, r.longestOutageSeconds(), 1e-6);
        // a range that starts and ends on a day without a row of the device: its nearest rows inside the range
        PgSupport.exec(db, "DELETE FROM device_daily WHERE device_id = '" + d + "' AND bucket IN ('2026-03-01', '2026-03-27')");
        Row inner = storage.availability().read(new Query(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-28T00:00:00Z"), Map.of(d, "g"), Unreachable.EXCLUDED, Sort.GROUP, false, 0, 10))
                .rows().getFirst();
        assertEquals(25 * 86000.0, inner.upSeconds(), 1e-6);
        assertEquals(25 * 400.0, inner.downSeconds(), 1e-6);
    }

    /** Compares every group's figures with the ones computed from the segments. */
    private void check(Instant from, Instant to, Unreachable u, Instant rolled) {
        Instant end = to.isAfter(NOW) ? NOW : to;
        Set<String> out = u == Unreachable.DOWN ? Set.of("DOWN", "UNREACHABLE") : Set.of("DOWN");
        Map<String, double[]> expected = new TreeMap<>(); // devices, up, down, unr, unk, downtime, outages, longest
        for (Map.Entry<UUID, String> g : groups.entrySet()) {
            double[] e = expected.computeIfAbsent(g.getValue(), k -> new double[8]);
            e[0]++;
            List<Seg> segs = segments.getOrDefault(g.getKey(), List.of());
            Set<Instant> hours = pingHours.getOrDefault(g.getKey(), Set.of());
            double[] secs = new double[4];
            for (Seg s : segs) {
                Instant a = max(s.from(), from);
                Instant b = min(s.to(), end);
                // split at hours: an hour before the roll-ups' end counts only when it had results
                while (a.isBefore(b)) {
                    Instant h = a.truncatedTo(ChronoUnit.HOURS);
                    Instant c = min(h.plus(Duration.ofHours(1)), b);
                    if (!h.isBefore(rolled) || hours.contains(h)) {
                        secs[List.of(STATUSES).indexOf(s.status())] += Duration.between(a, c).toNanos() / 1e9;
                    }
                    a = c;
                }
            }
            double downtime = secs[1] + (u == Unreachable.DOWN ? secs[2] : 0);
            // outages: runs of outage statuses, clipped to the range
            List<double[]> outages = new ArrayList<>();
            Instant runStart = null;
            Instant runEnd = null;
            for (Seg s : segs) {
                if (out.contains(s.status())) {
                    if (runStart == null) {
                        runStart = s.from();
                    }
                    runEnd = s.to();
                } else if (runStart != null) {
                    addClipped(outages, runStart, runEnd, from, end);
                    runStart = null;
                }
            }
            if (runStart != null) {
                addClipped(outages, runStart, runEnd, from, end);
            }
            long n = outages.size();
            double longest = outages.stream().mapToDouble(o -> o[0]).max().orElse(0);
            if (n == 1 && outages.get(0)[1] == 1 && downtime == 0) {
                n = 0; // down for the whole range, none of it monitored: no outage seen
            }
            e[1] += secs[0];
            e[2] += secs[1];
            e[3] += secs[2];
            e[4] += secs[3];
            e[5] += downtime;
            e[6] += n;
            e[7] = Math.max(e[7], Math.min(longest, downtime));
        }
        AvailabilityReport.Report report = storage.availability().read(new Query(from, to, groups, u, Sort.GROUP, false, 0, 100));
        String where = "[" + from + ", " + to + ") " + u + " rolled to " + rolled;
        assertEquals(expected.size(), report.groups(), where);
        assertEquals(new ArrayList<>(expected.keySet()), report.rows().stream().map(Row::group).toList(), where);
        for (Row r : report.rows()) {
            double[] e = expected.get(r.group());
            String w = where + " group '" + r.group() + "'";
            assertEquals((int) e[0], r.devices(), w);
            assertEquals(e[1], r.upSeconds(), 1e-3, w + " up");
            assertEquals(e[2], r.downSeconds(), 1e-3, w + " down");
            assertEquals(e[3], r.unreachableSeconds(), 1e-3, w + " unreachable");
            assertEquals(e[4], r.unknownSeconds(), 1e-3, w + " unknown");
            assertEquals(e[5], r.downtimeSeconds(), 1e-3, w + " downtime");
            assertEquals((long) e[6], r.outages(), w + " outages");
            assertEquals(e[7], r.longestOutageSeconds(), 1e-3, w + " longest");
            double known = e[1] + e[2] + (u == Unreachable.DOWN ? e[3] : 0);
            if (known == 0) {
                assertNull(r.availabilityPct(), w);
            } else {
                assertEquals(100.0 * e[1] / known, r.availabilityPct(), 1e-6, w + " availability");
            }
            if (e[6] == 0) {
                assertNull(r.mttrSeconds(), w);
            } else {
                assertEquals(e[5] / e[6], r.mttrSeconds(), 1e-3, w + " mttr");
            }
        }
    }

    /** Adds {length, whether it covers the whole range} when the run overlaps the range. */
    private static void addClipped(List<double[]> outages, Instant s, Instant e, Instant from, Instant end) {
        Instant a = max(s, from);
        Instant b = min(e, end);
        if (b.isAfter(a)) {
            outages.add(new double[] {Duration.between(a, b).toNanos() / 1e9, a.equals(from) && b.equals(end) ? 1 : 0});
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
