package io.github.wardops.ward.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The webhook body, byte for byte: receivers verify its HMAC and parse it, so moving it onto the
 * shared JSON writer must not change one character (the expected texts were produced by the
 * hand-written writer it replaced).
 */
class NotificationJsonTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    /** What problems added to an alert of the older shape, after the members that were there. */
    static final String NEW_MEMBERS = ",\"address\":\"\",\"region\":null,\"branch\":null,\"labels\":{},"
            + "\"group\":\"Device Down\",\"history\":[]";

    @Test
    void anEscalation() {
        Alert.Step first = new Alert.Step("Ping Unavailable", Severity.HIGH, T0.plusSeconds(60));
        Alert.Step second = new Alert.Step("Device Down - Critical", Severity.CRITICAL, T0.plusSeconds(300));
        Alert a = new Alert(ID, DeviceId.fromKey("sw-1"), "Batumi1-811", "127.0.0.9",
                Map.of("region", "Achara"), 0, "reachability", "Device Down - Critical", Severity.CRITICAL,
                "ping_unreachable >= 5", T0, T0.plusSeconds(60), null, null, null, null, 0, List.of(first, second));
        Notification.Escalated e = new Notification.Escalated(a, second, Severity.HIGH, T0.plusSeconds(300));
        assertEquals("{\"type\":\"alert.escalated\",\"at\":\"2026-03-01T10:05:00Z\",\"alert\":{\"id\":"
                + "\"00000000-0000-0000-0000-00000000002a\",\"device\":\"" + DeviceId.fromKey("sw-1")
                + "\",\"device_name\":\"Batumi1-811\",\"if_index\":0,\"rule\":\"Device Down - Critical\","
                + "\"severity\":\"critical\",\"message\":\"ping_unreachable >= 5\",\"since\":\"2026-03-01T10:00:00Z\","
                + "\"opened_at\":\"2026-03-01T10:01:00Z\",\"resolved_at\":null,\"resolution\":null,"
                + "\"acknowledged_by\":null,\"impacted_devices\":0,\"address\":\"127.0.0.9\",\"region\":\"Achara\","
                + "\"branch\":null,\"labels\":{\"region\":\"Achara\"},\"group\":\"reachability\",\"history\":["
                + "{\"rule\":\"Ping Unavailable\",\"severity\":\"high\",\"at\":\"2026-03-01T10:01:00Z\"},"
                + "{\"rule\":\"Device Down - Critical\",\"severity\":\"critical\",\"at\":\"2026-03-01T10:05:00Z\"}]},"
                + "\"step\":{\"rule\":\"Device Down - Critical\",\"severity\":\"critical\",\"at\":\"2026-03-01T10:05:00Z\"},"
                + "\"previous_severity\":\"high\"}", NotificationJson.json(e));
        assertEquals("alert escalated: [high -> critical] Device Down - Critical now matches on Batumi1-811 "
                + "(127.0.0.9, region Achara): ping_unreachable >= 5", NotificationJson.line(e));
    }

    static Alert alert() {
        return new Alert(ID, DeviceId.fromKey("sw-1"), "core \"switch\"\t<1>\u0001", 3, "Device Down", Severity.CRITICAL,
                "down: a\\b\nc", T0, T0.plusSeconds(60), null, null, null, null, 2);
    }

    @Test
    void anOpenedAlert() {
        assertEquals("{\"type\":\"alert.opened\",\"at\":\"2026-03-01T10:01:00Z\",\"alert\":{\"id\":"
                + "\"00000000-0000-0000-0000-00000000002a\",\"device\":\"" + DeviceId.fromKey("sw-1")
                + "\",\"device_name\":\"core \\\"switch\\\"\\t<1>\\u0001\",\"if_index\":3,\"rule\":\"Device Down\","
                + "\"severity\":\"critical\",\"message\":\"down: a\\\\b\\nc\",\"since\":\"2026-03-01T10:00:00Z\","
                + "\"opened_at\":\"2026-03-01T10:01:00Z\",\"resolved_at\":null,\"resolution\":null,"
                + "\"acknowledged_by\":null,\"impacted_devices\":2" + NEW_MEMBERS + "}}",
                NotificationJson.json(new Notification.Opened(alert(), T0.plusSeconds(60))));
    }

    @Test
    void aResolvedAlert() {
        Alert r = alert().resolve(T0.plusSeconds(300), "condition cleared").acknowledge(T0.plusSeconds(200), "nino");
        assertEquals("{\"type\":\"alert.resolved\",\"at\":\"2026-03-01T10:05:00Z\",\"alert\":{\"id\":"
                + "\"00000000-0000-0000-0000-00000000002a\",\"device\":\"" + DeviceId.fromKey("sw-1")
                + "\",\"device_name\":\"core \\\"switch\\\"\\t<1>\\u0001\",\"if_index\":3,\"rule\":\"Device Down\","
                + "\"severity\":\"critical\",\"message\":\"down: a\\\\b\\nc\",\"since\":\"2026-03-01T10:00:00Z\","
                + "\"opened_at\":\"2026-03-01T10:01:00Z\",\"resolved_at\":\"2026-03-01T10:05:00Z\","
                + "\"resolution\":\"condition cleared\",\"acknowledged_by\":\"nino\",\"impacted_devices\":2" + NEW_MEMBERS + "}}",
                NotificationJson.json(new Notification.Resolved(r, T0.plusSeconds(300))));
    }

    @Test
    void aFlood() {
        String json = NotificationJson.json(new Notification.Flood(true, 40, 38, Duration.ofMinutes(2),
                Map.of(Severity.HIGH, 40), List.of(alert()), T0));
        assertEquals("{\"type\":\"alerts.flood\",\"at\":\"2026-03-01T10:00:00Z\",\"started\":true,\"opened\":40,"
                + "\"suppressed\":38,\"window_seconds\":120,\"by_severity\":{\"high\":40},\"sample\":[{\"id\":"
                + "\"00000000-0000-0000-0000-00000000002a\",\"device\":\"" + DeviceId.fromKey("sw-1")
                + "\",\"device_name\":\"core \\\"switch\\\"\\t<1>\\u0001\",\"if_index\":3,\"rule\":\"Device Down\","
                + "\"severity\":\"critical\",\"message\":\"down: a\\\\b\\nc\",\"since\":\"2026-03-01T10:00:00Z\","
                + "\"opened_at\":\"2026-03-01T10:01:00Z\",\"resolved_at\":null,\"resolution\":null,"
                + "\"acknowledged_by\":null,\"impacted_devices\":2" + NEW_MEMBERS + "}]}", json);
    }
}
