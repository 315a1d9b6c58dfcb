package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testkit.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedFleetView} with a real engine, tracker and alerting owning two of four devices and
 * readers of the "shared store" that count their calls: devices polled here answer from the
 * tracker and alerting (the snapshot's rows for them are ignored), the others from the snapshot;
 * the snapshot is read again only when older than its most age, one read for many concurrent
 * requests; a failed read keeps the old snapshot and says its age; the snapshot is bounded.
 */
class SharedFleetViewTest {
    static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final Device mine1 = device("mine-1", 1);
    final Device mine2 = device("mine-2", 2);
    final Device theirs1 = device("theirs-1", 3);
    final Device theirs2 = device("theirs-2", 4);
    final List<Device> fleet = List.of(mine1, mine2, theirs1, theirs2);
    final AtomicReference<Collection<DeviceState>> sharedStates = new AtomicReference<>(List.of());
    final AtomicReference<Collection<Alert>> sharedAlerts = new AtomicReference<>(List.of());
    final AtomicInteger stateReads = new AtomicInteger();
    final AtomicInteger alertReads = new AtomicInteger();
    final AtomicReference<RuntimeException> failWith = new AtomicReference<>();
    volatile CountDownLatch block;

    Alerting alerting;
    StateTracker tracker;
    Ward ward;
    SharedFleetView view;

    static Device device(String name, int n) {
        return Device.builder(DeviceId.fromKey(name), name, InetAddress.ofLiteral("127.0.3." + n)).build();
    }

    static DeviceState state(Device d, int ifIndex, DeviceStatus s) {
        return new DeviceState(new StateKey(d.id(), ifIndex), s, T0.minusSeconds(60), false, 0, s == DeviceStatus.DOWN ? 3 : 0,
                s == DeviceStatus.UP ? 5 : 0, T0, null, null, "1101");
    }

    static Alert alert(Device d, Instant openedAt) {
        return new Alert(UUID.randomUUID(), d.id(), d.name(), 0, "Down", Severity.HIGH, d.name() + " is down",
                openedAt, openedAt, null, null, null, null, 0);
    }

    @BeforeEach
    void start() {
        alerting = Alerting.builder()
                .rules(List.of(AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any())))
                .clock(clock).store(AlertStore.inMemory(100)).build();
        tracker = StateTracker.builder().downAfter(1).upAfter(1).clock(clock).sweepEvery(Duration.ZERO)
                .store(StateStore.inMemory()).listener(alerting).build();
        ward = Ward.builder().devices(List.of(mine1, mine2)).build();
        tracker.replaceInventory(List.of(mine1, mine2));
        alerting.start();
        tracker.start();
        view = new SharedFleetView(() -> fleet, ward, tracker, alerting, () -> {
            CountDownLatch b = block;
            if (b != null) {
                b.await(10, TimeUnit.SECONDS);
            }
            stateReads.incrementAndGet();
            RuntimeException e = failWith.get();
            if (e != null) {
                throw e;
            }
            return sharedStates.get();
        }, () -> {
            alertReads.incrementAndGet();
            return sharedAlerts.get();
        }, Duration.ofSeconds(5), Duration.ofSeconds(5), clock);
    }

    @AfterEach
    void close() {
        ward.close();
        tracker.close();
        alerting.close();
    }

    @Test
    void devicesPolledHereAnswerFromTheTrackerAndTheOthersFromTheSnapshot() {
        tracker.onResult(new ProbeResult.Down(mine1.id(), "icmp", "icmp", T0, DownReason.TIMEOUT, "", Measurement.NONE));
        tracker.onResult(new ProbeResult.Up(mine2.id(), "icmp", "icmp", T0, Duration.ofMillis(1), Measurement.NONE));
        Alert local = alerting.openAlerts().getFirst();
        Alert remote = alert(theirs1, T0.minusSeconds(30));
        // the shared store still says mine-1 is UP and has an old alert of mine-1: the local ones win
        Alert staleOfMine = alert(mine1, T0.minusSeconds(300));
        sharedStates.set(List.of(state(mine1, 0, DeviceStatus.UP), state(theirs1, 0, DeviceStatus.DOWN),
                state(theirs2, 0, DeviceStatus.UP)));
        sharedAlerts.set(List.of(remote, staleOfMine));

        assertEquals(fleet, view.devices(), "the whole inventory, not the engine's");
        assertTrue(view.device(theirs2.id()).isPresent());
        assertTrue(view.polledHere(mine1.id()));
        assertFalse(view.polledHere(theirs1.id()));
        assertEquals(DeviceStatus.DOWN, view.state(mine1.id()).orElseThrow().status(), "the tracker, not the stale row");
        assertEquals(DeviceStatus.UP, view.state(mine2.id()).orElseThrow().status());
        assertEquals(DeviceStatus.DOWN, view.state(theirs1.id()).orElseThrow().status());
        assertEquals(3, view.state(theirs1.id()).orElseThrow().consecutiveFailures());
        assertEquals("", view.state(theirs1.id()).orElseThrow().flapHistory(), "not kept: the API does not show it");
        assertEquals(DeviceStatus.UP, view.state(theirs2.id()).orElseThrow().status());
        assertEquals(List.of(local.id(), remote.id()), view.openAlerts().stream().map(Alert::id).toList());
        var bits = view.statusBits();
        assertEquals(DeviceStatus.DOWN.ordinal(), bits.applyAsInt(mine1.id()));
        assertEquals(DeviceStatus.DOWN.ordinal(), bits.applyAsInt(theirs1.id()));
        assertEquals(DeviceStatus.UP.ordinal(), bits.applyAsInt(theirs2.id()));
        assertTrue(view.latest(theirs1.id(), "icmp").isEmpty());
        assertTrue(view.latestAll(theirs1.id()).isEmpty());
        assertTrue(view.view(theirs1.id()).isEmpty());
        assertTrue(view.view(mine1.id()).isPresent());
        assertTrue(view.shared());
    }

    @Test
    void theSnapshotIsReadAgainOnlyWhenOlderThanItsMostAgeAndSaysItsAge() {
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.DOWN)));
        assertTrue(view.age().isEmpty() || view.age().orElseThrow().isZero());
        assertEquals(DeviceStatus.DOWN, view.state(theirs1.id()).orElseThrow().status());
        assertEquals(1, stateReads.get());
        assertEquals(1, alertReads.get());
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.UP)));
        clock.advance(Duration.ofMillis(4900));
        assertEquals(DeviceStatus.DOWN, view.state(theirs1.id()).orElseThrow().status(), "4.9 s old: kept");
        view.openAlerts();
        view.statusBits();
        assertEquals(1, stateReads.get());
        assertEquals(Duration.ofMillis(4900), view.age().orElseThrow());
        clock.advance(Duration.ofMillis(100));
        assertEquals(DeviceStatus.UP, view.state(theirs1.id()).orElseThrow().status(), "5 s old: read again");
        assertEquals(2, stateReads.get());
        assertEquals(Duration.ZERO, view.age().orElseThrow());
        // an acknowledgement made here marks the snapshot due
        view.changed();
        view.openAlerts();
        assertEquals(3, stateReads.get());
        assertEquals(3, view.reads());
    }

    @Test
    void concurrentRequestsShareOneRead() throws Exception {
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.DOWN)));
        block = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DeviceStatus>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> view.state(theirs1.id()).orElseThrow().status()));
            }
            Thread.sleep(200);
            block.countDown();
            for (Future<DeviceStatus> f : answers) {
                assertEquals(DeviceStatus.DOWN, f.get(10, TimeUnit.SECONDS), "every waiting request sees the read");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, stateReads.get(), "one read for eight requests");
    }

    @Test
    void aFailedReadKeepsTheOldSnapshotWithItsAgeAndIsTriedAgainAfterTheMostAge() {
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.DOWN)));
        view.state(theirs1.id());
        clock.advance(Duration.ofSeconds(6));
        failWith.set(new IllegalStateException("database away"));
        assertEquals(DeviceStatus.DOWN, view.state(theirs1.id()).orElseThrow().status(), "the old snapshot answers");
        assertEquals(2, stateReads.get());
        assertEquals(1, view.failures());
        assertEquals(Duration.ofSeconds(6), view.age().orElseThrow(), "its age grows");
        clock.advance(Duration.ofSeconds(1));
        view.state(theirs1.id());
        assertEquals(2, stateReads.get(), "not tried again before the most age: the database is not hammered");
        assertEquals(Duration.ofSeconds(7), view.age().orElseThrow());
        clock.advance(Duration.ofSeconds(5));
        failWith.set(null);
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.UP)));
        assertEquals(DeviceStatus.UP, view.state(theirs1.id()).orElseThrow().status(), "back");
        assertEquals(Duration.ZERO, view.age().orElseThrow());
    }

    @Test
    void aFirstReadThatFailsAnswersUnknownWithoutAnAge() {
        failWith.set(new IllegalStateException("database away"));
        assertTrue(view.state(theirs1.id()).isEmpty());
        assertTrue(view.age().isEmpty());
        assertEquals(List.of(), view.openAlerts());
    }

    @Test
    void theSnapshotKeepsOnlyDeviceRowsOfTheInventoryAndAtMostMaxAlertsTheNewest() {
        Device stranger = device("not-in-inventory", 9);
        sharedStates.set(List.of(state(theirs1, 0, DeviceStatus.DOWN), state(theirs1, 7, DeviceStatus.UP),
                state(stranger, 0, DeviceStatus.DOWN)));
        List<Alert> many = new CopyOnWriteArrayList<>();
        for (int i = 0; i < HttpApi.MAX_ALERTS + 5; i++) {
            many.add(alert(i % 2 == 0 ? theirs1 : theirs2, T0.minusSeconds(i)));
        }
        sharedAlerts.set(many);
        SharedFleetView.Snapshot s = view.snapshot();
        assertEquals(1, s.states().size(), "the interface row and the stranger's row are left out");
        assertTrue(s.states().containsKey(theirs1.id()));
        assertEquals(HttpApi.MAX_ALERTS, s.alerts().size());
        assertEquals(HttpApi.MAX_ALERTS + 5, s.alertsTotal());
        assertEquals(T0, s.alerts().getFirst().openedAt(), "the newest kept");
        assertEquals(T0.minusSeconds(HttpApi.MAX_ALERTS - 1), s.alerts().getLast().openedAt());
    }

    @Test
    void aFeedThatCopiesItsListKeepsTheIndexAndANewDeviceIsFound() {
        List<List<Device>> given = new ArrayList<>(List.of(new ArrayList<>(fleet)));
        SharedFleetView v = new SharedFleetView(() -> new ArrayList<>(given.getLast()), ward, tracker, alerting,
                List::of, List::of, Duration.ofSeconds(5), Duration.ofSeconds(5), clock);
        assertEquals(fleet, v.devices());
        Device added = device("added", 8);
        List<Device> more = new ArrayList<>(fleet);
        more.add(added);
        given.add(more);
        assertTrue(v.device(added.id()).isPresent(), "a changed inventory is indexed again");
        assertEquals(5, v.devices().size());
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SharedFleetView(() -> fleet, ward, tracker, alerting,
                List::of, List::of, Duration.ZERO, Duration.ZERO, clock));
        assertThrows(IllegalArgumentException.class, () -> new SharedFleetView(() -> fleet, ward, tracker, alerting,
                List::of, List::of, Duration.ofSeconds(5), Duration.ofMinutes(2), clock));
    }

    @Test
    void aDeviceNoLiveRunnerPollsIsShownUnknownAndStaleNeverUp() {
        Device theirs = device("probed-elsewhere", 9);
        java.util.concurrent.atomic.AtomicBoolean owned = new java.util.concurrent.atomic.AtomicBoolean(true);
        SharedFleetView v = new SharedFleetView(() -> List.of(theirs), ward, tracker, alerting,
                () -> List.of(state(theirs, 0, DeviceStatus.UP)), List::of, Duration.ofSeconds(5), Duration.ofSeconds(5),
                clock, id -> owned.get());
        assertEquals(DeviceStatus.UP, v.state(theirs.id()).orElseThrow().status(), "a live runner polls it: as stored");
        // its runner died, or its zone has none: the row stays as it was, but nobody probes the device
        owned.set(false);
        DeviceState shown = v.state(theirs.id()).orElseThrow();
        assertEquals(DeviceStatus.UNKNOWN, shown.status());
        assertEquals(DeviceState.STALE, shown.detail());
        assertEquals(DeviceStatus.UNKNOWN.ordinal(), v.statusBits().applyAsInt(theirs.id()),
                "the summary does not count it UP either");
        owned.set(true);
        assertEquals(DeviceStatus.UP, v.state(theirs.id()).orElseThrow().status(), "taken over: as stored again");
    }
}
