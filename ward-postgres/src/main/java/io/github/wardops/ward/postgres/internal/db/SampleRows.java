package io.github.wardops.ward.postgres.internal.db;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.INTERFACE_SAMPLES;

import io.github.wardops.ward.postgres.InterfaceSample;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.InterfaceSamplesRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The one mapping of an interface sample to its {@code interface_samples} row, shared by the
 * result sink (SNMP interface polls) and {@code InterfaceRepository.writeSamples}: the row, its
 * jOOQ record, its multi-row INSERT and its COPY text. Stateless.
 */
public final class SampleRows {
    /** The columns written, in COPY order. */
    public static final String COLUMNS = "device_id, if_index, at, oper_status, admin_status, hc_counters, "
            + "in_octets, out_octets, in_ucast_pkts, out_ucast_pkts, in_errors, out_errors, in_discards, out_discards, "
            + "in_bps, out_bps, in_pps, out_pps, in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps, "
            + "in_util_pct, out_util_pct";

    /** Rows per INSERT statement: 24 bind values a row, far under PostgreSQL's 65,535. */
    static final int INSERT_CHUNK = 500;

    private SampleRows() {
    }

    /**
     * One {@code interface_samples} row; {@code null} is SQL NULL. Counters are unsigned bits (a
     * Counter64 above 2^63-1 is negative).
     *
     * @param device the device id
     * @param ifIndex the interface index
     * @param at when it was polled, in microseconds
     * @param operStatus ifOperStatus
     * @param adminStatus ifAdminStatus
     * @param hcCounters whether the 64-bit counters were read
     * @param inOctets ifInOctets (or ifHCInOctets)
     * @param outOctets ifOutOctets (or ifHCOutOctets)
     * @param inUcastPkts unicast packets in
     * @param outUcastPkts unicast packets out
     * @param inErrors errors in
     * @param outErrors errors out
     * @param inDiscards discards in
     * @param outDiscards discards out
     * @param inBps bits per second in, since the previous poll
     * @param outBps bits per second out
     * @param inPps packets per second in
     * @param outPps packets per second out
     * @param inErrorsPs errors per second in
     * @param outErrorsPs errors per second out
     * @param inDiscardsPs discards per second in
     * @param outDiscardsPs discards per second out
     * @param inUtilPct utilisation in, percent of the speed
     * @param outUtilPct utilisation out
     */
    public record Row(UUID device, int ifIndex, Instant at, String operStatus, String adminStatus, Boolean hcCounters,
                      Long inOctets, Long outOctets, Long inUcastPkts, Long outUcastPkts, Long inErrors, Long outErrors,
                      Long inDiscards, Long outDiscards, Double inBps, Double outBps, Double inPps, Double outPps,
                      Double inErrorsPs, Double outErrorsPs, Double inDiscardsPs, Double outDiscardsPs,
                      Double inUtilPct, Double outUtilPct) {
    }

    /**
     * The row of a sample handed to {@code InterfaceRepository.writeSamples}: its time cut to
     * microseconds; admin status, counter width and utilisation unknown.
     *
     * @param s the sample
     * @return the row
     */
    public static Row of(InterfaceSample s) {
        return new Row(s.device().value(), s.ifIndex(), s.at().truncatedTo(ChronoUnit.MICROS), s.operStatus(), null,
                null, s.inOctets(), s.outOctets(), s.inUcastPkts(), s.outUcastPkts(), s.inErrors(), s.outErrors(),
                s.inDiscards(), s.outDiscards(), s.inBps(), s.outBps(), s.inPps(), s.outPps(), s.inErrorsPs(),
                s.outErrorsPs(), s.inDiscardsPs(), s.outDiscardsPs(), null, null);
    }

    /**
     * The jOOQ record of a row.
     *
     * @param s the row
     * @return the record
     */
    public static InterfaceSamplesRecord record(Row s) {
        InterfaceSamplesRecord r = new InterfaceSamplesRecord();
        r.setDeviceId(s.device());
        r.setIfIndex(s.ifIndex());
        r.setAt(s.at());
        r.setOperStatus(s.operStatus());
        r.setAdminStatus(s.adminStatus());
        r.setHcCounters(s.hcCounters());
        r.setInOctets(s.inOctets());
        r.setOutOctets(s.outOctets());
        r.setInUcastPkts(s.inUcastPkts());
        r.setOutUcastPkts(s.outUcastPkts());
        r.setInErrors(s.inErrors());
        r.setOutErrors(s.outErrors());
        r.setInDiscards(s.inDiscards());
        r.setOutDiscards(s.outDiscards());
        r.setInBps(s.inBps());
        r.setOutBps(s.outBps());
        r.setInPps(s.inPps());
        r.setOutPps(s.outPps());
        r.setInErrorsPs(s.inErrorsPs());
        r.setOutErrorsPs(s.outErrorsPs());
        r.setInDiscardsPs(s.inDiscardsPs());
        r.setOutDiscardsPs(s.outDiscardsPs());
        r.setInUtilPct(s.inUtilPct());
        r.setOutUtilPct(s.outUtilPct());
        return r;
    }

    /**
     * Inserts rows in multi-row statements; a row whose key is already stored is skipped.
     *
     * @param tx the transaction
     * @param rows the rows
     */
    public static void insert(DSLContext tx, List<Row> rows) {
        List<InterfaceSamplesRecord> records = rows.stream().map(SampleRows::record).toList();
        for (int from = 0; from < records.size(); from += INSERT_CHUNK) {
            var q = tx.insertInto(INTERFACE_SAMPLES).set(records.get(from));
            for (InterfaceSamplesRecord r : records.subList(from + 1, Math.min(records.size(), from + INSERT_CHUNK))) {
                q = q.newRecord().set(r);
            }
            q.onConflictDoNothing().execute();
        }
    }

    /**
     * The rows in COPY's text format, columns as {@link #COLUMNS}.
     *
     * @param rows the rows
     * @return one line per row, each ending in a newline
     */
    public static String copyText(List<Row> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 240);
        for (Row s : rows) {
            sb.append(s.device()).append('\t').append(s.ifIndex()).append('\t').append(s.at());
            tab(sb, s.operStatus());
            tab(sb, s.adminStatus());
            tab(sb, s.hcCounters());
            tab(sb, s.inOctets());
            tab(sb, s.outOctets());
            tab(sb, s.inUcastPkts());
            tab(sb, s.outUcastPkts());
            tab(sb, s.inErrors());
            tab(sb, s.outErrors());
            tab(sb, s.inDiscards());
            tab(sb, s.outDiscards());
            tab(sb, s.inBps());
            tab(sb, s.outBps());
            tab(sb, s.inPps());
            tab(sb, s.outPps());
            tab(sb, s.inErrorsPs());
            tab(sb, s.outErrorsPs());
            tab(sb, s.inDiscardsPs());
            tab(sb, s.outDiscardsPs());
            tab(sb, s.inUtilPct());
            tab(sb, s.outUtilPct());
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void tab(StringBuilder sb, Object v) {
        sb.append('\t');
        if (v == null) {
            sb.append("\\N");
        } else if (v instanceof String s) {
            CopyText.append(sb, s);
        } else {
            sb.append(v);
        }
    }
}
