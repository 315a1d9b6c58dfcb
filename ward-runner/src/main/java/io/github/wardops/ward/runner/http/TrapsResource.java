package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.postgres.TrapStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/devices/{id}/traps?limit=N}: a device's latest SNMP traps and informs, newest
 * first, from the {@link TrapLog} (PostgreSQL's {@code traps}, or memory when storage is off);
 * {@code 503} when the trap receiver is off or the store cannot be read.
 * Thread-safe.
 */
final class TrapsResource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpApi.class);
    /** The traps answered when no limit is given. */
    static final int DEFAULT_LIMIT = 50;
    /** The largest limit. */
    static final int MAX_LIMIT = 10_000;

    private final FleetView fleet;
    private final TrapLog traps;

    TrapsResource(FleetView fleet, TrapLog traps) {
        this.fleet = fleet;
        this.traps = traps;
    }

    void get(Request request, Response r) throws IOException {
        DeviceRequest d = new DeviceRequest(request);
        int limit = DEFAULT_LIMIT;
        List<Map.Entry<String, String>> pairs = d.parse(() -> QueryString.parse(request.rawQuery(), 1024, d.problems()));
        for (Map.Entry<String, String> kv : pairs == null ? List.<Map.Entry<String, String>>of() : pairs) {
            if (kv.getKey().equals("limit")) {
                limit = QueryString.wholeNumber("limit", kv.getValue(), 1, MAX_LIMIT, DEFAULT_LIMIT, d.problems());
            } else {
                d.problems().add("unknown parameter '" + kv.getKey() + "' (known: limit)");
            }
        }
        if (!d.admit(fleet, r, traps, "traps need the SNMP trap receiver (snmp-trap-port)")) {
            return;
        }
        DeviceId id = d.id();
        List<TrapStore.Trap> latest;
        try {
            latest = traps.latest(id, limit);
        } catch (RuntimeException e) {
            LOG.warn("reading the traps of {} failed: {}", id, e.getClass().getSimpleName());
            Answers.error(r, 503, "the traps cannot be read now");
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (TrapStore.Trap t : latest) {
            list.add(json(t));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("limit", limit);
        out.put("traps", list);
        Answers.ok(r, out);
    }

    /** One trap as JSON: what it is, where it came from, and its bindings in net-snmp's notation. */
    static Map<String, Object> json(TrapStore.Trap t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", t.at().toString());
        m.put("kind", t.kind());
        m.put("trapOid", t.trapOid());
        m.put("ifIndex", t.ifIndex());
        m.put("version", t.version());
        m.put("inform", t.inform());
        m.put("source", t.source());
        m.put("agentAddress", t.agentAddress());
        m.put("user", t.user());
        m.put("sysUpTime", t.sysUpTime());
        List<Map<String, Object>> vbs = new ArrayList<>(t.varbinds().size());
        for (TrapStore.Binding vb : t.varbinds()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("oid", vb.oid());
            v.put("type", vb.type());
            v.put("value", vb.value());
            vbs.add(v);
        }
        m.put("varbinds", vbs);
        m.put("varbindsDropped", t.varbindsDropped());
        m.put("valuesTruncated", t.valuesTruncated());
        return m;
    }
}
