package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/alerts} (open alerts from the {@link FleetView}, resolved ones from the store,
 * by {@link AlertQuery}), {@code POST /api/alerts/{id}/ack} (any open alert: one this runner does
 * not hold is acknowledged in the shared store) and {@code POST /api/alerts/{id}/resolve} (only an
 * alert this runner holds; in cluster mode {@code 409} naming the runner that polls the device).
 * Thread-safe.
 */
final class AlertsResource {
    /** Logged under the API's name, as before the resources were split out of it. */
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Alerting alerting;
    private final FleetView fleet;
    private final AlertStore alertStore;
    private final Supplier<ClusterView> cluster;
    private final Clock clock;
    /** What holds open alerts back, or {@code null} when notification routing is not configured. */
    private final Holds holds;

    AlertsResource(Alerting alerting, FleetView fleet, AlertStore alertStore, Supplier<ClusterView> cluster, Clock clock,
                   Holds holds) {
        this.holds = holds;
        this.alerting = alerting;
        this.fleet = fleet;
        this.alertStore = alertStore;
        this.cluster = cluster;
        this.clock = clock;
    }

    void list(Request request, Response r) throws IOException {
        AlertQuery q;
        try {
            q = AlertQuery.parse(request.rawQuery());
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Map<UUID, Alert> found = new HashMap<>();
        if (q.open()) {
            for (Alert a : fleet.openAlerts()) {
                if (q.wants(a)) {
                    found.put(a.id(), a);
                }
            }
        }
        if (q.resolved()) {
            try {
                for (Alert a : alertStore.history(null, now.minus(q.window()), now)) {
                    if (!a.isOpen() && q.wants(a)) {
                        found.put(a.id(), a);
                    }
                }
            } catch (Exception e) {
                LOG.warn("reading resolved alerts failed: {}", e.toString());
                r.send(503, Answers.JSON, "{\"error\":\"the alert store cannot be read now\"}");
                return;
            }
        }
        List<Alert> list = new ArrayList<>(found.values());
        // Open first, then the newest; ties by id so the order is stable.
        list.sort(Comparator.comparing((Alert a) -> !a.isOpen()).thenComparing(Alert::openedAt, Comparator.reverseOrder())
                .thenComparing(Alert::id));
        List<AlertView> out = new ArrayList<>();
        Holds.Reading held = holds == null ? null : holds.reading();
        for (Alert a : list.subList(0, Math.min(list.size(), q.limit()))) {
            out.add(AlertView.of(a, now, held == null ? HeldBy.NOT_CONFIGURED : held.of(a, now)));
        }
        Answers.fleetAge(r, fleet);
        Answers.ok(r, out);
    }

    /** An alert as answered, with what holds it back when notification routing is configured. */
    private AlertView view(Alert a) {
        Instant now = clock.instant();
        return AlertView.of(a, now, holds == null ? HeldBy.NOT_CONFIGURED : holds.reading().of(a, now));
    }

    /** Who acts on an alert, and why (a manual resolution's comment; null when none or not asked). */
    private record Actor(UUID id, String user, String comment) {
    }

    /**
     * Reads an alert action's id and JSON body ({@code user}, and {@code comment} when allowed);
     * on a bad request answers it and returns {@code null}.
     */
    private static Actor actor(Request q, Response r, boolean withComment) throws IOException {
        String rawId = q.param("id");
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, "'" + rawId + "' is not an alert id (a UUID)");
            return null;
        }
        String type = q.header("Content-Type");
        // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            r.send(415, Answers.JSON, "{\"error\":\"send Content-Type: application/json with {\\\"user\\\":\\\"name\\\"}\"}");
            return null;
        }
        // The server refuses bodies over HttpLimits.MAX_BODY_BYTES (413) before this runs.
        byte[] body = q.body();
        String user;
        String comment = null;
        try {
            JsonNode n = Answers.read(body);
            JsonNode u = n == null ? null : n.get("user");
            if (u == null || !u.isTextual()) {
                Answers.badRequest(r, "the body must be a JSON object with a \"user\" string");
                return null;
            }
            user = u.asText().strip();
            JsonNode c = withComment ? n.get("comment") : null;
            if (c != null && !c.isNull()) {
                if (!c.isTextual()) {
                    Answers.badRequest(r, "comment must be a string");
                    return null;
                }
                comment = c.asText().strip();
            }
        } catch (IOException e) {
            Answers.badRequest(r, "the body is not JSON");
            return null;
        }
        if (user.isEmpty() || user.length() > 100 || user.chars().anyMatch(Character::isISOControl)) {
            Answers.badRequest(r, "user must be 1-100 characters without control characters");
            return null;
        }
        if (comment != null && (comment.length() > MAX_COMMENT || comment.chars().anyMatch(Character::isISOControl))) {
            Answers.badRequest(r, "comment must be at most " + MAX_COMMENT + " characters without control characters");
            return null;
        }
        return new Actor(id, user, comment == null || comment.isEmpty() ? null : comment);
    }

    /** The longest comment of a manual resolution. */
    static final int MAX_COMMENT = 500;

    void acknowledge(Request q, Response r) throws IOException {
        Actor a = actor(q, r, false);
        if (a == null) {
            return;
        }
        Alert acked;
        try {
            // An alert of a device polled by another runner is acknowledged in the shared store;
            // its owner takes the acknowledgement up at its next tick.
            acked = alerting.acknowledge(a.id(), a.user()).orElse(null);
        } catch (WardException e) {
            LOG.warn("acknowledging alert {} failed: {}", a.id(), e.getMessage());
            Answers.error(r, 503, "the acknowledgement cannot be recorded now; try again");
            return;
        }
        if (acked == null) {
            Answers.error(r, 404, "no open alert " + a.id());
            return;
        }
        if (!fleet.polledHere(acked.device())) {
            fleet.changed();
        }
        LOG.info("alert {} ({} on {}) acknowledged by {}", acked.id(), acked.rule(), acked.deviceDescription(), a.user());
        Answers.ok(r, view(acked));
    }

    /**
     * Resolves an open alert by hand ({@code POST /api/alerts/{id}/resolve}); it opens again, as a
     * new alert, when its rule still matches at the device's next evaluation.
     */
    void resolve(Request q, Response r) throws IOException {
        Actor a = actor(q, r, true);
        if (a == null) {
            return;
        }
        Alert done = alerting.resolve(a.id(), a.user(), a.comment()).orElse(null);
        if (done == null) {
            if (!elsewhere(a.id(), r)) {
                Answers.error(r, 404, "no open alert " + a.id());
            }
            return;
        }
        LOG.info("alert {} ({} on {}) {}", done.id(), done.rule(), done.deviceDescription(), done.resolution());
        Answers.ok(r, view(done));
    }

    /**
     * When an open alert this runner does not hold is on a device another runner polls, answers
     * {@code 409} naming that runner (its name, id and address when the cluster view knows them):
     * only the owner of a device's shard may resolve its alerts. Reads the shared state again
     * when the snapshot does not have the alert (it may be younger).
     *
     * @return whether it answered
     */
    private boolean elsewhere(UUID alertId, Response r) throws IOException {
        if (!fleet.shared()) {
            return false;
        }
        Alert held = find(alertId);
        if (held == null) {
            fleet.changed();
            held = find(alertId);
        }
        if (held == null || fleet.polledHere(held.device())) {
            return false;
        }
        ClusterView.Runner owner = null;
        Device device = fleet.device(held.device()).orElse(null);
        ClusterView view = cluster == null ? null : cluster.get();
        if (device != null && view != null) {
            owner = ClusterResource.ownerOf(device, fleet, view).orElse(null);
        }
        StringBuilder m = new StringBuilder("alert ").append(alertId).append(" is on device ").append(held.device())
                .append(" (").append(held.deviceName()).append("), which another runner polls");
        Map<String, Object> out = new LinkedHashMap<>();
        if (owner != null) {
            m.append(": ").append(owner.name()).append(" (").append(owner.id()).append(")");
            if (owner.address() != null) {
                m.append(" at ").append(owner.address());
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", owner.id().toString());
            o.put("name", owner.name());
            o.put("address", owner.address());
            out.put("error", m.append("; resolve it through that runner").toString());
            out.put("owner", o);
        } else {
            out.put("error", m.append("; resolve it through the runner that owns its shard (GET /api/cluster)").toString());
            out.put("owner", null);
        }
        r.send(409, Answers.JSON, Answers.json(out));
        return true;
    }

    private Alert find(UUID alertId) {
        for (Alert x : fleet.openAlerts()) {
            if (x.id().equals(alertId)) {
                return x;
            }
        }
        return null;
    }
}
