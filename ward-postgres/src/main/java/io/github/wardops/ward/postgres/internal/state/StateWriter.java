package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.internal.support.LogLimiter;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERTS;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERT_SILENCES;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.DEVICE_STATE;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.STATE_CHANGES;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes device states, alerts, state history and silences behind the caller: the SPIs are called
 * inline with result processing (under a device's lock), so they only put the change into bounded
 * in-memory structures and return; one thread writes them in short transactions (one per kind,
 * at most {@link #MAX_BATCH} items each, no other I/O inside).
 *
 * <p>States are coalesced by key (the latest state wins; a delete drops the device's earlier
 * saves), alerts by id (the latest copy wins, but a resolution or an acknowledgement is never
 * undone by an older copy), so the pending data is bounded by the inventory and the open alerts;
 * history and silences are FIFO. Each kind holds at most {@code capacity} items; more are dropped
 * and counted ({@code ward.storage.state.dropped{kind}}). When the database is away, nothing is
 * lost up to the bound: the batch is put back and retried every retry interval. A row the database
 * refuses as invalid is retried alone and, if refused again, dropped and counted
 * ({@code ward.storage.rows.rejected{reason=invalid}}), never retried forever.
 *
 * <p>{@link #flush()} writes everything pending on the caller's thread (used before every read, so
 * reads see earlier writes). Thread-safe.
 */
public final class StateWriter implements AutoCloseable {
    /** Items of one kind per transaction. */
    public static final int MAX_BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

    /** A device's pending writes: a delete first (if any), then the saves. */
    private static final class PendingDevice {
        boolean delete;
        final LinkedHashMap<Integer, DeviceState> saves = new LinkedHashMap<>();

        int size() {
            return saves.size() + (delete ? 1 : 0);
        }
    }

    /** What one round writes; mutable so that written items leave it. */
    private static final class Batch {
        final LinkedHashMap<DeviceId, PendingDevice> states = new LinkedHashMap<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<StateTransition> history = new ArrayList<>();
        final List<Silence> silences = new ArrayList<>();

        boolean isEmpty() {
            return states.isEmpty() && alerts.isEmpty() && history.isEmpty() && silences.isEmpty();
        }
    }

    private final DSLContext ctx;
    private final Runnable beforeWrite;
    private final int capacity;
    private final long retryMillis;
    private final Counter droppedState;
    private final Counter droppedAlert;
    private final Counter droppedHistory;
    private final Counter droppedSilence;
    private final Counter rejected;
    private final LogLimiter warnLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    // guarded by this
    private final LinkedHashMap<DeviceId, PendingDevice> states = new LinkedHashMap<>();
    private int pendingStates;
    private final LinkedHashMap<UUID, Alert> alerts = new LinkedHashMap<>();
    private final ArrayDeque<StateTransition> history = new ArrayDeque<>();
    private final ArrayDeque<Silence> silences = new ArrayDeque<>();
    private boolean closed;

    /** Held while a batch is taken and written, so writes reach the database in call order. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Thread thread;

    /**
     * Creates the writer and starts its thread.
     *
     * @param ctx the database
     * @param beforeWrite run before each write (migrates the schema if it is not yet); may throw
     * @param capacity items of each kind that may wait
     * @param retry the pause after a failed write
     * @param registry the meter registry
     */
    public StateWriter(DSLContext ctx, Runnable beforeWrite, int capacity, Duration retry, MeterRegistry registry) {
        this(ctx, beforeWrite, capacity, retry, registry, true);
    }

    /**
     * Creates the writer; without {@code background}, only {@link #flush()} writes (for tests).
     *
     * @param ctx the database
     * @param beforeWrite run before each write
     * @param capacity items of each kind that may wait
     * @param retry the pause after a failed write
     * @param registry the meter registry
     * @param background whether to start the writer thread
     */
    StateWriter(DSLContext ctx, Runnable beforeWrite, int capacity, Duration retry, MeterRegistry registry,
                boolean background) {
        this.ctx = ctx;
        this.beforeWrite = beforeWrite;
        this.capacity = capacity;
        this.retryMillis = Math.max(1, retry.toMillis());
        this.droppedState = dropped(registry, "state");
        this.droppedAlert = dropped(registry, "alert");
        this.droppedHistory = dropped(registry, "history");
        this.droppedSilence = dropped(registry, "silence");
        this.rejected = Counter.builder("ward.storage.rows.rejected").tag("reason", "invalid")
                .description("Rows the database refused as invalid, or past retention").register(registry);
        Gauge.builder("ward.storage.state.pending", this, StateWriter::pending)
                .description("State, alert, history and silence writes waiting for the database").register(registry);
        this.thread = background ? Thread.ofPlatform().name("ward-pg-state-writer").daemon(true).start(this::run) : null;
    }

    private static Counter dropped(MeterRegistry r, String kind) {
        return Counter.builder("ward.storage.state.dropped").tag("kind", kind)
                .description("State and alert writes dropped because the write-behind bound was full").register(r);
    }

    /**
     * Items waiting to be written.
     *
     * @return the count
     */
    public synchronized int pending() {
        return pendingStates + alerts.size() + history.size() + silences.size();
    }

    // ------------------------------------------------------------------ enqueue (never blocks on I/O)

    /**
     * Queues a state save.
     *
     * @param s the state
     */
    public synchronized void save(DeviceState s) {
        Objects.requireNonNull(s, "state");
        PendingDevice p = states.get(s.key().device());
        boolean newKey = p == null || !p.saves.containsKey(s.key().ifIndex());
        if (newKey && pendingStates >= capacity) {
            droppedState.increment();
            return;
        }
        if (p == null) {
            p = new PendingDevice();
            states.put(s.key().device(), p);
        }
        p.saves.put(s.key().ifIndex(), s);
        if (newKey) {
            pendingStates++;
        }
        notifyAll();
    }

    /**
     * Queues the deletion of a device's states (earlier pending saves of it are dropped).
     *
     * @param device the device
     */
    public synchronized void delete(DeviceId device) {
        Objects.requireNonNull(device, "device");
        PendingDevice p = states.get(device);
        if (p == null) {
            if (pendingStates >= capacity) {
                droppedState.increment();
                return;
            }
            p = new PendingDevice();
            states.put(device, p);
        }
        pendingStates -= p.size();
        p.saves.clear();
        p.delete = true;
        pendingStates += p.size();
        notifyAll();
    }

    /**
     * Queues an alert (opened, resolved or acknowledged: the whole row is written).
     *
     * @param a the alert
     */
    public synchronized void alert(Alert a) {
        Objects.requireNonNull(a, "alert");
        Alert before = alerts.get(a.id());
        if (before == null && alerts.size() >= capacity) {
            droppedAlert.increment();
            return;
        }
        alerts.put(a.id(), before == null ? a : merge(before, a));
        notifyAll();
    }

    /**
     * Queues a transition for the history.
     *
     * @param t the transition
     */
    public synchronized void history(StateTransition t) {
        Objects.requireNonNull(t, "transition");
        if (history.size() >= capacity) {
            droppedHistory.increment();
            return;
        }
        history.addLast(t);
        notifyAll();
    }

    /**
     * Queues a silence.
     *
     * @param s the silence
     */
    public synchronized void silence(Silence s) {
        Objects.requireNonNull(s, "silence");
        if (silences.size() >= capacity) {
            droppedSilence.increment();
            return;
        }
        silences.addLast(s);
        notifyAll();
    }

    /**
     * The newer copy of an alert, keeping a resolution or acknowledgement that only the older one
     * has (an acknowledgement made from a copy taken before the resolution must not reopen it).
     */
    static Alert merge(Alert older, Alert newer) {
        boolean res = newer.resolvedAt() != null;
        boolean ack = newer.acknowledgedAt() != null;
        return new Alert(newer.id(), newer.device(), newer.deviceName(), newer.ifIndex(), newer.rule(),
                newer.severity(), newer.message(), newer.since(), newer.openedAt(),
                res ? newer.resolvedAt() : older.resolvedAt(), res ? newer.resolution() : older.resolution(),
                ack ? newer.acknowledgedAt() : older.acknowledgedAt(), ack ? newer.acknowledgedBy() : older.acknowledgedBy(),
                newer.impactedDevices());
    }

    // ------------------------------------------------------------------ take and put back

    private synchronized Batch take() {
        Batch b = new Batch();
        Iterator<Map.Entry<DeviceId, PendingDevice>> it = states.entrySet().iterator();
        int n = 0;
        while (it.hasNext() && n < MAX_BATCH) {
            Map.Entry<DeviceId, PendingDevice> e = it.next();
            b.states.put(e.getKey(), e.getValue());
            n += e.getValue().size();
            pendingStates -= e.getValue().size();
            it.remove();
        }
        Iterator<Alert> ai = alerts.values().iterator();
        while (ai.hasNext() && b.alerts.size() < MAX_BATCH) {
            b.alerts.add(ai.next());
            ai.remove();
        }
        while (!history.isEmpty() && b.history.size() < MAX_BATCH) {
            b.history.add(history.pollFirst());
        }
        while (!silences.isEmpty() && b.silences.size() < MAX_BATCH) {
            b.silences.add(silences.pollFirst());
        }
        return b;
    }

    /** Puts back what was not written, before anything queued since (newer data wins). */
    private synchronized void putBack(Batch b) {
        for (Map.Entry<DeviceId, PendingDevice> e : b.states.entrySet()) {
            PendingDevice old = e.getValue();
            PendingDevice cur = states.get(e.getKey());
            if (cur == null) {
                if (pendingStates + old.size() > capacity) {
                    droppedState.increment(old.size());
                    continue;
                }
                states.put(e.getKey(), old);
                pendingStates += old.size();
            } else if (!cur.delete) {
                // The device was not deleted since: the old delete (if any) still comes first,
                // then the old saves overlaid by the newer ones.
                pendingStates -= cur.size();
                PendingDevice merged = new PendingDevice();
                merged.delete = old.delete;
                merged.saves.putAll(old.saves);
                merged.saves.putAll(cur.saves);
                states.put(e.getKey(), merged);
                pendingStates += merged.size();
            }
        }
        for (Alert old : b.alerts) {
            Alert cur = alerts.get(old.id());
            if (cur == null && alerts.size() >= capacity) {
                droppedAlert.increment();
                continue;
            }
            alerts.put(old.id(), cur == null ? old : merge(old, cur));
        }
        for (int i = b.history.size() - 1; i >= 0; i--) {
            if (history.size() >= capacity) {
                droppedHistory.increment(i + 1);
                break;
            }
            history.addFirst(b.history.get(i));
        }
        for (int i = b.silences.size() - 1; i >= 0; i--) {
            if (silences.size() >= capacity) {
                droppedSilence.increment(i + 1);
                break;
            }
            silences.addFirst(b.silences.get(i));
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes everything pending now, on the caller's thread.
     *
     * @throws WardException when the database cannot be reached (the writes stay pending)
     */
    public void flush() {
        try {
            writePending();
        } catch (RuntimeException e) {
            throw new WardException("cannot write pending state and alert changes: " + PgErrors.describe(e), e);
        }
    }

    private void writePending() {
        writeLock.lock();
        try {
            beforeWrite.run();
            // Bounded: at most everything that can be pending, in batches.
            int rounds = 4 * (capacity / MAX_BATCH + 1);
            for (int i = 0; i < rounds; i++) {
                Batch b = take();
                if (b.isEmpty()) {
                    return;
                }
                try {
                    writeBatch(b);
                } catch (RuntimeException e) {
                    if (PgErrors.isTransient(e)) {
                        putBack(b);
                        throw e;
                    }
                    writeOneByOne(b);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writeBatch(Batch b) {
        if (!b.states.isEmpty()) {
            ctx.transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                List<Query> qs = new ArrayList<>();
                b.states.forEach((d, p) -> addStateQueries(tx, d, p, qs));
                tx.batch(qs).execute();
            });
            b.states.clear();
        }
        if (!b.alerts.isEmpty()) {
            ctx.transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                // Resolutions first, so a new alert rarely has an open predecessor to supersede.
                for (Alert a : b.alerts) {
                    if (!a.isOpen()) {
                        writeAlert(tx, a);
                    }
                }
                for (Alert a : b.alerts) {
                    if (a.isOpen()) {
                        writeAlert(tx, a);
                    }
                }
            });
            b.alerts.clear();
        }
        if (!b.history.isEmpty()) {
            ctx.transaction(cfg -> writeHistory(DSL.using(cfg), b.history));
            b.history.clear();
        }
        if (!b.silences.isEmpty()) {
            ctx.transaction(cfg -> writeSilences(DSL.using(cfg), b.silences));
            b.silences.clear();
        }
    }

    /** After an invalid-data failure: each item alone; refused ones are dropped and counted. */
    private void writeOneByOne(Batch b) {
        try {
            for (Iterator<Map.Entry<DeviceId, PendingDevice>> it = b.states.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<DeviceId, PendingDevice> e = it.next();
                alone(() -> ctx.transaction(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    List<Query> qs = new ArrayList<>();
                    addStateQueries(tx, e.getKey(), e.getValue(), qs);
                    tx.batch(qs).execute();
                }), "device_state", e.getKey(), e.getValue().size());
                it.remove();
            }
            for (Iterator<Alert> it = b.alerts.iterator(); it.hasNext(); ) {
                Alert a = it.next();
                alone(() -> ctx.transaction(cfg -> writeAlert(DSL.using(cfg), a)), "alerts", a.device(), 1);
                it.remove();
            }
            for (Iterator<StateTransition> it = b.history.iterator(); it.hasNext(); ) {
                StateTransition t = it.next();
                alone(() -> ctx.transaction(cfg -> writeHistory(DSL.using(cfg), List.of(t))), "state_changes",
                        t.key().device(), 1);
                it.remove();
            }
            for (Iterator<Silence> it = b.silences.iterator(); it.hasNext(); ) {
                Silence s = it.next();
                alone(() -> ctx.transaction(cfg -> writeSilences(DSL.using(cfg), List.of(s))), "alert_silences",
                        s.device(), 1);
                it.remove();
            }
        } catch (RuntimeException transientFailure) {
            putBack(b);
            throw transientFailure;
        }
    }

    /** Runs one item's write; a transient failure propagates, an invalid row is counted and dropped. */
    private void alone(Runnable write, String table, DeviceId device, int rows) {
        try {
            write.run();
        } catch (RuntimeException e) {
            if (PgErrors.isTransient(e)) {
                throw e;
            }
            rejected.increment(rows);
            warnLimited("the database refused a row of {} for device {}; dropped: {}", table, device,
                    PgErrors.describe(e));
        }
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static void addStateQueries(DSLContext tx, DeviceId d, PendingDevice p, List<Query> qs) {
        if (p.delete) {
            qs.add(tx.deleteFrom(DEVICE_STATE).where(DEVICE_STATE.DEVICE_ID.eq(d.value())));
        }
        for (DeviceState s : p.saves.values()) {
            boolean down = s.status() == DeviceStatus.DOWN || s.status() == DeviceStatus.UNREACHABLE;
            Instant since = micros(s.since());
            Instant downSince = down ? since : null;
            Instant updated = micros(s.updatedAt());
            qs.add(tx.insertInto(DEVICE_STATE)
                    .set(DEVICE_STATE.DEVICE_ID, d.value())
                    .set(DEVICE_STATE.IF_INDEX, s.key().ifIndex())
                    .set(DEVICE_STATE.STATUS, s.status().name())
                    .set(DEVICE_STATE.SINCE, since)
                    .set(DEVICE_STATE.DOWN_SINCE, downSince)
                    .set(DEVICE_STATE.LAST_CHANGE, since)
                    .set(DEVICE_STATE.FLAPPING, s.flapping())
                    .set(DEVICE_STATE.FLAP_PERCENT, s.flapPercent())
                    .set(DEVICE_STATE.CONSECUTIVE_FAILURES, s.consecutiveFailures())
                    .set(DEVICE_STATE.CONSECUTIVE_SUCCESSES, s.consecutiveSuccesses())
                    .set(DEVICE_STATE.UPDATED_AT, updated)
                    .onConflict(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX).doUpdate()
                    .set(DEVICE_STATE.STATUS, s.status().name())
                    .set(DEVICE_STATE.SINCE, since)
                    .set(DEVICE_STATE.DOWN_SINCE, downSince)
                    .set(DEVICE_STATE.LAST_CHANGE, since)
                    .set(DEVICE_STATE.FLAPPING, s.flapping())
                    .set(DEVICE_STATE.FLAP_PERCENT, s.flapPercent())
                    .set(DEVICE_STATE.CONSECUTIVE_FAILURES, s.consecutiveFailures())
                    .set(DEVICE_STATE.CONSECUTIVE_SUCCESSES, s.consecutiveSuccesses())
                    .set(DEVICE_STATE.UPDATED_AT, updated));
        }
    }

    private static void writeAlert(DSLContext tx, Alert a) {
        if (a.isOpen()) {
            // An open row for the same (device, rule, interface) that ward does not know (left by a
            // crash between two writes, unreadable at start-up, or written by another program)
            // would block this one: it is closed, saying by which alert.
            tx.update(ALERTS)
                    .set(ALERTS.RESOLVED_AT, DSL.greatest(DSL.val(micros(a.openedAt())), ALERTS.OPENED_AT))
                    .set(ALERTS.RESOLUTION, "superseded by alert " + a.id())
                    .where(ALERTS.DEVICE_ID.eq(a.device().value()).and(ALERTS.RULE.eq(a.rule()))
                            .and(ALERTS.IF_INDEX.eq(a.ifIndex())).and(ALERTS.RESOLVED_AT.isNull())
                            .and(ALERTS.ALERT_ID.ne(a.id())))
                    .execute();
        }
        tx.insertInto(ALERTS)
                .set(ALERTS.ALERT_ID, a.id())
                .set(ALERTS.DEVICE_ID, a.device().value())
                .set(ALERTS.DEVICE_NAME, a.deviceName())
                .set(ALERTS.IF_INDEX, a.ifIndex())
                .set(ALERTS.RULE, a.rule())
                .set(ALERTS.SEVERITY, a.severity().name().toLowerCase(Locale.ROOT))
                .set(ALERTS.MESSAGE, a.message())
                .set(ALERTS.SINCE, micros(a.since()))
                .set(ALERTS.OPENED_AT, micros(a.openedAt()))
                .set(ALERTS.RESOLVED_AT, micros(a.resolvedAt()))
                .set(ALERTS.RESOLUTION, a.resolution())
                .set(ALERTS.ACKNOWLEDGED_AT, micros(a.acknowledgedAt()))
                .set(ALERTS.ACKNOWLEDGED_BY, a.acknowledgedBy())
                .set(ALERTS.IMPACTED_DEVICES, a.impactedDevices())
                .onConflict(ALERTS.ALERT_ID).doUpdate()
                // never undo a resolution or an acknowledgement already stored
                .set(ALERTS.RESOLVED_AT, DSL.coalesce(DSL.excluded(ALERTS.RESOLVED_AT), ALERTS.RESOLVED_AT))
                .set(ALERTS.RESOLUTION, DSL.when(DSL.excluded(ALERTS.RESOLVED_AT).isNotNull(),
                        DSL.excluded(ALERTS.RESOLUTION)).otherwise(ALERTS.RESOLUTION))
                .set(ALERTS.ACKNOWLEDGED_AT, DSL.coalesce(DSL.excluded(ALERTS.ACKNOWLEDGED_AT), ALERTS.ACKNOWLEDGED_AT))
                .set(ALERTS.ACKNOWLEDGED_BY, DSL.when(DSL.excluded(ALERTS.ACKNOWLEDGED_AT).isNotNull(),
                        DSL.excluded(ALERTS.ACKNOWLEDGED_BY)).otherwise(ALERTS.ACKNOWLEDGED_BY))
                .set(ALERTS.IMPACTED_DEVICES, DSL.excluded(ALERTS.IMPACTED_DEVICES))
                .set(ALERTS.MESSAGE, DSL.excluded(ALERTS.MESSAGE))
                .execute();
    }

    private static void writeHistory(DSLContext tx, List<StateTransition> ts) {
        var insert = tx.insertInto(STATE_CHANGES, STATE_CHANGES.DEVICE_ID, STATE_CHANGES.IF_INDEX, STATE_CHANGES.AT,
                STATE_CHANGES.FROM_STATUS, STATE_CHANGES.TO_STATUS, STATE_CHANGES.FLAPPING, STATE_CHANGES.REASON,
                STATE_CHANGES.SINCE);
        for (StateTransition t : ts) {
            insert = insert.values(t.key().device().value(), t.key().ifIndex(), micros(t.at()), t.from().name(),
                    t.to().name(), t.flapping(), t.cause(), micros(t.since()));
        }
        insert.onConflictDoNothing().execute();
    }

    private static void writeSilences(DSLContext tx, List<Silence> ss) {
        var insert = tx.insertInto(ALERT_SILENCES, ALERT_SILENCES.DEVICE_ID, ALERT_SILENCES.IF_INDEX,
                ALERT_SILENCES.RULE, ALERT_SILENCES.WINDOW_NAME, ALERT_SILENCES.AT);
        for (Silence s : ss) {
            insert = insert.values(s.device().value(), s.ifIndex(), s.rule(), s.window(), micros(s.at()));
        }
        insert.execute();
    }

    // ------------------------------------------------------------------ the thread

    private void run() {
        while (true) {
            synchronized (this) {
                while (!closed && pending() == 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            try {
                writePending();
            } catch (RuntimeException e) {
                warnLimited("state and alert changes are kept in memory until PostgreSQL answers ({} pending, "
                        + "retrying every {} ms): {}", pending(), retryMillis, PgErrors.describe(e));
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    try {
                        wait(retryMillis);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void warnLimited(String format, Object... args) {
        if (warnLimit.allow("write")) {
            LOG.warn(format + " (logged at most once a minute)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    /**
     * Stops the thread and tries once to write what is pending; what cannot be written is counted
     * as dropped and logged. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        try {
            if (thread != null) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writePending();
        } catch (RuntimeException e) {
            int lost;
            synchronized (this) {
                lost = pending();
                droppedState.increment(pendingStates);
                droppedAlert.increment(alerts.size());
                droppedHistory.increment(history.size());
                droppedSilence.increment(silences.size());
                states.clear();
                pendingStates = 0;
                alerts.clear();
                history.clear();
                silences.clear();
            }
            LOG.warn("closing: {} state and alert change(s) could not be written and are lost: {}", lost,
                    PgErrors.describe(e));
        }
    }
}
