package io.github.wardops.ward.postgres.internal.state;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.NOTIFICATION_LOG;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.notify.NotificationLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * {@link NotificationLog} over the {@code notification_log} table (V11), fleet-wide: every call
 * reads or writes the table at once. {@link #append} returns once the row is committed, so a
 * restart (or another runner) finds it. "Last" and "newest first" are the order entries were
 * appended in (the identity column), as in the in-memory log. A NULL alert id inside a row's
 * arrays (written by SQL) is left out of the entry, counted in
 * {@code ward.storage.rows.partly_read{table=notification_log}}. Thread-safe.
 */
public final class PgNotificationLog implements NotificationLog {
    /**
     * The entries sent before a cut-off that may go: all but the last one of each (receiver, group)
     * that still names a firing alert. The newer entry is found on notification_log_last_idx.
     */
    private static final String REMOVE_SQL = """
            DELETE FROM notification_log WHERE id IN (
                SELECT l.id FROM notification_log l
                WHERE l.sent_at < ?::timestamptz
                  AND (cardinality(l.firing) = 0
                       OR EXISTS (SELECT 1 FROM notification_log n
                                  WHERE n.receiver = l.receiver AND n.group_key = l.group_key AND n.id > l.id))
                LIMIT %d)
            """;

    private final DSLContext ctx;
    private final Unreadable unreadable;
    private final NotifyDb db;

    /**
     * Creates the log.
     *
     * @param ctx the database
     * @param ensureSchema migrates the schema if it was not yet (the database was away at open)
     * @param ticker paces the warnings
     * @param registry the meter registry
     */
    public PgNotificationLog(DSLContext ctx, Runnable ensureSchema, Ticker ticker, MeterRegistry registry) {
        this.ctx = ctx;
        this.unreadable = new Unreadable(registry, "notification_log",
                new LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker));
        this.db = new NotifyDb(ensureSchema, registry, "notification_log");
    }

    @Override
    public Optional<Entry> last(String receiver, String groupKey) {
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(groupKey, "groupKey");
        List<Record> rows = db.call("read the notification log", () -> ctx.select().from(NOTIFICATION_LOG)
                .where(NOTIFICATION_LOG.RECEIVER.eq(receiver)).and(NOTIFICATION_LOG.GROUP_KEY.eq(groupKey))
                .orderBy(NOTIFICATION_LOG.ID.desc()).limit(1).fetch());
        return read(rows).stream().findFirst();
    }

    @Override
    public void append(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        UUID[] firing = sorted(entry.firing());
        UUID[] resolved = sorted(entry.resolved());
        db.call("append to the notification log", () -> ctx.insertInto(NOTIFICATION_LOG)
                .set(NOTIFICATION_LOG.RECEIVER, entry.receiver()).set(NOTIFICATION_LOG.GROUP_KEY, entry.groupKey())
                .set(NOTIFICATION_LOG.FIRING, firing).set(NOTIFICATION_LOG.RESOLVED, resolved)
                .set(NOTIFICATION_LOG.REASON, entry.reason())
                .set(NOTIFICATION_LOG.SENT_AT, NotifyDb.micros(entry.sentAt()))
                .execute());
    }

    /** On the GIN index of {@code firing || resolved}; newest first, the limit applied by the database. */
    @Override
    public List<Entry> forAlert(UUID alertId, int limit) {
        Objects.requireNonNull(alertId, "alertId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit = " + limit + ": must be at least 1");
        }
        List<Record> rows = db.call("read the notification log", () -> ctx.select().from(NOTIFICATION_LOG)
                .where(DSL.condition("(firing || resolved) @> ARRAY[{0}]::uuid[]", DSL.val(alertId)))
                .orderBy(NOTIFICATION_LOG.ID.desc()).limit(limit).fetch());
        return read(rows);
    }

    /** The newest row of each (receiver, group), on the (receiver, group_key, id desc) index, kept when it names firing alerts. */
    @Override
    public List<Entry> stillFiring(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit = " + limit + ": must be at least 1");
        }
        List<Record> rows = db.call("read the notification log", () -> ctx.select().from(NOTIFICATION_LOG)
                .where(NOTIFICATION_LOG.ID.in(DSL.select(DSL.max(NOTIFICATION_LOG.ID)).from(NOTIFICATION_LOG)
                        .groupBy(NOTIFICATION_LOG.RECEIVER, NOTIFICATION_LOG.GROUP_KEY)))
                .and(DSL.condition("cardinality({0}) > 0", NOTIFICATION_LOG.FIRING))
                .orderBy(NOTIFICATION_LOG.ID.desc()).limit(limit).fetch());
        return read(rows);
    }

    @Override
    public int removeBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        long n = db.call("remove old notification log entries", () -> removeBefore(ctx, before));
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /**
     * {@link NotificationLog#removeBefore}'s rule on a given connection (the maintenance job's), a
     * batch of rows per statement so no statement runs long.
     *
     * @param ctx the database
     * @param before the cut-off
     * @return rows deleted
     */
    public static long removeBefore(DSLContext ctx, Instant before) {
        return NotifyDb.deleteInBatches(ctx, REMOVE_SQL, before);
    }

    private List<Entry> read(List<Record> rows) {
        Unreadable.Read read = unreadable.read();
        List<Entry> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            String row = "entry " + r.get(NOTIFICATION_LOG.ID);
            try {
                out.add(new Entry(r.get(NOTIFICATION_LOG.RECEIVER), r.get(NOTIFICATION_LOG.GROUP_KEY),
                        ids(r.get(NOTIFICATION_LOG.FIRING), read, row), ids(r.get(NOTIFICATION_LOG.RESOLVED), read, row),
                        r.get(NOTIFICATION_LOG.REASON), r.get(NOTIFICATION_LOG.SENT_AT)));
            } catch (RuntimeException e) {
                read.skip(row, Unreadable.printable(e.getMessage()));
            }
        }
        read.done();
        return out;
    }

    private static Set<UUID> ids(UUID[] a, Unreadable.Read read, String row) {
        if (a == null) {
            return Set.of();
        }
        Set<UUID> s = Arrays.stream(a).filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
        if (s.size() < a.length && Arrays.stream(a).anyMatch(Objects::isNull)) {
            read.partly(row, "a NULL alert id was left out");
        }
        return s;
    }

    private static UUID[] sorted(Set<UUID> ids) {
        UUID[] a = ids.toArray(UUID[]::new);
        Arrays.sort(a);
        return a;
    }
}
