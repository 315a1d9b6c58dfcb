package io.github.wardops.ward.postgres.internal.db;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * Daily partitions of the time-partitioned tables: {@code <table>_pYYYYMMDD} holds
 * {@code [day 00:00 UTC, next day 00:00 UTC)}. Creating is idempotent; old partitions are
 * dropped whole (no DELETE). Thread-safe.
 */
public final class Partitions {
    /** The tables partitioned by day. */
    public static final List<String> TABLES = List.of("ping_results", "interface_samples", "snmp_values");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern NAME = Pattern.compile("(.+)_p([0-9]{8})");
    private static final int KNOWN_CAP = 4_096;

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * The partition name for a table and day.
     *
     * @param table the parent table
     * @param day the UTC day
     * @return the name
     */
    public static String name(String table, LocalDate day) {
        return table + "_p" + day.format(DAY);
    }

    /**
     * The UTC day of an instant.
     *
     * @param at the instant
     * @return the day
     */
    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * Makes sure the partition for a day exists (remembered once seen, so the common case costs
     * no query).
     *
     * @param ctx the database, outside any transaction
     * @param table the parent table (one of {@link #TABLES})
     * @param day the day
     * @return {@code true} when this call created it
     */
    public boolean ensure(DSLContext ctx, String table, LocalDate day) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a partitioned table: " + table);
        }
        String name = name(table, day);
        if (known.contains(name)) {
            return false;
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean exists = ctx.fetchExists(ctx.selectOne().from("pg_class").where("relname = ?", name));
        boolean created = false;
        if (!exists) {
            try {
                ctx.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table
                        + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
                created = true;
            } catch (RuntimeException e) {
                // another writer created it at the same moment: fine if it exists now
                if (!ctx.fetchExists(ctx.selectOne().from("pg_class").where("relname = ?", name))) {
                    throw e;
                }
            }
        }
        if (known.size() >= KNOWN_CAP) {
            known.clear();
        }
        known.add(name);
        return created;
    }

    /**
     * The existing daily partitions of a table.
     *
     * @param ctx the database
     * @param table the parent table
     * @return the days, ascending
     */
    public List<LocalDate> list(DSLContext ctx, String table) {
        List<LocalDate> days = new ArrayList<>();
        for (org.jooq.Record r : ctx.fetch(
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ? AND c.relkind = 'r'", table)) {
            Matcher m = NAME.matcher(r.get(0, String.class));
            if (m.matches() && m.group(1).equals(table)) {
                days.add(LocalDate.parse(m.group(2), DAY));
            }
        }
        days.sort(null);
        return days;
    }

    /**
     * Drops a table's partitions whose whole day is before {@code keepFrom}.
     *
     * @param ctx the database
     * @param table the parent table
     * @param keepFrom the first day to keep
     * @return the dropped partition names
     */
    public List<String> dropBefore(DSLContext ctx, String table, LocalDate keepFrom) {
        List<String> dropped = new ArrayList<>();
        for (LocalDate d : list(ctx, table)) {
            if (d.isBefore(keepFrom)) {
                String name = name(table, d);
                ctx.execute("DROP TABLE IF EXISTS " + name);
                known.remove(name);
                dropped.add(name);
            }
        }
        return dropped;
    }

    /** Forgets which partitions were seen (after the database was replaced, say). */
    public void forget() {
        known.clear();
    }
}
