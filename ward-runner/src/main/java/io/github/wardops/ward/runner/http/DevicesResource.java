package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.state.DeviceState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/devices} (filtered by {@link DeviceListQuery}: the whole list streamed, or one
 * page with the total) and
 * {@code GET /api/devices/{id}} ({@link DeviceDetail}). Thread-safe.
 */
final class DevicesResource {
    private static final Comparator<Device> ORDER = Comparator.comparing(Device::name).thenComparing(Device::id);

    private final FleetView fleet;
    private final Clock clock;
    /** What holds open alerts back, or {@code null} when notification routing is not configured. */
    private final Holds holds;

    DevicesResource(FleetView fleet, Clock clock, Holds holds) {
        this.fleet = fleet;
        this.clock = clock;
        this.holds = holds;
    }

    void list(Request q, Response r) throws IOException {
        DeviceListQuery query;
        try {
            query = DeviceListQuery.parse(q.rawQuery());
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, e.getMessage());
            return;
        }
        DeviceFilter filter = query.filter();
        List<Device> all = new ArrayList<>();
        for (Device d : fleet.devices()) {
            if (filter.labelsMatch(d) && query.textMatches(d)) {
                all.add(d);
            }
        }
        all.sort(ORDER);
        Answers.fleetAge(r, fleet);
        if (!query.paged()) {
            try (JsonGenerator g = Answers.stream(r)) {
                writeDevices(g, all, filter);
            }
            return;
        }
        // One pass counts every match and keeps the page's states as they were counted.
        long skip = (long) (query.page() - 1) * query.size();
        int total = 0;
        List<DeviceView> page = new ArrayList<>(Math.min(query.size(), all.size()));
        for (Device d : all) {
            DeviceState state = fleet.state(d.id()).orElse(null);
            if (!filter.stateMatches(state)) {
                continue;
            }
            if (total >= skip && page.size() < query.size()) {
                page.add(DeviceView.of(d, state, fleet.latest(d.id(), "icmp").orElse(null)));
            }
            total++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("page", query.page());
        out.put("size", query.size());
        out.put("pages", (total + query.size() - 1) / query.size());
        out.put("devices", page);
        Answers.ok(r, out);
    }

    /**
     * Writes the devices as a JSON array, one {@link DeviceView} each, streaming.
     *
     * @param g the generator
     * @param devices the devices, in output order
     * @param filter which statuses (and failing or not) to keep
     * @throws IOException when writing fails
     */
    void writeDevices(JsonGenerator g, List<Device> devices, DeviceFilter filter) throws IOException {
        g.writeStartArray();
        for (Device d : devices) {
            DeviceState state = fleet.state(d.id()).orElse(null);
            if (filter.stateMatches(state)) {
                Answers.write(g, DeviceView.of(d, state, fleet.latest(d.id(), "icmp").orElse(null)));
            }
        }
        g.writeEndArray();
    }

    void one(Request q, Response r) throws IOException {
        String rawId = q.param("id");
        DeviceId id;
        try {
            id = DeviceId.parse(rawId);
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, "'" + rawId + "' is not a device id (a UUID)");
            return;
        }
        Device d = fleet.device(id).orElse(null);
        if (d == null) {
            Answers.error(r, 404, "no device " + id);
            return;
        }
        DeviceState state = fleet.state(id).orElse(null);
        List<CheckView> checks = new ArrayList<>();
        for (Check c : d.checks()) {
            checks.add(CheckView.of(c, fleet.latest(id, c.name()).orElse(null)));
        }
        Map<String, Double> values = new TreeMap<>();
        Map<String, StateView> interfaces = new TreeMap<>();
        Map<String, Map<String, Double>> interfaceValues = new TreeMap<>();
        int dependents = 0;
        var view = fleet.view(id).orElse(null);
        if (view != null) {
            view.values().forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    values.put(k, DeviceView.round(v));
                }
            });
            view.interfaces().forEach((i, s) -> interfaces.put(String.valueOf(i), StateView.of(s)));
            view.interfaceValues().forEach((i, vs) -> {
                Map<String, Double> m = new TreeMap<>();
                vs.forEach((k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        m.put(k, DeviceView.round(v));
                    }
                });
                interfaceValues.put(String.valueOf(i), m);
            });
            dependents = view.dependents();
        }
        Instant now = clock.instant();
        List<AlertView> alerts = new ArrayList<>();
        Holds.Reading held = holds == null ? null : holds.reading();
        for (Alert a : fleet.openAlerts()) {
            if (a.device().equals(id)) {
                alerts.add(AlertView.of(a, now, held == null ? HeldBy.NOT_CONFIGURED : held.of(a, now)));
            }
        }
        DeviceDetail detail = new DeviceDetail(DeviceView.of(d, state, fleet.latest(id, "icmp").orElse(null)),
                state == null ? null : StateView.of(state), checks, values, interfaces, interfaceValues,
                dependents, alerts);
        Answers.fleetAge(r, fleet);
        Answers.ok(r, detail);
    }
}
