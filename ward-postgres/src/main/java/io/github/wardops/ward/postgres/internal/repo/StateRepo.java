package io.github.wardops.ward.postgres.internal.repo;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.DEVICE_STATE;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.STATE_CHANGES;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceStateRecord;
import io.github.wardops.ward.postgres.DeviceStateStore;
import io.github.wardops.ward.postgres.StateChange;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** {@link DeviceStateStore} over jOOQ. Thread-safe. */
public final class StateRepo implements DeviceStateStore {
    private final DSLContext ctx;

    /**
     * Creates the store.
     *
     * @param ctx the database
     */
    public StateRepo(DSLContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void saveAll(Collection<DeviceStateRecord> states) {
        if (states.isEmpty()) {
            return;
        }
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            for (DeviceStateRecord s : states) {
                tx.insertInto(DEVICE_STATE)
                        .set(DEVICE_STATE.DEVICE_ID, s.device().value())
                        .set(DEVICE_STATE.STATUS, s.status().name())
                        .set(DEVICE_STATE.DOWN_SINCE, s.downSince())
                        .set(DEVICE_STATE.LAST_CHANGE, s.lastChange())
                        .set(DEVICE_STATE.FLAPPING, s.flapping())
                        .set(DEVICE_STATE.FLAPPING_SINCE, s.flappingSince())
                        .set(DEVICE_STATE.RECENT_CHANGES, s.recentChanges())
                        .set(DEVICE_STATE.UPDATED_AT, s.updatedAt())
                        .set(DEVICE_STATE.IF_INDEX, 0)
                        .set(DEVICE_STATE.SINCE, since(s))
                        .onConflict(DEVICE_STATE.DEVICE_ID, DEVICE_STATE.IF_INDEX).doUpdate()
                        .set(DEVICE_STATE.SINCE, since(s))
                        .set(DEVICE_STATE.STATUS, s.status().name())
                        .set(DEVICE_STATE.DOWN_SINCE, s.downSince())
                        .set(DEVICE_STATE.LAST_CHANGE, s.lastChange())
                        .set(DEVICE_STATE.FLAPPING, s.flapping())
                        .set(DEVICE_STATE.FLAPPING_SINCE, s.flappingSince())
                        .set(DEVICE_STATE.RECENT_CHANGES, s.recentChanges())
                        .set(DEVICE_STATE.UPDATED_AT, s.updatedAt())
                        .execute();
            }
        });
    }

    /** The start of the status, for the StateStore SPI's reader (V2 column). */
    private static Instant since(DeviceStateRecord s) {
        return s.downSince() != null ? s.downSince() : s.lastChange() != null ? s.lastChange() : s.updatedAt();
    }

    private static DeviceStateRecord map(io.github.wardops.ward.postgres.internal.jooq.tables.records.DeviceStateRecord r) {
        return new DeviceStateRecord(new DeviceId(r.getDeviceId()), DeviceStatus.valueOf(r.getStatus()),
                r.getDownSince(), r.getLastChange(), r.getFlapping(), r.getFlappingSince(), r.getRecentChanges(),
                r.getUpdatedAt());
    }

    @Override
    public List<DeviceStateRecord> loadAll() {
        // Device rows only (interfaces are the StateStore SPI's); rows whose status this version
        // does not know are left out (the SPI reader counts them).
        return ctx.selectFrom(DEVICE_STATE).where(DEVICE_STATE.IF_INDEX.eq(0).and(knownStatus()))
                .orderBy(DEVICE_STATE.DEVICE_ID).fetch(StateRepo::map);
    }

    private static org.jooq.Condition knownStatus() {
        return DEVICE_STATE.STATUS.in(java.util.Arrays.stream(DeviceStatus.values()).map(Enum::name).toList());
    }

    @Override
    public Optional<DeviceStateRecord> load(DeviceId device) {
        return ctx.selectFrom(DEVICE_STATE).where(DEVICE_STATE.DEVICE_ID.eq(device.value())
                        .and(DEVICE_STATE.IF_INDEX.eq(0)).and(knownStatus())).fetchOptional()
                .map(StateRepo::map);
    }

    @Override
    public void delete(DeviceId device) {
        ctx.deleteFrom(DEVICE_STATE).where(DEVICE_STATE.DEVICE_ID.eq(device.value())).execute();
    }

    @Override
    public void recordChange(StateChange c) {
        ctx.insertInto(STATE_CHANGES)
                .set(STATE_CHANGES.DEVICE_ID, c.device().value())
                .set(STATE_CHANGES.AT, c.at())
                .set(STATE_CHANGES.FROM_STATUS, c.from().name())
                .set(STATE_CHANGES.TO_STATUS, c.to().name())
                .set(STATE_CHANGES.FLAPPING, c.flapping())
                .set(STATE_CHANGES.REASON, c.reason())
                .onConflictDoNothing()
                .execute();
    }

    @Override
    public List<StateChange> changes(DeviceId device, Instant since, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit " + limit + " must be 1-10000");
        }
        return ctx.selectFrom(STATE_CHANGES)
                .where(STATE_CHANGES.DEVICE_ID.eq(device.value()).and(STATE_CHANGES.IF_INDEX.eq(0))
                        .and(STATE_CHANGES.AT.ge(since)))
                .orderBy(STATE_CHANGES.AT.desc(), STATE_CHANGES.ID.desc())
                .limit(limit)
                .fetch(r -> new StateChange(new DeviceId(r.getDeviceId()), r.getAt(),
                        DeviceStatus.valueOf(r.getFromStatus()), DeviceStatus.valueOf(r.getToStatus()),
                        r.getFlapping(), r.getReason()));
    }
}
