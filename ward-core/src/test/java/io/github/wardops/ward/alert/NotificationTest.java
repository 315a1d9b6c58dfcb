package io.github.wardops.ward.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aFloodListsSeveritiesInSeverityOrderWhateverOrderItWasGiven() {
        Map<Severity, Integer> given = new LinkedHashMap<>();
        given.put(Severity.LOW, 1);
        given.put(Severity.CRITICAL, 4);
        given.put(Severity.MEDIUM, 2);
        Notification.Flood f = new Notification.Flood(true, 7, 0, Duration.ofMinutes(1), given, List.of(), AT);
        assertEquals(List.of(Severity.CRITICAL, Severity.MEDIUM, Severity.LOW), List.copyOf(f.bySeverity().keySet()));
        given.put(Severity.HIGH, 9);
        assertEquals(3, f.bySeverity().size(), "a copy, not a view");
        assertThrows(UnsupportedOperationException.class, () -> f.bySeverity().put(Severity.HIGH, 1));
    }

    @Test
    void aFloodRefusesNullCounts() {
        Map<Severity, Integer> given = new HashMap<>();
        given.put(Severity.LOW, null);
        assertThrows(NullPointerException.class,
                () -> new Notification.Flood(true, 1, 0, Duration.ofMinutes(1), given, List.of(), AT));
        assertEquals(Map.of(), new Notification.Flood(false, 0, 0, Duration.ofMinutes(1), Map.of(), List.of(), AT).bySeverity());
    }
}
