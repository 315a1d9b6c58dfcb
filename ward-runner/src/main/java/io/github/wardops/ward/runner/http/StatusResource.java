package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /api/status}: the counts by status, every device (or with {@code devices=problems}
 * only the down, unreachable, failing and flapping ones, at most {@link #MAX_PROBLEMS}) and the
 * open alerts, read together so they agree (the status page's one request per refresh).
 * Thread-safe.
 *
 * <p>The tracker calls alerting under a device's lock, so once a device's state has been read,
 * every alert change its earlier results caused has happened. The snapshot reads every state,
 * then the open alerts, then every state again: when no status changed in between, the alerts
 * were read while each device had the status shown, and the three agree. When statuses moved
 * (a busy fleet), it tries again, at most {@link #ATTEMPTS} times, and then answers the last
 * reading with {@code "consistent": false}.
 */
final class StatusResource {
    /** Readings tried before answering one whose statuses moved under it. */
    static final int ATTEMPTS = 4;
    /** With {@code devices=problems}, the most devices one answer lists. */
    static final int MAX_PROBLEMS = 10_000;
    private static final Comparator<Device> ORDER = Comparator.comparing(Device::name).thenComparing(Device::id);

    private final FleetView fleet;
    private final Clock clock;
    /** What holds open alerts back, or {@code null} when notification routing is not configured. */
    private final Holds holds;

    StatusResource(FleetView fleet, Clock clock, Holds holds) {
        this.fleet = fleet;
        this.clock = clock;
        this.holds = holds;
    }

    /**
     * One reading of states and open alerts.
     *
     * @param devices the devices, sorted by name then id
     * @param states their states by id (absent: not tracked)
     * @param alerts the open alerts
     * @param consistent whether no status moved while the alerts were read
     * @param <A> the alert type ({@link Alert}; anything in tests)
     */
    record Snapshot<A>(List<Device> devices, Map<DeviceId, DeviceState> states, List<A> alerts, boolean consistent) {
    }

    /**
     * Takes a snapshot in which the statuses and the open alerts agree, or says it could not.
     *
     * @return the snapshot
     */
    Snapshot<Alert> snapshot() {
        return snapshot(fleet.devices(), id -> fleet.state(id).orElse(null), fleet::openAlerts);
    }

    /**
     * Takes a snapshot from these sources (see the class comment).
     *
     * @param inventory the devices
     * @param state a device's state, or {@code null} when not tracked
     * @param openAlerts the open alerts now
     * @param <A> the alert type
     * @return the snapshot
     */
    static <A> Snapshot<A> snapshot(List<Device> inventory, Function<DeviceId, DeviceState> state,
                                    Supplier<? extends List<A>> openAlerts) {
        List<Device> devices = new ArrayList<>(inventory);
        devices.sort(ORDER);
        Map<DeviceId, DeviceState> before = states(devices, state);
        for (int attempt = 1; ; attempt++) {
            List<A> alerts = List.copyOf(openAlerts.get());
            Map<DeviceId, DeviceState> after = states(devices, state);
            boolean same = sameStatuses(before, after);
            if (same || attempt >= ATTEMPTS) {
                return new Snapshot<>(devices, after, alerts, same);
            }
            before = after;
        }
    }

    private static Map<DeviceId, DeviceState> states(List<Device> devices, Function<DeviceId, DeviceState> state) {
        Map<DeviceId, DeviceState> m = HashMap.newHashMap(devices.size());
        for (Device d : devices) {
            DeviceState s = state.apply(d.id());
            if (s != null) {
                m.put(d.id(), s);
            }
        }
        return m;
    }

    static boolean sameStatuses(Map<DeviceId, DeviceState> a, Map<DeviceId, DeviceState> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<DeviceId, DeviceState> e : a.entrySet()) {
            DeviceState other = b.get(e.getKey());
            if (other == null || other.status() != e.getValue().status()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Counts a snapshot's devices by status, failing, flapping and its open alerts.
     *
     * @param s the snapshot
     * @return {@code UP}, {@code DOWN}, {@code UNREACHABLE}, {@code UNKNOWN}, {@code FAILING},
     *     {@code FLAPPING} and {@code ALERTS}, every key present
     */
    static Map<String, Integer> counts(Snapshot<?> s) {
        Map<DeviceStatus, Integer> byStatus = new EnumMap<>(DeviceStatus.class);
        for (DeviceStatus st : DeviceStatus.values()) {
            byStatus.put(st, 0);
        }
        int failing = 0;
        int flapping = 0;
        for (Device d : s.devices()) {
            DeviceState st = s.states().get(d.id());
            byStatus.merge(st == null ? DeviceStatus.UNKNOWN : st.status(), 1, Integer::sum);
            if (st != null && st.failing()) {
                failing++;
            }
            if (st != null && st.flapping()) {
                flapping++;
            }
        }
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        byStatus.forEach((k, v) -> out.put(k.name(), v));
        out.put("FAILING", failing);
        out.put("FLAPPING", flapping);
        out.put("ALERTS", s.alerts().size());
        return out;
    }

    /**
     * Whether a device is a problem the status page lists: {@code DOWN}, {@code UNREACHABLE},
     * failing or flapping.
     *
     * @param s its state, or {@code null} when not tracked
     * @return whether it is one
     */
    static boolean problem(DeviceState s) {
        return s != null && (s.status() == DeviceStatus.DOWN || s.status() == DeviceStatus.UNREACHABLE || s.failing()
                || s.flapping());
    }

    /**
     * Reads the query: nothing, or {@code devices=all} (the default) or {@code devices=problems}.
     *
     * @param rawQuery the raw query, or {@code null}
     * @param problems where every problem is reported
     * @return whether only the problem devices are asked for
     */
    static boolean onlyProblems(String rawQuery, List<String> problems) {
        boolean only = false;
        List<Map.Entry<String, String>> pairs;
        try {
            pairs = QueryString.parse(rawQuery, 1000, problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return false;
        }
        int seen = 0;
        for (Map.Entry<String, String> p : pairs) {
            if (!p.getKey().equals("devices")) {
                problems.add("unknown parameter '" + p.getKey() + "' (/api/status takes only devices=all or devices=problems)");
            } else if (++seen > 1) {
                problems.add("devices is given more than once");
            } else if (p.getValue().equals("problems")) {
                only = true;
            } else if (!p.getValue().equals("all")) {
                problems.add("devices '" + p.getValue() + "' is not all or problems");
            }
        }
        return only;
    }

    void get(Request q, Response r) throws IOException {
        List<String> problems = new ArrayList<>();
        boolean onlyProblems = onlyProblems(q.rawQuery(), problems);
        if (!problems.isEmpty()) {
            Answers.badRequest(r, String.join("; ", problems));
            return;
        }
        Answers.fleetAge(r, fleet);
        try (JsonGenerator g = Answers.stream(r)) {
            write(g, onlyProblems);
        }
    }

    /**
     * Takes a snapshot and writes it as the answer's JSON object (the status page's first render
     * carries the same object inline).
     *
     * @param g where to write
     * @param onlyProblems whether to list only the problem devices ({@code devices=problems})
     * @throws IOException when writing fails
     */
    void write(JsonGenerator g, boolean onlyProblems) throws IOException {
        Snapshot<Alert> s = snapshot();
        Instant now = clock.instant();
        List<Alert> alerts = new ArrayList<>(s.alerts());
        // Newest first; ties by id so the order is stable.
        alerts.sort(Comparator.comparing(Alert::openedAt, Comparator.reverseOrder()).thenComparing(Alert::id));
        g.writeStartObject();
        g.writeStringField("at", now.toString());
        g.writeBooleanField("consistent", s.consistent());
        g.writeFieldName("counts");
        Answers.write(g, counts(s));
        g.writeFieldName("devices");
        g.writeStartArray();
        int listed = 0;
        boolean devicesTruncated = false;
        for (Device d : s.devices()) {
            DeviceState st = s.states().get(d.id());
            if (onlyProblems && !problem(st)) {
                continue;
            }
            if (onlyProblems && listed == MAX_PROBLEMS) {
                devicesTruncated = true;
                break;
            }
            listed++;
            Answers.write(g, DeviceView.of(d, st, fleet.latest(d.id(), "icmp").orElse(null)));
        }
        g.writeEndArray();
        g.writeBooleanField("devicesTruncated", devicesTruncated);
        int shown = Math.min(alerts.size(), HttpApi.MAX_ALERTS);
        g.writeBooleanField("alertsTruncated", shown < alerts.size());
        g.writeFieldName("alerts");
        g.writeStartArray();
        Holds.Reading held = holds == null ? null : holds.reading();
        for (Alert a : alerts.subList(0, shown)) {
            Answers.write(g, AlertView.of(a, now, held == null ? HeldBy.NOT_CONFIGURED : held.of(a, now)));
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
