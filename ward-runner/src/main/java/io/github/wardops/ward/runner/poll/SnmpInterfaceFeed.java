package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.ResultListener;
import io.github.wardops.ward.runner.http.Uplinks;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.state.StateTracker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feeds the state tracker with what an SNMP poll saw of each interface: the oper status of the
 * interfaces that are administratively up (an admin-down port is not a fault), and the rates as
 * interface values ({@code if_in_bps}, {@code if_out_bps}, {@code if_in_errors_per_s},
 * {@code if_out_errors_per_s}, {@code if_util_in_pct}, {@code if_util_out_pct},
 * {@code if_speed_bps}...), the names the alert rules and the cache use; the interface's names,
 * role and provider as words ({@code if_name}, {@code if_role}, {@code if_provider}...); and the
 * uplinks to {@link Uplinks}. Registered with the
 * engine after the tracker. Stateless and thread-safe; called on the probing thread.
 */
final class SnmpInterfaceFeed implements ResultListener {
    private static final int IF_UP = 1;
    private static final java.util.regex.Pattern ATTRIBUTE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private final StateTracker tracker;
    private final Uplinks uplinks;

    SnmpInterfaceFeed(StateTracker tracker) {
        this(tracker, null);
    }

    SnmpInterfaceFeed(StateTracker tracker, Uplinks uplinks) {
        this.tracker = tracker;
        this.uplinks = uplinks;
    }

    @Override
    public void onResult(ProbeResult result) {
        if (!(result instanceof ProbeResult.Up up) || !(up.measurement() instanceof SnmpMeasurement m)) {
            return;
        }
        if (uplinks != null) {
            uplinks.update(up.device(), m.interfaces());
        }
        for (SnmpInterface i : m.interfaces()) {
            if (i.index() < 1) {
                continue;
            }
            tracker.onInterfaceLabels(up.device(), i.index(), labels(i), up.at());
            if (i.adminStatus() == IF_UP && i.operStatus() != 0) {
                tracker.onInterfaceStatus(up.device(), i.index(), i.operStatus() == IF_UP, up.at());
            }
            Map<String, Double> values = values(i);
            if (!values.isEmpty()) {
                tracker.onInterfaceValues(up.device(), i.index(), values, up.at());
            }
        }
    }

    /**
     * The interface's words for the alert rules: {@code if_name}, {@code if_alias}, {@code if_descr},
     * and, when a classification rule matched, {@code if_role} and {@code if_<group>} for each named
     * group it captured ({@code if_provider}).
     */
    static Map<String, String> labels(SnmpInterface i) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("if_name", i.name());
        l.put("if_alias", i.alias());
        l.put("if_descr", i.descr());
        if (i.role() != null) {
            l.put("if_role", i.role());
            i.attributes().forEach((k, v) -> {
                if (ATTRIBUTE.matcher(k).matches() && !l.containsKey("if_" + k)) {
                    l.put("if_" + k, v);
                }
            });
        }
        return l;
    }

    /** The interface's rates under the tracker's and the cache's names; NaN rates are left out. */
    static Map<String, Double> values(SnmpInterface i) {
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, Double> r = i.rates().asMap();
        put(v, "if_in_bps", r.get("in_bps"));
        put(v, "if_out_bps", r.get("out_bps"));
        put(v, "if_in_pps", r.get("in_pps"));
        put(v, "if_out_pps", r.get("out_pps"));
        put(v, "if_in_errors_per_s", r.get("in_errors_ps"));
        put(v, "if_out_errors_per_s", r.get("out_errors_ps"));
        put(v, "if_in_discards_per_s", r.get("in_discards_ps"));
        put(v, "if_out_discards_per_s", r.get("out_discards_ps"));
        put(v, "if_util_in_pct", r.get("in_util_pct"));
        put(v, "if_util_out_pct", r.get("out_util_pct"));
        if (i.speedBitsPerSecond() > 0) {
            v.put("if_speed_bps", (double) i.speedBitsPerSecond());
        }
        return v;
    }

    private static void put(Map<String, Double> m, String k, Double v) {
        if (v != null && Double.isFinite(v)) {
            m.put(k, v);
        }
    }
}
