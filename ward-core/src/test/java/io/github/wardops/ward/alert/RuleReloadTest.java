package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules replaced while running (a rule file reloaded): kept rules keep their alerts, removed ones resolve. */
class RuleReloadTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final AlertRule DOWN = AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any());
    static final AlertRule SLOW = AlertRule.of("Slow", "avg_ping_ms > 100", Severity.LOW, LabelSelector.any());

    final FakeClock clock = new FakeClock(T0);
    final InMemoryAlertStore store = new InMemoryAlertStore(100);
    final CollectingNotifier notes = new CollectingNotifier();
    final Alerting alerting = Alerting.builder().rules(List.of(DOWN)).clock(clock).store(store).notifier(notes)
            .delivery(new DeliveryOptions(100, 3, Duration.ofMillis(1), Duration.ofMillis(5))).build();
    final StateTracker tracker = StateTracker.builder().downAfter(3).clock(clock).sweepEvery(Duration.ZERO)
            .store(StateStore.inMemory()).listener(alerting).build();

    @AfterEach
    void close() {
        tracker.close();
        alerting.close();
    }

    private void downFor(Device d, int from, int n) {
        for (int i = from; i < from + n; i++) {
            clock.set(T0.plusSeconds(i));
            tracker.onResult(down(d.id(), T0.plusSeconds(i)));
        }
    }

    @Test
    void keptRulesKeepTheirAlertsRemovedRulesResolveAndNewRulesApply() throws Exception {
        Device d = device("r1", null);
        tracker.replaceInventory(List.of(d));
        alerting.start();
        tracker.start();
        downFor(d, 0, 3);
        Alert first = alerting.openAlerts().getFirst();

        // the same rule and a new one: the alert stays, nothing is notified again
        alerting.replaceRules(List.of(DOWN, SLOW));
        assertEquals(List.of("Down", "Slow"), alerting.rules().stream().map(AlertRule::name).toList());
        downFor(d, 3, 2);
        assertEquals(List.of(first.id()), alerting.openAlerts().stream().map(Alert::id).toList());

        // the rule removed: its alert resolves and is notified once
        alerting.replaceRules(List.of(SLOW));
        assertEquals(List.of(), alerting.openAlerts());
        Alert resolved = store.history(d.id(), T0, T0.plusSeconds(60)).getFirst();
        assertEquals("its rules were removed or changed", resolved.resolution());
        await("notified", () -> alerting.pendingNotifications() == 0);
        assertEquals(2, notes.received.size(), notes.received.toString());
        assertTrue(notes.received.get(1) instanceof Notification.Resolved);
        downFor(d, 5, 2);
        assertEquals(List.of(), alerting.openAlerts(), "a removed rule opens nothing");

        // put back: it opens again at the next result
        alerting.replaceRules(List.of(DOWN));
        downFor(d, 7, 1);
        assertEquals(1, alerting.openAlerts().size());
    }

    @Test
    void aBadRuleListChangesNothing() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> alerting.replaceRules(
                List.of(DOWN, DOWN, AlertRule.of(Alerting.FLAPPING_RULE, "status == down", Severity.LOW, LabelSelector.any()))));
        assertTrue(e.problems().contains("rule name 'Down' is used twice"), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("reserved")), e.problems().toString());
        assertEquals(List.of(DOWN), alerting.rules());
    }
}
