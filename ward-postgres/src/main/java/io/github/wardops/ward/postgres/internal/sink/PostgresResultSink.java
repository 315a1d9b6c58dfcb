package io.github.wardops.ward.postgres.internal.sink;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.postgres.internal.spool.Spool;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import java.io.IOException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL result sink. A batch goes straight to the database when it is reachable and
 * nothing is spooled; otherwise it is appended to the disk spool, which is replayed in order
 * once the database answers again (tried at most every retry interval, so a database that is
 * down costs one connection timeout per interval, not per batch). Rows the database refuses as
 * invalid are isolated one by one, counted and logged; the rest of their batch is stored.
 *
 * <p>{@link #write} runs on the engine's sink thread; {@link #drain} on the maintenance thread.
 * A lock serialises them. Neither ever runs on a probing thread.
 */
public final class PostgresResultSink implements ResultSink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresResultSink.class);
    private static final int REPLAY_RECORDS_PER_CALL = 256;

    /** Makes sure the schema is migrated before the first write; throws when it cannot be. */
    @FunctionalInterface
    public interface SchemaGate {
        /** Migrates once, if not done yet. */
        void ensure();
    }

    private final ResultWriter writer;
    private final Spool spool;
    private final StorageMeters meters;
    private final InstantSource clock;
    private final Ticker ticker;
    private final Duration retryInterval;
    private final SchemaGate schema;
    private final ReentrantLock lock = new ReentrantLock();
    private Instant retryAt = Instant.MIN;
    private volatile long spoolBytes;
    private volatile long spoolPending;
    private volatile Instant spoolOldest;
    private final LogLimiter logLimit;
    private volatile boolean closed;
    /** Why the spool cannot take results (they are being lost), or {@code null}. */
    private volatile String spoolFailure;
    private volatile long lostSinceFailure;
    /** Why the database does not take writes (results wait in the spool), or {@code null}. */
    private volatile String databaseFailure;

    /**
     * Creates the sink.
     *
     * @param writer the database writer
     * @param spool the spool
     * @param meters the meters
     * @param clock the wall clock for retry times and the spool's age
     * @param ticker the monotonic time for write durations and rate-limited logs
     * @param retryInterval how often to retry the database while spooling
     * @param schema the schema gate
     */
    public PostgresResultSink(ResultWriter writer, Spool spool, StorageMeters meters, InstantSource clock,
                              Ticker ticker, Duration retryInterval, SchemaGate schema) {
        this.writer = writer;
        this.spool = spool;
        this.meters = meters;
        this.clock = clock;
        this.ticker = ticker;
        this.logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker);
        this.retryInterval = retryInterval;
        this.schema = schema;
        refreshSpoolState();
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void write(List<ProbeResult> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the PostgreSQL sink is closed");
            }
            if (!spool.isEmpty() || clock.instant().isBefore(retryAt)) {
                toSpool(batch);
                drainLocked();
                return;
            }
            try {
                writeDirect(batch);
                databaseFailure = null;
                resumed("the database takes results again");
            } catch (RuntimeException e) {
                if (!PgErrors.isTransient(e)) {
                    throw e;
                }
                down(e);
                toSpool(batch);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replays spooled batches if the retry time has come. Called periodically by the storage's
     * maintenance thread, and after each spooled write.
     *
     * @return rows replayed
     */
    public long drain() {
        lock.lock();
        try {
            return closed ? 0 : drainLocked();
        } finally {
            lock.unlock();
        }
    }

    private long drainLocked() {
        if (spool.isEmpty() || clock.instant().isBefore(retryAt)) {
            refreshSpoolState();
            return 0;
        }
        long total = 0;
        try {
            long n;
            do {
                n = spool.replay(this::writeDirect, REPLAY_RECORDS_PER_CALL);
                meters.replayed.increment(n);
                total += n;
            } while (n > 0 && !spool.isEmpty());
            if (spool.isEmpty()) {
                databaseFailure = null;
            }
            if (total > 0) {
                resumed("the spool replayed into the database");
            }
            if (total > 0) {
                LOG.info("replayed {} spooled rows into PostgreSQL", total);
            }
        } catch (Exception e) {
            LOG.debug("replay failed: {}", PgErrors.describe(e), e);
            if (PgErrors.isTransient(e)) {
                down(e);
            } else {
                logLimited("replaying the spool failed (will retry): " + PgErrors.describe(e), e);
                retryAt = clock.instant().plus(retryInterval);
            }
        } finally {
            refreshSpoolState();
        }
        return total;
    }

    private void writeDirect(List<ProbeResult> batch) {
        try {
            schema.ensure();
        } catch (RuntimeException e) {
            // whatever stops the migration (the server away, or a schema to fix by hand), the results
            // wait in the spool rather than being dropped
            throw new IllegalStateException("the schema is not migrated yet",
                    new SQLTransientException(PgErrors.describe(e), e));
        }
        long t0 = ticker.read();
        try {
            record(writer.write(batch));
            meters.batchesWritten.increment();
        } catch (RuntimeException e) {
            if (PgErrors.isTransient(e)) {
                throw e;
            }
            isolate(batch, e);
        } finally {
            meters.write.record(Duration.ofNanos(ticker.read() - t0));
        }
    }

    /** A batch the database refused as invalid: write its results one by one to find the bad ones. */
    private void isolate(List<ProbeResult> batch, RuntimeException cause) {
        if (batch.size() == 1) {
            meters.rejectedInvalid.increment(Rows.split(batch).size());
            logLimited("PostgreSQL refused a result of device " + batch.getFirst().device() + ", check '"
                    + printable(batch.getFirst().check()) + "' at " + batch.getFirst().at() + ": "
                    + PgErrors.describe(cause), null);
            return;
        }
        for (ProbeResult r : batch) {
            try {
                record(writer.write(List.of(r)));
            } catch (RuntimeException e) {
                if (PgErrors.isTransient(e)) {
                    throw e;
                }
                meters.rejectedInvalid.increment(Rows.split(List.of(r)).size());
                logLimited("PostgreSQL refused a result of device " + r.device() + ", check '" + printable(r.check())
                        + "' at " + r.at() + ": " + PgErrors.describe(e), null);
            }
        }
        meters.batchesWritten.increment();
    }

    /** A name for a log line: control characters shown as \\uXXXX, at most 80 characters. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void record(ResultWriter.Written w) {
        meters.pingRows.increment(w.pingRows());
        meters.valueRows.increment(w.valueRows());
        meters.sampleRows.increment(w.sampleRows());
        meters.interfaceRows.increment(w.interfaceRows());
        meters.invalidValues.increment(w.invalidValues());
        meters.rejectedInvalid.increment(w.refusedRows());
        meters.rejectedOutOfRange.increment(w.expiredRows());
    }

    private void toSpool(List<ProbeResult> batch) {
        try {
            spool.append(batch);
            meters.batchesSpooled.increment();
            resumed("the spool in " + spool.directory() + " takes results again");
        } catch (IOException | RuntimeException e) {
            meters.droppedIo.increment(batch.size());
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean first = spoolFailure == null;
            spoolFailure = "the spool in " + spool.directory() + " cannot write (" + why + ")";
            lostSinceFailure += batch.size();
            if (first) {
                logLimit.reset("loss"); // a new episode of loss is always reported at once
            }
            if (logLimit.allow("loss")) {
                LOG.error("results are being LOST: {} results could not be spooled to {} ({}); {} lost so far, counted "
                        + "in ward.storage.spool.dropped (reason io_error); writing resumes by itself when it can "
                        + "(this message repeats at most once a minute)", batch.size(), spool.directory(), why,
                        lostSinceFailure);
            }
        }
        refreshSpoolState();
    }

    /** Results are stored again (directly or in the spool): the loss, if any, is over. */
    private void resumed(String how) {
        if (spoolFailure != null) {
            LOG.info("{}; {} results were lost while the spool could not write", how, lostSinceFailure);
            spoolFailure = null;
            lostSinceFailure = 0;
        }
    }

    /**
     * What keeps results from being stored right now, for readiness: the spool cannot write
     * (results are being lost), or the database refuses writes (results wait in the spool).
     *
     * @return the problem, empty when results are written to the database (or nothing was written yet)
     */
    public java.util.Optional<String> problem() {
        String s = spoolFailure;
        String d = databaseFailure;
        if (s != null) {
            return java.util.Optional.of("results are being lost: " + s + ", " + lostSinceFailure + " lost so far"
                    + (d == null ? "" : "; and " + d));
        }
        return java.util.Optional.ofNullable(d);
    }

    private void down(Exception e) {
        databaseFailure = "PostgreSQL does not take writes (" + PgErrors.describe(e) + "); results wait in the spool";
        boolean wasUp = !clock.instant().isBefore(retryAt);
        retryAt = clock.instant().plus(retryInterval);
        if (wasUp) {
            logLimited("PostgreSQL does not take writes (unreachable, read-only or out of space); spooling results to "
                    + spool.directory() + " and retrying every "
                    + retryInterval + ": " + PgErrors.describe(e), null);
        }
    }

    private void refreshSpoolState() {
        spoolBytes = spool.bytes();
        spoolPending = spool.pendingRows();
        spoolOldest = spool.oldest().orElse(null);
    }

    private void logLimited(String message, Throwable t) {
        if (logLimit.allow("write")) {
            if (t != null && !(t instanceof RuntimeException)) {
                LOG.warn(message, t);
            } else {
                LOG.warn(message);
            }
        }
    }

    /**

     * Returns the spool's size in bytes.

     *

     * @return the spool's size in bytes

     */
    public long spoolBytes() {
        return spoolBytes;
    }

    /**

     * Returns the rows waiting in the spool.

     *

     * @return the rows waiting in the spool

     */
    public long spoolPendingRows() {
        return spoolPending;
    }

    /**
     * The age of the oldest spooled record.
     *
     * @return seconds, 0 when the spool is empty
     */
    public double spoolOldestAgeSeconds() {
        Instant o = spoolOldest;
        return o == null ? 0.0 : Math.max(0, Duration.between(o, clock.instant()).toMillis() / 1000.0);
    }

    /** Closes the spool. Further writes fail. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            spool.close();
        } finally {
            lock.unlock();
        }
    }
}
