package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.internal.support.WriteBehind;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERTS;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERT_PENDING;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERT_SILENCES;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.DEVICE_STATE;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.STATE_CHANGES;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.WriteFence;
import io.github.wardops.ward.postgres.internal.db.Labels;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes device states, alerts, state history, silences and the rules' {@code for} timers behind
 * the caller: the SPIs are called inline with result processing (under a device's lock), so they
 * only put the change into one of five bounded {@link WriteBehind} queues and return; each queue's
 * thread writes its kind in short transactions (at most {@link #MAX_BATCH} items each, no other
 * I/O inside), one write at a time across the five (they share a write lock), so state writes
 * hold at most one connection.
 *
 * <p>States are coalesced by device (the latest state of an interface wins; a delete drops the
 * device's earlier saves and is written before later ones), alerts by id (the latest copy wins,
 * but a resolution or an acknowledgement is never undone by an older copy), timers by (device,
 * rule, interface), so the pending data is bounded by the inventory, the rules and the open
 * alerts; history and silences are FIFO. Each kind holds at
 * most {@code capacity} items (a device's pending writes count one per state and one for a
 * delete); more are dropped and counted ({@code ward.storage.state.dropped{kind}}). When the
 * database is away, nothing is lost up to the bound: the batch is put back, before anything newer,
 * and retried every retry interval. A row the database refuses as invalid is retried alone and,
 * if refused again, dropped and counted ({@code ward.storage.rows.rejected{reason=invalid}}),
 * never retried forever.
 *
 * <p>{@link #flush()} writes everything pending on the caller's thread (used before every read, so
 * reads see earlier writes). Thread-safe.
 */
public final class StateWriter implements AutoCloseable {
    /** Items of one kind per transaction. */
    public static final int MAX_BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);
    /** How long {@link #close()} waits for a writer thread to finish the batch it is writing. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A device's pending writes: a delete first (if any), then the saves by interface.
     *
     * @param device the device
     * @param delete whether the device's states are deleted first
     * @param saves the states to save, by interface index
     */
    record PendingDevice(DeviceId device, boolean delete, Map<Integer, DeviceState> saves) {
        int size() {
            return saves.size() + (delete ? 1 : 0);
        }

        /** The newer writes over the older: a delete drops what came before it. */
        static PendingDevice merge(PendingDevice older, PendingDevice newer) {
            if (newer.delete) {
                return newer;
            }
            LinkedHashMap<Integer, DeviceState> saves = new LinkedHashMap<>(older.saves);
            saves.putAll(newer.saves);
            return new PendingDevice(older.device, older.delete, Collections.unmodifiableMap(saves));
        }
    }

    private final DSLContext ctx;
    private final Runnable beforeWrite;
    private final long retryMillis;
    private final Counter rejected;
    private final LogLimiter warnLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    /** Shared by the five queues: one write (one connection) at a time, as with one thread. */
    private final ReentrantLock writes = new ReentrantLock();

    /** The fencing hook of several runners on one database, or {@code null}: every row is written. */
    private volatile WriteFence fence;
    private final Map<String, Counter> fencedRows = new java.util.concurrent.ConcurrentHashMap<>();
    private final MeterRegistry registry;

    private final WriteBehind<DeviceId, PendingDevice> states;
    private final WriteBehind<UUID, Alert> alerts;
    private final WriteBehind<Void, StateTransition> history;
    private final WriteBehind<Void, Silence> silences;
    private final WriteBehind<TimerKey, PendingTimer> timers;
    private final List<WriteBehind<?, ?>> all;

    /**
     * Creates the writer and starts its threads.
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
     * @param background whether to start the writer threads
     */
    StateWriter(DSLContext ctx, Runnable beforeWrite, int capacity, Duration retry, MeterRegistry registry,
                boolean background) {
        this.ctx = ctx;
        this.beforeWrite = beforeWrite;
        this.retryMillis = Math.max(1, retry.toMillis());
        this.registry = registry;
        for (String kind : List.of("state", "alert", "timer", "history")) {
            fencedRows.put(kind, Counter.builder("ward.storage.rows.fenced").tag("kind", kind)
                    .description("State and alert rows not written because another instance owns their devices now "
                            + "(several runners on one database)").register(registry));
        }
        this.rejected = Counter.builder("ward.storage.rows.rejected").tag("reason", "invalid")
                .description("Rows the database refused as invalid, or past retention").register(registry);
        this.states = this.<DeviceId, PendingDevice>queue("state", capacity, registry, this::writeStates)
                .coalescing(PendingDevice::device, PendingDevice::merge).weigher(PendingDevice::size)
                .build();
        this.alerts = this.<UUID, Alert>queue("alert", capacity, registry, this::writeAlerts)
                .coalescing(Alert::id, StateWriter::merge)
                .build();
        this.history = this.<Void, StateTransition>queue("history", capacity, registry, this::writeHistory)
                .build();
        this.silences = this.<Void, Silence>queue("silence", capacity, registry, this::writeSilences)
                .build();
        this.timers = this.<TimerKey, PendingTimer>queue("timer", capacity, registry, this::writeTimers)
                .coalescing(PendingTimer::key, (older, newer) -> newer)
                .build();
        this.all = List.of(states, alerts, history, silences, timers);
        Gauge.builder("ward.storage.state.pending", this, StateWriter::pending)
                .description("State, alert, history and silence writes waiting for the database").register(registry);
        if (background) {
            all.forEach(WriteBehind::start);
        }
    }

    /** One kind's queue: its thread, bound, retry and drop counter. */
    private <K, V> WriteBehind.Builder<K, V> queue(String kind, int capacity, MeterRegistry registry,
                                                   WriteBehind.BatchWriter<V> write) {
        Counter dropped = Counter.builder("ward.storage.state.dropped").tag("kind", kind)
                .description("State and alert writes dropped because the write-behind bound was full").register(registry);
        WriteBehind.Builder<K, V> b = WriteBehind.<K, V>builder("ward-pg-state-writer-" + kind, batch -> {
                    beforeWrite.run();
                    write.write(batch);
                })
                .capacity(capacity)
                .writeLock(writes)
                .batching(MAX_BATCH, Duration.ZERO)
                // until the database answers: nothing is lost up to the bound
                .retry(Integer.MAX_VALUE, Duration.ofMillis(retryMillis), Duration.ofMillis(retryMillis))
                .listener(new WriteBehind.Listener<>() {
                    @Override
                    public void dropped(WriteBehind.DropReason reason, long units) {
                        dropped.increment(units);
                    }

                    @Override
                    public void failed(List<V> batch, Throwable e, int attempt, long retryInNanos, long nanos) {
                        if (retryInNanos >= 0) {
                            warnLimited("state and alert changes are kept in memory until PostgreSQL answers ({} pending, "
                                    + "retrying every {} ms): {}", pending(), retryMillis, PgErrors.describe(e));
                        }
                    }
                });
        return b;
    }

    /**
     * Items waiting to be written.
     *
     * @return the count
     */
    public int pending() {
        long n = 0;
        for (WriteBehind<?, ?> w : all) {
            n += w.pending();
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    // ------------------------------------------------------------------ enqueue (never blocks on I/O)

    /**
     * Queues a state save.
     *
     * @param s the state
     */
    public void save(DeviceState s) {
        Objects.requireNonNull(s, "state");
        states.offer(new PendingDevice(s.key().device(), false, Map.of(s.key().ifIndex(), s)));
    }

    /**
     * Queues the deletion of a device's states (earlier pending saves of it are dropped).
     *
     * @param device the device
     */
    public void delete(DeviceId device) {
        Objects.requireNonNull(device, "device");
        states.offer(new PendingDevice(device, true, Map.of()));
    }

    /**
     * Queues an alert (opened, resolved or acknowledged: the whole row is written).
     *
     * @param a the alert
     */
    public void alert(Alert a) {
        Objects.requireNonNull(a, "alert");
        alerts.offer(a);
    }

    /**
     * Queues a transition for the history.
     *
     * @param t the transition
     */
    public void history(StateTransition t) {
        Objects.requireNonNull(t, "transition");
        history.offer(t);
    }

    /**
     * Queues a silence.
     *
     * @param s the silence
     */
    public void silence(Silence s) {
        Objects.requireNonNull(s, "silence");
        silences.offer(s);
    }

    /**
     * The newer copy of an alert, keeping a resolution or acknowledgement that only the older one
     * has (an acknowledgement made from a copy taken before the resolution must not reopen it).
     */
    static Alert merge(Alert older, Alert newer) {
        boolean res = newer.resolvedAt() != null;
        boolean ack = newer.acknowledgedAt() != null;
        return new Alert(newer.id(), newer.device(), newer.deviceName(), newer.address(), newer.labels(),
                newer.ifIndex(), newer.group(), newer.rule(), newer.severity(), newer.message(), newer.since(),
                newer.openedAt(), res ? newer.resolvedAt() : older.resolvedAt(),
                res ? newer.resolution() : older.resolution(),
                ack ? newer.acknowledgedAt() : older.acknowledgedAt(), ack ? newer.acknowledgedBy() : older.acknowledgedBy(),
                newer.impactedDevices(), newer.history());
    }

    /**
     * A {@code for} timer's pending write: started ({@code since} set) or cleared ({@code since}
     * null); the latest per (device, rule, interface) wins.
     *
     * @param key the timer
     * @param since when its condition started to hold, or {@code null} to delete it
     */
    record PendingTimer(TimerKey key, Instant since) {
    }

    /** A {@code for} timer's identity. */
    record TimerKey(DeviceId device, String rule, int ifIndex) {
    }

    /**
     * Queues a {@code for} timer's start ({@code since} set) or end ({@code since} null).
     *
     * @param device the device
     * @param rule the rule
     * @param ifIndex the interface, or 0
     * @param since when the condition started to hold, or {@code null} when the timer ended
     */
    public void pending(DeviceId device, String rule, int ifIndex, Instant since) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rule, "rule");
        timers.offer(new PendingTimer(new TimerKey(device, rule, ifIndex), since));
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
        } catch (Exception e) {
            throw new WardException("cannot write pending state and alert changes: " + PgErrors.describe(e), e);
        }
    }

    private void writePending() throws Exception {
        for (WriteBehind<?, ?> w : all) {
            w.drainNow();
        }
    }

    /**
     * Writes one batch of a kind in one transaction; after an invalid-data failure, each item
     * alone (refused ones are dropped and counted). A transient failure propagates: the queue puts
     * the batch back and retries it.
     */
    private void writeBatch(Runnable inOneTransaction, Runnable oneByOne) {
        try {
            inOneTransaction.run();
        } catch (RuntimeException e) {
            if (PgErrors.isTransient(e)) {
                throw e;
            }
            oneByOne.run();
        }
    }

    /**
     * Sets the fencing hook (see {@link WriteFence}); {@code null} writes every row. Batches
     * written from now on go through it.
     *
     * @param f the fence, or {@code null}
     */
    public void fence(WriteFence f) {
        this.fence = f;
    }

    /**
     * The items of a batch that the fence admits, asked in the batch's own transaction; the others
     * are counted and dropped (their devices have another owner now, who writes them).
     */
    private <T> List<T> admitted(DSLContext tx, List<T> batch, Function<T, DeviceId> device, String kind) {
        WriteFence f = fence;
        if (f == null || batch.isEmpty()) {
            return batch;
        }
        Set<DeviceId> ids = new HashSet<>();
        for (T t : batch) {
            ids.add(device.apply(t));
        }
        Predicate<DeviceId> ok = tx.connectionResult(c -> f.admit(c, Collections.unmodifiableSet(ids)));
        List<T> out = new ArrayList<>(batch.size());
        int refused = 0;
        for (T t : batch) {
            if (ok.test(device.apply(t))) {
                out.add(t);
            } else {
                refused++;
            }
        }
        if (refused > 0) {
            fencedRows.get(kind).increment(refused);
            warnLimited("{} {} write(s) not made: their devices are owned by another runner now (fenced)", refused,
                    kind);
        }
        return out;
    }

    private void writeStates(List<PendingDevice> batch) {
        writeBatch(() -> ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            writeStates(tx, admitted(tx, batch, PendingDevice::device, "state"));
        }), () -> {
            for (PendingDevice p : batch) {
                alone(() -> ctx.transaction(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    writeStates(tx, admitted(tx, List.of(p), PendingDevice::device, "state"));
                }), "device_state", p.device(), p.size());
            }
        });
    }

    private void writeAlerts(List<Alert> all) {
        writeBatch(() -> ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            List<Alert> batch = admitted(tx, all, Alert::device, "alert");
            // Resolutions first, so a new alert rarely has an open predecessor to supersede.
            for (Alert a : batch) {
                if (!a.isOpen()) {
                    writeAlert(tx, a);
                }
            }
            for (Alert a : batch) {
                if (a.isOpen()) {
                    writeAlert(tx, a);
                }
            }
        }), () -> {
            for (Alert a : all) {
                alone(() -> ctx.transaction(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    admitted(tx, List.of(a), Alert::device, "alert").forEach(x -> writeAlert(tx, x));
                }), "alerts", a.device(), 1);
            }
        });
    }

    private void writeTimers(List<PendingTimer> all) {
        writeBatch(() -> ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            List<PendingTimer> batch = admitted(tx, all, t -> t.key().device(), "timer");
            if (batch.isEmpty()) {
                return;
            }
            List<Query> qs = new ArrayList<>(batch.size());
            batch.forEach(t -> qs.add(timerQuery(tx, t)));
            tx.batch(qs).execute();
        }), () -> {
            for (PendingTimer t : all) {
                alone(() -> ctx.transaction(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    admitted(tx, List.of(t), x -> x.key().device(), "timer").forEach(x -> timerQuery(tx, x).execute());
                }), "alert_pending", t.key().device(), 1);
            }
        });
    }

    private static Query timerQuery(DSLContext tx, PendingTimer t) {
        TimerKey k = t.key();
        if (t.since() == null) {
            return tx.deleteFrom(ALERT_PENDING).where(ALERT_PENDING.DEVICE_ID.eq(k.device().value())
                    .and(ALERT_PENDING.RULE.eq(k.rule())).and(ALERT_PENDING.IF_INDEX.eq(k.ifIndex())));
        }
        Instant since = micros(t.since());
        return tx.insertInto(ALERT_PENDING)
                .set(ALERT_PENDING.DEVICE_ID, k.device().value())
                .set(ALERT_PENDING.RULE, k.rule())
                .set(ALERT_PENDING.IF_INDEX, k.ifIndex())
                .set(ALERT_PENDING.SINCE, since)
                .onConflict(ALERT_PENDING.DEVICE_ID, ALERT_PENDING.RULE, ALERT_PENDING.IF_INDEX).doUpdate()
                .set(ALERT_PENDING.SINCE, since);
    }

    private void writeHistory(List<StateTransition> batch) {
        writeBatch(() -> ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            insertHistory(tx, admitted(tx, batch, t -> t.key().device(), "history"));
        }), () -> {
            for (StateTransition t : batch) {
                alone(() -> ctx.transaction(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    insertHistory(tx, admitted(tx, List.of(t), x -> x.key().device(), "history"));
                }), "state_changes", t.key().device(), 1);
            }
        });
    }

    private void writeSilences(List<Silence> batch) {
        writeBatch(() -> ctx.transaction(cfg -> insertSilences(DSL.using(cfg), batch)), () -> {
            for (Silence s : batch) {
                alone(() -> ctx.transaction(cfg -> insertSilences(DSL.using(cfg), List.of(s))), "alert_silences",
                        s.device(), 1);
            }
        });
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

    /**
     * The device states of a batch: the deletions (a device removed, before any save of it that
     * came after), then every save through one prepared upsert with a row of binds each. A state
     * is saved after every result, so this is the writer's hot path: rendering one statement per
     * state, with its values inline, cost 3.7 KB of garbage a save and a parse each in PostgreSQL.
     */
    private static void writeStates(DSLContext tx, List<PendingDevice> batch) {
        List<UUID> deleted = new ArrayList<>();
        int saves = 0;
        for (PendingDevice p : batch) {
            if (p.delete()) {
                deleted.add(p.device().value());
            }
            saves += p.saves().size();
        }
        if (!deleted.isEmpty()) {
            tx.deleteFrom(DEVICE_STATE).where(DEVICE_STATE.DEVICE_ID.in(deleted)).execute();
        }
        if (saves == 0) {
            return;
        }
        BatchBindStep upsert = tx.batch(stateUpsert(tx));
        for (PendingDevice p : batch) {
            for (DeviceState s : p.saves().values()) {
                boolean down = s.status() == DeviceStatus.DOWN || s.status() == DeviceStatus.UNREACHABLE;
                Instant since = micros(s.since());
                // in the order of stateUpsert's columns
                upsert.bind(p.device().value(), s.key().ifIndex(), s.status().name(), since, down ? since : null, since,
                        s.flapping(), s.flapPercent(), s.consecutiveFailures(), s.consecutiveSuccesses(),
                        micros(s.updatedAt()), micros(s.failingSince()), s.detail(), s.flapHistory());
            }
        }
        upsert.execute();
    }

    /** {@code INSERT ... ON CONFLICT DO UPDATE} of one device state, every value a bind parameter. */
    private static Query stateUpsert(DSLContext tx) {
        List<Field<?>> columns = List.of(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX, DEVICE_STATE.STATUS,
                DEVICE_STATE.SINCE, DEVICE_STATE.DOWN_SINCE, DEVICE_STATE.LAST_CHANGE, DEVICE_STATE.FLAPPING,
                DEVICE_STATE.FLAP_PERCENT, DEVICE_STATE.CONSECUTIVE_FAILURES, DEVICE_STATE.CONSECUTIVE_SUCCESSES,
                DEVICE_STATE.UPDATED_AT, DEVICE_STATE.FAILING_SINCE, DEVICE_STATE.DETAIL, DEVICE_STATE.FLAP_HISTORY);
        Map<Field<?>, Field<?>> update = new LinkedHashMap<>();
        for (Field<?> f : columns.subList(2, columns.size())) {
            update.put(f, DSL.excluded(f));
        }
        List<Field<?>> binds = new ArrayList<>(columns.size());
        for (Field<?> f : columns) {
            binds.add(DSL.val(null, f));
        }
        return tx.insertInto(DEVICE_STATE, columns).values(binds)
                .onConflict(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX).doUpdate().set(update);
    }

    private static void writeAlert(DSLContext tx, Alert a) {
        if (a.isOpen()) {
            // An open row for the same (device, problem, interface) that ward does not know (left
            // by a crash between two writes, unreadable at start-up, or written by another
            // program) would block this one: it is closed, saying by which alert.
            tx.update(ALERTS)
                    .set(ALERTS.RESOLVED_AT, DSL.greatest(DSL.val(micros(a.openedAt())), ALERTS.OPENED_AT))
                    .set(ALERTS.RESOLUTION, "superseded by alert " + a.id())
                    .where(ALERTS.DEVICE_ID.eq(a.device().value())
                            .and(DSL.coalesce(ALERTS.ALERT_GROUP, ALERTS.RULE).eq(a.group()))
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
                .set(ALERTS.ADDRESS, a.address())
                .set(ALERTS.LABELS, JSONB.valueOf(Labels.write(a.labels())))
                .set(ALERTS.ALERT_GROUP, a.group())
                .set(ALERTS.DETAILS, JSONB.valueOf(AlertDetails.write(a)))
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
                // a problem's escalation: its current rule, severity and history
                .set(ALERTS.RULE, DSL.excluded(ALERTS.RULE))
                .set(ALERTS.SEVERITY, DSL.excluded(ALERTS.SEVERITY))
                .set(ALERTS.ALERT_GROUP, DSL.excluded(ALERTS.ALERT_GROUP))
                .set(ALERTS.DETAILS, DSL.excluded(ALERTS.DETAILS))
                .execute();
    }

    private static void insertHistory(DSLContext tx, List<StateTransition> ts) {
        if (ts.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(STATE_CHANGES, STATE_CHANGES.DEVICE_ID, STATE_CHANGES.IF_INDEX, STATE_CHANGES.AT,
                STATE_CHANGES.FROM_STATUS, STATE_CHANGES.TO_STATUS, STATE_CHANGES.FLAPPING, STATE_CHANGES.REASON,
                STATE_CHANGES.SINCE);
        for (StateTransition t : ts) {
            insert = insert.values(t.key().device().value(), t.key().ifIndex(), micros(t.at()), t.from().name(),
                    t.to().name(), t.flapping(), t.cause(), micros(t.since()));
        }
        insert.onConflictDoNothing().execute();
    }

    private static void insertSilences(DSLContext tx, List<Silence> ss) {
        var insert = tx.insertInto(ALERT_SILENCES, ALERT_SILENCES.DEVICE_ID, ALERT_SILENCES.IF_INDEX,
                ALERT_SILENCES.RULE, ALERT_SILENCES.WINDOW_NAME, ALERT_SILENCES.AT);
        for (Silence s : ss) {
            insert = insert.values(s.device().value(), s.ifIndex(), s.rule(), s.window(), micros(s.at()));
        }
        insert.execute();
    }

    private void warnLimited(String format, Object... args) {
        if (warnLimit.allow("write")) {
            LOG.warn(format + " (logged at most once a minute)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    /**
     * Stops the threads and tries once to write what is pending; what cannot be written is counted
     * as dropped and logged. Idempotent.
     */
    @Override
    public void close() {
        if (states.isClosed()) {
            return;
        }
        // Stop all five first, then wait: each ends after the batch it is writing.
        all.forEach(w -> w.stopWorker(Duration.ofMillis(1)));
        all.forEach(w -> w.stopWorker(STOP_TIMEOUT));
        try {
            writePending();
        } catch (Exception e) {
            int lost = pending();
            all.forEach(w -> w.close(Duration.ZERO));
            LOG.warn("closing: {} state and alert change(s) could not be written and are lost: {}", lost,
                    PgErrors.describe(e));
        } finally {
            all.forEach(w -> w.close(Duration.ZERO));
        }
    }
}
