package io.github.wardops.ward.notify;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Alerts and notifications for the receivers' tests. */
final class TestAlerts {
    static final Instant SINCE = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-01T10:05:30Z");

    private TestAlerts() {
    }

    static Alert alert(String name, String address, Map<String, String> labels, Severity severity, int impacted) {
        return new Alert(UUID.nameUUIDFromBytes(name.getBytes()), new DeviceId(UUID.nameUUIDFromBytes(("d" + name).getBytes())),
                name, address, labels, 0, "Ping Unavailable", "Ping Unavailable", severity, name + " does not answer ping",
                SINCE, SINCE.plusSeconds(30), null, null, null, null, impacted,
                List.of(new Alert.Step("Ping Unavailable", severity, SINCE.plusSeconds(30))));
    }

    static Alert vake01() {
        return alert("Vake-01", "127.0.0.11", Map.of("region", "Tbilisi", "branch", "Vake"), Severity.CRITICAL, 3);
    }

    static List<Alert> branch(String branch, int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("region", "Tbilisi");
            labels.put("branch", branch);
            out.add(alert(branch + "-" + String.format("%02d", i), "127.0.1." + i, labels,
                    i == 1 ? Severity.CRITICAL : Severity.HIGH, 0));
        }
        return out;
    }

    static Notification.Grouped grouped(String branch, int n) {
        return new Notification.Grouped("noc", Map.of("branch", branch), branch(branch, n), List.of(),
                Notification.Grouped.Reason.NEW, NOW);
    }
}
