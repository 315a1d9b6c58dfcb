package io.github.wardops.ward.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * SNMP traps matched to devices, in the {@code traps} table: written one by one as they arrive,
 * read as a device's latest, removed after the event retention ({@link PostgresOptions#eventRetention()})
 * by the maintenance. Each trap is bounded by the caller (bindings and value bytes); the table by the
 * retention. Thread-safe (every call is one statement on the pool).
 */
public final class TrapStore {
    /** The most traps one read returns. */
    public static final int MAX_LIMIT = 10_000;

    /**
     * One variable binding as net-snmp prints it.
     *
     * @param oid the OID, dotted
     * @param type the type label ({@code INTEGER}, {@code STRING}...)
     * @param value the value text
     */
    public record Binding(String oid, String type, String value) {
        /** Checks the components; none may be null. */
        public Binding {
            Objects.requireNonNull(oid, "oid");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * One stored trap.
     *
     * @param device the device it was matched to
     * @param at when it was received
     * @param kind linkDown, linkUp, coldStart, warmStart, authenticationFailure, a vendor trap's name (a
     *     template's {@code trap} line) or other
     * @param trapOid the notification OID, dotted
     * @param ifIndex the interface of a link trap, or {@code null}
     * @param version v1, v2c or v3
     * @param inform whether it was an inform
     * @param source the UDP source address
     * @param agentAddress the agent address, or {@code null}
     * @param user the SNMPv3 user, or {@code null}
     * @param sysUpTime the agent's sysUpTime in hundredths of a second, or {@code null}
     * @param varbinds the bindings
     * @param varbindsDropped bindings left out by the receiver's bound
     * @param valuesTruncated values cut by the receiver's bound
     */
    public record Trap(UUID device, Instant at, String kind, String trapOid, Integer ifIndex, String version,
                       boolean inform, String source, String agentAddress, String user, Long sysUpTime,
                       List<Binding> varbinds, int varbindsDropped, int valuesTruncated) {
        /** Checks the components and copies the bindings. */
        public Trap {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(trapOid, "trapOid");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(source, "source");
            varbinds = List.copyOf(varbinds);
        }
    }

    private final DSLContext ctx;

    TrapStore(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Stores a trap.
     *
     * @param t the trap
     * @throws org.jooq.exception.DataAccessException when the database cannot be written
     */
    public void add(Trap t) {
        int n = t.varbinds().size();
        String[] oids = new String[n];
        String[] types = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            oids[i] = t.varbinds().get(i).oid();
            types[i] = t.varbinds().get(i).type();
            values[i] = t.varbinds().get(i).value();
        }
        ctx.execute("INSERT INTO traps (device_id, at, kind, trap_oid, if_index, version, inform, source, agent_address, "
                        + "snmp_user, sys_up_time, varbind_oids, varbind_types, varbind_values, varbinds_dropped, "
                        + "values_truncated) VALUES (?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], "
                        + "?::text[], ?, ?)",
                t.device(), t.at().atOffset(ZoneOffset.UTC), t.kind(), t.trapOid(), t.ifIndex(), t.version(), t.inform(),
                t.source(), t.agentAddress(), t.user(), t.sysUpTime(), oids, types, values, t.varbindsDropped(),
                t.valuesTruncated());
    }

    /**
     * A device's latest traps, newest first.
     *
     * @param device the device
     * @param limit the most returned, 1 to {@link #MAX_LIMIT}
     * @return the traps
     * @throws IllegalArgumentException when the limit is out of range
     * @throws org.jooq.exception.DataAccessException when the database cannot be read
     */
    public List<Trap> latest(UUID device, int limit) {
        Objects.requireNonNull(device, "device");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " must be 1 to " + MAX_LIMIT);
        }
        List<Trap> out = new ArrayList<>();
        for (Record r : ctx.fetch("SELECT device_id, at, kind, trap_oid, if_index, version, inform, source, agent_address, "
                + "snmp_user, sys_up_time, varbind_oids, varbind_types, varbind_values, varbinds_dropped, values_truncated "
                + "FROM traps WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?", device, limit)) {
            String[] oids = r.get(11, String[].class);
            String[] types = r.get(12, String[].class);
            String[] values = r.get(13, String[].class);
            List<Binding> vbs = new ArrayList<>(oids.length);
            for (int i = 0; i < oids.length; i++) {
                vbs.add(new Binding(oids[i], types[i], values[i]));
            }
            out.add(new Trap(r.get(0, UUID.class), r.get(1, OffsetDateTime.class).toInstant(), r.get(2, String.class),
                    r.get(3, String.class), r.get(4, Integer.class), r.get(5, String.class), r.get(6, Boolean.class),
                    r.get(7, String.class), r.get(8, String.class), r.get(9, String.class), r.get(10, Long.class), vbs,
                    r.get(14, Integer.class), r.get(15, Integer.class)));
        }
        return out;
    }

    /** Deletes the traps received before the cut-off; returns how many. */
    static long removeBefore(DSLContext ctx, Instant before) {
        return ctx.execute("DELETE FROM traps WHERE at < ?::timestamptz", before.atOffset(ZoneOffset.UTC));
    }
}
