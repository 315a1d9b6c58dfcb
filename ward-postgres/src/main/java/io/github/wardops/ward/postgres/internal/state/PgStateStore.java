package io.github.wardops.ward.postgres.internal.state;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.DEVICE_STATE;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * {@link StateStore} over {@code device_state}: saves and deletes are queued in the
 * {@link StateWriter} (no I/O on the caller's thread); {@link #loadAll()} writes what is queued,
 * then reads every row, leaving out (and counting) rows it cannot understand; {@link #loadDevices()}
 * reads the device rows as they are, for a reader of states other processes write. Thread-safe.
 */
public final class PgStateStore implements StateStore {
    private static final Field<Instant> SINCE = DSL.coalesce(DEVICE_STATE.SINCE, DEVICE_STATE.DOWN_SINCE,
            DEVICE_STATE.LAST_CHANGE, DEVICE_STATE.UPDATED_AT).as("effective_since");
    /** In place of the flap history when it is not read. */
    private static final Field<String> NO_HISTORY = DSL.inline("").as("no_flap_history");
    private final DSLContext ctx;
    private final StateWriter writer;
    private final Unreadable unreadable;

    /**
     * Creates the store.
     *
     * @param ctx the database
     * @param writer the write-behind queue
     * @param registry the meter registry
     */
    public PgStateStore(DSLContext ctx, StateWriter writer, MeterRegistry registry) {
        this.ctx = ctx;
        this.writer = writer;
        this.unreadable = new Unreadable(registry, "device_state");
    }

    @Override
    public Collection<DeviceState> loadAll() {
        writer.flush();
        return read(DSL.noCondition(), true);
    }

    /** Only these devices' rows (a shard handed over to this runner), by the primary key. */
    @Override
    public Collection<DeviceState> load(Collection<DeviceId> devices) {
        UUID[] ids = devices.stream().map(DeviceId::value).toArray(UUID[]::new);
        writer.flush();
        return read(DEVICE_STATE.DEVICE_ID.eq(DSL.any(ids)), true);
    }

    /**
     * Every device's row ({@link StateKey#DEVICE}), as the database has it now, without its flap
     * history (empty): no interface row is read and what this process queued is not written
     * first, so it costs one read and no write. For a view of the states other processes write
     * (a runner in cluster mode shows the devices others poll). Rows it cannot understand are left
     * out and counted as by {@link #loadAll()}.
     *
     * @return the device states, ordered by device
     */
    public Collection<DeviceState> loadDevices() {
        return read(DEVICE_STATE.IF_INDEX.eq(StateKey.DEVICE), false);
    }

    private Collection<DeviceState> read(Condition where, boolean history) {
        var rows = ctx.select(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX, DEVICE_STATE.STATUS, SINCE,
                        DEVICE_STATE.FLAPPING, DEVICE_STATE.FLAP_PERCENT, DEVICE_STATE.CONSECUTIVE_FAILURES,
                        DEVICE_STATE.CONSECUTIVE_SUCCESSES, DEVICE_STATE.UPDATED_AT, DEVICE_STATE.FAILING_SINCE,
                        DEVICE_STATE.DETAIL, history ? DEVICE_STATE.FLAP_HISTORY : NO_HISTORY)
                .from(DEVICE_STATE)
                .where(where)
                .orderBy(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX)
                .fetch();
        Unreadable.Read read = unreadable.read();
        List<DeviceState> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            try {
                out.add(map(r, history));
            } catch (RuntimeException e) {
                read.skip("device " + r.get(DEVICE_STATE.DEVICE_ID) + " ifIndex " + r.get(DEVICE_STATE.IF_INDEX),
                        e.getMessage());
            }
        }
        read.done();
        return out;
    }

    private static DeviceState map(Record r, boolean history) {
        String text = r.get(DEVICE_STATE.STATUS);
        DeviceStatus status;
        try {
            status = DeviceStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status " + Unreadable.printable(text)
                    + " (known: UP, DOWN, UNKNOWN, UNREACHABLE)");
        }
        return new DeviceState(new StateKey(new DeviceId(r.get(DEVICE_STATE.DEVICE_ID)), r.get(DEVICE_STATE.IF_INDEX)),
                status, r.get(SINCE), r.get(DEVICE_STATE.FLAPPING), r.get(DEVICE_STATE.FLAP_PERCENT),
                r.get(DEVICE_STATE.CONSECUTIVE_FAILURES), r.get(DEVICE_STATE.CONSECUTIVE_SUCCESSES),
                r.get(DEVICE_STATE.UPDATED_AT), r.get(DEVICE_STATE.FAILING_SINCE), r.get(DEVICE_STATE.DETAIL),
                !history || r.get(DEVICE_STATE.FLAP_HISTORY) == null ? "" : r.get(DEVICE_STATE.FLAP_HISTORY));
    }

    @Override
    public void save(DeviceState state) {
        writer.save(state);
    }

    @Override
    public void delete(DeviceId device) {
        writer.delete(device);
    }

    /**
     * Rows left out by {@link #loadAll()} (and the other reads) since start.
     *
     * @return the count
     */
    public long unreadableRows() {
        return unreadable.total();
    }
}
