package io.github.wardops.ward.postgres.internal.repo;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.DEVICES;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.INVENTORY_VERSION;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceRepository;
import io.github.wardops.ward.postgres.internal.db.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** {@link DeviceRepository} over jOOQ. Thread-safe. */
public final class DeviceRepo implements DeviceRepository {
    private static final Field<String> HOST = DSL.field("host({0})", String.class, DEVICES.ADDRESS);

    /** Devices per INSERT statement: one round trip each, well under PostgreSQL's 65,535 bind parameters. */
    static final int BATCH = 1_000;
    /** The most devices one read of the table returns (as a CSV inventory may hold). */
    static final int MAX_DEVICES = io.github.wardops.ward.inventory.CsvInventory.DEFAULT_MAX_ROWS;
    /** The most bad rows named in one error; the rest are counted. */
    static final int MAX_PROBLEMS = 20;

    private final DSLContext ctx;

    /**
     * Creates the repository.
     *
     * @param ctx the database
     */
    public DeviceRepo(DSLContext ctx) {
        this.ctx = ctx;
    }

    static Field<Object> inet(String address) {
        return DSL.field("cast({0} as inet)", Object.class, DSL.val(address, String.class));
    }

    @Override
    public List<Device> loadAll(Function<Device, List<Check>> checks) {
        return loadAll(checks, false);
    }

    @Override
    public List<Device> loadAll(Function<Device, List<Check>> checks, boolean allowLinkLocal) {
        Objects.requireNonNull(checks, "checks");
        List<Device> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int bad = 0;
        var rows = ctx.select(DEVICES.ID, DEVICES.NAME, HOST, DEVICES.LABELS, DEVICES.PARENT_ID, DEVICES.ENABLED)
                .from(DEVICES).orderBy(DEVICES.ID).limit(MAX_DEVICES + 1).fetch();
        if (rows.size() > MAX_DEVICES) {
            throw new WardException("the devices table holds more than " + MAX_DEVICES + " devices, more than one ward "
                    + "inventory may hold");
        }
        for (Record r : rows) {
            UUID id = r.get(DEVICES.ID);
            try {
                Map<String, String> labels = Labels.read(r.get(DEVICES.LABELS).data());
                UUID parent = r.get(DEVICES.PARENT_ID);
                // The Device checks names and labels (no control characters) and the address (one ward may probe).
                Device d = new Device(new DeviceId(id), r.get(DEVICES.NAME), Addresses.parse(r.get(HOST)), labels,
                        parent == null ? null : new DeviceId(parent), r.get(DEVICES.ENABLED), List.of());
                Addresses.requireProbeable(d.address(), allowLinkLocal);
                out.add(d.withChecks(checks.apply(d)));
            } catch (RuntimeException e) {
                bad++;
                if (problems.size() < MAX_PROBLEMS) {
                    String m = String.valueOf(e.getMessage());
                    String prefix = "device " + id + ": ";
                    problems.add(prefix + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
                }
            }
        }
        if (bad > 0) {
            throw new WardException("the devices table has " + bad + " row(s) ward cannot use: " + String.join("; ", problems)
                    + (bad > problems.size() ? "; and " + (bad - problems.size()) + " more" : ""));
        }
        return out;
    }

    @Override
    public int upsertAll(Collection<Device> devices) {
        return upsertAll(devices, written -> { });
    }

    @Override
    public int upsertAll(Collection<Device> devices, IntConsumer progress) {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(progress, "progress");
        if (devices.isEmpty()) {
            return 0;
        }
        // One row per id (the last one wins): a multi-row INSERT ... ON CONFLICT must not touch a row twice.
        Map<UUID, Device> byId = new LinkedHashMap<>();
        for (Device d : devices) {
            byId.remove(d.id().value());
            byId.put(d.id().value(), d);
        }
        List<Device> rows = new ArrayList<>(byId.values());
        Instant now = Instant.now();
        ctx.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            for (int from = 0; from < rows.size(); from += BATCH) {
                List<Device> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
                var insert = tx.insertInto(DEVICES, DEVICES.ID, DEVICES.NAME, DEVICES.ADDRESS, DEVICES.LABELS,
                        DEVICES.PARENT_ID, DEVICES.ENABLED, DEVICES.UPDATED_AT);
                for (Device d : batch) {
                    insert = insert.values(DSL.val(d.id().value(), DEVICES.ID), DSL.val(d.name(), DEVICES.NAME),
                            inet(d.address().getHostAddress()), DSL.val(JSONB.valueOf(Labels.write(d.labels())), DEVICES.LABELS),
                            DSL.val(d.parentId() == null ? null : d.parentId().value(), DEVICES.PARENT_ID),
                            DSL.val(d.enabled(), DEVICES.ENABLED), DSL.val(now, DEVICES.UPDATED_AT));
                }
                insert.onConflict(DEVICES.ID).doUpdate()
                        .set(DEVICES.NAME, DSL.excluded(DEVICES.NAME))
                        .set(Map.of(DEVICES.ADDRESS, DSL.excluded(DEVICES.ADDRESS)))
                        .set(DEVICES.LABELS, DSL.excluded(DEVICES.LABELS))
                        .set(DEVICES.PARENT_ID, DSL.excluded(DEVICES.PARENT_ID))
                        .set(DEVICES.ENABLED, DSL.excluded(DEVICES.ENABLED))
                        .set(DEVICES.UPDATED_AT, DSL.excluded(DEVICES.UPDATED_AT))
                        .execute();
                progress.accept(from + batch.size());
            }
        });
        return rows.size();
    }

    @Override
    public boolean delete(DeviceId id) {
        return ctx.deleteFrom(DEVICES).where(DEVICES.ID.eq(id.value())).execute() > 0;
    }

    @Override
    public boolean setEnabled(DeviceId id, boolean enabled) {
        return ctx.update(DEVICES).set(DEVICES.ENABLED, enabled).set(DEVICES.UPDATED_AT, Instant.now())
                .where(DEVICES.ID.eq(id.value())).execute() > 0;
    }

    @Override
    public boolean setSnmpCredential(DeviceId id, UUID credentialId) {
        return ctx.update(DEVICES).set(DEVICES.SNMP_CREDENTIAL_ID, credentialId).set(DEVICES.UPDATED_AT, Instant.now())
                .where(DEVICES.ID.eq(id.value())).execute() > 0;
    }

    @Override
    public long version() {
        Long v = ctx.select(INVENTORY_VERSION.VERSION).from(INVENTORY_VERSION).fetchOne(INVENTORY_VERSION.VERSION);
        return v == null ? 0 : v;
    }
}
