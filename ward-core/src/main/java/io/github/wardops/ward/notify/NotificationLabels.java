package io.github.wardops.ward.notify;

import io.github.wardops.ward.alert.Alert;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels routes, grouping and silences see of an alert: the device's labels as the alert
 * recorded them (such as {@code region} and {@code branch}), and ward's own, which win over a
 * device label of the same name:
 * <ul>
 *   <li>{@code device}: the device's name; {@code address}: its address (may be empty);</li>
 *   <li>{@code severity}: {@code critical}, {@code high}, {@code medium}, {@code low} or {@code info};</li>
 *   <li>{@code rule}: the alert's current rule; {@code problem}: its group of rules;</li>
 *   <li>{@code interface}: the ifIndex for an interface alert, else absent.</li>
 * </ul>
 * Stateless and thread-safe; no value is ever {@code null} (a missing address is empty).
 */
public final class NotificationLabels {

    private NotificationLabels() {
    }

    /**
     * An alert's labels.
     *
     * @param alert the alert
     * @return a new, modifiable map, device labels first
     */
    public static Map<String, String> of(Alert alert) {
        Map<String, String> m = new LinkedHashMap<>(alert.labels());
        m.put("device", alert.deviceName());
        m.put("address", alert.address());
        m.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        m.put("rule", alert.rule());
        m.put("problem", alert.group());
        if (alert.ifIndex() != 0) {
            m.put("interface", Integer.toString(alert.ifIndex()));
        } else {
            m.remove("interface");
        }
        return m;
    }
}
