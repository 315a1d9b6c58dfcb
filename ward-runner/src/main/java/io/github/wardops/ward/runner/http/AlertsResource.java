package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/alerts} (open alerts from alerting, resolved ones from the store, by
 * {@link AlertQuery}) and {@code POST /api/alerts/{id}/ack}. Thread-safe.
 */
final class AlertsResource {
    /** Logged under the API's name, as before the resources were split out of it. */
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Alerting alerting;
    private final AlertStore alertStore;
    private final Clock clock;

    AlertsResource(Alerting alerting, AlertStore alertStore, Clock clock) {
        this.alerting = alerting;
        this.alertStore = alertStore;
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
            for (Alert a : alerting.openAlerts()) {
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
        for (Alert a : list.subList(0, Math.min(list.size(), q.limit()))) {
            out.add(AlertView.of(a, now));
        }
        Answers.ok(r, out);
    }

    void acknowledge(Request q, Response r) throws IOException {
        String rawId = q.param("id");
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, "'" + rawId + "' is not an alert id (a UUID)");
            return;
        }
        String type = q.header("Content-Type");
        // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            r.send(415, Answers.JSON, "{\"error\":\"send Content-Type: application/json with {\\\"user\\\":\\\"name\\\"}\"}");
            return;
        }
        // The server refuses bodies over HttpLimits.MAX_BODY_BYTES (413) before this runs.
        byte[] body = q.body();
        String user;
        try {
            JsonNode n = Answers.read(body);
            JsonNode u = n == null ? null : n.get("user");
            if (u == null || !u.isTextual()) {
                Answers.badRequest(r, "the body must be a JSON object with a \"user\" string");
                return;
            }
            user = u.asText().strip();
        } catch (IOException e) {
            Answers.badRequest(r, "the body is not JSON");
            return;
        }
        if (user.isEmpty() || user.length() > 100 || user.chars().anyMatch(Character::isISOControl)) {
            Answers.badRequest(r, "user must be 1-100 characters without control characters");
            return;
        }
        Alert acked = alerting.acknowledge(id, user).orElse(null);
        if (acked == null) {
            Answers.error(r, 404, "no open alert " + id);
            return;
        }
        LOG.info("alert {} ({} on {}) acknowledged by {}", acked.id(), acked.rule(), acked.deviceDescription(), user);
        Answers.ok(r, AlertView.of(acked, clock.instant()));
    }
}
