package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpResponse.Status;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.SnmpVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.VariableBinding;

/**
 * GET and walk on top of the session: splitting on tooBig, v1 noSuchName retries, GETBULK (or
 * GETNEXT) walks of one or more columns with an order check. Thread-safe (stateless apart from the
 * session); each call runs on the caller's (virtual) thread.
 */
public final class SnmpOperations {
    private final SnmpSession session;
    private final int maxWalkVarbinds;

    /** Counts what one operation (or one poll) sent and read. Not thread-safe. */
    public static final class Stats {
        int requests;
        int varBinds;
        private final Ticker ticker;
        private final long deadlineNanos;

        /** Counters without a deadline. */
        public Stats() {
            this.ticker = null;
            this.deadlineNanos = 0;
        }

        /**
         * Counters with a deadline: no request is sent after it.
         *
         * @param ticker the ticker the deadline is read on
         * @param deadlineNanos a reading of {@code ticker}
         */
        public Stats(Ticker ticker, long deadlineNanos) {
            this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
            this.deadlineNanos = deadlineNanos;
        }

        boolean late() {
            return ticker != null && ticker.read() - deadlineNanos > 0;
        }

        /**

         * Returns requests sent.

         *

         * @return requests sent

         */
        public int requests() {
            return requests;
        }

        /**

         * Returns varbinds read.

         *

         * @return varbinds read

         */
        public int varBinds() {
            return varBinds;
        }
    }

    /**
     * The outcome of a multi-column walk.
     *
     * @param status how it ended
     * @param detail the detail
     * @param columns per requested root, the bindings read
     * @param truncated whether a column was cut at the per-column limit
     */
    public record ColumnsResult(Status status, String detail, List<List<SnmpVarBind>> columns, boolean truncated) {
        /**
         * A result without truncation.
         *
         * @param status how it ended
         * @param detail the detail
         * @param columns per requested root, the bindings read
         */
        public ColumnsResult(Status status, String detail, List<List<SnmpVarBind>> columns) {
            this(status, detail, columns, false);
        }
    }

    /**
     * Creates the operations.
     *
     * @param session the session
     * @param maxWalkVarbinds the most varbinds one walk collects
     */
    public SnmpOperations(SnmpSession session, int maxWalkVarbinds) {
        this.session = session;
        this.maxWalkVarbinds = maxWalkVarbinds;
    }

    /**
     * GETs OIDs in requests of at most {@code maxVarbindsPerPdu}.
     *
     * @param t the target
     * @param c the credentials
     * @param oids the OIDs
     * @param device the device's limit, or {@code null}
     * @param stats counters to add to
     * @return the response, bindings in request order when OK
     * @throws InterruptedException when interrupted
     */
    public SnmpResponse get(SnmpTarget t, SnmpCredentials c, List<SnmpOid> oids, Semaphore device, Stats stats)
            throws InterruptedException {
        SnmpValue[] values = new SnmpValue[oids.size()];
        int per = t.maxVarbindsPerPdu();
        for (int from = 0; from < oids.size(); from += per) {
            int to = Math.min(oids.size(), from + per);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            Fail f = getChunk(t, c, oids, idx, values, device, stats);
            if (f != null) {
                return new SnmpResponse(f.status(), List.of(), f.detail());
            }
        }
        List<SnmpVarBind> out = new ArrayList<>(oids.size());
        for (int i = 0; i < values.length; i++) {
            out.add(new SnmpVarBind(oids.get(i), values[i]));
        }
        return new SnmpResponse(Status.OK, out, "");
    }

    private record Fail(Status status, String detail) {
    }

    private static Fail fail(Status s, String detail) {
        return new Fail(s, detail);
    }

    private Fail getChunk(SnmpTarget t, SnmpCredentials c, List<SnmpOid> oids, int[] idx, SnmpValue[] values,
                            Semaphore device, Stats stats) throws InterruptedException {
        if (idx.length == 0) {
            return null;
        }
        if (stats.late()) {
            return fail(Status.TIMEOUT, "the check's timeout was reached");
        }
        PDU pdu = SnmpSession.newPdu(c.version(), PDU.GET);
        for (int i : idx) {
            pdu.add(new VariableBinding(Snmp4jValues.toOid(oids.get(i))));
        }
        stats.requests++;
        SnmpSession.Reply reply = session.request(t, c, pdu, device);
        if (reply instanceof SnmpSession.Failure f) {
            return fail(f.status(), f.detail());
        }
        PDU resp = ((SnmpSession.Answer) reply).pdu();
        int es = resp.getErrorStatus();
        if (es == SnmpConstants.SNMP_ERROR_TOO_BIG) {
            if (idx.length == 1) {
                return fail(Status.ERROR_STATUS, "tooBig for a single OID " + oids.get(idx[0]));
            }
            int half = idx.length / 2;
            Fail f = getChunk(t, c, oids, Arrays.copyOfRange(idx, 0, half), values, device, stats);
            if (f != null) {
                return f;
            }
            return getChunk(t, c, oids, Arrays.copyOfRange(idx, half, idx.length), values, device, stats);
        }
        if (es == SnmpConstants.SNMP_ERROR_NO_SUCH_NAME) {
            int ei = resp.getErrorIndex();
            if (ei < 1 || ei > idx.length) {
                return fail(Status.MALFORMED, "noSuchName with error index " + ei + " out of 1-" + idx.length);
            }
            values[idx[ei - 1]] = new SnmpValue.NoSuchObject();
            int[] rest = new int[idx.length - 1];
            for (int i = 0, j = 0; i < idx.length; i++) {
                if (i != ei - 1) {
                    rest[j++] = idx[i];
                }
            }
            return getChunk(t, c, oids, rest, values, device, stats);
        }
        if (es != 0) {
            return fail(Status.ERROR_STATUS, "agent error " + errorName(es) + " (index " + resp.getErrorIndex() + ")");
        }
        List<? extends VariableBinding> vbs = resp.getVariableBindings();
        if (vbs.size() != idx.length) {
            return fail(Status.MALFORMED, "asked " + idx.length + " OIDs, got " + vbs.size() + " bindings");
        }
        for (int i = 0; i < idx.length; i++) {
            VariableBinding vb = vbs.get(i);
            SnmpOid got = Snmp4jValues.fromOid(vb.getOid());
            SnmpOid want = oids.get(idx[i]);
            if (!want.equals(got)) {
                return fail(Status.MALFORMED, "asked " + want + ", got " + got);
            }
            values[idx[i]] = Snmp4jValues.fromVariable(vb.getVariable());
        }
        stats.varBinds += idx.length;
        return null;
    }

    /**
     * Walks a subtree.
     *
     * @param t the target
     * @param c the credentials
     * @param root the root
     * @param device the device's limit, or {@code null}
     * @param stats counters
     * @return the response; bindings read so far when it stopped early
     * @throws InterruptedException when interrupted
     */
    public SnmpResponse walk(SnmpTarget t, SnmpCredentials c, SnmpOid root, Semaphore device, Stats stats)
            throws InterruptedException {
        ColumnsResult r = walkColumns(t, c, List.of(root), device, stats);
        return new SnmpResponse(r.status(), r.columns().getFirst(), r.detail());
    }

    /**
     * Walks several subtrees (table columns) side by side: each GETBULK carries one binding per
     * column still open. A column ends when the agent leaves its subtree or returns an exception
     * value; OIDs that do not increase end the walk as {@link Status#MALFORMED}.
     *
     * @param t the target
     * @param c the credentials
     * @param roots the column roots
     * @param device the device's limit, or {@code null}
     * @param stats counters
     * @return the result
     * @throws InterruptedException when interrupted
     */
    public ColumnsResult walkColumns(SnmpTarget t, SnmpCredentials c, List<SnmpOid> roots, Semaphore device, Stats stats)
            throws InterruptedException {
        return walkColumns(t, c, roots, device, stats, Integer.MAX_VALUE);
    }

    /**
     * Walks columns as {@link #walkColumns(SnmpTarget, SnmpCredentials, List, Semaphore, Stats)} does, but stops
     * reading a column once it holds {@code maxPerColumn} values (a bounded table).
     *
     * @param t the target
     * @param c the credentials
     * @param roots the column OIDs
     * @param device the device's limit, or {@code null}
     * @param stats counters
     * @param maxPerColumn the most values kept per column
     * @return the result; {@link ColumnsResult#truncated()} says whether a column was cut
     * @throws InterruptedException when interrupted
     */
    public ColumnsResult walkColumns(SnmpTarget t, SnmpCredentials c, List<SnmpOid> roots, Semaphore device, Stats stats,
                                     int maxPerColumn) throws InterruptedException {
        boolean truncated = false;
        int n = roots.size();
        List<List<SnmpVarBind>> out = new ArrayList<>(n);
        SnmpOid[] last = new SnmpOid[n];
        boolean[] open = new boolean[n];
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
            last[i] = roots.get(i);
            open[i] = true;
        }
        int total = 0;
        int reps = Math.max(1, Math.min(t.maxRepetitions(), Math.max(1, t.maxVarbindsPerPdu() * 4 / Math.max(1, n))));
        boolean v1 = c.version() == SnmpVersion.V1;
        while (true) {
            int[] cols = openColumns(open);
            if (cols.length == 0) {
                return new ColumnsResult(Status.OK, "", out, truncated);
            }
            if (stats.late()) {
                return new ColumnsResult(Status.TIMEOUT, "the check's timeout was reached", out);
            }
            PDU pdu = SnmpSession.newPdu(c.version(), v1 ? PDU.GETNEXT : PDU.GETBULK);
            for (int col : cols) {
                pdu.add(new VariableBinding(Snmp4jValues.toOid(last[col]), Null.instance));
            }
            if (!v1) {
                pdu.setNonRepeaters(0);
                pdu.setMaxRepetitions(reps);
            }
            stats.requests++;
            SnmpSession.Reply reply = session.request(t, c, pdu, device);
            if (reply instanceof SnmpSession.Failure f) {
                return new ColumnsResult(f.status(), f.detail(), out);
            }
            PDU resp = ((SnmpSession.Answer) reply).pdu();
            int es = resp.getErrorStatus();
            if (es == SnmpConstants.SNMP_ERROR_TOO_BIG && !v1 && reps > 1) {
                reps = Math.max(1, reps / 2);
                continue;
            }
            if (es == SnmpConstants.SNMP_ERROR_NO_SUCH_NAME && v1) {
                int ei = resp.getErrorIndex();
                if (ei < 1 || ei > cols.length) {
                    return new ColumnsResult(Status.MALFORMED, "noSuchName with error index " + ei, out);
                }
                open[cols[ei - 1]] = false;
                continue;
            }
            if (es != 0) {
                return new ColumnsResult(Status.ERROR_STATUS, "agent error " + errorName(es), out);
            }
            List<? extends VariableBinding> vbs = resp.getVariableBindings();
            if (vbs.isEmpty()) {
                return new ColumnsResult(Status.MALFORMED, "empty response to a walk request", out);
            }
            boolean[] stillOpen = new boolean[cols.length];
            Arrays.fill(stillOpen, true);
            for (int k = 0; k < vbs.size(); k++) {
                int j = k % cols.length;
                if (!stillOpen[j]) {
                    continue;
                }
                int col = cols[j];
                VariableBinding vb = vbs.get(k);
                SnmpValue value = Snmp4jValues.fromVariable(vb.getVariable());
                SnmpOid oid = Snmp4jValues.fromOid(vb.getOid());
                if (oid == null || value.isException() || !oid.startsWith(roots.get(col))) {
                    stillOpen[j] = false;
                    open[col] = false;
                    continue;
                }
                if (oid.compareTo(last[col]) <= 0) {
                    return new ColumnsResult(Status.MALFORMED, "agent returned " + oid + " after " + last[col]
                            + ": OIDs not increasing", out);
                }
                if (out.get(col).size() >= maxPerColumn) {
                    truncated = true;
                    stillOpen[j] = false;
                    open[col] = false;
                    continue;
                }
                out.get(col).add(new SnmpVarBind(oid, value));
                last[col] = oid;
                stats.varBinds++;
                if (++total >= maxWalkVarbinds) {
                    return new ColumnsResult(Status.LIMIT_REACHED, "walk stopped at " + maxWalkVarbinds + " varbinds", out);
                }
            }
        }
    }

    private static int[] openColumns(boolean[] open) {
        int k = 0;
        for (boolean b : open) {
            if (b) {
                k++;
            }
        }
        int[] r = new int[k];
        for (int i = 0, j = 0; i < open.length; i++) {
            if (open[i]) {
                r[j++] = i;
            }
        }
        return r;
    }

    static String errorName(int status) {
        return switch (status) {
            case 1 -> "tooBig";
            case 2 -> "noSuchName";
            case 3 -> "badValue";
            case 4 -> "readOnly";
            case 5 -> "genErr";
            case 6 -> "noAccess";
            case 16 -> "authorizationError";
            default -> "error " + status;
        };
    }
}
