package io.github.wardops.ward.postgres.internal.sink;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.INTERFACES;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.PING_RESULTS;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.SNMP_VALUES;

import io.github.wardops.ward.postgres.WriteMode;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.postgres.internal.db.SampleRows;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.InsertValuesStep10;
import org.jooq.InsertValuesStep5;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.InterfacesRecord;
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

    /**
     * What one write stored.
     *
     * @param pingRows ping_results rows sent
     * @param valueRows snmp_values rows sent
     * @param sampleRows interface_samples rows sent
     * @param interfaceRows interfaces rows upserted
     * @param expiredRows rows skipped as past retention (or too far ahead)
     * @param invalidValues malformed values stored as NULL or left out
     * @param refusedRows interfaces left out as malformed (bad or repeated ifIndex)
     */
    public record Written(int pingRows, int valueRows, int sampleRows, int interfaceRows, int expiredRows,
                          int invalidValues, int refusedRows) {
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

    /** The rows of one write, after the retention check. */
    private record Batch(List<Rows.Ping> pings, List<Rows.Value> values, List<SampleRows.Row> samples,
                         List<Rows.Iface> ifaces) {
        boolean isEmpty() {
            return pings.isEmpty() && values.isEmpty() && samples.isEmpty() && ifaces.isEmpty();
        }
    }

    /**
     * Writes a batch.
     *
     * @param batch the results
     * @return the rows written and skipped
     */
    public Written write(List<ProbeResult> batch) {
        Rows.Split all = Rows.split(batch);
        int[] expired = new int[1];
        Map<String, Set<LocalDate>> days = new LinkedHashMap<>();
        List<Rows.Ping> pings = accepted("ping_results", all.pings(), Rows.Ping::at, days, expired);
        List<Rows.Value> values = accepted("snmp_values", all.values(), Rows.Value::at, days, expired);
        List<SampleRows.Row> samples = accepted("interface_samples", all.samples(), SampleRows.Row::at, days, expired);
        // one upsert per interface: the latest poll of the batch, discovered at its earliest (a batch, or a
        // replay, may bring several polls of a device)
        Map<String, Rows.Iface> latest = new LinkedHashMap<>();
        for (Rows.Iface i : all.ifaces()) {
            if (dayAccepted.test("interface_samples", Partitions.day(i.at()))) {
                latest.merge(i.device() + "/" + i.ifIndex(), i, Rows.Iface::merge);
            }
        }
        Batch rows = new Batch(pings, values, samples, new ArrayList<>(latest.values()));
        if (rows.isEmpty()) {
            return new Written(0, 0, 0, 0, expired[0], all.invalidValues(), all.refusedRows());
        }
        for (int attempt = 0; ; attempt++) {
            days.forEach((table, ds) -> ds.forEach(d -> partitions.ensure(ctx, table, d)));
            try {
                if (mode == WriteMode.COPY) {
                    try {
                        copy(rows, true);
                    } catch (RuntimeException e) {
                        if (!PgErrors.isUniqueViolation(e)) {
                            throw e;
                        }
                        // some rows are stored already (a replay): go through the staging tables
                        copy(rows, false);
                    }
                } else {
                    insert(rows);
                }
                return new Written(pings.size(), values.size(), samples.size(), rows.ifaces().size(), expired[0],
                        all.invalidValues(), all.refusedRows());
            } catch (RuntimeException e) {
                // a partition dropped behind ward's back: forget what was seen and create it again, once
                if (attempt > 0 || !PgErrors.isMissingPartition(e)) {
                    throw e;
                }
                partitions.forget();
            }
        }
    }

    private <T> List<T> accepted(String table, List<T> rows, Function<T, Instant> at, Map<String, Set<LocalDate>> days,
                                 int[] expired) {
        List<T> out = new ArrayList<>(rows.size());
        for (T r : rows) {
            LocalDate d = Partitions.day(at.apply(r));
            if (dayAccepted.test(table, d)) {
                out.add(r);
                days.computeIfAbsent(table, t -> new HashSet<>()).add(d);
            } else {
                expired[0]++;
            }
        }
        return out;
    }

    private void insert(Batch rows) {
        List<Rows.Ping> pings = rows.pings();
        List<Rows.Value> values = rows.values();
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
            SampleRows.insert(tx, rows.samples());
            List<InterfacesRecord> ifaces = rows.ifaces().stream().map(ResultWriter::record).toList();
            Map<Field<?>, Field<?>> update = new LinkedHashMap<>();
            for (Field<?> f : INTERFACE_UPDATED) {
                update.put(f, DSL.excluded(f));
            }
            for (int from = 0; from < ifaces.size(); from += INSERT_CHUNK / 2) {
                var q = tx.insertInto(INTERFACES).set(ifaces.get(from));
                for (InterfacesRecord r : ifaces.subList(from + 1, Math.min(ifaces.size(), from + INSERT_CHUNK / 2))) {
                    q = q.newRecord().set(r);
                }
                q.onConflict(INTERFACES.DEVICE_ID, INTERFACES.IF_INDEX).doUpdate().set(update)
                        .where(INTERFACES.LAST_SEEN.le(DSL.excluded(INTERFACES.LAST_SEEN))).execute();
            }
        });
    }

    /** What a later poll of a known interface refreshes (everything but the key and discovered_at). */
    private static final List<Field<?>> INTERFACE_UPDATED = List.of(INTERFACES.NAME, INTERFACES.DESCR,
            INTERFACES.ALIAS, INTERFACES.IF_TYPE, INTERFACES.MTU, INTERFACES.SPEED_BPS, INTERFACES.MAC,
            INTERFACES.ADMIN_STATUS, INTERFACES.OPER_STATUS, INTERFACES.ROLE, INTERFACES.PROVIDER,
            INTERFACES.ATTRIBUTES, INTERFACES.LAST_SEEN);

    /** The interfaces columns the sink writes, in COPY order. */
    static final String IFACE_COLUMNS = "device_id, if_index, name, descr, alias, if_type, mtu, speed_bps, mac, "
            + "admin_status, oper_status, role, provider, attributes, discovered_at, last_seen";

    /** Upsert from the staging table; a replayed older poll never overwrites a newer one. */
    private static final String IFACE_UPSERT = "INSERT INTO interfaces (" + IFACE_COLUMNS + ") SELECT "
            + IFACE_COLUMNS + " FROM ward_stage_ifaces ON CONFLICT (device_id, if_index) DO UPDATE SET "
            + "name = EXCLUDED.name, descr = EXCLUDED.descr, alias = EXCLUDED.alias, if_type = EXCLUDED.if_type, "
            + "mtu = EXCLUDED.mtu, speed_bps = EXCLUDED.speed_bps, mac = EXCLUDED.mac, "
            + "admin_status = EXCLUDED.admin_status, oper_status = EXCLUDED.oper_status, role = EXCLUDED.role, "
            + "provider = EXCLUDED.provider, attributes = EXCLUDED.attributes, last_seen = EXCLUDED.last_seen "
            + "WHERE interfaces.last_seen <= EXCLUDED.last_seen";

    private static InterfacesRecord record(Rows.Iface i) {
        InterfacesRecord r = new InterfacesRecord();
        r.setDeviceId(i.device());
        r.setIfIndex(i.ifIndex());
        r.setName(i.name());
        r.setDescr(i.descr());
        r.setAlias(i.alias());
        r.setIfType(i.type());
        r.setMtu(i.mtu());
        r.setSpeedBps(i.speedBps());
        r.setMac(i.mac());
        r.setAdminStatus(i.adminStatus());
        r.setOperStatus(i.operStatus());
        r.setRole(i.role());
        r.setProvider(i.provider());
        r.setAttributes(JSONB.jsonb(i.attributesJson()));
        r.setDiscoveredAt(i.firstAt());
        r.setLastSeen(i.at());
        return r;
    }

    /**
     * COPY in one transaction. {@code direct}: straight into the results tables, the fast path,
     * which fails whole on a duplicate key; otherwise through temporary staging tables and
     * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}. Interfaces always go through their
     * staging table: they are upserted. The COPY text is built before the transaction opens.
     */
    private void copy(Batch rows, boolean direct) {
        String pingText = rows.pings().isEmpty() ? null : pingText(rows.pings());
        String valueText = rows.values().isEmpty() ? null : valueText(rows.values());
        String sampleText = rows.samples().isEmpty() ? null : SampleRows.copyText(rows.samples());
        String ifaceText = rows.ifaces().isEmpty() ? null : ifaceText(rows.ifaces());
        ctx.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                try (Statement st = c.createStatement()) {
                    copyInto(st, copy, "ping_results", "", "ward_stage_ping", pingText, direct);
                    copyInto(st, copy, "snmp_values", "", "ward_stage_values", valueText, direct);
                    copyInto(st, copy, "interface_samples", " (" + SampleRows.COLUMNS + ")", "ward_stage_samples",
                            sampleText, direct);
                    if (ifaceText != null) {
                        st.execute("CREATE TEMP TABLE IF NOT EXISTS ward_stage_ifaces (LIKE interfaces) "
                                + "ON COMMIT DELETE ROWS");
                        copy.copyIn("COPY ward_stage_ifaces (" + IFACE_COLUMNS + ") FROM STDIN",
                                new StringReader(ifaceText));
                        st.execute(IFACE_UPSERT);
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

    private static void copyInto(Statement st, CopyManager copy, String table, String columns, String stage,
                                 String text, boolean direct) throws SQLException, IOException {
        if (text == null) {
            return;
        }
        if (direct) {
            copy.copyIn("COPY " + table + columns + " FROM STDIN", new StringReader(text));
            return;
        }
        st.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table + ") ON COMMIT DELETE ROWS");
        copy.copyIn("COPY " + stage + columns + " FROM STDIN", new StringReader(text));
        String cols = columns.isEmpty() ? "*" : columns.substring(2, columns.length() - 1);
        String into = columns.isEmpty() ? table : table + columns;
        st.execute("INSERT INTO " + into + " SELECT " + cols + " FROM " + stage + " ON CONFLICT DO NOTHING");
    }

    private static String pingText(List<Rows.Ping> pings) {
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
        return sb.toString();
    }

    private static String valueText(List<Rows.Value> values) {
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
        return sb.toString();
    }

    private static String ifaceText(List<Rows.Iface> ifaces) {
        StringBuilder sb = new StringBuilder(ifaces.size() * 200);
        for (Rows.Iface i : ifaces) {
            sb.append(i.device()).append('\t').append(i.ifIndex());
            tab(sb, i.name());
            tab(sb, i.descr());
            tab(sb, i.alias());
            tab(sb, i.type());
            tab(sb, i.mtu());
            tab(sb, i.speedBps());
            tab(sb, i.mac());
            tab(sb, i.adminStatus());
            tab(sb, i.operStatus());
            tab(sb, i.role());
            tab(sb, i.provider());
            tab(sb, i.attributesJson());
            tab(sb, i.firstAt());
            tab(sb, i.at());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A tab, then the value in COPY text form ({@code \N} for null). */
    private static void tab(StringBuilder sb, Object v) {
        sb.append('\t');
        if (v == null) {
            sb.append("\\N");
        } else if (v instanceof String s) {
            text(sb, s);
        } else {
            sb.append(v);
        }
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
