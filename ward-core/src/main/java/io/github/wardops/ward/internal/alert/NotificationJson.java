package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Writes notifications as JSON (the webhook body) and as one-line text (the log). Stateless. */
public final class NotificationJson {
    private NotificationJson() {
    }

    /**
     * The notification's event type: {@code alert.opened}, {@code alert.resolved} or
     * {@code alerts.flood}.
     *
     * @param n the notification
     * @return the type
     */
    public static String type(Notification n) {
        return switch (n) {
            case Notification.Opened o -> "alert.opened";
            case Notification.Resolved r -> "alert.resolved";
            case Notification.Flood f -> "alerts.flood";
        };
    }

    /**
     * The JSON body.
     *
     * @param n the notification
     * @return the JSON text
     */
    public static String json(Notification n) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"type\":");
        Json.quote(sb, type(n));
        sb.append(",\"at\":");
        instant(sb, n.at());
        switch (n) {
            case Notification.Opened o -> {
                sb.append(",\"alert\":");
                alert(sb, o.alert());
            }
            case Notification.Resolved r -> {
                sb.append(",\"alert\":");
                alert(sb, r.alert());
            }
            case Notification.Flood f -> {
                sb.append(",\"started\":").append(f.started());
                sb.append(",\"opened\":").append(f.opened());
                sb.append(",\"suppressed\":").append(f.suppressed());
                sb.append(",\"window_seconds\":").append(f.window().toSeconds());
                sb.append(",\"by_severity\":{");
                boolean first = true;
                for (Map.Entry<Severity, Integer> e : f.bySeverity().entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    Json.quote(sb, e.getKey().name().toLowerCase(Locale.ROOT));
                    sb.append(':').append(e.getValue());
                }
                sb.append("},\"sample\":[");
                for (int i = 0; i < f.sample().size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    alert(sb, f.sample().get(i));
                }
                sb.append(']');
            }
        }
        return sb.append('}').toString();
    }

    private static void instant(StringBuilder sb, Instant i) {
        if (i == null) {
            sb.append("null");
        } else {
            Json.quote(sb, i.toString());
        }
    }

    private static void str(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
        } else {
            Json.quote(sb, s);
        }
    }

    private static void alert(StringBuilder sb, Alert a) {
        sb.append("{\"id\":");
        Json.quote(sb, a.id().toString());
        sb.append(",\"device\":");
        Json.quote(sb, a.device().toString());
        sb.append(",\"device_name\":");
        Json.quote(sb, a.deviceName());
        sb.append(",\"if_index\":").append(a.ifIndex());
        sb.append(",\"rule\":");
        Json.quote(sb, a.rule());
        sb.append(",\"severity\":");
        Json.quote(sb, a.severity().name().toLowerCase(Locale.ROOT));
        sb.append(",\"message\":");
        Json.quote(sb, a.message());
        sb.append(",\"since\":");
        instant(sb, a.since());
        sb.append(",\"opened_at\":");
        instant(sb, a.openedAt());
        sb.append(",\"resolved_at\":");
        instant(sb, a.resolvedAt());
        sb.append(",\"resolution\":");
        str(sb, a.resolution());
        sb.append(",\"acknowledged_by\":");
        str(sb, a.acknowledgedBy());
        sb.append(",\"impacted_devices\":").append(a.impactedDevices());
        sb.append('}');
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
                    + o.alert().deviceName().strip() + ": " + o.alert().message();
            case Notification.Resolved r -> "alert resolved: [" + sev(r.alert()) + "] " + r.alert().rule() + " on "
                    + r.alert().deviceName().strip() + " after " + r.alert().duration(r.at()) + " ("
                    + r.alert().resolution() + ")";
            case Notification.Flood f -> f.started()
                    ? "alert flood: " + f.opened() + " alerts opened within " + f.window()
                            + "; individual notifications are held until it is over " + f.bySeverity()
                    : "alert flood over: " + f.opened() + " alerts opened, " + f.suppressed()
                            + " individual notifications held back " + f.bySeverity();
        };
    }

    private static String sev(Alert a) {
        return a.severity().name().toLowerCase(Locale.ROOT);
    }
}
