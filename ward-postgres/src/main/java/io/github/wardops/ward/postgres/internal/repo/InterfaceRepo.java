package io.github.wardops.ward.postgres.internal.repo;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.INTERFACES;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.INTERFACE_SAMPLES;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.InterfaceRecord;
import io.github.wardops.ward.postgres.InterfaceRepository;
import io.github.wardops.ward.postgres.InterfaceSample;
import io.github.wardops.ward.postgres.WriteMode;
import io.github.wardops.ward.postgres.internal.db.CopyText;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.InterfaceSamplesRecord;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
    private static final int CHUNK = 500;

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
        List<InterfaceSamplesRecord> rows = new ArrayList<>(samples.size());
        Set<LocalDate> days = new HashSet<>();
        for (InterfaceSample s : samples) {
            Instant at = s.at().truncatedTo(ChronoUnit.MICROS);
            LocalDate d = Partitions.day(at);
            if (!dayAccepted.test("interface_samples", d)) {
                continue;
            }
            days.add(d);
            InterfaceSamplesRecord r = new InterfaceSamplesRecord();
            r.setDeviceId(s.device().value());
            r.setIfIndex(s.ifIndex());
            r.setAt(at);
            r.setOperStatus(s.operStatus());
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

    private void insert(List<InterfaceSamplesRecord> rows) {
        if (mode == WriteMode.COPY) {
            copy(rows);
            return;
        }
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            for (int from = 0; from < rows.size(); from += CHUNK) {
                var q = tx.insertInto(INTERFACE_SAMPLES).set(rows.get(from));
                for (InterfaceSamplesRecord r : rows.subList(from + 1, Math.min(rows.size(), from + CHUNK))) {
                    q = q.newRecord().set(r);
                }
                q.onConflictDoNothing().execute();
            }
        });
    }

    private void copy(List<InterfaceSamplesRecord> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 220);
        for (InterfaceSamplesRecord r : rows) {
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                Object v = r.get(i);
                if (v == null) {
                    sb.append("\\N");
                } else if (v instanceof String str) {
                    CopyText.append(sb, str);
                } else {
                    sb.append(v);
                }
            }
            sb.append('\n');
        }
        String text = sb.toString();
        try {
            CopyText.copyThroughStage(ctx, "interface_samples", null, text, evict);
        } catch (RuntimeException e) {
            if (!PgErrors.isUniqueViolation(e)) {
                throw e;
            }
            CopyText.copyThroughStage(ctx, "interface_samples", "ward_stage_ifs", text, evict);
        }
    }
}
