package io.github.wardops.ward.state;

import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StateTrackerTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration CYCLE = Duration.ofSeconds(30);

    final FakeClock clock = new FakeClock(T0);
    final List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    StateTracker tracker(int downAfter, int upAfter, StateStore store) {
        return StateTracker.builder().downAfter(downAfter).upAfter(upAfter).clock(clock).meterRegistry(registry)
                .store(store).listener(transitions::add).build();
    }

    Instant at(int cycle) {
        return T0.plus(CYCLE.multipliedBy(cycle));
    }

    void feed(StateTracker t, ProbeResult r) {
        clock.set(r.at());
        t.onResult(r);
    }

    @Test
    void downIsConfirmedAfterNFailuresAndDownSinceIsTheFirstFailure() {
        Device d = device("r1", null);
        StateTracker t = tracker(3, 2, StateStore.inMemory());
        t.replaceInventory(List.of(d));
        assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()));
        feed(t, up(d.id(), at(0)));
        assertEquals(DeviceStatus.UP, t.status(d.id()), "one success decides from UNKNOWN");
        feed(t, down(d.id(), at(1)));
        feed(t, down(d.id(), at(2)));
        assertEquals(DeviceStatus.UP, t.status(d.id()), "two failures are not enough");
        assertEquals(2, t.state(d.id()).orElseThrow().consecutiveFailures());
        feed(t, down(d.id(), at(3)));
        DeviceState s = t.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.DOWN, s.status());
        assertEquals(at(1), s.since(), "down_since is the first failed probe, not the confirmation");
        feed(t, up(d.id(), at(4)));
        assertEquals(DeviceStatus.DOWN, t.status(d.id()), "one success does not confirm UP");
        feed(t, down(d.id(), at(5)));
        feed(t, up(d.id(), at(6)));
        feed(t, up(d.id(), at(7)));
        s = t.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.UP, s.status());
        assertEquals(at(6), s.since(), "up since the first success of the confirming streak");
        List<StateTransition> changes = transitions.stream().filter(StateTransition::statusChanged).toList();
        assertEquals(List.of(DeviceStatus.UP, DeviceStatus.DOWN, DeviceStatus.UP), changes.stream().map(StateTransition::to).toList());
        assertEquals(at(1), changes.get(1).since());
        assertEquals("3 failed probes in a row", changes.get(1).cause());
        assertEquals(1.0, registry.get("ward.state.devices").tag("status", "up").gauge().value());
    }

    @Test
    void unknownResultsAndOtherCheckTypesDoNotMoveReachability() {
        Device d = device("r1", null);
        StateTracker t = tracker(2, 1, StateStore.inMemory());
        t.replaceInventory(List.of(d));
        feed(t, up(d.id(), at(0), 12.5));
        feed(t, new ProbeResult.Unknown(d.id(), "icmp", "icmp", at(1), "socket error"));
        feed(t, new ProbeResult.Down(d.id(), "tcp:443", "tcp", at(1), io.github.wardops.ward.probe.DownReason.REFUSED,
                "", io.github.wardops.ward.probe.Measurement.NONE));
        feed(t, down(d.id(), at(2)));
        assertEquals(DeviceStatus.UP, t.status(d.id()));
        assertEquals(1, t.state(d.id()).orElseThrow().consecutiveFailures(), "the Unknown result did not count");
        DeviceView v = t.view(d.id()).orElseThrow();
        assertEquals(1.0, v.values().get("failed_cycles"));
        assertEquals(0.0, v.values().get("ping_unreachable"), "not DOWN: no outage minutes");
        assertTrue(v.state().failing());
        assertEquals(at(2), v.state().failingSince());
        assertEquals(100.0, v.values().get("loss_pct"));
        assertFalse(v.values().containsKey("avg_ping_ms"), "no RTT from a failed ping: the old one is gone");
        feed(t, up(d.id(), at(3), 7.0));
        assertEquals(7.0, t.view(d.id()).orElseThrow().values().get("avg_ping_ms"), 1e-9);
    }

    @Test
    void reachabilityChecksAreConfigurable() {
        Device d = device("r1", null);
        StateTracker t = StateTracker.builder().downAfter(1).reachabilityTypes(List.of("tcp")).clock(clock).build();
        t.replaceInventory(List.of(d));
        feed(t, down(d.id(), at(0)));
        assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()), "icmp does not count when only tcp does");
        feed(t, new ProbeResult.Down(d.id(), "tcp:22", "tcp", at(1), io.github.wardops.ward.probe.DownReason.REFUSED,
                "", io.github.wardops.ward.probe.Measurement.NONE));
        assertEquals(DeviceStatus.DOWN, t.status(d.id()));
    }

    @Test
    void flappingStartsAboveTheHighThresholdAndEndsBelowTheLowOne() {
        Device d = device("flappy", null);
        StateTracker t = tracker(1, 1, StateStore.inMemory());
        t.replaceInventory(List.of(d));
        int cycle = 0;
        feed(t, up(d.id(), at(cycle++)));
        double lastPct = 0;
        while (!t.state(d.id()).orElseThrow().flapping()) {
            assertTrue(cycle < 30, "never started flapping");
            feed(t, cycle % 2 == 0 ? up(d.id(), at(cycle)) : down(d.id(), at(cycle)));
            cycle++;
            lastPct = t.state(d.id()).orElseThrow().flapPercent();
        }
        assertTrue(lastPct > 30, "entered above the high threshold: " + lastPct);
        assertEquals(1, t.flappingCount());
        int entered = cycle;
        // Steady: the percentage decays; flapping ends only below 25 %.
        boolean sawBetween = false;
        while (t.state(d.id()).orElseThrow().flapping()) {
            assertTrue(cycle < entered + 40, "never stopped flapping");
            feed(t, up(d.id(), at(cycle++)));
            double pct = t.state(d.id()).orElseThrow().flapPercent();
            if (pct <= 30 && pct >= 25 && t.state(d.id()).orElseThrow().flapping()) {
                sawBetween = true;
            }
        }
        assertTrue(t.state(d.id()).orElseThrow().flapPercent() < 25);
        assertTrue(sawBetween, "stayed flapping between the thresholds (hysteresis)");
        assertEquals(0, t.flappingCount());
        List<Boolean> flags = new ArrayList<>();
        boolean prev = false;
        for (StateTransition x : transitions) {
            if (x.flapping() != prev) {
                flags.add(x.flapping());
                prev = x.flapping();
            }
        }
        assertEquals(List.of(true, false), flags, "listeners saw flapping start once and stop once");
        StateTransition last = transitions.get(transitions.size() - 1);
        assertFalse(last.statusChanged());
        assertTrue(last.cause().startsWith("flapping stopped"), last.cause());
    }

    @Test
    void childrenOfADownParentAreUnreachableAndReEvaluatedWhenItRecovers() {
        Device router = device("router", null);
        Device a = device("atm", router.id());
        Device b = device("paybox", router.id());
        Device c = device("switch", router.id());
        Device grandchild = device("ap", c.id());
        StateTracker t = tracker(2, 2, StateStore.inMemory());
        t.replaceInventory(List.of(router, a, b, c, grandchild));
        for (Device d : List.of(router, a, b, c, grandchild)) {
            feed(t, up(d.id(), at(0)));
        }
        // The ATM fails first, on its own, and is confirmed DOWN before the router fails.
        feed(t, down(a.id(), at(1)));
        feed(t, down(a.id(), at(2)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()));
        // The router goes down; the others fail in the same cycles.
        for (int cyc = 3; cyc <= 4; cyc++) {
            feed(t, down(router.id(), at(cyc)));
            feed(t, down(a.id(), at(cyc)));
            feed(t, down(b.id(), at(cyc)));
            feed(t, down(c.id(), at(cyc)));
            feed(t, down(grandchild.id(), at(cyc)));
        }
        assertEquals(DeviceStatus.DOWN, t.status(router.id()));
        assertEquals(at(3), t.state(router.id()).orElseThrow().since());
        assertEquals(DeviceStatus.UNREACHABLE, t.status(a.id()), "a DOWN child becomes UNREACHABLE when the parent is confirmed");
        assertEquals(at(1), t.state(a.id()).orElseThrow().since(), "and keeps its own down_since");
        assertEquals(DeviceStatus.UNREACHABLE, t.status(b.id()));
        assertEquals(DeviceStatus.UNREACHABLE, t.status(c.id()));
        assertEquals(DeviceStatus.UNREACHABLE, t.status(grandchild.id()), "through an unreachable switch too");
        assertEquals(1, t.countByStatus().get(DeviceStatus.DOWN));
        assertEquals(4, t.countByStatus().get(DeviceStatus.UNREACHABLE));
        assertEquals(4, t.view(router.id()).orElseThrow().dependents());
        // The router recovers: its children are re-evaluated from a fresh result.
        feed(t, up(router.id(), at(5)));
        assertEquals(DeviceStatus.UNREACHABLE, t.status(b.id()), "not before the parent's UP is confirmed");
        feed(t, up(router.id(), at(6)));
        assertEquals(DeviceStatus.UP, t.status(router.id()));
        for (Device d : List.of(a, b, c, grandchild)) {
            assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()), d.name() + " awaits a fresh result");
        }
        feed(t, up(b.id(), at(7)));
        assertEquals(DeviceStatus.UP, t.status(b.id()));
        feed(t, down(a.id(), at(7)));
        feed(t, down(a.id(), at(8)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()), "a child still failing on its own is DOWN again");
        assertEquals(at(7), t.state(a.id()).orElseThrow().since());
        assertTrue(transitions.stream().anyMatch(x -> x.to() == DeviceStatus.UNREACHABLE && x.cause().contains("parent")));
    }

    @Test
    void aChildConfirmedWhileItsParentMerelyFailsIsUnreachableThenDownWhenTheParentAnswers() {
        Device router = device("router", null);
        Device a = device("atm", router.id());
        StateTracker t = tracker(2, 2, StateStore.inMemory());
        t.replaceInventory(List.of(router, a));
        feed(t, up(router.id(), at(0)));
        feed(t, up(a.id(), at(0)));
        feed(t, down(router.id(), at(1)));
        feed(t, down(a.id(), at(1)));
        feed(t, down(a.id(), at(2)));
        assertEquals(DeviceStatus.UNREACHABLE, t.status(a.id()), "its parent is failing: not judged DOWN on its own");
        feed(t, up(router.id(), at(2)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()), "the parent answers: the child is down on its own");
        assertEquals(at(1), t.state(a.id()).orElseThrow().since());
    }

    @Test
    void aParentsBlipDoesNotTurnALongDownChildUnreachable() {
        Device router = device("router", null);
        Device a = device("atm", router.id());
        StateTracker t = tracker(2, 2, StateStore.inMemory());
        t.replaceInventory(List.of(router, a));
        feed(t, up(router.id(), at(0)));
        feed(t, down(a.id(), at(0)));
        feed(t, down(a.id(), at(1)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()));
        feed(t, down(router.id(), at(2)));
        feed(t, down(a.id(), at(2)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()), "one failed parent cycle is not a parent outage");
        feed(t, up(router.id(), at(3)));
        feed(t, down(a.id(), at(3)));
        assertEquals(DeviceStatus.DOWN, t.status(a.id()));
        assertEquals(at(0), t.state(a.id()).orElseThrow().since());
        assertEquals(1, transitions.stream().filter(x -> x.key().device().equals(a.id()) && x.statusChanged()).count());
    }

    @Test
    void stateSurvivesARestartThroughTheStore() {
        Device d = device("r1", null);
        StateStore store = StateStore.inMemory();
        StateTracker first = tracker(2, 2, store);
        first.replaceInventory(List.of(d));
        first.start();
        feed(first, down(d.id(), at(0)));
        feed(first, down(d.id(), at(1)));
        assertEquals(DeviceStatus.DOWN, first.status(d.id()));
        first.close();
        clock.set(at(6));   // three minutes after the first failed probe

        List<DeviceView> restored = new ArrayList<>();
        StateTracker second = StateTracker.builder().downAfter(2).clock(clock).store(store).listener(new StateListener() {
            @Override
            public void onTransition(StateTransition transition) {
            }

            @Override
            public void onUpdate(DeviceView view) {
                restored.add(view);
            }
        }).build();
        second.replaceInventory(List.of(d));
        second.start();
        second.start();
        DeviceState s = second.state(d.id()).orElseThrow();
        assertEquals(DeviceStatus.DOWN, s.status());
        assertEquals(at(0), s.since());
        assertEquals(1, restored.size(), "one update per restored device, so alerting can open what is missing");
        assertEquals(3.0, restored.get(0).values().get("ping_unreachable"), "whole minutes since the first failure");
        assertEquals(2.0, restored.get(0).values().get("failed_cycles"));
        assertEquals(1, second.countByStatus().get(DeviceStatus.DOWN));
    }

    @Test
    void aFailingStoreDoesNotStopTracking() {
        Device d = device("r1", null);
        StateStore broken = new StateStore() {
            @Override
            public java.util.Collection<DeviceState> loadAll() throws Exception {
                throw new java.io.IOException("db down");
            }

            @Override
            public void save(DeviceState state) throws Exception {
                throw new java.io.IOException("db down");
            }

            @Override
            public void delete(DeviceId device) throws Exception {
                throw new java.io.IOException("db down");
            }
        };
        StateTracker t = tracker(1, 1, broken);
        t.replaceInventory(List.of(d));
        t.start();
        feed(t, down(d.id(), at(0)));
        assertEquals(DeviceStatus.DOWN, t.status(d.id()));
        t.replaceInventory(List.of());
        assertTrue(registry.get("ward.state.store.failures").counter().count() >= 3);
    }

    @Test
    void removedDevicesAreFreedAndTheirResultsIgnored() {
        Device d1 = device("r1", null);
        Device d2 = device("r2", null);
        StateStore store = StateStore.inMemory();
        StateTracker t = tracker(1, 1, store);
        t.replaceInventory(List.of(d1, d2));
        feed(t, down(d1.id(), at(0)));
        t.apply(List.of(InventoryChange.remove(d1.id())));
        assertTrue(t.state(d1.id()).isEmpty());
        feed(t, down(d1.id(), at(1)));
        assertTrue(t.state(d1.id()).isEmpty(), "a result for a removed device does not bring it back");
        assertEquals(1.0, registry.get("ward.state.results.ignored").counter().count());
        assertEquals(0, t.countByStatus().get(DeviceStatus.DOWN));
        assertEquals(1, t.countByStatus().get(DeviceStatus.UNKNOWN));
        assertTrue(assertDoesNotThrowLoad(store).isEmpty(), "the store forgot it");
        assertThrows(IllegalArgumentException.class, () -> t.replaceInventory(List.of(d2, d2)));
    }

    private static java.util.Collection<DeviceState> assertDoesNotThrowLoad(StateStore s) {
        try {
            return s.loadAll();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void interfacesHaveTheirOwnConfirmedState() {
        Device d = device("r1", null);
        StateTracker t = tracker(2, 2, StateStore.inMemory());
        t.replaceInventory(List.of(d));
        t.onInterfaceStatus(d.id(), 3, true, at(0));
        assertEquals(DeviceStatus.UP, t.interfaceState(d.id(), 3).orElseThrow().status());
        t.onInterfaceStatus(d.id(), 3, false, at(1));
        assertEquals(DeviceStatus.UP, t.interfaceState(d.id(), 3).orElseThrow().status());
        t.onInterfaceStatus(d.id(), 3, false, at(2));
        DeviceState s = t.interfaceState(d.id(), 3).orElseThrow();
        assertEquals(DeviceStatus.DOWN, s.status());
        assertEquals(at(1), s.since());
        assertEquals(StateKey.ofInterface(d.id(), 3), s.key());
        assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()), "an interface does not move its device");
        t.onInterfaceValues(d.id(), 3, Map.of("if_util_in_pct", 55.0), at(2));
        assertEquals(55.0, t.view(d.id()).orElseThrow().interfaceValues().get(3).get("if_util_in_pct"));
        assertThrows(IllegalArgumentException.class, () -> t.onInterfaceStatus(d.id(), 0, true, at(3)));
        assertTrue(transitions.stream().anyMatch(x -> x.key().isInterface() && x.to() == DeviceStatus.DOWN));
    }

    @Test
    void nonFiniteAndExcessValuesAreDropped() {
        Device d = device("r1", null);
        StateTracker t = StateTracker.builder().maxValuesPerSubject(2).clock(clock).meterRegistry(registry).build();
        t.replaceInventory(List.of(d));
        io.github.wardops.ward.probe.Measurement m = () -> {
            Map<String, Double> v = new java.util.LinkedHashMap<>();
            v.put("cpu_pct", Double.NaN);
            v.put("mem_pct", Double.POSITIVE_INFINITY);
            v.put("temp_c", 41.0);
            v.put("fan_rpm", 900.0);
            v.put("psu_v", 12.0);
            return v;
        };
        t.onResult(new ProbeResult.Up(d.id(), "snmp", "snmp", at(0), Duration.ZERO, m));
        DeviceView v = t.view(d.id()).orElseThrow();
        assertFalse(v.values().containsKey("cpu_pct"));
        assertFalse(v.values().containsKey("mem_pct"));
        assertEquals(41.0, v.values().get("temp_c"));
        assertEquals(900.0, v.values().get("fan_rpm"));
        assertFalse(v.values().containsKey("psu_v"), "at most 2 values of one measurement: " + v.values());
        t.onInterfaceValues(d.id(), 1, Map.of("a", 1.0, "b", 2.0, "c", 3.0), at(0));
        assertEquals(2, t.view(d.id()).orElseThrow().interfaceValues().get(1).size());
        assertTrue(registry.get("ward.state.values.dropped").counter().count() >= 1);
        assertEquals(DeviceStatus.UNKNOWN, t.status(d.id()), "an snmp result does not decide reachability");
    }

    @Test
    void interfacesPerDeviceAreBounded() {
        Device d = device("r1", null);
        StateTracker t = StateTracker.builder().maxInterfacesPerDevice(2).clock(clock).meterRegistry(registry).build();
        t.replaceInventory(List.of(d));
        for (int i = 1; i <= 5; i++) {
            t.onInterfaceStatus(d.id(), i, true, at(0));
        }
        assertEquals(2, t.view(d.id()).orElseThrow().interfaces().size());
        assertEquals(3.0, registry.get("ward.state.values.dropped").counter().count());
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> StateTracker.builder()
                .downAfter(0).upAfter(101).flapping(2, 40, 30).maxValuesPerSubject(0).clock(null).ticker(null)
                .reachabilityTypes(List.of()).build());
        assertEquals(8, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("downAfter = 0"));
    }

    @Test
    void aThrowingListenerIsCountedAndTheOthersStillRun() {
        Device d = device("r1", null);
        List<StateTransition> seen = new ArrayList<>();
        StateTracker t = StateTracker.builder().downAfter(1).clock(clock).meterRegistry(registry)
                .listener(x -> {
                    throw new IllegalStateException("boom");
                }).listener(seen::add).build();
        t.replaceInventory(List.of(d));
        feed(t, down(d.id(), at(0)));
        assertEquals(1, seen.size());
        assertTrue(registry.get("ward.state.listener.failures").counter().count() >= 1);
    }

    @Test
    void concurrentResultsForManyDevicesKeepCountsExact() throws Exception {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            devices.add(device("d" + i, null));
        }
        StateTracker t = StateTracker.builder().downAfter(3).upAfter(1).clock(clock).build();
        t.replaceInventory(devices);
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int cycle = 0; cycle < 20; cycle++) {
                    for (int i = worker; i < devices.size(); i += threads) {
                        DeviceId id = devices.get(i).id();
                        boolean fail = i % 2 == 0 && cycle >= 10;
                        t.onResult(fail ? down(id, at(cycle)) : up(id, at(cycle)));
                    }
                }
            }));
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        Map<DeviceStatus, Integer> counts = t.countByStatus();
        assertEquals(100, counts.get(DeviceStatus.DOWN));
        assertEquals(100, counts.get(DeviceStatus.UP));
        assertEquals(0, counts.get(DeviceStatus.UNKNOWN));
    }
}
