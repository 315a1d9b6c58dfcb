package io.github.wardops.ward.postgres.internal.db;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The availability report's one SQL statement (docs/availability.md). Seconds in each status come
 * from the roll-ups where whole, already rolled-up buckets cover the range ({@code device_daily}
 * for whole UTC days, {@code device_hourly} for whole hours at the edges) and from
 * {@code state_changes} for the rest (partial hours at the edges, and the hours not rolled up yet),
 * without a probe per device: see the comments at the pieces.
 * Outages are the intervals the device spent in the outage statuses, found from the changes in
 * the range ({@code from_status} tells whether an outage was running at the range's start).
 * Devices and their groups arrive as two arrays, so the inventory can come from anywhere.
 * Stateless.
 */
public final class AvailabilitySql {
    /** The sort columns, in the statement's output names. */
    public static final List<String> SORT_COLUMNS =
            List.of("grp", "devices", "pct", "downtime", "outages", "mttr", "longest");

    private AvailabilitySql() {
    }

    /**
     * A piece read from state changes: {@code [from, to)}, and the rolled-up hour it lies in
     * ({@code null} for time not rolled up yet), which must have results for the time to count.
     */
    record Piece(Instant from, Instant to, Instant hour) {
    }

    /** Whole UTC days {@code [dayFrom, dayTo)}, whole hours, and the pieces read from state changes. */
    record Plan(Instant dayFrom, Instant dayTo, List<Instant[]> hours, List<Piece> pieces) {
    }

    /**
     * Splits {@code [from, end)} into whole days and hours below {@code rolledTo}, and the rest:
     * partial hours below it (one piece each, checked against the hour's roll-up row) and the time
     * from it on (one piece, not checked: not rolled up yet).
     *
     * @param from the start
     * @param end the end (not after now)
     * @param rolledTo every hour before this is rolled up, or {@code null}
     * @return the plan
     */
    static Plan plan(Instant from, Instant end, Instant rolledTo) {
        List<Instant[]> hours = new ArrayList<>();
        List<Instant[]> rest = new ArrayList<>();
        Instant rolled = rolledTo == null ? null : rolledTo.truncatedTo(ChronoUnit.HOURS);
        Instant hf = ceil(from, ChronoUnit.HOURS);
        Instant ht = end.truncatedTo(ChronoUnit.HOURS);
        if (rolled != null && rolled.isBefore(ht)) {
            ht = rolled;
        }
        Instant df = hf;
        Instant dt = hf;
        if (rolled == null || !hf.isBefore(ht)) {
            if (from.isBefore(end)) {
                rest.add(new Instant[] {from, end});
            }
        } else {
            if (from.isBefore(hf)) {
                rest.add(new Instant[] {from, hf});
            }
            if (ht.isBefore(end)) {
                rest.add(new Instant[] {ht, end});
            }
            df = ceil(hf, ChronoUnit.DAYS);
            dt = ht.truncatedTo(ChronoUnit.DAYS);
            if (!df.isBefore(dt)) {
                hours.add(new Instant[] {hf, ht});
                df = hf;
                dt = hf;
            } else {
                if (hf.isBefore(df)) {
                    hours.add(new Instant[] {hf, df});
                }
                if (dt.isBefore(ht)) {
                    hours.add(new Instant[] {dt, ht});
                }
            }
        }
        List<Piece> pieces = new ArrayList<>();
        for (Instant[] r : rest) {
            Instant a = r[0];
            while (a.isBefore(r[1]) && rolled != null && a.truncatedTo(ChronoUnit.HOURS).isBefore(rolled)) {
                Instant h = a.truncatedTo(ChronoUnit.HOURS);
                Instant b = h.plus(Duration.ofHours(1)).isBefore(r[1]) ? h.plus(Duration.ofHours(1)) : r[1];
                pieces.add(new Piece(a, b, h));
                a = b;
            }
            if (a.isBefore(r[1])) {
                pieces.add(new Piece(a, r[1], null));
            }
        }
        return new Plan(df, dt, hours, pieces);
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant down = t.truncatedTo(unit);
        return down.equals(t) ? t : down.plus(Duration.of(1, unit));
    }

    /**
     * Sets, for the current transaction only ({@code SET LOCAL}), what the statement needs to run
     * fast: {@code work_mem} (per-device aggregates of 100,000 devices spill to disk with the default
     * 4 MB), and no parallel workers (on a 2-core server their start-up and their competition with
     * the leader made the report 0.4-0.7 s slower: docs/benchmarks.md). No planner override any more: whole days are read as 2 {@code device_daily} rows a device
     * (the running totals, V9) and the outage boundaries from {@code device_outage_daily}, both a small
     * share of their tables, which the planner reads by index unaided (V8's {@code enable_seqscan = off}
     * was for the scan of every daily row of the range).
     *
     * @param tx the database, in a transaction
     * @param workMemMb {@code work_mem} in MB
     */
    public static void configure(DSLContext tx, int workMemMb) {
        tx.execute("SET LOCAL work_mem = '" + workMemMb + "MB'");
        tx.execute("SET LOCAL max_parallel_workers_per_gather = 0");
    }

    /**
     * Runs the report.
     *
     * @param ctx the database
     * @param from the range's start
     * @param end the range's end, not after now (the last status lasts until then)
     * @param devices the devices
     * @param groups each device's group (same order, never {@code null})
     * @param unreachableIsDown whether UNREACHABLE counts as down (else it is left out of the measure)
     * @param sortColumn one of {@link #SORT_COLUMNS}
     * @param descending the sort direction (nulls last either way; then by group)
     * @param offset rows skipped
     * @param limit rows returned at most
     * @return rows of (grp, devices, pct, up, down, unreachable, unknown, downtime, outages, mttr,
     *     longest, total groups)
     */
    public static Result<Record> run(DSLContext ctx, Instant from, Instant end, UUID[] devices, String[] groups,
                                     boolean unreachableIsDown, String sortColumn, boolean descending, int offset,
                                     int limit) {
        Statement s = statement(ctx, from, end, devices, groups, unreachableIsDown, sortColumn, descending, offset, limit);
        return ctx.fetch(s.sql(), s.binds());
    }

    /**
     * Runs the report as before V9 (whole days one {@code device_daily} row a day, the outages from
     * every state change of the range), with V8's planner override: for the tests and the
     * benchmark, to compare the two reads on the same rows.
     *
     * @param tx the database, in a transaction (the override is {@code SET LOCAL})
     * @param from the range's start
     * @param end the range's end, not after now
     * @param devices the devices
     * @param groups each device's group
     * @param unreachableIsDown whether UNREACHABLE counts as down
     * @param sortColumn one of {@link #SORT_COLUMNS}
     * @param descending the sort direction
     * @param offset rows skipped
     * @param limit rows returned at most
     * @return the rows, as {@link #run}'s
     */
    public static Result<Record> runWithoutReportRollups(DSLContext tx, Instant from, Instant end, UUID[] devices,
                                                         String[] groups, boolean unreachableIsDown, String sortColumn,
                                                         boolean descending, int offset, int limit) {
        tx.execute("SET LOCAL enable_seqscan = off");
        Statement s = statement(tx, from, end, devices, groups, unreachableIsDown, sortColumn, descending, offset, limit,
                true);
        Result<Record> r = tx.fetch(s.sql(), s.binds());
        tx.execute("SET LOCAL enable_seqscan = on");
        return r;
    }

    /**
     * A statement and its bind values.
     *
     * @param sql the SQL
     * @param binds the values of its {@code ?}
     */
    public record Statement(String sql, Object[] binds) {
    }

    /**
     * The report's statement, for {@link #run} and for {@code EXPLAIN} in the benchmark; the
     * parameters are those of {@link #run}.
     *
     * @param ctx the database (the roll-ups' progress is read from it)
     * @param from the range's start
     * @param end the range's end
     * @param devices the devices
     * @param groups their groups
     * @param unreachableIsDown whether UNREACHABLE counts as down
     * @param sortColumn one of {@link #SORT_COLUMNS}
     * @param descending the sort direction
     * @param offset rows skipped
     * @param limit rows returned at most
     * @return the statement
     */
    public static Statement statement(DSLContext ctx, Instant from, Instant end, UUID[] devices, String[] groups,
                                      boolean unreachableIsDown, String sortColumn, boolean descending, int offset,
                                      int limit) {
        return statement(ctx, from, end, devices, groups, unreachableIsDown, sortColumn, descending, offset, limit,
                false);
    }

    /**
     * The report's statement, read from the V9 roll-ups when they are built
     * ({@code rollup_progress.report_ready}) unless {@code withoutReportRollups}: then (and always
     * before the first roll-up run after the upgrade to V9) whole days are read as one
     * {@code device_daily} row per device and day and the outages from every state change of the
     * range, as before V9. The same figures either way (up to the last bits of the seconds' sums);
     * the tests compare the two.
     *
     * @param ctx the database (the roll-ups' progress is read from it)
     * @param from the range's start
     * @param end the range's end
     * @param devices the devices
     * @param groups their groups
     * @param unreachableIsDown whether UNREACHABLE counts as down
     * @param sortColumn one of {@link #SORT_COLUMNS}
     * @param descending the sort direction
     * @param offset rows skipped
     * @param limit rows returned at most
     * @param withoutReportRollups read as before V9 (for the tests and the benchmark's comparison)
     * @return the statement
     */
    public static Statement statement(DSLContext ctx, Instant from, Instant end, UUID[] devices, String[] groups,
                                      boolean unreachableIsDown, String sortColumn, boolean descending, int offset,
                                      int limit, boolean withoutReportRollups) {
        if (!SORT_COLUMNS.contains(sortColumn)) {
            throw new IllegalArgumentException("sort column " + sortColumn);
        }
        Record rr = ctx.fetchOne("SELECT rolled_to, report_ready FROM rollup_progress WHERE singleton");
        OffsetDateTime rolled = rr == null ? null : rr.get(0, OffsetDateTime.class);
        boolean rollups = !withoutReportRollups && rr != null && Boolean.TRUE.equals(rr.get(1, Boolean.class));
        Plan plan = plan(from, end, rolled == null ? null : rolled.toInstant());
        String outage = unreachableIsDown ? "('DOWN', 'UNREACHABLE')" : "('DOWN')";
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder(4096);
        sql.append("WITH m AS MATERIALIZED (SELECT device_id, grp FROM unnest(?, ?) AS u(device_id, grp)),\n");
        binds.add(DSL.val(devices, SQLDataType.UUID.array()));
        binds.add(DSL.val(groups, SQLDataType.CLOB.array()));
        sql.append("sec AS (SELECT device_id, sum(up) AS up, sum(down) AS down, sum(unr) AS unr, sum(unk) AS unk FROM (\n");
        List<Instant[]> folded = new ArrayList<>(); // edges read with the whole days (below)
        if (!rollups) {
            sql.append("SELECT device_id, up_seconds AS up, down_seconds AS down, unreachable_seconds AS unr,"
                    + " unknown_seconds AS unk FROM device_daily WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz\n");
            binds.add(ts(plan.dayFrom()));
            binds.add(ts(plan.dayTo()));
        } else if (plan.dayFrom().isBefore(plan.dayTo())) {
            // Whole days from the running totals (V9): the device's first row in the range (at its first
            // day, else its earliest later one) and its last (at the last day, else its latest earlier one):
            // the last total less the first plus the first row's own seconds. The rows at the two exact
            // days are read by bucket and joined; only a device without one is looked up by its key (the
            // lateral's condition on f0/l0 is a one-time filter: no index probe for the others).
            // An edge of more than 12 whole hours next to the whole days (the partial day of a range such as
            // [now - 30 d, now)) widens them to its day, less that day's hours outside the edge (as an edge
            // day apart is read below, but without a second pass over 100,000 daily rows).
            Instant firstDay = plan.dayFrom();
            Instant lastDay = plan.dayTo().minus(Duration.ofDays(1));
            List<Instant[]> outside = new ArrayList<>();
            for (Instant[] h : plan.hours()) {
                if (h[1].equals(plan.dayFrom()) && Duration.between(h[0], h[1]).toHours() > 12) {
                    firstDay = plan.dayFrom().minus(Duration.ofDays(1));
                    outside.add(new Instant[] {firstDay, h[0]});
                    folded.add(h);
                } else if (h[0].equals(plan.dayTo()) && Duration.between(h[0], h[1]).toHours() > 12) {
                    lastDay = plan.dayTo();
                    outside.add(new Instant[] {h[1], plan.dayTo().plus(Duration.ofDays(1))});
                    folded.add(h);
                }
            }
            OffsetDateTime d0 = ts(firstDay);
            OffsetDateTime d1 = ts(lastDay.plus(Duration.ofDays(1)));
            OffsetDateTime last = ts(lastDay);
            String cols = "up_seconds AS up, down_seconds AS down, unreachable_seconds AS unr, unknown_seconds AS unk,"
                    + " cum_up_seconds AS cu, cum_down_seconds AS cd, cum_unreachable_seconds AS cr,"
                    + " cum_unknown_seconds AS ck";
            // The running totals are numeric: their difference is exact, and is cast to double precision once
            // (each cast between the two goes through text: 100,000 rows of 8 casts cost a quarter second).
            // Less the hours outside folded edges, summed in double precision and rounded to whole
            // microseconds as an edge day apart below (exact: see there).
            String[] c = {"up", "down", "unr", "unk"};
            String[] k = {"cu", "cd", "cr", "ck"};
            String[] v = new String[4];
            for (int i = 0; i < 4; i++) {
                String e = "(l" + k[i] + " - " + k[i] + ")::double precision + w." + c[i];
                v[i] = outside.isEmpty() ? e : micros(e + " - coalesce(o." + c[i] + ", 0)");
            }
            sql.append("""
                    SELECT w.device_id,
                           CASE WHEN cu IS NULL OR lcu IS NULL THEN ('device_daily has no running totals for device '
                               || w.device_id || ': the report roll-ups are not built (rollup_progress.report_ready)')::double precision
                           ELSE %2$s END AS up,
                           %3$s AS down,
                           %4$s AS unr,
                           %5$s AS unk
                    FROM (SELECT m.device_id, coalesce(f0.up, f1.up) AS up, coalesce(f0.down, f1.down) AS down,
                                 coalesce(f0.unr, f1.unr) AS unr, coalesce(f0.unk, f1.unk) AS unk,
                                 coalesce(f0.cu, f1.cu) AS cu, coalesce(f0.cd, f1.cd) AS cd, coalesce(f0.cr, f1.cr) AS cr,
                                 coalesce(f0.ck, f1.ck) AS ck, coalesce(l0.cu, l1.cu) AS lcu, coalesce(l0.cd, l1.cd) AS lcd,
                                 coalesce(l0.cr, l1.cr) AS lcr, coalesce(l0.ck, l1.ck) AS lck,
                                 f0.device_id IS NOT NULL OR f1.device_id IS NOT NULL AS has
                          FROM m
                          LEFT JOIN (SELECT device_id, %1$s FROM device_daily WHERE bucket = ?::timestamptz) f0
                                 ON f0.device_id = m.device_id
                          LEFT JOIN LATERAL (SELECT q.device_id, %1$s FROM device_daily q
                                             WHERE f0.device_id IS NULL AND q.device_id = m.device_id
                                               AND q.bucket > ?::timestamptz AND q.bucket < ?::timestamptz
                                             ORDER BY q.bucket LIMIT 1) f1 ON true
                          LEFT JOIN (SELECT device_id, %1$s FROM device_daily WHERE bucket = ?::timestamptz) l0
                                 ON l0.device_id = m.device_id
                          LEFT JOIN LATERAL (SELECT q.device_id, %1$s FROM device_daily q
                                             WHERE l0.device_id IS NULL AND q.device_id = m.device_id
                                               AND q.bucket >= ?::timestamptz AND q.bucket < ?::timestamptz
                                             ORDER BY q.bucket DESC LIMIT 1) l1 ON true) w
                    %6$s
                    WHERE has
                    """.formatted(cols, v[0], v[1], v[2], v[3], outside.isEmpty() ? "" : """
                    LEFT JOIN (SELECT device_id, sum(up_seconds) AS up, sum(down_seconds) AS down,
                                      sum(unreachable_seconds) AS unr, sum(unknown_seconds) AS unk
                               FROM (%s) oh GROUP BY device_id) o ON o.device_id = w.device_id"""
                            .formatted(ranges(outside, null))));
            binds.addAll(List.of(d0, d0, d1, last, d0, last));
            if (!outside.isEmpty()) {
                ranges(outside, binds);
            }
        } else {
            sql.append("SELECT NULL::uuid AS device_id, 0::double precision AS up, 0::double precision AS down,"
                    + " 0::double precision AS unr, 0::double precision AS unk WHERE false\n");
        }
        for (Instant[] h : plan.hours()) {
            if (folded.contains(h)) {
                continue;
            }
            Instant day = h[0].truncatedTo(ChronoUnit.DAYS);
            Instant next = day.plus(Duration.ofDays(1));
            if (rollups && !h[1].isAfter(next) && Duration.between(h[0], h[1]).toHours() > 12) {
                // More than half a day's hours: the day's row less the hours of that day outside them. The
                // day's row is the sum of its hourly rows, and every second is a whole number of microseconds,
                // so rounding to them gives the sum of the hours inside (0 when it is 0: no outage out of
                // rounding). All in double precision: at most 11 terms of at most 3,600 s err by far less than
                // the half microsecond that would change the rounding, and the numeric sums and casts of the
                // first version cost 0.7 s of the report at 100,000 devices (docs/benchmarks.md).
                sql.append("""
                        UNION ALL SELECT dd.device_id, %s, %s, %s, %s
                        FROM device_daily dd
                        LEFT JOIN (SELECT device_id, sum(up_seconds) AS up, sum(down_seconds) AS down,
                                          sum(unreachable_seconds) AS unr, sum(unknown_seconds) AS unk
                                   FROM (%s) oh
                                   GROUP BY device_id) o ON o.device_id = dd.device_id
                        WHERE dd.bucket = ?::timestamptz
                        """.formatted(micros("dd.up_seconds - coalesce(o.up, 0)"),
                        micros("dd.down_seconds - coalesce(o.down, 0)"),
                        micros("dd.unreachable_seconds - coalesce(o.unr, 0)"),
                        micros("dd.unknown_seconds - coalesce(o.unk, 0)"), outsideHours(h[0], h[1], day, next, binds)));
                binds.add(ts(day));
            } else {
                sql.append("UNION ALL SELECT device_id, up_seconds, down_seconds, unreachable_seconds, unknown_seconds"
                        + " FROM device_hourly WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz\n");
                binds.add(ts(h[0]));
                binds.add(ts(h[1]));
            }
        }
        for (Piece p : plan.pieces()) {
            OffsetDateTime a = ts(p.from());
            OffsetDateTime b = ts(p.to());
            String perStatus = """
                    SELECT device_id, CASE WHEN st = 'UP' THEN secs ELSE 0 END, CASE WHEN st = 'DOWN' THEN secs ELSE 0 END,
                           CASE WHEN st = 'UNREACHABLE' THEN secs ELSE 0 END, CASE WHEN st = 'UNKNOWN' THEN secs ELSE 0 END
                    FROM (%s) g WHERE secs > 0
                    """;
            if (p.hour() != null) {
                // A piece of a rolled-up hour: only devices with a row for it (results in that hour) count.
                // A device in one status all hour (its row has one kind of seconds) was in it for the whole
                // piece; the others changed status within the hour, so the changes of that hour tell the
                // status at every instant (the first one's from_status before it): no probe per device.
                OffsetDateTime h = ts(p.hour());
                OffsetDateTime h1 = ts(p.hour().plus(Duration.ofHours(1)));
                double len = Duration.between(p.from(), p.to()).toNanos() / 1e9;
                sql.append("UNION ALL SELECT device_id, CASE WHEN up_seconds > 0 THEN ?::double precision ELSE 0 END,"
                        + " CASE WHEN down_seconds > 0 THEN ?::double precision ELSE 0 END,"
                        + " CASE WHEN unreachable_seconds > 0 THEN ?::double precision ELSE 0 END,"
                        + " CASE WHEN unknown_seconds > 0 THEN ?::double precision ELSE 0 END FROM device_hourly JOIN m USING (device_id)"
                        + " WHERE bucket = ?::timestamptz AND (up_seconds > 0)::int + (down_seconds > 0)::int"
                        + " + (unreachable_seconds > 0)::int + (unknown_seconds > 0)::int = 1\n");
                binds.addAll(List.of(len, len, len, len, h));
                sql.append("UNION ALL ").append(perStatus.formatted("""
                        SELECT device_id, st, extract(epoch FROM least(e, ?::timestamptz) - greatest(s, ?::timestamptz))::double precision AS secs
                        FROM (SELECT c.device_id, c.to_status AS st, c.at AS s,
                                     coalesce(lead(c.at) OVER w, ?::timestamptz) AS e
                              FROM state_changes c JOIN mixed USING (device_id)
                              WHERE c.if_index = 0 AND c.at >= ?::timestamptz AND c.at < ?::timestamptz
                              WINDOW w AS (PARTITION BY c.device_id ORDER BY c.at, c.id)
                              UNION ALL
                              (SELECT DISTINCT ON (c.device_id) c.device_id, c.from_status, ?::timestamptz, c.at
                               FROM state_changes c JOIN mixed USING (device_id)
                               WHERE c.if_index = 0 AND c.at >= ?::timestamptz AND c.at < ?::timestamptz
                               ORDER BY c.device_id, c.at, c.id)) z
                        """.replace("mixed", """
                        (SELECT device_id FROM device_hourly JOIN m USING (device_id) WHERE bucket = ?::timestamptz
                           AND (up_seconds > 0)::int + (down_seconds > 0)::int + (unreachable_seconds > 0)::int
                               + (unknown_seconds > 0)::int > 1) mx""")));
                binds.addAll(List.of(b, a, h1, h, h, h1, h, h, h, h1));
            } else {
                // Time not rolled up yet (from the roll-ups' last run on): the status at a is the from_status
                // of the device's first change at or after it, else its current status (device_state), else
                // (no saved state: a library without the state store) its last change before a.
                sql.append("UNION ALL ").append(perStatus.formatted("""
                        SELECT device_id, st, extract(epoch FROM least(e, ?::timestamptz) - s)::double precision AS secs
                        FROM (SELECT c.device_id, c.to_status AS st, c.at AS s,
                                     coalesce(lead(c.at) OVER (PARTITION BY c.device_id ORDER BY c.at, c.id), ?::timestamptz) AS e
                              FROM state_changes c JOIN m USING (device_id)
                              WHERE c.if_index = 0 AND c.at >= ?::timestamptz AND c.at < ?::timestamptz
                              UNION ALL
                              SELECT m.device_id, coalesce(f.from_status, ds.status,
                                         (SELECT l.to_status FROM state_changes l WHERE l.device_id = m.device_id
                                          AND l.if_index = 0 AND l.at < ?::timestamptz ORDER BY l.at DESC, l.id DESC LIMIT 1)),
                                     ?::timestamptz, least(coalesce(f.at, ?::timestamptz), ?::timestamptz)
                              FROM m
                              LEFT JOIN (SELECT DISTINCT ON (device_id) device_id, at, from_status FROM state_changes
                                         WHERE if_index = 0 AND at >= ?::timestamptz ORDER BY device_id, at, id) f
                                     USING (device_id)
                              LEFT JOIN device_state ds ON ds.device_id = m.device_id AND ds.if_index = 0) z
                        WHERE st IS NOT NULL
                        """));
                binds.addAll(List.of(b, b, a, b, a, a, b, b, a));
            }
        }
        sql.append(") x GROUP BY device_id),\n");
        OffsetDateTime f = ts(from);
        OffsetDateTime e = ts(end);
        if (!rollups) {
            // outages: the changes that enter or leave the outage statuses, and whether one ran at the start
            sql.append("""
                    bd AS (SELECT device_id, at, is_out, row_number() OVER w AS rn, lead(at) OVER w AS nxt
                           FROM (SELECT device_id, at, id, from_status IN %1$s AS was_out, to_status IN %1$s AS is_out
                                 FROM state_changes WHERE if_index = 0 AND at >= ?::timestamptz AND at < ?::timestamptz) c
                           WHERE was_out <> is_out
                           WINDOW w AS (PARTITION BY device_id ORDER BY at, id)),
                    outs AS (SELECT device_id, count(*) AS n, max(len) AS longest FROM (
                               SELECT device_id, extract(epoch FROM coalesce(nxt, ?::timestamptz) - at)::double precision AS len
                               FROM bd WHERE is_out
                               UNION ALL
                               SELECT device_id, extract(epoch FROM at - ?::timestamptz)::double precision FROM bd
                               WHERE rn = 1 AND NOT is_out AND at > ?::timestamptz) o
                             GROUP BY device_id),
                    """.formatted(outage));
            binds.addAll(List.of(f, e, e, f, f));
        } else {
            // outages from segments in time order: each whole day's row of device_outage_daily (V9), and each
            // boundary of the edges (the partial days) read from state_changes as a segment of its own. The
            // outages are the entries into one, plus one running at the range's start (the first boundary
            // leaves one after the start); an outage lies within a segment (the day's longest), or runs from
            // a segment's last boundary (an entry) to the next segment's first, or to the end; or from the
            // start to the first boundary. The same figures as the pass over every change (above).
            Instant e1 = plan.dayFrom().isBefore(end) ? plan.dayFrom() : end;
            Instant s2 = plan.dayTo().isAfter(from) ? plan.dayTo() : from;
            sql.append("seg AS (SELECT device_id, first_at AS at, 0::bigint AS ord, first_in, last_at, last_in, entries,"
                    + " longest_seconds AS longest FROM device_outage_daily"
                    + " WHERE unreachable_down = ? AND bucket >= ?::timestamptz AND bucket < ?::timestamptz\n");
            binds.addAll(List.of(unreachableIsDown, ts(plan.dayFrom()), ts(plan.dayTo())));
            if (from.isBefore(e1) || s2.isBefore(end)) {
                sql.append("""
                        UNION ALL
                        SELECT device_id, at, id, is_out, at, is_out, is_out::int, NULL::double precision
                        FROM (SELECT device_id, at, id, from_status IN %1$s AS was_out, to_status IN %1$s AS is_out
                              FROM state_changes WHERE if_index = 0
                                AND (at >= ?::timestamptz AND at < ?::timestamptz OR at >= ?::timestamptz AND at < ?::timestamptz)) c
                        WHERE was_out <> is_out
                        """.formatted(outage));
                binds.addAll(List.of(f, ts(e1), ts(s2), e));
            }
            sql.append("""
                    ),
                    sg AS (SELECT device_id, at, first_in, last_at, last_in, entries, longest,
                                  row_number() OVER w AS rn, lead(at) OVER w AS nxt
                           FROM seg WINDOW w AS (PARTITION BY device_id ORDER BY at, ord)),
                    outs AS (SELECT device_id,
                                    nullif(sum(entries) + count(*) FILTER (WHERE rn = 1 AND NOT first_in AND at > ?::timestamptz), 0) AS n,
                                    greatest(max(longest),
                                             max(extract(epoch FROM coalesce(nxt, ?::timestamptz) - last_at)::double precision)
                                                 FILTER (WHERE last_in),
                                             max(extract(epoch FROM at - ?::timestamptz)::double precision)
                                                 FILTER (WHERE rn = 1 AND NOT first_in AND at > ?::timestamptz)) AS longest
                             FROM sg GROUP BY device_id),
                    """);
            binds.addAll(List.of(f, e, f, f));
        }
        sql.append("""
                dev AS (SELECT m.grp, coalesce(s.up, 0) AS up, coalesce(s.down, 0) AS down, coalesce(s.unr, 0) AS unr,
                               coalesce(s.unk, 0) AS unk, coalesce(s.down, 0) %1$s AS dt, o.n, o.longest
                        FROM m LEFT JOIN sec s USING (device_id) LEFT JOIN outs o USING (device_id)),
                g AS (SELECT grp, count(*) AS devices, sum(up) AS up, sum(down) AS down, sum(unr) AS unr, sum(unk) AS unk,
                             sum(dt) AS dt,
                             sum(CASE WHEN n IS NOT NULL THEN n WHEN dt > 0 THEN 1 ELSE 0 END) AS n,
                             max(least(coalesce(longest, dt), dt)) AS longest
                      FROM dev GROUP BY grp),
                r AS (SELECT grp, devices, 100.0 * up / nullif(up + down %2$s, 0) AS pct, up, down, unr, unk, dt AS downtime,
                             n AS outages, dt / nullif(n, 0) AS mttr, longest
                      FROM g)
                SELECT grp, devices, pct, up, down, unr, unk, downtime, outages, mttr, longest, count(*) OVER () AS total
                FROM r ORDER BY %3$s %4$s NULLS LAST, grp COLLATE "C" LIMIT ? OFFSET ?
                """.formatted(unreachableIsDown ? "+ coalesce(s.unr, 0)" : "",
                unreachableIsDown ? "+ unr" : "", sortColumn, descending ? "DESC" : "ASC"));
        binds.add(limit);
        binds.add(offset);
        return new Statement(sql.toString(), binds.toArray());
    }

    /**
     * The hourly rows of the day {@code [day, next)} outside {@code [a, b)}: one range scan each side
     * that is not empty, as a {@code UNION ALL} (each an index-only scan of the covering index; an
     * {@code OR} of the two would be a bitmap scan of the table's pages).
     */
    private static String outsideHours(Instant a, Instant b, Instant day, Instant next, List<Object> binds) {
        return ranges(List.of(new Instant[] {day, a}, new Instant[] {b, next}), binds);
    }

    /**
     * The hourly rows in the given ranges, as {@link #outsideHours}'s; {@code binds} may be {@code null}
     * (the SQL only) and gets the ranges' bounds in order.
     */
    private static String ranges(List<Instant[]> ranges, List<Object> binds) {
        List<String> parts = new ArrayList<>();
        for (Instant[] r : ranges) {
            if (r[0].isBefore(r[1])) {
                parts.add("SELECT device_id, up_seconds, down_seconds, unreachable_seconds, unknown_seconds FROM device_hourly"
                        + " WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz");
                if (binds != null) {
                    binds.add(ts(r[0]));
                    binds.add(ts(r[1]));
                }
            }
        }
        if (parts.isEmpty()) {
            parts.add("SELECT NULL::uuid AS device_id, 0::double precision AS up_seconds, 0::double precision AS down_seconds,"
                    + " 0::double precision AS unreachable_seconds, 0::double precision AS unknown_seconds WHERE false");
        }
        return String.join(" UNION ALL ", parts);
    }

    /**
     * {@code expr} (double precision seconds) rounded to whole microseconds in double precision, with
     * no negative zero (a sum that is 0 in exact arithmetic is 0 here, not 1e-12 or -0).
     */
    private static String micros(String expr) {
        return "(round((" + expr + ") * 1000000::double precision) / 1000000::double precision + 0::double precision)";
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
