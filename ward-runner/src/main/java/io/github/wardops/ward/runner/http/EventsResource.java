package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceEvents;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/devices/{id}/events}: a device's state changes, alerts and SNMP traps over a range
 * ({@link EventQuery}), merged in time order ({@link DeviceEvents}), at most a limit of them, as
 * JSON or CSV; the answer says when the range held more. Thread-safe.
 */
final class EventsResource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String CSV_HEADER = "at,kind,ifIndex,from,to,flapping,reason,alertId,rule,severity,message,since,resolution,trap,trapOid\n";

    private final FleetView fleet;
    private final DeviceEvents events;
    private final Clock clock;

    EventsResource(FleetView fleet, DeviceEvents events, Clock clock) {
        this.fleet = fleet;
        this.events = events;
        this.clock = clock;
    }

    void get(Request request, Response r) throws IOException {
        DeviceRequest d = new DeviceRequest(request);
        EventQuery q = d.parse(() -> EventQuery.parse(request.rawQuery(), clock.instant()));
        if (!d.admit(fleet, r, events, "events need the PostgreSQL storage (storage: postgres)")) {
            return;
        }
        DeviceId id = d.id();
        DeviceEvents.Page page;
        try {
            page = events.read(id.value(), q.from(), q.to(), q.limit(), q.newestFirst());
        } catch (RuntimeException e) {
            LOG.warn("reading the events of {} failed: {}", id, e.getClass().getSimpleName());
            Answers.error(r, 503, "the events cannot be read now");
            return;
        }
        if (q.csv()) {
            StringBuilder sb = new StringBuilder(CSV_HEADER);
            for (DeviceEvents.Event e : page.events()) {
                sb.append(e.at()).append(',').append(kind(e)).append(',').append(e.ifIndex()).append(',')
                        .append(cell(e.from())).append(',').append(cell(e.to())).append(',')
                        .append(e.flapping() == null ? "" : e.flapping().toString()).append(',')
                        .append(cell(e.reason())).append(',')
                        .append(e.alertId() == null ? "" : e.alertId().toString()).append(',')
                        .append(cell(e.rule())).append(',').append(cell(e.severity())).append(',')
                        .append(cell(e.message())).append(',')
                        .append(e.since() == null ? "" : e.since().toString()).append(',')
                        .append(cell(e.resolution())).append(',').append(cell(e.trap())).append(',')
                        .append(cell(e.trapOid())).append('\n');
            }
            r.header("X-Ward-Truncated", Boolean.toString(page.truncated()));
            r.send(200, HistoryResource.CSV, sb.toString());
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>(page.events().size());
        for (DeviceEvents.Event e : page.events()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("kind", kind(e));
            m.put("ifIndex", e.ifIndex());
            if (e.kind() == DeviceEvents.Kind.TRAP) {
                m.put("trap", e.trap());
                m.put("trapOid", e.trapOid());
                list.add(m);
                continue;
            }
            if (e.kind() == DeviceEvents.Kind.STATE) {
                m.put("from", e.from());
                m.put("to", e.to());
                m.put("flapping", e.flapping());
                m.put("reason", e.reason());
            } else {
                m.put("alertId", e.alertId() == null ? null : e.alertId().toString());
                m.put("rule", e.rule());
                m.put("severity", e.severity());
                m.put("message", e.message());
                if (e.kind() == DeviceEvents.Kind.ALERT_RESOLVED) {
                    m.put("resolution", e.resolution());
                }
            }
            m.put("since", e.since() == null ? null : e.since().toString());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("from", q.from().toString());
        out.put("to", q.to().toString());
        out.put("order", q.newestFirst() ? "desc" : "asc");
        out.put("limit", q.limit());
        out.put("truncated", page.truncated());
        out.put("events", list);
        Answers.ok(r, out);
    }

    private static String kind(DeviceEvents.Event e) {
        return e.kind().name().toLowerCase(Locale.ROOT);
    }

    /**
     * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, with quotes
     * doubled; a cell starting with {@code = + - @} gets a leading {@code '} so a spreadsheet does
     * not run it as a formula.
     */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
