package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.internal.support.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of {@code alerts.details}: {@code {"history": [{"rule", "severity", "at"}, ...]}}, an
 * alert's escalation history (docs/storage.md). Stateless.
 */
final class AlertDetails {
    private AlertDetails() {
    }

    /** Writes the details of an alert; instants to the microsecond, as the other columns. */
    static String write(Alert a) {
        List<Object> steps = new ArrayList<>(a.history().size());
        for (Alert.Step s : a.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", s.rule());
            m.put("severity", s.severity().name().toLowerCase(Locale.ROOT));
            m.put("at", s.at().truncatedTo(ChronoUnit.MICROS).toString());
            steps.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("history", steps);
        return Json.write(details);
    }

    /**
     * Reads the history from details; an older row without one has none.
     *
     * @throws IllegalArgumentException saying what is wrong, when the history is not an array of
     *     steps with a rule, a known severity and an instant, or holds more than
     *     {@link Alert#MAX_HISTORY} of them
     */
    static List<Alert.Step> history(String json) {
        Object doc;
        try {
            doc = Json.parse(json == null ? "{}" : json);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("details are not JSON: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("details are not a JSON object");
        }
        Object h = m.get("history");
        if (h == null) {
            return List.of();
        }
        if (!(h instanceof List<?> items)) {
            throw new IllegalArgumentException("details.history is not an array");
        }
        if (items.size() > Alert.MAX_HISTORY) {
            throw new IllegalArgumentException("details.history holds " + items.size() + " steps; at most "
                    + Alert.MAX_HISTORY);
        }
        List<Alert.Step> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> s) || !(s.get("rule") instanceof String rule)
                    || !(s.get("severity") instanceof String sev) || !(s.get("at") instanceof String at)) {
                throw new IllegalArgumentException("details.history[" + i + "] is not {rule, severity, at} as text");
            }
            try {
                out.add(new Alert.Step(rule, Severity.parse(sev), Instant.parse(at)));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalArgumentException("details.history[" + i + "]: " + Unreadable.printable(e.getMessage()));
            }
        }
        return out;
    }
}
