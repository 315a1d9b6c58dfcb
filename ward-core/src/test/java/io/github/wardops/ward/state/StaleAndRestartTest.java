package io.github.wardops.ward.state;

import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Stale devices, ward's own health, and every input of the rules across a restart: scripted
 * result sequences on fake time, the sweep called by the test.
 */
class StaleAndRestartTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    static final Duration CYCLE = Duration.ofSeconds(30);
    /** The timeout of Results.device's ICMP check (3 echoes 200 ms apart, 1 s reply timeout). */
    static final Duration TIMEOUT = Duration.ofMillis(1_400);

    final FakeClock clock = new FakeClock(T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    final List<String> health = new CopyOnWriteArrayList<>();

    StateTracker tracker(StateStore store) {
        return StateTracker.builder().downAfter(3).upAfter(2).clock(clock).meterRegistry(registry).store(store)
                .sweepEvery(Duration.ZERO).listener(new StateListener() {
                    @Override
                    public void onTransition(StateTransition t) {
                        transitions.add(t);
                    }

                    @Override
                    public void onHealth(String problem) {
                        health.add(String.valueOf(problem));
                    }
                }).build();
    }

    Instant at(int cycle) {
        return T0.plus(CYCLE.multipliedBy(cycle));
    }

    void feed(StateTracker t, ProbeResult r) {
        clock.set(r.at());
        t.onResult(r);
    }

    @Test
    void aDeviceWhoseProbesStopCompletingIsUnknownStaleNeverUp() {
        Device d = device("r1", null);
        StateTracker t = tracker(StateStore.inMemory());
        t.replaceInventory(List.of(d));
        t.start();
        feed(t, up(d.id(), at(0)));
        // probes that cannot run bring UNKNOWN results: they do not count as completed
        for (int c = 1; c <= 3; c++) {
            feed(t, new ProbeResult.Unknown(d.id(), "icmp", "icmp", at(c), "no usable icmp prober"));
            t.sweep();
            assertEquals(DeviceStatus.UP, t.status(d.id()), "three intervals is the bound, cycle " + c);
        }
        clock.set(at(3).plus(TIMEOUT));
        t.sweep();
        assertEquals(DeviceStatus.UP, t.status(d.id()), "and the probe's timeout: a probe completes that long after it starts");
        clock.set(at(3).plus(TIMEOUT).plusMillis(1));
        t.sweep();
        DeviceState s = t.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.UNKNOWN, s.status());
        assertEquals(DeviceState.STALE, s.detail());
        assertEquals(0, s.consecutiveFailures());
        StateTransition last = transitions.getLast();
        assertEquals(DeviceStatus.UP, last.from());
        assertTrue(last.cause().startsWith("stale: no probe completed for 3 intervals and a timeout (91.4 s)"), last.cause());
        assertEquals(1.0, registry.get("ward.state.stale").gauge().value());
        int before = transitions.size();
        t.sweep();
        assertEquals(before, transitions.size(), "stale once, not once per sweep");
        // a completed probe judges it afresh
        feed(t, up(d.id(), at(5)));
        s = t.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.UP, s.status());
        assertNull(s.detail());
        t.sweep();
        assertEquals(0.0, registry.get("ward.state.stale").gauge().value());
    }

    @Test
    void aDownDeviceThatCannotBeProbedIsNotShownDownForeverEither() {
        Device d = device("r1", null);
        StateTracker t = tracker(StateStore.inMemory());
        t.replaceInventory(List.of(d));
        t.start();
        for (int c = 0; c < 3; c++) {
            feed(t, down(d.id(), at(c)));
        }
        assertEquals(DeviceStatus.DOWN, t.status(d.id()));
        clock.set(at(6).plus(TIMEOUT).plusMillis(1));
        t.sweep();
        assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()), "ward does not know any more");
        assertEquals(DeviceState.STALE, t.state(d.id()).orElseThrow().detail());
    }

    /**
     * Regression (found by the cluster soak): a device adopted from another runner, or added to
     * the inventory, by a tracker that had long been probing was stale at the next sweep, before
     * its first probe could complete: a DOWN device's alert was then resolved and opened again
     * (notified twice, its acknowledgement lost). Its staleness now counts from when it was added.
     */
    @Test
    void aDeviceAdoptedOrAddedLateGetsItsOwnThreeIntervalsBeforeItIsStale() throws Exception {
        Device old = device("r1", null);
        Device adopted = device("r2", null);
        Device added = device("r3", null);
        StateStore store = StateStore.inMemory();
        store.save(new DeviceState(io.github.wardops.ward.state.StateKey.of(adopted.id()), DeviceStatus.DOWN, at(-10),
                false, 0, 5, 0, at(-1)));
        StateTracker t = tracker(store);
        t.replaceInventory(List.of(old));
        t.start();
        feed(t, up(old.id(), at(0)));   // the engine has been running since cycle 0
        for (int c = 1; c <= 20; c++) {
            feed(t, up(old.id(), at(c)));
        }
        t.adopt(List.of(adopted));
        t.apply(List.of(io.github.wardops.ward.inventory.InventoryChange.upsert(added)));
        assertEquals(DeviceStatus.DOWN, t.status(adopted.id()), "carried on as stored");
        clock.set(at(20).plusSeconds(1));
        t.sweep();
        assertEquals(DeviceStatus.DOWN, t.status(adopted.id()), "not stale before its first probe had a chance");
        assertEquals(DeviceStatus.UNKNOWN, t.status(added.id()));
        assertNull(t.state(added.id()).orElseThrow().detail(), "new, not stale");
        clock.set(at(23).plus(TIMEOUT));
        feed(t, up(old.id(), at(23).plus(TIMEOUT)));
        t.sweep();
        assertEquals(DeviceStatus.DOWN, t.status(adopted.id()), "three intervals and a timeout from its adoption");
        clock.set(at(23).plus(TIMEOUT).plusMillis(1));
        feed(t, up(old.id(), at(23).plus(TIMEOUT).plusMillis(1)));
        t.sweep();
        assertEquals(DeviceStatus.UNKNOWN, t.status(adopted.id()), "then stale, as any device whose probes do not complete");
        assertEquals(DeviceState.STALE, t.state(added.id()).orElseThrow().detail());
    }

    @Test
    void noDeviceIsStaleBeforeWardHadThreeIntervalsToProbeIt() {
        Device d = device("r1", null);
        StateStore store = StateStore.inMemory();
        StateTracker first = tracker(store);
        first.replaceInventory(List.of(d));
        first.start();
        feed(first, up(d.id(), at(0)));
        first.close();
        clock.set(at(100));   // ward was stopped for 50 minutes
        StateTracker second = tracker(store);
        second.replaceInventory(List.of(d));
        second.start();
        second.sweep();
        assertEquals(DeviceStatus.UP, second.status(d.id()), "restored; ward has not had its chance yet");
        clock.set(at(110));
        second.sweep();
        assertEquals(DeviceStatus.UP, second.status(d.id()), "the engine has not started: no result at all yet");
        // the engine runs (its first result is for another check, or one that could not run)
        feed(second, new ProbeResult.Unknown(d.id(), "icmp", "icmp", at(110), "no usable icmp prober"));
        clock.set(at(113).plus(TIMEOUT));
        second.sweep();
        assertEquals(DeviceStatus.UP, second.status(d.id()));
        clock.set(at(113).plus(TIMEOUT).plusMillis(1));
        second.sweep();
        assertEquals(DeviceStatus.UNKNOWN, second.status(d.id()));
    }

    @Test
    void manyStaleDevicesAreOneSelfHealthReportNotOnePerDevice() {
        List<Device> fleet = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fleet.add(device("d" + i, null));
        }
        StateTracker t = tracker(StateStore.inMemory());
        t.replaceInventory(fleet);
        t.start();
        fleet.forEach(d -> feed(t, up(d.id(), at(0))));
        // two of twenty (10 %) stale: not above the bound
        for (int c = 1; c <= 4; c++) {
            for (Device d : fleet.subList(2, 20)) {
                feed(t, up(d.id(), at(c)));
            }
        }
        t.sweep();
        assertEquals(List.of(), health);
        assertEquals(2.0, registry.get("ward.state.stale").gauge().value());
        // a third: 15 %
        for (int c = 5; c <= 8; c++) {
            for (Device d : fleet.subList(3, 20)) {
                feed(t, up(d.id(), at(c)));
            }
        }
        t.sweep();
        t.sweep();
        assertEquals(1, health.size(), "one report while it lasts: " + health);
        assertTrue(health.get(0).startsWith("ward cannot probe 3 of 20 devices (15.0%)"), health.get(0));
        fleet.forEach(d -> feed(t, up(d.id(), at(9))));
        t.sweep();
        assertEquals(List.of(health.get(0), "null"), health, "and one when it is over");
    }

    @Test
    void aFailureRunSurvivesARestartAndConfirmsWhereItLeftOff() {
        Device d = device("r1", null);
        StateStore store = StateStore.inMemory();
        StateTracker first = tracker(store);
        first.replaceInventory(List.of(d));
        first.start();
        feed(first, up(d.id(), at(0)));
        feed(first, down(d.id(), at(1)));
        feed(first, down(d.id(), at(2)));
        DeviceState before = first.state(d.id()).orElseThrow();
        assertTrue(before.failing());
        first.close();

        StateTracker second = tracker(store);
        second.replaceInventory(List.of(d));
        second.start();
        DeviceState restored = second.state(d.id()).orElseThrow();
        assertEquals(before, restored, "every input, to the microsecond");
        assertEquals(2, restored.consecutiveFailures());
        assertEquals(at(1).truncatedTo(java.time.temporal.ChronoUnit.MICROS), restored.failingSince());
        feed(second, down(d.id(), at(3)));
        DeviceState s = second.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.DOWN, s.status(), "the third failure confirms, as without the restart");
        assertEquals(restored.failingSince(), s.since(), "down since the first failed probe, before the restart");
    }

    @Test
    void aFlapWindowSurvivesARestart() {
        Device d = device("r1", null);
        StateStore store = StateStore.inMemory();
        StateTracker first = tracker(store);
        first.replaceInventory(List.of(d));
        first.start();
        int c = 0;
        while (!first.state(d.id()).orElseThrow().flapping()) {
            feed(first, c % 2 == 0 ? up(d.id(), at(c)) : down(d.id(), at(c)));
            c++;
        }
        feed(first, up(d.id(), at(c++)));
        DeviceState before = first.state(d.id()).orElseThrow();
        first.close();

        StateTracker second = tracker(store);
        second.replaceInventory(List.of(d));
        second.start();
        DeviceState restored = second.state(d.id()).orElseThrow();
        assertEquals(before.flapHistory(), restored.flapHistory());
        assertEquals(before.flapPercent(), restored.flapPercent(), 1e-9);
        assertTrue(restored.flapping());
        // one more result moves the window as it would have without the restart
        feed(second, up(d.id(), at(c)));
        assertTrue(second.state(d.id()).orElseThrow().flapping(), "not 'flapping stopped' from an empty window");
    }

    @Test
    void aHealthyDeviceWritesNothingAfterItsFirstResult() {
        Device d = device("r1", null);
        List<DeviceState> saved = new CopyOnWriteArrayList<>();
        StateStore counting = new StateStore() {
            @Override
            public java.util.Collection<DeviceState> loadAll() {
                return List.of();
            }

            @Override
            public void save(DeviceState state) {
                saved.add(state);
            }

            @Override
            public void delete(io.github.wardops.ward.inventory.DeviceId device) {
            }
        };
        StateTracker t = tracker(counting);
        t.replaceInventory(List.of(d));
        t.start();
        for (int c = 0; c < 10; c++) {
            feed(t, up(d.id(), at(c)));
        }
        assertEquals(1, saved.size(), "UNKNOWN to UP, then nothing: " + saved);
        feed(t, down(d.id(), at(10)));
        feed(t, up(d.id(), at(11)));
        feed(t, up(d.id(), at(12)));
        assertEquals(4, saved.size(), "the failure, its end, and the window that still holds it");
    }

    @Test
    void instantsAreKeptToTheMicrosecond() {
        Device d = device("r1", null);
        StateTracker t = tracker(StateStore.inMemory());
        t.replaceInventory(List.of(d));
        feed(t, up(d.id(), at(0)));
        DeviceState s = t.state(d.id()).orElseThrow();
        assertEquals(123_456_000, s.since().getNano());
        assertEquals(123_456_000, s.updatedAt().getNano());
        assertEquals(123_456_000, t.view(d.id()).orElseThrow().at().getNano());
    }

    @Test
    void malformedStatesAndSettingsAreRefusedWithTheirReason() {
        StateKey k = StateKey.of(device("r1", null).id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeviceState(k,
                DeviceStatus.UP, T0, false, 0, 0, 0, T0, null, null, "0120"));
        assertTrue(e.getMessage().contains("flapHistory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeviceState(k, DeviceStatus.UP, T0, false, 0, 0, 0, T0,
                null, null, "1".repeat(101)));
        assertThrows(IllegalArgumentException.class, () -> new DeviceState(k, DeviceStatus.UP, T0, false, 0, 0, 0, T0,
                null, "", ""));
        assertThrows(NullPointerException.class, () -> new DeviceState(k, DeviceStatus.UP, T0, false, 0, 0, 0, T0,
                null, null, null));
        InvalidConfigurationException c = assertThrows(InvalidConfigurationException.class, () -> StateTracker.builder()
                .staleAfter(1).impairedAbove(101).sweepEvery(Duration.ofMillis(5)).build());
        assertEquals(3, c.problems().size(), c.getMessage());
        assertNotNull(StateTracker.builder().sweepEvery(Duration.ZERO).build());
        assertFalse(new DeviceState(k, DeviceStatus.DOWN, T0, false, 0, 3, 0, T0).failing(), "DOWN is confirmed");
    }
}
