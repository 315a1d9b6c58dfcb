package io.github.wardops.ward.postgres.internal.db;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Builds the hourly and daily roll-ups (V7__rollups.sql) from the raw rows, and expires them.
 * Every bucket is a UTC hour or UTC day ({@code date_bin} from the Unix epoch, independent of the
 * session's time zone). Writes are upserts by (device[, ifIndex], bucket), so a window rolled up
 * twice gives the same rows (sums and averages are taken in {@code numeric}, so their result does not
 * depend on the order the rows are read in, which differs between an incremental run and a
 * backfill). Each call works in chunks of one day, each in its own transaction,
 * so a backfill never holds one long transaction. Stateless; the progress is in
 * {@code rollup_progress}.
 */
public final class Rollups {
    /** The hours rolled up again before the last run's end, for results that arrived late. */
    public static final Duration LOOKBACK = Duration.ofHours(2);
    private static final Duration CHUNK = Duration.ofDays(1);
    private static final String ORIGIN = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

    private static final String DEVICE_HOURLY = """
            INSERT INTO device_hourly AS r (device_id, bucket, results, probes_sent, probes_answered, rtt_min_ms,
                rtt_avg_ms, rtt_max_ms, rtt_weight, up_seconds, down_seconds, unreachable_seconds, unknown_seconds)
            WITH p AS (
                SELECT device_id, date_bin(INTERVAL '1 hour', at, %1$s) AS bucket, count(*) AS results,
                       sum(sent) AS sent, sum(received) AS answered, min(rtt_min_ms) AS rmin, max(rtt_max_ms) AS rmax,
                       sum((rtt_avg_ms * received)::numeric) FILTER (WHERE rtt_avg_ms IS NOT NULL)
                           / nullif(sum(received) FILTER (WHERE rtt_avg_ms IS NOT NULL), 0) AS ravg,
                       coalesce(sum(received) FILTER (WHERE rtt_avg_ms IS NOT NULL), 0) AS w
                FROM ping_results WHERE at >= ?::timestamptz AND at < ?::timestamptz
                GROUP BY 1, 2
            ), sc AS (
                SELECT device_id, at, to_status, lead(at) OVER (PARTITION BY device_id ORDER BY at, id) AS nxt
                FROM (
                    SELECT device_id, at, id, to_status FROM state_changes
                    WHERE if_index = 0 AND at >= ?::timestamptz AND at < ?::timestamptz
                    UNION ALL
                    -- the state at the window's start: one index probe (device_id, at) per device with results
                    SELECT d.device_id, l.at, l.id, l.to_status
                    FROM (SELECT DISTINCT device_id FROM p) d
                    CROSS JOIN LATERAL (
                        SELECT at, id, to_status FROM state_changes c
                        WHERE c.device_id = d.device_id AND c.if_index = 0 AND c.at < ?::timestamptz
                        ORDER BY c.at DESC, c.id DESC LIMIT 1) l
                ) x
            ), seg AS (
                SELECT device_id, to_status, greatest(at, ?::timestamptz) AS s,
                       least(coalesce(nxt, ?::timestamptz), ?::timestamptz) AS e
                FROM sc
            ), per_hour AS (
                SELECT device_id, h AS bucket, to_status,
                       extract(epoch FROM least(e, h + INTERVAL '1 hour') - greatest(s, h)) AS secs
                FROM seg, generate_series(date_bin(INTERVAL '1 hour', s, %1$s), e, INTERVAL '1 hour') AS h
                WHERE e > s AND h < e
            ), st AS (
                SELECT device_id, bucket,
                       coalesce(sum(secs) FILTER (WHERE to_status = 'UP'), 0) AS up,
                       coalesce(sum(secs) FILTER (WHERE to_status = 'DOWN'), 0) AS down,
                       coalesce(sum(secs) FILTER (WHERE to_status = 'UNREACHABLE'), 0) AS unreachable,
                       coalesce(sum(secs) FILTER (WHERE to_status = 'UNKNOWN'), 0) AS unknown
                FROM per_hour GROUP BY 1, 2
            )
            SELECT p.device_id, p.bucket, p.results, p.sent, p.answered, p.rmin, p.ravg, p.rmax, p.w,
                   coalesce(st.up, 0), coalesce(st.down, 0), coalesce(st.unreachable, 0), coalesce(st.unknown, 0)
            FROM p LEFT JOIN st ON st.device_id = p.device_id AND st.bucket = p.bucket
            ON CONFLICT (device_id, bucket) DO UPDATE SET results = excluded.results,
                probes_sent = excluded.probes_sent, probes_answered = excluded.probes_answered,
                rtt_min_ms = excluded.rtt_min_ms, rtt_avg_ms = excluded.rtt_avg_ms, rtt_max_ms = excluded.rtt_max_ms,
                rtt_weight = excluded.rtt_weight, up_seconds = excluded.up_seconds,
                down_seconds = excluded.down_seconds, unreachable_seconds = excluded.unreachable_seconds,
                unknown_seconds = excluded.unknown_seconds
            """.formatted(ORIGIN);

    private static final String DEVICE_DAILY = """
            INSERT INTO device_daily (device_id, bucket, results, probes_sent, probes_answered, rtt_min_ms,
                rtt_avg_ms, rtt_max_ms, rtt_weight, up_seconds, down_seconds, unreachable_seconds, unknown_seconds)
            SELECT device_id, date_bin(INTERVAL '1 day', bucket, %1$s), sum(results), sum(probes_sent),
                   sum(probes_answered), min(rtt_min_ms),
                   sum((rtt_avg_ms * rtt_weight)::numeric) FILTER (WHERE rtt_avg_ms IS NOT NULL)
                       / nullif(sum(rtt_weight) FILTER (WHERE rtt_avg_ms IS NOT NULL), 0),
                   max(rtt_max_ms), sum(rtt_weight), sum(up_seconds::numeric), sum(down_seconds::numeric),
                   sum(unreachable_seconds::numeric), sum(unknown_seconds::numeric)
            FROM device_hourly WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz
            GROUP BY 1, 2
            ON CONFLICT (device_id, bucket) DO UPDATE SET results = excluded.results,
                probes_sent = excluded.probes_sent, probes_answered = excluded.probes_answered,
                rtt_min_ms = excluded.rtt_min_ms, rtt_avg_ms = excluded.rtt_avg_ms, rtt_max_ms = excluded.rtt_max_ms,
                rtt_weight = excluded.rtt_weight, up_seconds = excluded.up_seconds,
                down_seconds = excluded.down_seconds, unreachable_seconds = excluded.unreachable_seconds,
                unknown_seconds = excluded.unknown_seconds
            """.formatted(ORIGIN);

    /**
     * The running totals of {@code device_daily} (V9) for the rows from {@code ?} on (and before the
     * optional upper bound): each device's total before them (its last earlier row's) plus the running
     * sum of its rows, in numeric over the stored doubles, so the difference of two rows is exactly
     * the sum of the rows between them.
     */
    private static final String DAILY_TOTALS = """
            UPDATE device_daily d SET cum_up_seconds = x.cu, cum_down_seconds = x.cd,
                cum_unreachable_seconds = x.cr, cum_unknown_seconds = x.ck
            FROM (
                SELECT r.device_id, r.bucket,
                       coalesce(p.cu, 0) + sum(r.up_seconds::numeric) OVER w AS cu,
                       coalesce(p.cd, 0) + sum(r.down_seconds::numeric) OVER w AS cd,
                       coalesce(p.cr, 0) + sum(r.unreachable_seconds::numeric) OVER w AS cr,
                       coalesce(p.ck, 0) + sum(r.unknown_seconds::numeric) OVER w AS ck
                FROM device_daily r
                LEFT JOIN LATERAL (
                    SELECT q.cum_up_seconds AS cu, q.cum_down_seconds AS cd, q.cum_unreachable_seconds AS cr,
                           q.cum_unknown_seconds AS ck
                    FROM device_daily q WHERE q.device_id = r.device_id AND q.bucket < ?::timestamptz
                    ORDER BY q.bucket DESC LIMIT 1) p ON true
                WHERE r.bucket >= ?::timestamptz %s
                WINDOW w AS (PARTITION BY r.device_id ORDER BY r.bucket)
            ) x
            WHERE d.device_id = x.device_id AND d.bucket = x.bucket
              AND (d.cum_up_seconds IS DISTINCT FROM x.cu OR d.cum_down_seconds IS DISTINCT FROM x.cd
                   OR d.cum_unreachable_seconds IS DISTINCT FROM x.cr OR d.cum_unknown_seconds IS DISTINCT FROM x.ck)
            """;

    /**
     * The outage boundaries per device, UTC day and outage definition (V9 {@code device_outage_daily})
     * for the days {@code [?, ?)}, from the device's own state changes of each day alone (a day's row
     * does not depend on any other day). Ordered as the report orders them: (at, id).
     */
    private static final String OUTAGE_DAILY = """
            INSERT INTO device_outage_daily (device_id, bucket, unreachable_down, entries, first_at, first_in, last_at,
                last_in, longest_seconds)
            SELECT device_id, bucket, mode, count(*) FILTER (WHERE is_out), min(at),
                   (array_agg(is_out ORDER BY at, id))[1], max(at), (array_agg(is_out ORDER BY at DESC, id DESC))[1],
                   max(extract(epoch FROM nxt - at)::double precision) FILTER (WHERE is_out AND nxt IS NOT NULL)
            FROM (
                SELECT device_id, bucket, mode, at, id, is_out,
                       lead(at) OVER (PARTITION BY device_id, bucket, mode ORDER BY at, id) AS nxt
                FROM (
                    SELECT c.device_id, date_bin(INTERVAL '1 day', c.at, %1$s) AS bucket, m.mode, c.at, c.id,
                           c.from_status = ANY (m.statuses) AS was_out, c.to_status = ANY (m.statuses) AS is_out
                    FROM state_changes c
                    CROSS JOIN (VALUES (false, ARRAY['DOWN']), (true, ARRAY['DOWN', 'UNREACHABLE'])) AS m(mode, statuses)
                    WHERE c.if_index = 0 AND c.at >= ?::timestamptz AND c.at < ?::timestamptz
                ) c
                WHERE was_out <> is_out
            ) b
            GROUP BY device_id, bucket, mode
            """.formatted(ORIGIN);

    private static final String IF_COLUMNS = """
            samples, rate_n, in_bps_avg, in_bps_max, out_bps_avg, out_bps_max, util_n, in_util_pct_avg,
            in_util_pct_max, out_util_pct_avg, out_util_pct_max, err_n, in_errors_ps_avg, out_errors_ps_avg,
            in_discards_ps_avg, out_discards_ps_avg""";

    private static final String IF_UPDATE = """
            ON CONFLICT (device_id, if_index, bucket) DO UPDATE SET samples = excluded.samples,
                rate_n = excluded.rate_n, in_bps_avg = excluded.in_bps_avg, in_bps_max = excluded.in_bps_max,
                out_bps_avg = excluded.out_bps_avg, out_bps_max = excluded.out_bps_max, util_n = excluded.util_n,
                in_util_pct_avg = excluded.in_util_pct_avg, in_util_pct_max = excluded.in_util_pct_max,
                out_util_pct_avg = excluded.out_util_pct_avg, out_util_pct_max = excluded.out_util_pct_max,
                err_n = excluded.err_n, in_errors_ps_avg = excluded.in_errors_ps_avg,
                out_errors_ps_avg = excluded.out_errors_ps_avg, in_discards_ps_avg = excluded.in_discards_ps_avg,
                out_discards_ps_avg = excluded.out_discards_ps_avg
            """;

    private static final String INTERFACE_HOURLY = """
            INSERT INTO interface_hourly (device_id, if_index, bucket, %2$s)
            SELECT device_id, if_index, date_bin(INTERVAL '1 hour', at, %1$s), count(*), count(in_bps),
                   avg(in_bps::numeric), max(in_bps), avg(out_bps::numeric), max(out_bps), count(in_util_pct),
                   avg(in_util_pct::numeric), max(in_util_pct), avg(out_util_pct::numeric), max(out_util_pct), count(in_errors_ps),
                   avg(in_errors_ps::numeric), avg(out_errors_ps::numeric), avg(in_discards_ps::numeric), avg(out_discards_ps::numeric)
            FROM interface_samples WHERE at >= ?::timestamptz AND at < ?::timestamptz
            GROUP BY 1, 2, 3
            %3$s""".formatted(ORIGIN, IF_COLUMNS, IF_UPDATE);

    private static final String INTERFACE_DAILY = """
            INSERT INTO interface_daily (device_id, if_index, bucket, %2$s)
            SELECT device_id, if_index, date_bin(INTERVAL '1 day', bucket, %1$s), sum(samples), sum(rate_n),
                   sum((in_bps_avg * rate_n)::numeric) / nullif(sum(rate_n) FILTER (WHERE in_bps_avg IS NOT NULL), 0),
                   max(in_bps_max),
                   sum((out_bps_avg * rate_n)::numeric) / nullif(sum(rate_n) FILTER (WHERE out_bps_avg IS NOT NULL), 0),
                   max(out_bps_max), sum(util_n),
                   sum((in_util_pct_avg * util_n)::numeric) / nullif(sum(util_n) FILTER (WHERE in_util_pct_avg IS NOT NULL), 0),
                   max(in_util_pct_max),
                   sum((out_util_pct_avg * util_n)::numeric) / nullif(sum(util_n) FILTER (WHERE out_util_pct_avg IS NOT NULL), 0),
                   max(out_util_pct_max), sum(err_n),
                   sum((in_errors_ps_avg * err_n)::numeric) / nullif(sum(err_n) FILTER (WHERE in_errors_ps_avg IS NOT NULL), 0),
                   sum((out_errors_ps_avg * err_n)::numeric) / nullif(sum(err_n) FILTER (WHERE out_errors_ps_avg IS NOT NULL), 0),
                   sum((in_discards_ps_avg * err_n)::numeric) / nullif(sum(err_n) FILTER (WHERE in_discards_ps_avg IS NOT NULL), 0),
                   sum((out_discards_ps_avg * err_n)::numeric) / nullif(sum(err_n) FILTER (WHERE out_discards_ps_avg IS NOT NULL), 0)
            FROM interface_hourly WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz
            GROUP BY 1, 2, 3
            %3$s""".formatted(ORIGIN, IF_COLUMNS, IF_UPDATE);

    private Rollups() {
    }

    /** The UTC hour an instant falls in. */
    static Instant hour(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    /** The UTC day an instant falls in. */
    static Instant day(Instant at) {
        return at.truncatedTo(ChronoUnit.DAYS);
    }

    /**
     * Rolls up every hour from where the last run stopped (less {@link #LOOKBACK}), or from
     * {@code backfillFrom} on the first run, to the current hour included (partial: it is
     * rolled up again by the next run), and the UTC days those hours touch.
     *
     * @param ctx the database, outside any transaction
     * @param now the current instant (the end of the current state of each device)
     * @param backfillFrom where the first run starts (the oldest raw row kept)
     * @return the hours rolled up (counting each chunk's hours, not rows)
     */
    public static long rollUp(DSLContext ctx, Instant now, Instant backfillFrom) {
        Record r = ctx.fetchOne("SELECT rolled_to, report_ready FROM rollup_progress WHERE singleton");
        OffsetDateTime done = r == null ? null : r.get(0, OffsetDateTime.class);
        boolean reportReady = r != null && Boolean.TRUE.equals(r.get(1, Boolean.class));
        Instant currentHour = hour(now);
        Instant start = done == null ? hour(backfillFrom) : hour(done.toInstant()).minus(LOOKBACK);
        Instant end = currentHour.plus(Duration.ofHours(1));
        if (start.isAfter(currentHour)) {
            start = currentHour;
        }
        if (!reportReady || done == null) {
            // V9's roll-ups for the days before the first window (the windows below build theirs)
            backfillReport(ctx, start);
        }
        long hours = 0;
        for (Instant a = start; a.isBefore(end); ) {
            Instant b = day(a).plus(CHUNK);
            if (b.isAfter(end)) {
                b = end;
            }
            Instant from = a;
            Instant to = b;
            Instant mark = to.isAfter(currentHour) ? currentHour : to;
            ctx.transaction(cfg -> {
                DSLContext tx = cfg.dsl();
                rollWindow(tx, from, to, now);
                tx.execute("UPDATE rollup_progress SET rolled_to = ?::timestamptz, report_ready = true WHERE singleton",
                        ts(mark));
            });
            hours += Duration.between(from, to).toHours();
            a = b;
        }
        return hours;
    }

    /**
     * Rolls up one window of whole hours and the days it touches; idempotent.
     *
     * @param ctx the database (a transaction, or not)
     * @param from the first hour (UTC, whole hour)
     * @param to the end, exclusive (UTC, whole hour)
     * @param now the current instant: the last known state lasts until then
     */
    public static void rollWindow(DSLContext ctx, Instant from, Instant to, Instant now) {
        OffsetDateTime f = ts(hour(from));
        OffsetDateTime t = ts(hour(to));
        OffsetDateTime n = ts(now);
        ctx.execute(DEVICE_HOURLY, f, t, f, t, f, f, n, t);
        ctx.execute(INTERFACE_HOURLY, f, t);
        OffsetDateTime df = ts(day(from));
        OffsetDateTime dt = ts(day(to.minusNanos(1)).plus(Duration.ofDays(1)));
        ctx.execute(DEVICE_DAILY, df, dt);
        // every later row's total too: none in the usual run (today is the last day), all of them
        // when an older window is rolled up again
        rollTotals(ctx, day(from), null);
        ctx.execute(INTERFACE_DAILY, df, dt);
        rollOutages(ctx, day(from), day(to.minusNanos(1)).plus(Duration.ofDays(1)));
    }

    /**
     * Builds the outage boundaries of the UTC days {@code [from, to)} again from the state changes
     * (V9 {@code device_outage_daily}): deletes the days' rows and inserts them; idempotent.
     *
     * @param ctx the database (a transaction, or not)
     * @param from the first day (UTC midnight)
     * @param to the end, exclusive (UTC midnight)
     */
    public static void rollOutages(DSLContext ctx, Instant from, Instant to) {
        OffsetDateTime f = ts(day(from));
        OffsetDateTime t = ts(day(to));
        ctx.execute("DELETE FROM device_outage_daily WHERE bucket >= ?::timestamptz AND bucket < ?::timestamptz", f, t);
        ctx.execute(OUTAGE_DAILY, f, t);
    }

    /**
     * Computes the running totals of the {@code device_daily} rows from the UTC day {@code from}
     * on (V9 {@code cum_*_seconds}), before {@code to} if given, each device's from its last row
     * before {@code from}; idempotent.
     *
     * @param ctx the database (a transaction, or not)
     * @param from the first day (UTC midnight)
     * @param to the end, exclusive (UTC midnight), or {@code null}: every later row
     */
    public static void rollTotals(DSLContext ctx, Instant from, Instant to) {
        OffsetDateTime f = ts(day(from));
        if (to == null) {
            ctx.execute(DAILY_TOTALS.formatted(""), f, f);
        } else {
            ctx.execute(DAILY_TOTALS.formatted("AND r.bucket < ?::timestamptz"), f, f, ts(day(to)));
        }
    }

    /**
     * Builds the report's roll-ups (V9: the outage boundaries and the running totals) for every day
     * before {@code until} that the state changes or the daily roll-ups have, one day per transaction
     * in time order (each day's totals start from the previous day's): the backfill after the upgrade
     * to V9, or after a full re-roll. Idempotent.
     *
     * @param ctx the database, outside any transaction
     * @param until the first day not built here (UTC midnight)
     * @return the days built
     */
    public static long backfillReport(DSLContext ctx, Instant until) {
        Record o = ctx.fetchOne("SELECT least((SELECT min(at) FROM state_changes WHERE if_index = 0),"
                + " (SELECT min(bucket) FROM device_daily))");
        OffsetDateTime first = o == null ? null : o.get(0, OffsetDateTime.class);
        if (first == null) {
            return 0;
        }
        long days = 0;
        for (Instant d = day(first.toInstant()); d.isBefore(day(until)); d = d.plus(CHUNK)) {
            Instant a = d;
            ctx.transaction(cfg -> {
                rollOutages(cfg.dsl(), a, a.plus(CHUNK));
                rollTotals(cfg.dsl(), a, a.plus(CHUNK));
            });
            days++;
        }
        return days;
    }

    /**
     * Deletes roll-ups, state changes, resolved alerts and silences past their retention.
     *
     * @param ctx the database
     * @param rollupsBefore roll-up buckets before this go
     * @param eventsBefore state changes, silences and alerts resolved before this go (open alerts stay)
     * @return rows deleted
     */
    public static long expire(DSLContext ctx, Instant rollupsBefore, Instant eventsBefore) {
        OffsetDateTime r = ts(rollupsBefore);
        OffsetDateTime e = ts(eventsBefore);
        long n = 0;
        for (String table : new String[] {"device_hourly", "device_daily", "interface_hourly", "interface_daily",
            "device_outage_daily"}) {
            n += ctx.execute("DELETE FROM " + table + " WHERE bucket < ?::timestamptz", r);
        }
        n += ctx.execute("DELETE FROM state_changes WHERE at < ?::timestamptz", e);
        n += ctx.execute("DELETE FROM alert_silences WHERE at < ?::timestamptz", e);
        n += ctx.execute("DELETE FROM alerts WHERE resolved_at < ?::timestamptz", e);
        return n;
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
