package io.github.wardops.ward.postgres.internal.repo;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.INTERFACES;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.InterfaceRecord;
import io.github.wardops.ward.postgres.InterfaceRepository;
import io.github.wardops.ward.postgres.InterfaceSample;
import io.github.wardops.ward.postgres.WriteMode;
import io.github.wardops.ward.postgres.internal.db.CopyText;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.postgres.internal.db.SampleRows;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** {@link InterfaceRepository} over jOOQ. Thread-safe. */
public final class InterfaceRepo implements InterfaceRepository {

    private final DSLContext ctx;
    private final WriteMode mode;
    private final Consumer<Connection> evict;
    private final Partitions partitions;
    private final BiPredicate<String, LocalDate> dayAccepted;

    /**
     * Creates the repository.
     *
     * @param ctx the database
     * @param partitions the partition helper
     * @param dayAccepted whether a row of that table and day is kept
     * @param mode COPY or INSERT for samples
     * @param evict removes a broken connection from the pool
     */
    public InterfaceRepo(DSLContext ctx, Partitions partitions, BiPredicate<String, LocalDate> dayAccepted,
                         WriteMode mode, Consumer<Connection> evict) {
        this.ctx = ctx;
        this.evict = evict;
        this.mode = mode;
        this.partitions = partitions;
        this.dayAccepted = dayAccepted;
    }

    @Override
    public void upsertDiscovered(DeviceId device, Collection<InterfaceRecord> found, Instant seen) {
        for (InterfaceRecord i : found) {
            if (!i.device().equals(device)) {
                throw new IllegalArgumentException("interface " + i.ifIndex() + " belongs to device " + i.device()
                        + ", not " + device);
            }
        }
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            for (InterfaceRecord i : found) {
                tx.insertInto(INTERFACES)
                        .set(INTERFACES.DEVICE_ID, device.value())
                        .set(INTERFACES.IF_INDEX, i.ifIndex())
                        .set(INTERFACES.NAME, i.name())
                        .set(INTERFACES.DESCR, i.descr())
                        .set(INTERFACES.ALIAS, i.alias())
                        .set(INTERFACES.IF_TYPE, i.type())
                        .set(INTERFACES.SPEED_BPS, i.speedBps())
                        .set(INTERFACES.MAC, i.mac())
                        .set(INTERFACES.ADMIN_STATUS, i.adminStatus())
                        .set(INTERFACES.OPER_STATUS, i.operStatus())
                        .set(INTERFACES.ROLE, i.role())
                        .set(INTERFACES.PROVIDER, i.provider())
                        .set(INTERFACES.DISCOVERED_AT, seen)
                        .set(INTERFACES.LAST_SEEN, seen)
                        .onConflict(INTERFACES.DEVICE_ID, INTERFACES.IF_INDEX).doUpdate()
                        .set(INTERFACES.NAME, i.name())
                        .set(INTERFACES.DESCR, i.descr())
                        .set(INTERFACES.ALIAS, i.alias())
                        .set(INTERFACES.IF_TYPE, i.type())
                        .set(INTERFACES.SPEED_BPS, i.speedBps())
                        .set(INTERFACES.MAC, i.mac())
                        .set(INTERFACES.ADMIN_STATUS, i.adminStatus())
                        .set(INTERFACES.OPER_STATUS, i.operStatus())
                        .set(INTERFACES.ROLE, i.role())
                        .set(INTERFACES.PROVIDER, i.provider())
                        .set(INTERFACES.LAST_SEEN, seen)
                        .execute();
            }
        });
    }

    @Override
    public List<InterfaceRecord> interfaces(DeviceId device) {
        return ctx.selectFrom(INTERFACES).where(INTERFACES.DEVICE_ID.eq(device.value())).orderBy(INTERFACES.IF_INDEX)
                .fetch(r -> new InterfaceRecord(device, r.getIfIndex(), r.getName(), r.getDescr(), r.getAlias(),
                        r.getIfType(), r.getSpeedBps(), r.getMac(), r.getAdminStatus(), r.getOperStatus(), r.getRole(),
                        r.getProvider()));
    }

    @Override
    public int writeSamples(Collection<InterfaceSample> samples) {
        List<SampleRows.Row> rows = new ArrayList<>(samples.size());
        Set<LocalDate> days = new HashSet<>();
        for (InterfaceSample s : samples) {
            SampleRows.Row r = SampleRows.of(s);
            LocalDate d = Partitions.day(r.at());
            if (!dayAccepted.test("interface_samples", d)) {
                continue;
            }
            days.add(d);
            rows.add(r);
        }
        if (rows.isEmpty()) {
            return 0;
        }
        for (LocalDate d : days) {
            partitions.ensure(ctx, "interface_samples", d);
        }
        try {
            insert(rows);
        } catch (RuntimeException e) {
            // a partition dropped behind ward's back: forget what was seen and create it again, once
            if (!PgErrors.isMissingPartition(e)) {
                throw e;
            }
            partitions.forget();
            for (LocalDate d : days) {
                partitions.ensure(ctx, "interface_samples", d);
            }
            insert(rows);
        }
        return rows.size();
    }

    private void insert(List<SampleRows.Row> rows) {
        if (mode == WriteMode.COPY) {
            copy(rows);
            return;
        }
        ctx.transaction(cfg -> SampleRows.insert(DSL.using(cfg), rows));
    }

    private void copy(List<SampleRows.Row> rows) {
        String text = SampleRows.copyText(rows);
        try {
            CopyText.copyThroughStage(ctx, "interface_samples", SampleRows.COLUMNS, null, text, evict);
        } catch (RuntimeException e) {
            if (!PgErrors.isUniqueViolation(e)) {
                throw e;
            }
            CopyText.copyThroughStage(ctx, "interface_samples", SampleRows.COLUMNS, "ward_stage_ifs", text, evict);
        }
    }
}
