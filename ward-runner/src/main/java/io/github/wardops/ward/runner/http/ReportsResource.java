package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.postgres.AvailabilityReport;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/reports/availability}: availability, downtime, outages, MTTR and the longest
 * outage per device or per {@code region}, {@code branch} or {@code device_type} label over a range
 * ({@link ReportQuery}; the definition is in {@code docs/availability.md}), for the devices of the
 * inventory that match the label filter, read by {@link AvailabilityReport}; JSON or CSV, one
 * page of at most {@link AvailabilityReport#MAX_ROWS} rows. Thread-safe.
 */
final class ReportsResource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final FleetView fleet;
    private final AvailabilityReport report;
    private final Clock clock;

    ReportsResource(FleetView fleet, AvailabilityReport report, Clock clock) {
        this.fleet = fleet;
        this.report = report;
        this.clock = clock;
    }

    void availability(Request request, Response r) throws IOException {
        ReportQuery q;
        try {
            q = ReportQuery.parse(request.rawQuery(), clock.instant());
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, e.getMessage());
            return;
        }
        if (report == null) {
            Answers.error(r, 503, "reports need the PostgreSQL storage (storage: postgres)");
            return;
        }
        Map<UUID, String> groups = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Device d : fleet.devices()) {
            if (q.matches(d)) {
                groups.put(d.id().value(), q.groupOf(d));
                if (q.group().equals("device")) {
                    names.put(d.id().toString(), d.name());
                }
            }
        }
        AvailabilityReport.Report rep;
        try {
            rep = report.read(new AvailabilityReport.Query(q.from(), q.to(), groups, q.unreachable(), q.sort(),
                    q.descending(), q.offset(), q.limit()));
        } catch (RuntimeException e) {
            LOG.warn("reading the availability report failed: {}", e.getClass().getSimpleName());
            Answers.error(r, 503, "the availability report cannot be read now");
            return;
        }
        boolean byDevice = q.group().equals("device");
        if (q.csv()) {
            StringBuilder sb = new StringBuilder(byDevice ? "group,name," : "group,");
            sb.append("devices,availabilityPct,downtimeSeconds,outages,mttrSeconds,longestOutageSeconds\n");
            for (AvailabilityReport.Row row : rep.rows()) {
                sb.append(csv(row.group())).append(',');
                if (byDevice) {
                    sb.append(csv(names.getOrDefault(row.group(), ""))).append(',');
                }
                sb.append(row.devices()).append(',').append(num(row.availabilityPct())).append(',')
                        .append(num(row.downtimeSeconds())).append(',').append(row.outages()).append(',')
                        .append(num(row.mttrSeconds())).append(',').append(num(row.longestOutageSeconds())).append('\n');
            }
            r.header("X-Ward-Report-Groups", Integer.toString(rep.groups()));
            r.send(200, HistoryResource.CSV, sb.toString());
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>(rep.rows().size());
        for (AvailabilityReport.Row row : rep.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", row.group().isEmpty() ? null : row.group());
            if (byDevice) {
                m.put("name", names.get(row.group()));
            }
            m.put("devices", row.devices());
            m.put("availabilityPct", HistoryResource.round(row.availabilityPct()));
            m.put("downtimeSeconds", HistoryResource.round(row.downtimeSeconds()));
            m.put("outages", row.outages());
            m.put("mttrSeconds", HistoryResource.round(row.mttrSeconds()));
            m.put("longestOutageSeconds", HistoryResource.round(row.longestOutageSeconds()));
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", rep.from().toString());
        out.put("to", rep.to().toString());
        out.put("group", q.group());
        out.put("unreachable", q.unreachable().name().toLowerCase(Locale.ROOT));
        out.put("sort", (q.descending() ? "-" : "") + q.sortField());
        out.put("groups", rep.groups());
        out.put("offset", q.offset());
        out.put("limit", q.limit());
        out.put("rows", rows);
        Answers.ok(r, out);
    }

    /** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused. */
    static String csv(String v) {
        String s = v;
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static String num(Double v) {
        Double x = HistoryResource.round(v);
        return x == null ? "" : x.toString();
    }
}
