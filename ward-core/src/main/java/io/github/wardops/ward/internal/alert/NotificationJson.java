package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.internal.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes notifications as JSON (the webhook body) and as one-line text (the log). Stateless. */
public final class NotificationJson {
    private NotificationJson() {
    }

    /**
     * The notification's event type: {@code alert.opened}, {@code alert.escalated},
     * {@code alert.resolved}, {@code alerts.flood} or {@code alerts.group}.
     *
     * @param n the notification
     * @return the type
     */
    public static String type(Notification n) {
        return switch (n) {
            case Notification.Opened o -> "alert.opened";
            case Notification.Escalated e -> "alert.escalated";
            case Notification.Resolved r -> "alert.resolved";
            case Notification.Flood f -> "alerts.flood";
            case Notification.Grouped g -> "alerts.group";
        };
    }

    /**
     * The JSON body.
     *
     * @param n the notification
     * @return the JSON text
     */
    public static String json(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(n));
        body.put("at", instant(n.at()));
        switch (n) {
            case Notification.Opened o -> body.put("alert", alert(o.alert()));
            case Notification.Escalated e -> {
                body.put("alert", alert(e.alert()));
                body.put("step", step(e.step()));
                body.put("previous_severity", e.previous().name().toLowerCase(Locale.ROOT));
            }
            case Notification.Resolved r -> body.put("alert", alert(r.alert()));
            case Notification.Flood f -> {
                body.put("started", f.started());
                body.put("opened", f.opened());
                body.put("suppressed", f.suppressed());
                body.put("window_seconds", f.window().toSeconds());
                Map<String, Object> bySeverity = new LinkedHashMap<>();
                for (Map.Entry<Severity, Integer> e : f.bySeverity().entrySet()) {
                    bySeverity.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
                }
                body.put("by_severity", bySeverity);
                List<Object> sample = new ArrayList<>(f.sample().size());
                for (Alert a : f.sample()) {
                    sample.add(alert(a));
                }
                body.put("sample", sample);
            }
            case Notification.Grouped g -> {
                body.put("receiver", g.receiver());
                body.put("reason", g.reason().name().toLowerCase(Locale.ROOT));
                body.put("group_labels", new LinkedHashMap<String, Object>(g.groupLabels()));
                List<Object> firing = new ArrayList<>(g.firing().size());
                for (Alert a : g.firing()) {
                    firing.add(alert(a));
                }
                body.put("firing", firing);
                List<Object> resolved = new ArrayList<>(g.resolved().size());
                for (Alert a : g.resolved()) {
                    resolved.add(alert(a));
                }
                body.put("resolved", resolved);
            }
        }
        StringBuilder sb = new StringBuilder(512);
        Json.write(sb, body, false);
        return sb.toString();
    }

    private static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Map<String, Object> step(Alert.Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", s.rule());
        m.put("severity", s.severity().name().toLowerCase(Locale.ROOT));
        m.put("at", instant(s.at()));
        return m;
    }

    private static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("device", a.device().toString());
        m.put("device_name", a.deviceName());
        m.put("if_index", a.ifIndex());
        m.put("rule", a.rule());
        m.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
        m.put("message", a.message());
        m.put("since", instant(a.since()));
        m.put("opened_at", instant(a.openedAt()));
        m.put("resolved_at", instant(a.resolvedAt()));
        m.put("resolution", a.resolution());
        m.put("acknowledged_by", a.acknowledgedBy());
        m.put("impacted_devices", a.impactedDevices());
        // added with problems (issue 14), after the older members so their layout stays
        m.put("address", a.address());
        m.put("region", a.labels().get("region"));
        m.put("branch", a.labels().get("branch"));
        m.put("labels", new LinkedHashMap<String, Object>(a.labels()));
        m.put("group", a.group());
        List<Object> history = new ArrayList<>(a.history().size());
        for (Alert.Step s : a.history()) {
            history.add(step(s));
        }
        m.put("history", history);
        return m;
    }

    /**
     * One line of text.
     *
     * @param n the notification
     * @return the line
     */
    public static String line(Notification n) {
        return switch (n) {
            case Notification.Opened o -> "alert opened: [" + sev(o.alert()) + "] " + o.alert().rule() + " on "
                    + o.alert().deviceDescription() + ": " + o.alert().message();
            case Notification.Escalated e -> "alert escalated: [" + e.previous().name().toLowerCase(Locale.ROOT)
                    + " -> " + sev(e.alert()) + "] " + e.step().rule() + " now matches on "
                    + e.alert().deviceDescription() + ": " + e.alert().message();
            case Notification.Resolved r -> "alert resolved: [" + sev(r.alert()) + "] " + r.alert().rule() + " on "
                    + r.alert().deviceDescription() + " after " + r.alert().duration(r.at()) + " ("
                    + r.alert().resolution() + ")";
            case Notification.Flood f -> f.started()
                    ? "alert flood: " + f.opened() + " alerts opened within " + f.window()
                            + "; individual notifications are held until it is over " + f.bySeverity()
                    : "alert flood over: " + f.opened() + " alerts opened, " + f.suppressed()
                            + " individual notifications held back " + f.bySeverity();
            case Notification.Grouped g -> "alerts " + g.reason().name().toLowerCase(Locale.ROOT) + " for "
                    + g.receiver() + " " + g.groupLabels() + ": " + g.firing().size() + " firing"
                    + (g.firing().isEmpty() ? "" : " (" + g.firing().stream().limit(10)
                            .map(a -> sev(a) + " " + a.rule() + " on " + a.deviceDescription())
                            .collect(java.util.stream.Collectors.joining("; "))
                            + (g.firing().size() > 10 ? "; ..." : "") + ")")
                    + ", " + g.resolved().size() + " resolved";
        };
    }

    private static String sev(Alert a) {
        return a.severity().name().toLowerCase(Locale.ROOT);
    }
}
