package io.github.wardops.ward.postgres;

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
 * A device's events over a range, merged in time order from {@code state_changes} (the device's
 * and its interfaces' status and flapping changes), {@code alerts} (each alert gives an event
 * when it opened and another when it was resolved) and {@code traps} (SNMP traps matched to it). Bounded: at most the limit asked for, and
 * the answer says when more were in the range. Each read first writes the state and alert changes
 * still queued, so it sees every change made before it. Thread-safe (every call is one query on the pool).
 */
public final class DeviceEvents {
    /** The most events one read returns. */
    public static final int MAX_LIMIT = 10_000;

    // Each branch is cut to limit + 1 rows in the wanted order before the merge, so the query
    // reads at most 4 x (limit + 1) rows whatever the range holds. Ties: state changes before
    // alert openings before resolutions before traps, then in the order they were written.
    private static final String SQL = """
            SELECT at, kind, if_index, from_status, to_status, flapping, reason, alert_id, rule, severity,
                   message, since, resolution, trap, trap_oid
            FROM (
                (SELECT at, 0 AS kind, if_index, from_status, to_status, flapping, reason, NULL::uuid AS alert_id,
                        NULL::text AS rule, NULL::text AS severity, NULL::text AS message, since,
                        NULL::text AS resolution, NULL::text AS trap, NULL::text AS trap_oid, id
                 FROM state_changes WHERE device_id = ? AND at >= ?::timestamptz AND at < ?::timestamptz
                 ORDER BY at %1$s, id %1$s LIMIT ?)
                UNION ALL
                (SELECT opened_at, 1, if_index, NULL, NULL, NULL, NULL, alert_id, rule, severity, message, since,
                        NULL, NULL, NULL, id
                 FROM alerts WHERE device_id = ? AND since < ?::timestamptz
                   AND opened_at >= ?::timestamptz AND opened_at < ?::timestamptz
                 ORDER BY opened_at %1$s, id %1$s LIMIT ?)
                UNION ALL
                (SELECT resolved_at, 2, if_index, NULL, NULL, NULL, NULL, alert_id, rule, severity, message, since,
                        resolution, NULL, NULL, id
                 FROM alerts WHERE device_id = ? AND since < ?::timestamptz
                   AND resolved_at >= ?::timestamptz AND resolved_at < ?::timestamptz
                 ORDER BY resolved_at %1$s, id %1$s LIMIT ?)
                UNION ALL
                (SELECT at, 3, coalesce(if_index, 0), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                        kind, trap_oid, id
                 FROM traps WHERE device_id = ? AND at >= ?::timestamptz AND at < ?::timestamptz
                 ORDER BY at %1$s, id %1$s LIMIT ?)
            ) e
            ORDER BY at %1$s, kind %1$s, id %1$s LIMIT ?""";

    /** What an event is. */
    public enum Kind {
        /** A status or flapping change ({@code state_changes}). */
        STATE,
        /** An alert opened. */
        ALERT_OPENED,
        /** An alert was resolved. */
        ALERT_RESOLVED,
        /** An SNMP trap or inform of the device ({@code traps}). */
        TRAP
    }

    /**
     * One event. Fields that do not apply to its kind are {@code null}.
     *
     * @param at when it happened
     * @param kind what it is
     * @param ifIndex the interface it is about, 0 for the device itself
     * @param from {@code STATE}: the old status ({@code UP}, {@code DOWN}, {@code UNREACHABLE}, {@code UNKNOWN})
     * @param to {@code STATE}: the new status (equal to {@code from} for a flapping change)
     * @param flapping {@code STATE}: whether it was flapping after the change
     * @param reason {@code STATE}: why, in a few words (never a secret)
     * @param alertId the alert's id (alert events)
     * @param rule the alert's rule (alert events)
     * @param severity the alert's severity (alert events)
     * @param message the alert's message (alert events)
     * @param since {@code STATE}: when the new status began (the first failed probe for DOWN),
     *     if stored; alerts: when their condition began
     * @param resolution {@code ALERT_RESOLVED}: why it was resolved, if stored
     * @param trap {@code TRAP}: linkDown, linkUp, coldStart, warmStart, authenticationFailure or other
     * @param trapOid {@code TRAP}: the notification OID
     */
    public record Event(Instant at, Kind kind, int ifIndex, String from, String to, Boolean flapping, String reason,
                        UUID alertId, String rule, String severity, String message, Instant since,
                        String resolution, String trap, String trapOid) {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code at} or {@code kind} is null
         */
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * The events of one read.
     *
     * @param events in time order (as asked), at most the limit
     * @param truncated whether the range held more events than the limit
     */
    public record Page(List<Event> events, boolean truncated) {
        /** Copies the events. */
        public Page {
            events = List.copyOf(events);
        }
    }

    private final DSLContext ctx;
    private final Runnable flush;

    DeviceEvents(DSLContext ctx, Runnable flush) {
        this.ctx = ctx;
        this.flush = flush;
    }

    /**
     * Reads a device's events in {@code [from, to)}.
     *
     * @param device the device id
     * @param from the start (inclusive)
     * @param to the end (exclusive)
     * @param limit the most events returned, 1 to {@link #MAX_LIMIT}
     * @param newestFirst {@code true} for the newest first (a limit then keeps the newest), else
     *     the oldest first
     * @return the events
     * @throws IllegalArgumentException when the limit is out of range or {@code from} is not before {@code to}
     * @throws io.github.wardops.ward.WardException when the queued changes cannot be written first
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public Page read(UUID device, Instant from, Instant to, int limit, boolean newestFirst) {
        Objects.requireNonNull(device, "device");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " must be 1 to " + MAX_LIMIT);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from " + from + " is not before to " + to);
        }
        flush.run();
        String sql = SQL.formatted(newestFirst ? "DESC" : "ASC");
        OffsetDateTime f = ts(from);
        OffsetDateTime t = ts(to);
        int n = limit + 1;
        List<Event> out = new ArrayList<>();
        for (Record r : ctx.fetch(sql, device, f, t, n, device, t, f, t, n, device, t, f, t, n, device, f, t, n, n)) {
            if (out.size() == limit) {
                return new Page(out, true);
            }
            OffsetDateTime since = r.get(11, OffsetDateTime.class);
            out.add(new Event(r.get(0, OffsetDateTime.class).toInstant(), Kind.values()[r.get(1, Integer.class)],
                    r.get(2, Integer.class), r.get(3, String.class), r.get(4, String.class), r.get(5, Boolean.class),
                    r.get(6, String.class), r.get(7, UUID.class), r.get(8, String.class), r.get(9, String.class),
                    r.get(10, String.class), since == null ? null : since.toInstant(), r.get(12, String.class),
                    r.get(13, String.class), r.get(14, String.class)));
        }
        return new Page(out, false);
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
