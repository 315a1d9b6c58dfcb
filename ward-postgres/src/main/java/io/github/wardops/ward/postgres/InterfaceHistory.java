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
 * A device's SNMP interfaces as stored: the {@code interfaces} rows with each one's latest
 * {@code interface_samples} row, and one interface's traffic over time in points of a fixed step,
 * read from the raw {@code interface_samples} or from the roll-ups ({@code interface_hourly},
 * {@code interface_daily}) as {@link DeviceHistory.Source#forStep} picks them (the same rule as
 * {@link DeviceHistory}: whole days read the daily roll-ups, whole hours the hourly ones, anything
 * finer the raw rows). Points are aligned on the Unix epoch in UTC. Every read is bounded.
 * Thread-safe (every call is one query on the pool).
 */
public final class InterfaceHistory {
    /** The most points one read returns. */
    public static final int MAX_POINTS = DeviceHistory.MAX_POINTS;
    /** The most interfaces {@link #interfaces} returns. */
    public static final int MAX_INTERFACES = 10_000;
    private static final String ORIGIN = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

    // errorsPerS: in + out errors per second; a sample with neither is left out of the mean.
    private static final String RAW = """
            SELECT date_bin(? * INTERVAL '1 second', at, %s) AS t,
                   avg(in_bps), max(in_bps), avg(out_bps), max(out_bps), avg(in_util_pct), avg(out_util_pct),
                   avg(coalesce(in_errors_ps, 0) + coalesce(out_errors_ps, 0))
                       FILTER (WHERE in_errors_ps IS NOT NULL OR out_errors_ps IS NOT NULL)
            FROM interface_samples
            WHERE device_id = ? AND if_index = ? AND at >= ?::timestamptz AND at < ?::timestamptz
            GROUP BY 1 ORDER BY 1 LIMIT ?""".formatted(ORIGIN);

    // The roll-ups' averages are weighted by the samples that had the value (rate_n, util_n, err_n).
    private static final String ROLLUP = """
            SELECT date_bin(? * INTERVAL '1 second', bucket, %s) AS t,
                   sum((in_bps_avg * rate_n)::numeric) FILTER (WHERE in_bps_avg IS NOT NULL)
                       / nullif(sum(rate_n) FILTER (WHERE in_bps_avg IS NOT NULL), 0),
                   max(in_bps_max),
                   sum((out_bps_avg * rate_n)::numeric) FILTER (WHERE out_bps_avg IS NOT NULL)
                       / nullif(sum(rate_n) FILTER (WHERE out_bps_avg IS NOT NULL), 0),
                   max(out_bps_max),
                   sum((in_util_pct_avg * util_n)::numeric) FILTER (WHERE in_util_pct_avg IS NOT NULL)
                       / nullif(sum(util_n) FILTER (WHERE in_util_pct_avg IS NOT NULL), 0),
                   sum((out_util_pct_avg * util_n)::numeric) FILTER (WHERE out_util_pct_avg IS NOT NULL)
                       / nullif(sum(util_n) FILTER (WHERE out_util_pct_avg IS NOT NULL), 0),
                   sum(((coalesce(in_errors_ps_avg, 0) + coalesce(out_errors_ps_avg, 0)) * err_n)::numeric)
                           FILTER (WHERE in_errors_ps_avg IS NOT NULL OR out_errors_ps_avg IS NOT NULL)
                       / nullif(sum(err_n) FILTER (WHERE in_errors_ps_avg IS NOT NULL OR out_errors_ps_avg IS NOT NULL), 0)
            FROM %s WHERE device_id = ? AND if_index = ? AND bucket >= ?::timestamptz AND bucket < ?::timestamptz
            GROUP BY 1 ORDER BY 1 LIMIT ?""";

    // The sink writes an interface's row with last_seen = the time of the sample written with it,
    // so the latest sample is found by the primary key from last_seen down (a day at most).
    private static final String LATEST = """
            SELECT i.if_index, i.name, i.descr, i.alias, i.speed_bps, i.admin_status, i.oper_status, i.role,
                   i.last_seen, s.at, s.in_bps, s.out_bps, s.in_util_pct, s.out_util_pct,
                   s.in_errors_ps, s.out_errors_ps, i.provider
            FROM interfaces i LEFT JOIN LATERAL (
                SELECT x.at, x.in_bps, x.out_bps, x.in_util_pct, x.out_util_pct, x.in_errors_ps, x.out_errors_ps
                FROM interface_samples x
                WHERE x.device_id = i.device_id AND x.if_index = i.if_index
                  AND x.at <= i.last_seen AND x.at > i.last_seen - INTERVAL '1 day'
                ORDER BY x.at DESC LIMIT 1) s ON true
            WHERE i.device_id = ? ORDER BY i.if_index LIMIT ?""";

    /**
     * One point: the bucket {@code [t, t + step)}. A value is {@code null} when no sample in the
     * bucket had it.
     *
     * @param t the bucket's start
     * @param inBps the mean inbound bits per second
     * @param inBpsMax the highest inbound bits per second of one sample in the bucket (the roll-ups keep
     *     each hour's and day's highest sample)
     * @param outBps the mean outbound bits per second
     * @param outBpsMax the highest outbound bits per second
     * @param utilInPct the mean inbound utilisation, 0-100 ({@code null} when the speed is unknown)
     * @param utilOutPct the mean outbound utilisation, 0-100
     * @param errorsPerS the mean of inbound plus outbound errors per second
     */
    public record Point(Instant t, Double inBps, Double inBpsMax, Double outBps, Double outBpsMax, Double utilInPct,
                        Double utilOutPct, Double errorsPerS) {
    }

    /**
     * The points of one read.
     *
     * @param source where they come from ({@code RAW}: {@code interface_samples}; {@code HOURLY}
     *     and {@code DAILY}: {@code interface_hourly} and {@code interface_daily})
     * @param points oldest first, buckets without samples left out; at most {@link #MAX_POINTS}
     */
    public record Series(DeviceHistory.Source source, List<Point> points) {
        /** Copies the points. */
        public Series {
            Objects.requireNonNull(source, "source");
            points = List.copyOf(points);
        }
    }

    /**
     * A stored interface with its latest sample. Text is {@code null} when the agent did not give
     * it; the sample's fields are {@code null} when no sample within a day of {@code lastSeen} is
     * kept, or the sample had no such rate.
     *
     * @param ifIndex the ifIndex
     * @param name ifName
     * @param descr ifDescr
     * @param alias ifAlias
     * @param speedBps the speed in bit/s
     * @param adminStatus ifAdminStatus name ({@code up}, {@code down}, {@code testing})
     * @param operStatus ifOperStatus name ({@code up}, {@code down}, {@code lowerLayerDown}...)
     * @param role the classification (such as {@code isp_uplink})
     * @param lastSeen the last poll that saw the interface
     * @param sampleAt the latest sample's time
     * @param inBps inbound bits per second
     * @param outBps outbound bits per second
     * @param utilInPct inbound utilisation, 0-100
     * @param utilOutPct outbound utilisation, 0-100
     * @param inErrorsPerS inbound errors per second
     * @param outErrorsPerS outbound errors per second
     * @param provider the {@code provider} the classification rule captured, or {@code null}
     */
    public record Stored(int ifIndex, String name, String descr, String alias, Long speedBps, String adminStatus,
                         String operStatus, String role, Instant lastSeen, Instant sampleAt, Double inBps,
                         Double outBps, Double utilInPct, Double utilOutPct, Double inErrorsPerS,
                         Double outErrorsPerS, String provider) {
    }

    /**
     * A bounded list of stored interfaces.
     *
     * @param interfaces by ifIndex, at most the limit asked for
     * @param truncated whether the device has more
     */
    public record StoredList(List<Stored> interfaces, boolean truncated) {
        /** Copies the list. */
        public StoredList {
            interfaces = List.copyOf(interfaces);
        }
    }

    private final DSLContext ctx;

    InterfaceHistory(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A device's stored interfaces, by ifIndex, each with its latest sample.
     *
     * @param device the device id
     * @param limit the most interfaces returned, 1 to {@link #MAX_INTERFACES}
     * @return the interfaces; empty when none is stored
     * @throws IllegalArgumentException when the limit is out of range
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public StoredList interfaces(UUID device, int limit) {
        Objects.requireNonNull(device, "device");
        if (limit < 1 || limit > MAX_INTERFACES) {
            throw new IllegalArgumentException("limit " + limit + " must be 1 to " + MAX_INTERFACES);
        }
        List<Stored> out = new ArrayList<>();
        for (Record r : ctx.fetch(LATEST, device, limit + 1)) {
            if (out.size() == limit) {
                return new StoredList(out, true);
            }
            OffsetDateTime at = r.get(9, OffsetDateTime.class);
            out.add(new Stored(r.get(0, Integer.class), r.get(1, String.class), r.get(2, String.class),
                    r.get(3, String.class), r.get(4, Long.class), r.get(5, String.class), r.get(6, String.class),
                    r.get(7, String.class), r.get(8, OffsetDateTime.class).toInstant(),
                    at == null ? null : at.toInstant(), r.get(10, Double.class), r.get(11, Double.class),
                    r.get(12, Double.class), r.get(13, Double.class), r.get(14, Double.class), r.get(15, Double.class),
                    r.get(16, String.class)));
        }
        return new StoredList(out, false);
    }

    /**
     * Whether an interface of a device is stored (in {@code interfaces}).
     *
     * @param device the device id
     * @param ifIndex the ifIndex
     * @return {@code true} when it is
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public boolean exists(UUID device, int ifIndex) {
        Objects.requireNonNull(device, "device");
        return ctx.fetchExists(ctx.selectOne().from("interfaces").where("device_id = ? AND if_index = ?", device, ifIndex));
    }

    /**
     * Reads an interface's points in {@code [from, to)}.
     *
     * @param device the device id
     * @param ifIndex the ifIndex
     * @param from the start (inclusive); align it on the step for a whole first bucket
     * @param to the end (exclusive)
     * @param step the bucket width: 1 s to 3650 days, whole seconds
     * @return the series; empty points when nothing is stored for that range
     * @throws IllegalArgumentException when the step is out of range or {@code from} is not before {@code to}
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public Series read(UUID device, int ifIndex, Instant from, Instant to, Duration step) {
        Objects.requireNonNull(device, "device");
        if (step == null || step.toSeconds() < 1 || step.toSeconds() > 3650L * 86_400 || step.getNano() != 0) {
            throw new IllegalArgumentException("step " + step + ": must be whole seconds, 1 s to 3650 days");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from " + from + " is not before to " + to);
        }
        DeviceHistory.Source source = DeviceHistory.Source.forStep(step);
        String sql = switch (source) {
            case RAW -> RAW;
            case HOURLY -> ROLLUP.formatted(ORIGIN, "interface_hourly");
            case DAILY -> ROLLUP.formatted(ORIGIN, "interface_daily");
        };
        List<Point> points = new ArrayList<>();
        for (Record r : ctx.fetch(sql, step.toSeconds(), device, ifIndex, ts(from), ts(to), MAX_POINTS)) {
            points.add(new Point(r.get(0, OffsetDateTime.class).toInstant(), r.get(1, Double.class),
                    r.get(2, Double.class), r.get(3, Double.class), r.get(4, Double.class), r.get(5, Double.class),
                    r.get(6, Double.class), r.get(7, Double.class)));
        }
        return new Series(source, points);
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
