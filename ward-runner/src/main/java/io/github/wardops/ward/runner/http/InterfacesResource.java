package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.InterfaceHistory;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.state.DeviceState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/devices/{id}/interfaces}: a device's SNMP interfaces with their latest rates,
 * from the latest SNMP poll the engine keeps in memory, or else (after a restart, or while SNMP
 * does not answer) from the stored {@code interfaces} rows and their latest samples; and
 * {@code GET /api/devices/{id}/interfaces/{ifIndex}/history}: an interface's traffic over a range
 * ({@link HistoryQuery}), from the raw samples or the roll-ups as the step needs
 * ({@link InterfaceHistory}), as JSON or CSV. Both answers are bounded. Thread-safe.
 */
final class InterfacesResource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The most interfaces one answer lists. */
    static final int MAX_INTERFACES = 5_000;
    private static final String[] STATUS = {null, "up", "down", "testing", "unknown", "dormant", "notPresent",
        "lowerLayerDown"};

    private final FleetView fleet;
    private final InterfaceHistory history;
    private final Clock clock;

    InterfacesResource(FleetView fleet, InterfaceHistory history, Clock clock) {
        this.fleet = fleet;
        this.history = history;
        this.clock = clock;
    }

    void list(Request request, Response r) throws IOException {
        DeviceRequest d = new DeviceRequest(request);
        unknownParameters(request.rawQuery(), "none", d.problems());
        if (!d.admit(fleet, r)) {
            return;
        }
        DeviceId id = d.id();
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean truncated = false;
        String source;
        Instant at = null;
        ProbeResult polled = latestPoll(id);
        if (polled != null) {
            source = "memory";
            at = polled.at();
            List<SnmpInterface> ifs = new ArrayList<>(((SnmpMeasurement) polled.measurement()).interfaces());
            ifs.sort(Comparator.comparingInt(SnmpInterface::index));
            for (SnmpInterface i : ifs) {
                if (i.index() < 1) {
                    continue;
                }
                if (rows.size() == MAX_INTERFACES) {
                    truncated = true;
                    break;
                }
                InterfaceRates q = i.rates();
                rows.add(row(id, i.index(), blankToNull(i.name()), blankToNull(i.alias()), blankToNull(i.descr()),
                        i.role(), blankToNull(i.attributes().get("provider")), i.speedBitsPerSecond() > 0 ? i.speedBitsPerSecond() : null, status(i.adminStatus()),
                        status(i.operStatus()), polled.at(), finite(q.inBitsPerSecond()), finite(q.outBitsPerSecond()),
                        finite(q.inUtilizationPct()), finite(q.outUtilizationPct()), finite(q.inErrorsPerSecond()),
                        finite(q.outErrorsPerSecond())));
            }
        } else if (history != null) {
            InterfaceHistory.StoredList stored;
            try {
                stored = history.interfaces(id.value(), MAX_INTERFACES);
            } catch (RuntimeException e) {
                LOG.warn("reading the interfaces of {} failed: {}", id, e.getClass().getSimpleName());
                Answers.error(r, 503, "the stored interfaces cannot be read now");
                return;
            }
            source = stored.interfaces().isEmpty() ? "none" : "storage";
            truncated = stored.truncated();
            for (InterfaceHistory.Stored s : stored.interfaces()) {
                if (at == null || s.lastSeen().isAfter(at)) {
                    at = s.lastSeen();
                }
                rows.add(row(id, s.ifIndex(), s.name(), s.alias(), s.descr(), s.role(), s.provider(), s.speedBps(), s.adminStatus(),
                        s.operStatus(), s.sampleAt(), s.inBps(), s.outBps(), s.utilInPct(), s.utilOutPct(),
                        s.inErrorsPerS(), s.outErrorsPerS()));
            }
        } else {
            source = "none";
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("source", source);
        out.put("at", at == null ? null : at.toString());
        out.put("truncated", truncated);
        out.put("interfaces", rows);
        Answers.ok(r, out);
    }

    void history(Request request, Response r) throws IOException {
        DeviceRequest d = new DeviceRequest(request);
        int ifIndex = ifIndex(request.param("ifIndex"), d.problems());
        HistoryQuery q = d.parse(() -> HistoryQuery.parse(request.rawQuery(), clock.instant()));
        if (!d.admit(fleet, r, history, "interface history needs the PostgreSQL storage (storage: postgres)")) {
            return;
        }
        DeviceId id = d.id();
        InterfaceHistory.Series series;
        try {
            if (!polledNow(id, ifIndex) && !history.exists(id.value(), ifIndex)) {
                Answers.error(r, 404, "device " + id + " has no interface " + ifIndex);
                return;
            }
            series = history.read(id.value(), ifIndex, q.from(), q.to(), q.step());
        } catch (RuntimeException e) {
            LOG.warn("reading the history of {} interface {} failed: {}", id, ifIndex, e.getClass().getSimpleName());
            Answers.error(r, 503, "the interface history cannot be read now");
            return;
        }
        String source = series.source().name().toLowerCase(Locale.ROOT);
        if (q.csv()) {
            StringBuilder sb = new StringBuilder("t,inBps,inBpsMax,outBps,outBpsMax,utilInPct,utilOutPct,errorsPerS\n");
            for (InterfaceHistory.Point p : series.points()) {
                sb.append(p.t()).append(',').append(HistoryResource.num(p.inBps())).append(',')
                        .append(HistoryResource.num(p.inBpsMax())).append(',').append(HistoryResource.num(p.outBps()))
                        .append(',').append(HistoryResource.num(p.outBpsMax())).append(',')
                        .append(HistoryResource.num(p.utilInPct())).append(',')
                        .append(HistoryResource.num(p.utilOutPct())).append(',')
                        .append(HistoryResource.num(p.errorsPerS())).append('\n');
            }
            r.header("X-Ward-History-Source", source);
            r.send(200, HistoryResource.CSV, sb.toString());
            return;
        }
        List<Map<String, Object>> points = new ArrayList<>(series.points().size());
        for (InterfaceHistory.Point p : series.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", p.t().toString());
            m.put("inBps", HistoryResource.round(p.inBps()));
            m.put("inBpsMax", HistoryResource.round(p.inBpsMax()));
            m.put("outBps", HistoryResource.round(p.outBps()));
            m.put("outBpsMax", HistoryResource.round(p.outBpsMax()));
            m.put("utilInPct", HistoryResource.round(p.utilInPct()));
            m.put("utilOutPct", HistoryResource.round(p.utilOutPct()));
            m.put("errorsPerS", HistoryResource.round(p.errorsPerS()));
            points.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("ifIndex", ifIndex);
        out.put("from", q.from().toString());
        out.put("to", q.to().toString());
        out.put("step", q.step().toString());
        out.put("source", source);
        out.put("points", points);
        Answers.ok(r, out);
    }

    /** The newest result in memory that carries SNMP interfaces, or {@code null}. */
    private ProbeResult latestPoll(DeviceId id) {
        ProbeResult best = null;
        for (ProbeResult p : fleet.latestAll(id).values()) {
            if (p.measurement() instanceof SnmpMeasurement m && !m.interfaces().isEmpty()
                    && (best == null || p.at().isAfter(best.at()))) {
                best = p;
            }
        }
        return best;
    }

    private boolean polledNow(DeviceId id, int ifIndex) {
        ProbeResult p = latestPoll(id);
        if (p == null) {
            return false;
        }
        for (SnmpInterface i : ((SnmpMeasurement) p.measurement()).interfaces()) {
            if (i.index() == ifIndex) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> row(DeviceId id, int ifIndex, String name, String alias, String descr, String role,
                                    String provider, Long speed, String admin, String oper, Instant at, Double in, Double out,
                                    Double utilIn, Double utilOut, Double inErrors, Double outErrors) {
        DeviceState st = fleet.interfaceState(id, ifIndex).orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ifIndex", ifIndex);
        m.put("ifName", name);
        m.put("ifAlias", alias);
        m.put("ifDescr", descr);
        m.put("role", role);
        m.put("provider", provider);
        m.put("speedBps", speed);
        m.put("adminStatus", admin);
        m.put("operStatus", oper);
        m.put("status", st == null ? null : st.status().name());
        m.put("at", at == null ? null : at.toString());
        m.put("inBps", HistoryResource.round(in));
        m.put("outBps", HistoryResource.round(out));
        m.put("utilInPct", HistoryResource.round(utilIn));
        m.put("utilOutPct", HistoryResource.round(utilOut));
        m.put("errorsPerS", inErrors == null && outErrors == null ? null
                : HistoryResource.round((inErrors == null ? 0 : inErrors) + (outErrors == null ? 0 : outErrors)));
        return m;
    }

    /**
     * Parses an ifIndex path segment: a whole number from 1 to 2,147,483,647.
     *
     * @param raw the segment
     * @param problems where a bad one is reported
     * @return the ifIndex, or 0 when bad
     */
    static int ifIndex(String raw, List<String> problems) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("'" + raw + "' is not an ifIndex (a whole number from 1 to 2147483647)");
        return 0;
    }

    /** Adds a problem for every parameter of a route that takes none. */
    static void unknownParameters(String rawQuery, String known, List<String> problems) {
        try {
            for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 1024, problems)) {
                problems.add("unknown parameter '" + kv.getKey() + "' (known: " + known + ")");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private static String status(int code) {
        return code >= 1 && code < STATUS.length ? STATUS[code] : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
