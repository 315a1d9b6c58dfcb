package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.poller.TrapEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/devices/{id}/traps?limit=N}: a device's latest SNMP traps and informs, newest
 * first, from the runner's in-memory {@link TrapLog}; {@code 503} when the trap receiver is off.
 * Thread-safe.
 */
final class TrapsResource {
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
        List<Map<String, Object>> list = new ArrayList<>();
        for (TrapEvent e : traps.latest(id, limit)) {
            list.add(json(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("limit", limit);
        out.put("traps", list);
        Answers.ok(r, out);
    }

    /** One trap as JSON: what it is, where it came from, and its bindings in net-snmp's notation. */
    static Map<String, Object> json(TrapEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.receivedAt().toString());
        m.put("kind", kind(e));
        m.put("trapOid", e.trapOid().toString());
        m.put("ifIndex", e.ifIndex());
        m.put("version", e.version().name().toLowerCase(java.util.Locale.ROOT));
        m.put("inform", e.inform());
        m.put("source", e.source().getAddress().getHostAddress());
        m.put("agentAddress", e.agentAddress() == null ? null : e.agentAddress().getHostAddress());
        m.put("user", e.user());
        m.put("sysUpTime", e.sysUpTime() < 0 ? null : e.sysUpTime());
        List<Map<String, Object>> vbs = new ArrayList<>(e.varbinds().size());
        for (SnmpVarBind vb : e.varbinds()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("oid", vb.oid().toString());
            v.put("type", vb.value().typeName());
            v.put("value", vb.value().formatValue());
            vbs.add(v);
        }
        m.put("varbinds", vbs);
        m.put("varbindsDropped", e.varbindsDropped());
        m.put("valuesTruncated", e.valuesTruncated());
        return m;
    }

    /**
     * The event kind: linkDown, linkUp, coldStart, warmStart, authenticationFailure, or other.
     *
     * @param e the trap
     * @return the kind
     */
    static String kind(TrapEvent e) {
        return e.wellKnownName() == null ? "other" : e.wellKnownName();
    }
}
