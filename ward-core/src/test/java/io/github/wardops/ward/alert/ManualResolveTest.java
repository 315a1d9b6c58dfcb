package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An alert resolved by hand: recorded with who and why, notified as a resolution, and opened
 * again (a new alert) when its rule still matches at the device's next evaluation.
 */
class ManualResolveTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final FakeClock clock = new FakeClock(T0);
    final InMemoryAlertStore store = new InMemoryAlertStore(100);
    final CollectingNotifier notes = new CollectingNotifier();
    final Alerting alerting = Alerting.builder()
            .rules(List.of(AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any())))
            .clock(clock).store(store).notifier(notes)
            .delivery(new DeliveryOptions(100, 3, Duration.ofMillis(1), Duration.ofMillis(5))).build();
    final StateTracker tracker = StateTracker.builder().downAfter(3).clock(clock).sweepEvery(Duration.ZERO)
            .store(StateStore.inMemory()).listener(alerting).build();

    @AfterEach
    void close() {
        tracker.close();
        alerting.close();
    }

    List<Notification> delivered() {
        await("notifications delivered", () -> alerting.pendingNotifications() == 0);
        return List.copyOf(notes.received);
    }

    @Test
    void aResolutionByHandIsRecordedNotifiedAndTheAlertReopensWhileTheConditionHolds() throws Exception {
        Device d = device("r1", null);
        tracker.replaceInventory(List.of(d));
        alerting.start();
        tracker.start();
        for (int i = 0; i < 3; i++) {
            clock.set(T0.plusSeconds(i));
            tracker.onResult(down(d.id(), T0.plusSeconds(i)));
        }
        Alert first = alerting.openAlerts().getFirst();
        clock.set(T0.plusSeconds(60));
        Alert resolved = alerting.resolve(first.id(), "noc-anna", "  known outage, ticket 42 ").orElseThrow();
        assertEquals(first.id(), resolved.id());
        assertEquals(T0.plusSeconds(60), resolved.resolvedAt());
        assertEquals("resolved by noc-anna: known outage, ticket 42", resolved.resolution());
        assertEquals(List.of(), alerting.openAlerts());
        assertEquals(List.of(resolved), store.history(d.id(), T0, T0.plusSeconds(120)), "recorded as resolved");
        List<Notification> n = delivered();
        assertEquals(2, n.size(), n.toString());
        assertTrue(n.get(1) instanceof Notification.Resolved r && r.alert().resolution().startsWith("resolved by noc-anna"));
        assertTrue(alerting.resolve(first.id(), "noc-anna", null).isEmpty(), "not open any more");
        assertTrue(alerting.resolve(UUID.randomUUID(), "noc-anna", null).isEmpty());

        // still down at the next result: a new alert, notified
        clock.set(T0.plusSeconds(90));
        tracker.onResult(down(d.id(), T0.plusSeconds(90)));
        Alert again = alerting.openAlerts().getFirst();
        assertNotEquals(first.id(), again.id(), "a new alert, not the old one reopened");
        assertEquals(3, delivered().size());
        Alert second = alerting.resolve(again.id(), "noc-levan", null).orElseThrow();
        assertEquals("resolved by noc-levan", second.resolution(), "no comment: who alone");
    }
}
