package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceHistory;
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
 * {@code GET /api/devices/{id}/history}: a device's RTT, loss and time UP over a range
 * ({@link HistoryQuery}), from the raw results or the roll-ups as the step needs
 * ({@link DeviceHistory}), as JSON or CSV. A device must be in the inventory. Thread-safe.
 */
final class HistoryResource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    static final String CSV = "text/csv; charset=utf-8";

    private final FleetView fleet;
    private final DeviceHistory history;
    private final Clock clock;

    HistoryResource(FleetView fleet, DeviceHistory history, Clock clock) {
        this.fleet = fleet;
        this.history = history;
        this.clock = clock;
    }

    void get(Request request, Response r) throws IOException {
        DeviceRequest d = new DeviceRequest(request);
        HistoryQuery q = d.parse(() -> HistoryQuery.parse(request.rawQuery(), clock.instant()));
        if (!d.admit(fleet, r, history, "history needs the PostgreSQL storage (storage: postgres)")) {
            return;
        }
        DeviceId id = d.id();
        DeviceHistory.Series series;
        try {
            series = history.read(id.value(), q.from(), q.to(), q.step());
        } catch (RuntimeException e) {
            LOG.warn("reading the history of {} failed: {}", id, e.getClass().getSimpleName());
            Answers.error(r, 503, "the history cannot be read now");
            return;
        }
        String source = series.source().name().toLowerCase(Locale.ROOT);
        if (q.csv()) {
            StringBuilder sb = new StringBuilder("t,rttMinMs,rttAvgMs,rttMaxMs,lossPct,upPct\n");
            for (DeviceHistory.Point p : series.points()) {
                sb.append(p.t()).append(',').append(num(p.rttMinMs())).append(',').append(num(p.rttAvgMs())).append(',')
                        .append(num(p.rttMaxMs())).append(',').append(num(p.lossPct())).append(',')
                        .append(num(p.upPct())).append('\n');
            }
            r.header("X-Ward-History-Source", source);
            r.send(200, CSV, sb.toString());
            return;
        }
        List<Map<String, Object>> points = new ArrayList<>(series.points().size());
        for (DeviceHistory.Point p : series.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", p.t().toString());
            m.put("rttMinMs", round(p.rttMinMs()));
            m.put("rttAvgMs", round(p.rttAvgMs()));
            m.put("rttMaxMs", round(p.rttMaxMs()));
            m.put("lossPct", round(p.lossPct()));
            m.put("upPct", round(p.upPct()));
            points.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", id.toString());
        out.put("from", q.from().toString());
        out.put("to", q.to().toString());
        out.put("step", q.step().toString());
        out.put("source", source);
        out.put("points", points);
        Answers.ok(r, out);
    }

    /**
     * Parses a device id path segment.
     *
     * @param rawId the segment
     * @param problems where a bad one is reported
     * @return the id, or {@code null} when bad
     */
    static DeviceId deviceId(String rawId, List<String> problems) {
        try {
            return DeviceId.parse(rawId);
        } catch (IllegalArgumentException e) {
            problems.add("'" + rawId + "' is not a device id (a UUID)");
            return null;
        }
    }

    /** Three decimals: microseconds of RTT, thousandths of a percent. */
    static Double round(Double v) {
        return v == null || !Double.isFinite(v) ? null : Math.round(v * 1000.0) / 1000.0;
    }

    static String num(Double v) {
        Double x = round(v);
        return x == null ? "" : x.toString();
    }
}
