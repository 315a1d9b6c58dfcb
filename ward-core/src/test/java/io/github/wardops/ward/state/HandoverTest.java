package io.github.wardops.ward.state;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Devices handed over between two instances that share their stores, as runners of one fleet do
 * when a shard moves: the new owner carries on from the stored states, open alerts and rule timers
 * without opening, resolving or notifying anything again, and the old owner forgets them quietly.
 */
class HandoverTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final FakeClock clock = new FakeClock(T0);
    final StateStore states = StateStore.inMemory();
    final InMemoryAlertStore alerts = new InMemoryAlertStore(100);
    final List<AutoCloseable> closeMe = new ArrayList<>();

    /** One instance: a tracker and alerting over the shared stores, with its own notifier. */
    final class Instance {
        final CollectingNotifier notes = new CollectingNotifier();
        final Alerting alerting;
        final StateTracker tracker;

        Instance(List<Device> devices) {
            alerting = Alerting.builder().rules(List.of(
                            AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any()),
                            AlertRule.of("Down 5m", "status == down for 5m", Severity.CRITICAL, LabelSelector.any())))
                    .clock(clock).store(alerts).notifier(notes)
                    .delivery(new DeliveryOptions(100, 3, Duration.ofMillis(1), Duration.ofMillis(5))).build();
            tracker = StateTracker.builder().downAfter(3).upAfter(2).clock(clock).sweepEvery(Duration.ZERO)
                    .store(states).listener(alerting).build();
            closeMe.add(tracker);
            closeMe.add(alerting);
            tracker.replaceInventory(devices);
            alerting.start();
            tracker.start();
        }

        void feed(ProbeResult r) {
            clock.set(r.at());
            tracker.onResult(r);
        }

        List<Notification> delivered() {
            await("notifications delivered", () -> alerting.pendingNotifications() == 0);
            return List.copyOf(notes.received);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe.reversed()) {
            c.close();
        }
    }

    @Test
    void theNewOwnerCarriesOnAnOpenAlertAndTheOldOneForgetsItQuietly() {
        Device d1 = device("r1", null);
        Device d2 = device("r2", null);
        Instance a = new Instance(List.of(d1, d2));
        Instance b = new Instance(List.of());
        a.feed(up(d1.id(), T0));
        a.feed(up(d2.id(), T0));
        for (int i = 1; i <= 3; i++) {
            a.feed(down(d1.id(), T0.plusSeconds(30L * i)));
        }
        Instant since = a.tracker.state(d1.id()).orElseThrow().since();
        assertEquals(DeviceStatus.DOWN, a.tracker.status(d1.id()));
        Alert opened = a.alerting.openAlerts().getFirst();
        Alert acked = a.alerting.acknowledge(opened.id(), "noc-anna").orElseThrow();
        assertEquals(1, a.delivered().stream().filter(n -> n instanceof Notification.Opened).count());

        a.feed(down(d1.id(), T0.plusSeconds(120)));
        a.feed(down(d1.id(), T0.plusSeconds(150)));   // a minute into the 5-minute rule's timer

        // the shard moves: the old owner stops first, then the new one adopts
        a.tracker.release(List.of(d1.id(), d2.id(), DeviceId.fromKey("never-tracked")));
        b.tracker.adopt(List.of(d1, d2));

        assertTrue(a.tracker.state(d1.id()).isEmpty(), "forgotten by the old owner");
        assertEquals(List.of(), a.alerting.openAlerts());
        assertEquals(DeviceStatus.DOWN, b.tracker.status(d1.id()), "the stored state carried on");
        assertEquals(since, b.tracker.state(d1.id()).orElseThrow().since(), "since when: unchanged");
        assertEquals(DeviceStatus.UP, b.tracker.status(d2.id()));
        List<Alert> atB = b.alerting.openAlerts();
        assertEquals(1, atB.size(), atB.toString());
        assertEquals(opened.id(), atB.getFirst().id(), "the same alert, not a new one");
        assertEquals("noc-anna", atB.getFirst().acknowledgedBy(), "the acknowledgement came along");
        assertEquals(acked.acknowledgedAt(), atB.getFirst().acknowledgedAt());
        assertEquals(1, alerts.loadOpen().size(), "the store still has it open: released is not resolved");

        // still down at the new owner: nothing again; the 5-minute timer started at the old owner
        for (int s = 180; s < 390; s += 30) {
            b.feed(down(d1.id(), T0.plusSeconds(s)));
            b.feed(up(d2.id(), T0.plusSeconds(s)));
        }
        assertEquals(List.of(), b.delivered(), "no re-open, no re-notification");
        assertEquals("Down", b.alerting.openAlerts().getFirst().rule(), "not 5 minutes yet");
        b.feed(down(d1.id(), T0.plusSeconds(390)));
        Alert escalated = b.alerting.openAlerts().getFirst();
        assertEquals(opened.id(), escalated.id());
        assertEquals("Down 5m", escalated.rule(),
                "the timer started at the old owner counts: 5 minutes from confirmation, not from the handover");
        // back up at the new owner: resolved there, once; the old owner said nothing at any point
        b.feed(up(d1.id(), T0.plusSeconds(400)));
        b.feed(up(d1.id(), T0.plusSeconds(401)));
        assertEquals(List.of(), b.alerting.openAlerts());
        assertEquals(1, b.delivered().stream().filter(n -> n instanceof Notification.Resolved).count());
        assertEquals(1, a.delivered().size(), "the old owner only ever sent the opening");
    }

    @Test
    void anAcknowledgementThroughAnotherInstanceReachesTheOwnerWithoutANotification() {
        Device d = device("r1", null);
        Instance owner = new Instance(List.of(d));
        Instance other = new Instance(List.of());
        for (int i = 0; i < 3; i++) {
            owner.feed(down(d.id(), T0.plusSeconds(i)));
        }
        Alert open = owner.alerting.openAlerts().getFirst();
        assertEquals(1, owner.delivered().size());
        clock.set(T0.plusSeconds(60));
        Alert acked = other.alerting.acknowledge(open.id(), "noc-levan").orElseThrow();
        assertEquals("noc-levan", acked.acknowledgedBy());
        assertEquals(T0.plusSeconds(60), acked.acknowledgedAt());
        assertTrue(other.alerting.acknowledge(UUID.randomUUID(), "noc-levan").isEmpty(), "no such open alert");
        assertEquals(null, owner.alerting.openAlerts().getFirst().acknowledgedBy(), "not yet: at the owner's next sync");
        clock.set(T0.plusSeconds(65));
        owner.alerting.syncAcknowledgements();
        Alert atOwner = owner.alerting.openAlerts().getFirst();
        assertEquals(open.id(), atOwner.id());
        assertEquals("noc-levan", atOwner.acknowledgedBy());
        assertEquals(T0.plusSeconds(60), atOwner.acknowledgedAt(), "the time it was made, not the tick's");
        owner.alerting.syncAcknowledgements();
        assertEquals(1, owner.delivered().size(), "taken up quietly, once");
        assertEquals(List.of(), other.delivered());
        assertEquals("noc-levan", alerts.loadOpen().iterator().next().acknowledgedBy());
    }

    @Test
    void resultsForAReleasedDeviceAreIgnoredAndItsStoredStateStays() throws Exception {
        Device d = device("r1", null);
        Instance a = new Instance(List.of(d));
        a.feed(up(d.id(), T0));
        a.tracker.release(List.of(d.id()));
        a.feed(down(d.id(), T0.plusSeconds(30)));   // a probe that was in flight
        assertTrue(a.tracker.state(d.id()).isEmpty());
        assertEquals(DeviceStatus.UP, states.loadAll().stream().filter(s -> s.key().equals(StateKey.of(d.id())))
                .findFirst().orElseThrow().status(), "released, not deleted");
        a.tracker.adopt(List.of(d));
        assertEquals(DeviceStatus.UP, a.tracker.status(d.id()), "adopted back from the store");
    }

    @Test
    void adoptingADeviceAlreadyTrackedKeepsItsState() {
        Device d = device("r1", null);
        Instance a = new Instance(List.of(d));
        for (int i = 0; i < 3; i++) {
            a.feed(down(d.id(), T0.plusSeconds(i)));
        }
        UUID alert = a.alerting.openAlerts().getFirst().id();
        a.tracker.adopt(List.of(d));
        assertEquals(DeviceStatus.DOWN, a.tracker.status(d.id()));
        assertEquals(List.of(alert), a.alerting.openAlerts().stream().map(Alert::id).toList());
        assertEquals(1, a.delivered().size());
    }
}
