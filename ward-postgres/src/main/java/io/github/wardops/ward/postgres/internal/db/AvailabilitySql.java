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
     * 4 MB), and no sequential scans where an index serves: the roll-ups' covering indexes
     * ({@code V8}) give an index-only scan of a range of buckets, which reads about half the bytes of
     * the table, but the planner, costing every visited page at random I/O, prefers a sequential scan
     * whenever the range holds most of the table's rows (the usual case for a 30-day report).
     *
     * @param tx the database, in a transaction
     * @param workMemMb {@code work_mem} in MB
     */
    public static void configure(DSLContext tx, int workMemMb) {
        tx.execute("SET LOCAL work_mem = '" + workMemMb + "MB'");
        tx.execute("SET LOCAL enable_seqscan = off");
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
        if (!SORT_COLUMNS.contains(sortColumn)) {
            throw new IllegalArgumentException("sort column " + sortColumn);
        }
        Record rr = ctx.fetchOne("SELECT rolled_to FROM rollup_progress WHERE singleton");
        OffsetDateTime rolled = rr == null ? null : rr.get(0, OffsetDateTime.class);
        Plan plan = plan(from, end, rolled == null ? null : rolled.toInstant());
        String outage = unreachableIsDown ? "('DOWN', 'UNREACHABLE')" : "('DOWN')";
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder(4096);
        sql.append("WITH m AS MATERIALIZED (SELECT device_id, grp FROM unnest(?, ?) AS u(device_id, grp)),\n");
        binds.add(DSL.val(devices, SQLDataType.UUID.array()));
        binds.add(DSL.val(groups, SQLDataType.CLOB.array()));
        sql.append("sec AS (SELECT device_id, sum(up) AS up, sum(down) AS down, sum(unr) AS unr, sum(unk) AS unk FROM (\n");
        sql.append("SELECT device_id, up_seconds AS up, down_seconds AS down, unreachable_seconds AS unr,"
                + " unknown_seconds AS unk FROM device_daily WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz\n");
        binds.add(ts(plan.dayFrom()));
        binds.add(ts(plan.dayTo()));
        for (Instant[] h : plan.hours()) {
            sql.append("UNION ALL SELECT device_id, up_seconds, down_seconds, unreachable_seconds, unknown_seconds"
                    + " FROM device_hourly WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz\n");
            binds.add(ts(h[0]));
            binds.add(ts(h[1]));
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
                dev AS (SELECT m.grp, coalesce(s.up, 0) AS up, coalesce(s.down, 0) AS down, coalesce(s.unr, 0) AS unr,
                               coalesce(s.unk, 0) AS unk, coalesce(s.down, 0) %2$s AS dt, o.n, o.longest
                        FROM m LEFT JOIN sec s USING (device_id) LEFT JOIN outs o USING (device_id)),
                g AS (SELECT grp, count(*) AS devices, sum(up) AS up, sum(down) AS down, sum(unr) AS unr, sum(unk) AS unk,
                             sum(dt) AS dt,
                             sum(CASE WHEN n IS NOT NULL THEN n WHEN dt > 0 THEN 1 ELSE 0 END) AS n,
                             max(least(coalesce(longest, dt), dt)) AS longest
                      FROM dev GROUP BY grp),
                r AS (SELECT grp, devices, 100.0 * up / nullif(up + down %3$s, 0) AS pct, up, down, unr, unk, dt AS downtime,
                             n AS outages, dt / nullif(n, 0) AS mttr, longest
                      FROM g)
                SELECT grp, devices, pct, up, down, unr, unk, downtime, outages, mttr, longest, count(*) OVER () AS total
                FROM r ORDER BY %4$s %5$s NULLS LAST, grp COLLATE "C" LIMIT ? OFFSET ?
                """.formatted(outage, unreachableIsDown ? "+ coalesce(s.unr, 0)" : "",
                unreachableIsDown ? "+ unr" : "", sortColumn, descending ? "DESC" : "ASC"));
        OffsetDateTime f = ts(from);
        OffsetDateTime e = ts(end);
        binds.addAll(List.of(f, e, e, f, f));
        binds.add(limit);
        binds.add(offset);
        return new Statement(sql.toString(), binds.toArray());
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
