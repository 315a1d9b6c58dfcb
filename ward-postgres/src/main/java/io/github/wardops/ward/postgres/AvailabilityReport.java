package io.github.wardops.ward.postgres;

import io.github.wardops.ward.postgres.internal.db.AvailabilitySql;
import java.time.InstantSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;

/**
 * Availability, downtime, outages and MTTR per group of devices over a range, as defined in
 * {@code docs/availability.md}: the share of the monitored time a device was UP, from the
 * roll-ups ({@code device_daily} for whole UTC days, {@code device_hourly} for whole hours) and
 * from {@code state_changes} for partial hours and hours not rolled up yet; outages are the
 * intervals spent DOWN (or DOWN or UNREACHABLE, as asked), clipped to the range. UNKNOWN time
 * and time without results count neither for nor against a device. The devices and their groups
 * are given by the caller (its inventory), so a group is any label's value. One SQL statement per
 * read; at most {@link #MAX_ROWS} rows per read (page with {@link Query#offset()}). Thread-safe.
 */
public final class AvailabilityReport {
    /** The most rows one read returns. */
    public static final int MAX_ROWS = 10_000;
    /** The work memory of a read's transaction, in MB (PostgreSQL's {@code work_mem}, per sort or hash). */
    static final int WORK_MEM_MB = 64;

    /** How time UNREACHABLE (dark because the device it is reached through is down) counts. */
    public enum Unreachable {
        /**
         * Left out, like UNKNOWN: neither available nor down. The outage is the parent's, counted
         * once on the parent, not again on every device behind it (the default).
         */
        EXCLUDED,
        /** Counted as down: the view of a user of the device, whose service was out either way. */
        DOWN
    }

    /** What rows are sorted by; ties by group, missing values last. */
    public enum Sort {
        /** The group's name. */
        GROUP("grp"),
        /** The number of devices. */
        DEVICES("devices"),
        /** Availability in percent. */
        AVAILABILITY("pct"),
        /** Seconds down. */
        DOWNTIME("downtime"),
        /** Number of outages. */
        OUTAGES("outages"),
        /** Mean outage duration. */
        MTTR("mttr"),
        /** Longest outage. */
        LONGEST_OUTAGE("longest");

        private final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    /**
     * One read.
     *
     * @param from the start (inclusive); never {@code null}
     * @param to the end (exclusive), after {@code from}; a time after now is read up to now
     * @param groups the devices to report on, each with its group (a label's value, the device
     *     id, or {@code ""} for devices without one); never {@code null}, may be empty
     * @param unreachable how UNREACHABLE counts; never {@code null}
     * @param sort the sort key; never {@code null}
     * @param descending whether the sort is descending
     * @param offset the rows to skip, 0 or more
     * @param limit the most rows returned, 1 to {@link #MAX_ROWS}
     */
    public record Query(Instant from, Instant to, Map<UUID, String> groups, Unreachable unreachable, Sort sort,
                        boolean descending, int offset, int limit) {
        /**
         * Checks the components (each is described on the record) and copies the groups.
         *
         * @throws NullPointerException if a component or a group is null
         * @throws IllegalArgumentException if {@code from} is not before {@code to}, or the offset
         *     or limit is out of range
         */
        public Query {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(unreachable, "unreachable");
            Objects.requireNonNull(sort, "sort");
            groups = Map.copyOf(groups);
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from " + from + " is not before to " + to);
            }
            if (offset < 0 || limit < 1 || limit > MAX_ROWS) {
                throw new IllegalArgumentException("offset " + offset + " and limit " + limit
                        + ": offset 0 or more, limit 1 to " + MAX_ROWS);
            }
        }
    }

    /**
     * One group's figures. Seconds are of monitored time within the range.
     *
     * @param group the group
     * @param devices the devices in it
     * @param availabilityPct UP seconds over UP and DOWN seconds (and UNREACHABLE ones when they
     *     count as down) in percent, 0-100; {@code null} when none of them was known
     * @param upSeconds seconds UP
     * @param downSeconds seconds DOWN
     * @param unreachableSeconds seconds UNREACHABLE
     * @param unknownSeconds seconds UNKNOWN (left out of the measure)
     * @param downtimeSeconds seconds DOWN, plus UNREACHABLE ones when they count as down
     * @param outages outages overlapping the range (one still running at its start or end counts)
     * @param mttrSeconds the mean outage duration within the range (downtime over outages);
     *     {@code null} without outages
     * @param longestOutageSeconds the longest outage of any of its devices, clipped to the range
     */
    public record Row(String group, int devices, Double availabilityPct, double upSeconds, double downSeconds,
                      double unreachableSeconds, double unknownSeconds, double downtimeSeconds, long outages,
                      Double mttrSeconds, double longestOutageSeconds) {
    }

    /**
     * A read's answer.
     *
     * @param from the range's start
     * @param to the range's end as read (the asked end, or now when that was later)
     * @param groups how many groups there are in all (rows are one page of them); 0 when the
     *     page is past the last group
     * @param rows the page of rows, sorted
     */
    public record Report(Instant from, Instant to, int groups, List<Row> rows) {
        /** Copies the rows. */
        public Report {
            rows = List.copyOf(rows);
        }
    }

    private final DSLContext ctx;
    private final InstantSource clock;

    AvailabilityReport(DSLContext ctx, InstantSource clock) {
        this.ctx = ctx;
        this.clock = clock;
    }

    /**
     * Reads the report.
     *
     * @param q the query; never {@code null}
     * @return the report
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public Report read(Query q) {
        Instant now = clock.instant();
        Instant end = q.to().isAfter(now) ? now : q.to();
        if (end.isBefore(q.from())) {
            end = q.from();
        }
        UUID[] ids = new UUID[q.groups().size()];
        String[] groups = new String[ids.length];
        int i = 0;
        for (Map.Entry<UUID, String> e : q.groups().entrySet()) {
            ids[i] = e.getKey();
            groups[i++] = e.getValue();
        }
        List<Row> rows = new ArrayList<>();
        int total = 0;
        Instant e = end;
        // the statement's settings, for this transaction only (AvailabilitySql.configure)
        Result<Record> result = ctx.transactionResult(cfg -> {
            AvailabilitySql.configure(cfg.dsl(), WORK_MEM_MB);
            return AvailabilitySql.run(cfg.dsl(), q.from(), e, ids, groups, q.unreachable() == Unreachable.DOWN,
                    q.sort().column, q.descending(), q.offset(), q.limit());
        });
        for (Record r : result) {
            total = r.get("total", Integer.class);
            rows.add(new Row(r.get("grp", String.class), r.get("devices", Integer.class), r.get("pct", Double.class),
                    r.get("up", Double.class), r.get("down", Double.class), r.get("unr", Double.class),
                    r.get("unk", Double.class), r.get("downtime", Double.class), r.get("outages", Long.class),
                    r.get("mttr", Double.class), r.get("longest", Double.class)));
        }
        return new Report(q.from(), end, total, rows);
    }
}
