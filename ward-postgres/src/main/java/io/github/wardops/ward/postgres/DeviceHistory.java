package io.github.wardops.ward.postgres;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * One device's reachability over time, in points of a fixed step, read from the raw
 * {@code ping_results} or from the roll-ups ({@code device_hourly}, {@code device_daily}),
 * whichever the step needs: a step shorter than an hour reads raw rows, a whole number of hours
 * the hourly roll-ups, a whole number of days the daily ones. Points are aligned on the Unix
 * epoch in UTC ({@code date_bin}), so a step of a day starts at 00:00 UTC. At most
 * {@link #MAX_POINTS} points are read. Thread-safe (every call is one query on the pool).
 */
public final class DeviceHistory {
    /** The most points one read returns. */
    public static final int MAX_POINTS = 1_000;
    private static final String ORIGIN = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

    private static final String RAW = """
            SELECT date_bin(? * INTERVAL '1 second', at, %s) AS t, min(rtt_min_ms),
                   sum((rtt_avg_ms * received)::numeric) FILTER (WHERE rtt_avg_ms IS NOT NULL)
                       / nullif(sum(received) FILTER (WHERE rtt_avg_ms IS NOT NULL), 0),
                   max(rtt_max_ms),
                   100.0 * (sum(sent) - sum(received)) / nullif(sum(sent), 0),
                   100.0 * count(*) FILTER (WHERE status = 'UP') / count(*)
            FROM ping_results WHERE device_id = ? AND at >= ?::timestamptz AND at < ?::timestamptz
            GROUP BY 1 ORDER BY 1 LIMIT ?""".formatted(ORIGIN);

    private static final String ROLLUP = """
            SELECT date_bin(? * INTERVAL '1 second', bucket, %s) AS t, min(rtt_min_ms),
                   sum((rtt_avg_ms * rtt_weight)::numeric) FILTER (WHERE rtt_avg_ms IS NOT NULL)
                       / nullif(sum(rtt_weight) FILTER (WHERE rtt_avg_ms IS NOT NULL), 0),
                   max(rtt_max_ms),
                   100.0 * (sum(probes_sent) - sum(probes_answered)) / nullif(sum(probes_sent), 0),
                   100.0 * sum(up_seconds::numeric)
                       / nullif(sum((up_seconds + down_seconds + unreachable_seconds + unknown_seconds)::numeric), 0)
            FROM %s WHERE device_id = ? AND bucket >= ?::timestamptz AND bucket < ?::timestamptz
            GROUP BY 1 ORDER BY 1 LIMIT ?""";

    /** Where the points come from. */
    public enum Source {
        /** {@code ping_results} (kept 30 days by default). */
        RAW,
        /** {@code device_hourly}. */
        HOURLY,
        /** {@code device_daily}. */
        DAILY;

        /**
         * The source a step reads: whole days the daily roll-ups, whole hours the hourly ones,
         * anything shorter or finer the raw rows.
         *
         * @param step the step; positive
         * @return the source
         */
        public static Source forStep(Duration step) {
            if (step.toSeconds() % 86_400 == 0 && step.toSeconds() > 0) {
                return DAILY;
            }
            if (step.toSeconds() % 3_600 == 0 && step.toSeconds() > 0) {
                return HOURLY;
            }
            return RAW;
        }
    }

    /**
     * One point: the bucket {@code [t, t + step)}.
     *
     * @param t the bucket's start
     * @param rttMinMs the lowest round-trip time, or {@code null} when nothing answered
     * @param rttAvgMs the mean round-trip time (weighted by answered probes), or {@code null}
     * @param rttMaxMs the highest round-trip time, or {@code null}
     * @param lossPct probes lost in percent (0-100), or {@code null} when none was sent
     * @param upPct raw: the share of results whose status was UP; roll-ups: the share of the
     *     monitored time the device was UP (UP seconds over UP, DOWN, UNREACHABLE and UNKNOWN
     *     seconds); {@code null} when unknown
     */
    public record Point(Instant t, Double rttMinMs, Double rttAvgMs, Double rttMaxMs, Double lossPct, Double upPct) {
    }

    /**
     * The points of one read.
     *
     * @param source where they come from
     * @param points oldest first, buckets without data left out; at most {@link #MAX_POINTS}
     */
    public record Series(Source source, List<Point> points) {
        /** Copies the points. */
        public Series {
            Objects.requireNonNull(source, "source");
            points = List.copyOf(points);
        }
    }

    private final DSLContext ctx;

    DeviceHistory(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Reads a device's points in {@code [from, to)}.
     *
     * @param device the device id
     * @param from the start (inclusive); align it on the step for whole first bucket
     * @param to the end (exclusive)
     * @param step the bucket width: 1 s to 3650 days, whole seconds
     * @return the series; empty points when nothing is stored for that range
     * @throws IllegalArgumentException when the step is out of range or {@code from} is not before {@code to}
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public Series read(UUID device, Instant from, Instant to, Duration step) {
        Objects.requireNonNull(device, "device");
        if (step == null || step.toSeconds() < 1 || step.toSeconds() > 3650L * 86_400 || step.getNano() != 0) {
            throw new IllegalArgumentException("step " + step + ": must be whole seconds, 1 s to 3650 days");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from " + from + " is not before to " + to);
        }
        Source source = Source.forStep(step);
        String sql = switch (source) {
            case RAW -> RAW;
            case HOURLY -> ROLLUP.formatted(ORIGIN, "device_hourly");
            case DAILY -> ROLLUP.formatted(ORIGIN, "device_daily");
        };
        List<Point> points = new ArrayList<>();
        for (Record r : ctx.fetch(sql, step.toSeconds(), device, ts(from), ts(to), MAX_POINTS)) {
            points.add(new Point(r.get(0, OffsetDateTime.class).toInstant(), r.get(1, Double.class),
                    r.get(2, Double.class), r.get(3, Double.class), r.get(4, Double.class), r.get(5, Double.class)));
        }
        return new Series(source, points);
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
