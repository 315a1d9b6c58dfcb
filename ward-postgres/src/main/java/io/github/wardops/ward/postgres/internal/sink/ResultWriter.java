package io.github.wardops.ward.postgres.internal.sink;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.PING_RESULTS;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.SNMP_VALUES;

import io.github.wardops.ward.postgres.WriteMode;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep10;
import org.jooq.InsertValuesStep5;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.PingResultsRecord;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.SnmpValuesRecord;

/**
 * Writes batches of results in one short transaction each: partitions are made sure of first
 * (outside the transaction), then the rows go in so that replaying a batch never duplicates rows.
 * INSERT mode: multi-row INSERTs through jOOQ with {@code ON CONFLICT DO NOTHING}. COPY mode: COPY
 * straight into the tables; when that hits a duplicate key (the batch, or part of it, is stored
 * already: a replay) the transaction is rolled back and the batch goes through a temporary
 * staging table and one {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}. Not thread-safe
 * (one sink thread).
 */
public final class ResultWriter {
    /** Rows per multi-row INSERT statement (10 bind values each; far under PostgreSQL's 65,535). */
    static final int INSERT_CHUNK = 1_000;

    /** What one write stored. */
    public record Written(int pingRows, int valueRows, int expiredRows) {
    }

    private final DSLContext ctx;
    private final WriteMode mode;
    private final Partitions partitions;
    private final BiPredicate<String, LocalDate> dayAccepted;
    private final Consumer<Connection> evict;

    /**
     * Creates a writer.
     *
     * @param ctx the database
     * @param mode COPY or INSERT
     * @param partitions the partition helper
     * @param dayAccepted whether a row of that table and UTC day is kept (not past retention)
     * @param evict removes a broken connection from the pool: COPY runs on the driver's own
     *     connection, so the pool does not see its I/O errors
     */
    public ResultWriter(DSLContext ctx, WriteMode mode, Partitions partitions,
                        BiPredicate<String, LocalDate> dayAccepted, Consumer<Connection> evict) {
        this.evict = evict;
        this.ctx = ctx;
        this.mode = mode;
        this.partitions = partitions;
        this.dayAccepted = dayAccepted;
    }

    /**
     * Writes a batch.
     *
     * @param batch the results
     * @return the rows written and skipped
     */
    public Written write(List<ProbeResult> batch) {
        Rows.Split all = Rows.split(batch);
        List<Rows.Ping> pings = new ArrayList<>(all.pings().size());
        List<Rows.Value> values = new ArrayList<>(all.values().size());
        int expired = 0;
        Set<LocalDate> pingDays = new HashSet<>();
        Set<LocalDate> valueDays = new HashSet<>();
        for (Rows.Ping p : all.pings()) {
            LocalDate d = Partitions.day(p.at());
            if (dayAccepted.test("ping_results", d)) {
                pings.add(p);
                pingDays.add(d);
            } else {
                expired++;
            }
        }
        for (Rows.Value v : all.values()) {
            LocalDate d = Partitions.day(v.at());
            if (dayAccepted.test("snmp_values", d)) {
                values.add(v);
                valueDays.add(d);
            } else {
                expired++;
            }
        }
        if (pings.isEmpty() && values.isEmpty()) {
            return new Written(0, 0, expired);
        }
        for (int attempt = 0; ; attempt++) {
            for (LocalDate d : pingDays) {
                partitions.ensure(ctx, "ping_results", d);
            }
            for (LocalDate d : valueDays) {
                partitions.ensure(ctx, "snmp_values", d);
            }
            try {
                if (mode == WriteMode.COPY) {
                    try {
                        copy(pings, values, true);
                    } catch (RuntimeException e) {
                        if (!PgErrors.isUniqueViolation(e)) {
                            throw e;
                        }
                        // some rows are stored already (a replay): go through the staging table
                        copy(pings, values, false);
                    }
                } else {
                    insert(pings, values);
                }
                return new Written(pings.size(), values.size(), expired);
            } catch (RuntimeException e) {
                // a partition dropped behind ward's back: forget what was seen and create it again, once
                if (attempt > 0 || !PgErrors.isMissingPartition(e)) {
                    throw e;
                }
                partitions.forget();
            }
        }
    }

    private void insert(List<Rows.Ping> pings, List<Rows.Value> values) {
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            for (int from = 0; from < pings.size(); from += INSERT_CHUNK) {
                InsertValuesStep10<PingResultsRecord, java.util.UUID, String, Instant, String, Short, Short, Double,
                        Double, Double, Double> q = tx.insertInto(PING_RESULTS, PING_RESULTS.DEVICE_ID,
                        PING_RESULTS.CHECK_NAME, PING_RESULTS.AT, PING_RESULTS.STATUS, PING_RESULTS.SENT,
                        PING_RESULTS.RECEIVED, PING_RESULTS.RTT_MIN_MS, PING_RESULTS.RTT_AVG_MS,
                        PING_RESULTS.RTT_MAX_MS, PING_RESULTS.RTT_MDEV_MS);
                for (Rows.Ping p : pings.subList(from, Math.min(pings.size(), from + INSERT_CHUNK))) {
                    q = q.values(p.device(), p.check(), p.at(), p.status(), p.sent(), p.received(), p.rttMin(),
                            p.rttAvg(), p.rttMax(), p.rttMdev());
                }
                q.onConflictDoNothing().execute();
            }
            for (int from = 0; from < values.size(); from += INSERT_CHUNK) {
                InsertValuesStep5<SnmpValuesRecord, java.util.UUID, String, String, Instant, Double> q =
                        tx.insertInto(SNMP_VALUES, SNMP_VALUES.DEVICE_ID, SNMP_VALUES.CHECK_NAME, SNMP_VALUES.ITEM,
                                SNMP_VALUES.AT, SNMP_VALUES.VALUE);
                for (Rows.Value v : values.subList(from, Math.min(values.size(), from + INSERT_CHUNK))) {
                    q = q.values(v.device(), v.check(), v.item(), v.at(), v.value());
                }
                q.onConflictDoNothing().execute();
            }
        });
    }

    /**
     * COPY in one transaction. {@code direct}: straight into the tables, the fast path, which fails
     * whole on a duplicate key; otherwise through temporary staging tables and
     * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}.
     */
    private void copy(List<Rows.Ping> pings, List<Rows.Value> values, boolean direct) {
        ctx.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                try (Statement st = c.createStatement()) {
                    if (!pings.isEmpty()) {
                        if (!direct) {
                            st.execute("CREATE TEMP TABLE IF NOT EXISTS ward_stage_ping (LIKE ping_results) "
                                    + "ON COMMIT DELETE ROWS");
                        }
                        StringBuilder sb = new StringBuilder(pings.size() * 120);
                        for (Rows.Ping p : pings) {
                            sb.append(p.device()).append('\t');
                            text(sb, p.check());
                            sb.append('\t').append(p.at()).append('\t').append(p.status()).append('\t')
                                    .append(p.sent()).append('\t').append(p.received()).append('\t');
                            num(sb, p.rttMin());
                            sb.append('\t');
                            num(sb, p.rttAvg());
                            sb.append('\t');
                            num(sb, p.rttMax());
                            sb.append('\t');
                            num(sb, p.rttMdev());
                            sb.append('\n');
                        }
                        if (direct) {
                            copy.copyIn("COPY ping_results FROM STDIN", new StringReader(sb.toString()));
                        } else {
                            copy.copyIn("COPY ward_stage_ping FROM STDIN", new StringReader(sb.toString()));
                            st.execute("INSERT INTO ping_results SELECT * FROM ward_stage_ping ON CONFLICT DO NOTHING");
                        }
                    }
                    if (!values.isEmpty()) {
                        if (!direct) {
                            st.execute("CREATE TEMP TABLE IF NOT EXISTS ward_stage_values (LIKE snmp_values) "
                                    + "ON COMMIT DELETE ROWS");
                        }
                        StringBuilder sb = new StringBuilder(values.size() * 100);
                        for (Rows.Value v : values) {
                            sb.append(v.device()).append('\t');
                            text(sb, v.check());
                            sb.append('\t');
                            text(sb, v.item());
                            sb.append('\t').append(v.at()).append('\t');
                            num(sb, v.value());
                            sb.append('\n');
                        }
                        if (direct) {
                            copy.copyIn("COPY snmp_values FROM STDIN", new StringReader(sb.toString()));
                        } else {
                            copy.copyIn("COPY ward_stage_values FROM STDIN", new StringReader(sb.toString()));
                            st.execute("INSERT INTO snmp_values SELECT * FROM ward_stage_values ON CONFLICT DO NOTHING");
                        }
                    }
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                if (e instanceof IOException || PgErrors.isTransient(e)) {
                    evict.accept(c);
                }
                if (e instanceof IOException io) {
                    throw new SQLException("COPY failed: " + io.getMessage(), "08006", io);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool evicts it
                }
            }
        });
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    /** COPY text format: escape backslash, tab, newline and carriage return. */
    private static void text(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
    }

    private static void num(StringBuilder sb, Double d) {
        if (d == null) {
            sb.append("\\N");
        } else {
            sb.append(d.doubleValue());
        }
    }
}
