package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.lossy;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertingTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration CYCLE = Duration.ofMinutes(1);

    final FakeClock clock = new FakeClock(T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CollectingNotifier notes = new CollectingNotifier();
    final InMemoryAlertStore alertStore = new InMemoryAlertStore(1000);
    final List<AutoCloseable> closeMe = new ArrayList<>();
    Alerting alerting;
    StateTracker tracker;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    static List<AlertRule> fleetRules() throws Exception {
        RuleSet set = AlertRules.load(Path.of(AlertingTest.class.getResource("/fleet/alert-rules.json").toURI()));
        assertEquals(List.of(), set.rejected());
        return set.rules();
    }

    void wire(List<AlertRule> rules, List<Device> devices, StateStore store, Consumer<Alerting.Builder> more) {
        Alerting.Builder b = Alerting.builder().rules(rules).clock(clock).meterRegistry(registry).store(alertStore)
                .notifier(notes).delivery(new DeliveryOptions(100, 3, Duration.ofMillis(1), Duration.ofMillis(5)));
        more.accept(b);
        alerting = b.build();
        closeMe.add(alerting);
        tracker = StateTracker.builder().downAfter(3).upAfter(2).clock(clock).meterRegistry(registry).store(store)
                .listener(alerting).build();
        closeMe.add(tracker);
        tracker.replaceInventory(devices);
        alerting.start();
        tracker.start();
    }

    Instant at(int cycle) {
        return T0.plus(CYCLE.multipliedBy(cycle));
    }

    void feed(ProbeResult r) {
        clock.set(r.at());
        tracker.onResult(r);
    }

    Alert open(DeviceId d, String rule) {
        return alerting.openAlerts().stream().filter(a -> a.device().equals(d) && a.rule().equals(rule)).findFirst()
                .orElse(null);
    }

    void settle() {
        await("notifications delivered", () -> alerting.pendingNotifications() == 0);
    }

    @Test
    void theFleetRulesEscalateOneProblemAndResolveOnRecovery() throws Exception {
        Device d = device("Kutaisi-881", null, "region", "Imereti");
        wire(fleetRules(), List.of(d), StateStore.inMemory(), b -> { });
        feed(up(d.id(), at(0), 20));
        assertEquals(List.of(), alerting.openAlerts());
        feed(down(d.id(), at(1)));
        feed(down(d.id(), at(2)));
        assertEquals(List.of(), alerting.openAlerts(), "failing, not yet confirmed: the status says UP, no alert");
        feed(down(d.id(), at(3)));
        assertEquals(DeviceStatus.DOWN, tracker.status(d.id()));
        // ping_unreachable is whole minutes since the first failed probe: 2 at confirmation, so two
        // rules match at once: one problem, the more severe of them current
        assertEquals(1, alerting.openAlerts().size());
        assertEquals("Ping Unavailable", problem(d.id()).rule());
        assertEquals(List.of("Device Down - High Priority", "Ping Unavailable"),
                problem(d.id()).history().stream().map(Alert.Step::rule).toList());
        feed(down(d.id(), at(5)));
        assertEquals("Ping Unavailable", problem(d.id()).rule(), "4 minutes");
        feed(down(d.id(), at(6)));
        Alert critical = problem(d.id());
        assertEquals("Device Down - Critical", critical.rule(), "5 minutes after the first failed probe");
        assertEquals(Severity.CRITICAL, critical.severity());
        assertEquals(at(1), critical.since(), "the outage began at the first failed probe");
        assertEquals(at(3), critical.openedAt(), "opened at confirmation");
        assertEquals(at(6), critical.history().get(2).at());
        assertEquals(1, alerting.openAlerts().size(), "one open alert per (device, problem)");
        feed(up(d.id(), at(7), 300));
        assertEquals(DeviceStatus.DOWN, tracker.status(d.id()), "one success does not confirm UP");
        assertEquals(2, alerting.openAlerts().size(), "the down problem stands with the status; the latency rule holds");
        feed(up(d.id(), at(8), 20));
        assertEquals(DeviceStatus.UP, tracker.status(d.id()));
        assertEquals(List.of(), alerting.openAlerts());
        settle();
        assertEquals(2, notes.of(Notification.Opened.class).size());
        assertEquals(1, notes.of(Notification.Escalated.class).size());
        assertEquals(2, notes.of(Notification.Resolved.class).size());
        Notification.Resolved r = notes.of(Notification.Resolved.class).stream()
                .filter(x -> x.alert().rule().equals("Device Down - Critical")).findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(7), r.alert().duration(at(99)), "from the first failed probe to recovery");
        assertEquals("condition cleared", r.alert().resolution());
        assertEquals(1.0, registry.get("ward.alerts.opened").tag("severity", "critical").counter().count(),
                "one problem for the outage");
        assertEquals(1.0, registry.get("ward.alerts.escalated").counter().count());
        assertEquals(2.0, registry.get("ward.alerts.resolved").counters().stream().mapToDouble(c -> c.count()).sum());
        // Outage report from the store: downtime per device and MTTR.
        List<Alert> history = alertStore.history(d.id(), at(0), at(10));
        Duration downtime = history.stream().filter(a -> a.group().equals(AlertRule.REACHABILITY_GROUP))
                .map(a -> a.duration(at(10))).reduce(Duration.ZERO, Duration::plus);
        assertEquals(Duration.ofMinutes(7), downtime);
    }

    Alert problem(DeviceId d) {
        return alerting.openAlerts().stream().filter(a -> a.device().equals(d)
                && a.group().equals(AlertRule.REACHABILITY_GROUP)).findFirst().orElse(null);
    }

    @Test
    void aForClauseWaitsForTheConditionToHold() {
        Device d = device("lossy", null);
        AlertRule loss = AlertRule.of("Loss", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any());
        wire(List.of(loss), List.of(d), StateStore.inMemory(), b -> { });
        feed(lossy(d.id(), at(0), 3, 10)); // 25 % loss
        feed(lossy(d.id(), at(3), 3, 10));
        feed(lossy(d.id(), at(4), 4, 10)); // clears: the clock restarts
        feed(lossy(d.id(), at(5), 3, 10));
        feed(lossy(d.id(), at(9), 3, 10));
        assertEquals(List.of(), alerting.openAlerts(), "held 4 minutes only");
        feed(lossy(d.id(), at(10), 3, 10));
        Alert a = open(d.id(), "Loss");
        assertEquals(at(5), a.since(), "since the condition began to hold");
        assertEquals(at(10), a.openedAt());
    }

    @Test
    void childrenOfADownRouterRaiseNothingAndTheRouterSaysHowManyItTookDown() {
        Device router = device("router", null, "device_type", "Router");
        List<Device> all = new ArrayList<>(List.of(router));
        for (int i = 0; i < 4; i++) {
            all.add(device("atm" + i, router.id(), "device_type", "ATM"));
        }
        AlertRule downRule = AlertRule.of("Down", "status == down", Severity.CRITICAL, LabelSelector.any());
        AlertRule early = AlertRule.of("Unavailable", "failed_cycles >= 1", Severity.HIGH,
                LabelSelector.parse("device_type = ATM"));
        wire(List.of(downRule, early), all, StateStore.inMemory(), b -> { });
        all.forEach(x -> feed(up(x.id(), at(0))));
        // One ATM fails before the router in the first cycle: its early alert opens...
        feed(down(all.get(1).id(), at(1)));
        assertTrue(open(all.get(1).id(), "Unavailable") != null);
        for (int c = 1; c <= 3; c++) {
            feed(down(router.id(), at(c)));
            for (Device x : all.subList(1, all.size())) {
                if (c > 1 || x != all.get(1)) {
                    feed(down(x.id(), at(c)));
                }
            }
        }
        assertEquals(DeviceStatus.DOWN, tracker.status(router.id()));
        for (Device x : all.subList(1, all.size())) {
            assertEquals(DeviceStatus.UNREACHABLE, tracker.status(x.id()));
        }
        List<Alert> openNow = alerting.openAlerts();
        assertEquals(1, openNow.size(), openNow.toString());
        Alert r = openNow.get(0);
        assertEquals(router.id(), r.device());
        assertEquals(4, r.impactedDevices());
        assertTrue(r.message().contains("4 devices depend on it"), r.message());
        // ...and was resolved when the ATM became unreachable, rolled into the router's alert.
        Alert early1 = alertStore.history(all.get(1).id(), at(0), at(10)).get(0);
        assertTrue(early1.resolution().contains("parent"), early1.resolution());
        // The router recovers; its children come back from fresh results without alerts.
        feed(up(router.id(), at(4)));
        feed(up(router.id(), at(5)));
        all.subList(1, all.size()).forEach(x -> feed(up(x.id(), at(6))));
        assertEquals(List.of(), alerting.openAlerts());
    }

    @Test
    void aFlappingDeviceHasOneFlappingAlertInsteadOfUpDownAlerts() {
        Device d = device("flappy", null);
        AlertRule unavailable = AlertRule.of("Unavailable", "ping_unreachable >= 1", Severity.HIGH, LabelSelector.any());
        wire(List.of(unavailable), List.of(d), StateStore.inMemory(), b -> { });
        int c = 0;
        feed(up(d.id(), at(c++)));
        while (!tracker.state(d.id()).orElseThrow().flapping()) {
            feed(c % 2 == 0 ? up(d.id(), at(c)) : down(d.id(), at(c)));
            c++;
        }
        settle();
        int openedBefore = notes.received.size();
        for (int k = 0; k < 6; k++, c++) {
            feed(c % 2 == 0 ? up(d.id(), at(c)) : down(d.id(), at(c)));
        }
        List<String> rules = alerting.openAlerts().stream().map(Alert::rule).sorted().toList();
        assertTrue(rules.contains(Alerting.FLAPPING_RULE), rules.toString());
        settle();
        long flapOpened = notes.of(Notification.Opened.class).stream()
                .filter(n -> n.alert().rule().equals(Alerting.FLAPPING_RULE)).count();
        assertEquals(1, flapOpened);
        assertTrue(notes.received.size() <= openedBefore + 1, "up/down alerts were held while flapping");
        while (tracker.state(d.id()).orElseThrow().flapping()) {
            feed(up(d.id(), at(c++)));
        }
        assertEquals(List.of(), alerting.openAlerts());
        Alert flap = alertStore.history(d.id(), at(0), at(c)).stream()
                .filter(a -> a.rule().equals(Alerting.FLAPPING_RULE)).findFirst().orElseThrow();
        assertEquals("flapping stopped", flap.resolution());
    }

    @Test
    void devicesBehindAFlappingRouterDoNotFlapOnTheirOwn() {
        Device router = device("router", null);
        Device atm = device("atm", router.id());
        AlertRule unavailable = AlertRule.of("Unavailable", "ping_unreachable >= 1", Severity.HIGH, LabelSelector.any());
        wire(List.of(unavailable), List.of(router, atm), StateStore.inMemory(), b -> { });
        int c = 0;
        feed(up(router.id(), at(c)));
        feed(up(atm.id(), at(c++)));
        for (int k = 0; k < 20; k++, c++) {
            boolean ok = c % 2 == 0;
            feed(ok ? up(router.id(), at(c)) : down(router.id(), at(c)));
            feed(ok ? up(atm.id(), at(c)) : down(atm.id(), at(c)));
        }
        assertTrue(tracker.state(router.id()).orElseThrow().flapping());
        assertTrue(tracker.state(atm.id()).orElseThrow().flapping(), "the ATM's own state flaps too");
        List<Alert> flapping = alerting.openAlerts().stream().filter(a -> a.rule().equals(Alerting.FLAPPING_RULE)).toList();
        assertEquals(1, flapping.size(), alerting.openAlerts().toString());
        assertEquals(router.id(), flapping.get(0).device(), "only the router's flapping alert stands");
        assertNull(open(atm.id(), "Unavailable"));
    }

    @Test
    void aDeviceDownAtStartUpGetsAnAlertAndAnOpenOneIsNotDuplicated() throws Exception {
        Device d1 = device("down-before", null);
        Device d2 = device("down-with-alert", null);
        StateStore states = StateStore.inMemory();
        states.save(new DeviceState(StateKey.of(d1.id()), DeviceStatus.DOWN, at(-30), false, 0, 5, 0, at(-1)));
        states.save(new DeviceState(StateKey.of(d2.id()), DeviceStatus.DOWN, at(-30), false, 0, 5, 0, at(-1)));
        Alert existing = new Alert(java.util.UUID.randomUUID(), d2.id(), d2.name(), 0, "Device Down - Critical",
                Severity.CRITICAL, "old", at(-25), at(-25), null, null, null, null, 0);
        alertStore.opened(existing);
        wire(fleetRules(), List.of(d1, d2), states, b -> { });
        Alert a = problem(d1.id());
        assertTrue(a != null, "a device already down at start-up gets its alert");
        assertEquals("Device Down - Critical", a.rule(), "of the rules that match at once, the first most severe");
        assertEquals(3, a.history().size());
        assertEquals(at(-30), a.since(), "since its persisted down_since");
        assertEquals(existing.id(), problem(d2.id()).id(), "the open alert is kept, not duplicated");
        assertEquals(AlertRule.REACHABILITY_GROUP, problem(d2.id()).group(), "an older per-rule alert joins its problem");
        assertEquals(1, alertStore.loadOpen().stream().filter(x -> x.device().equals(d2.id())).count());
        feed(up(d2.id(), at(1)));
        assertTrue(problem(d2.id()) != null, "one success does not confirm UP");
        feed(up(d2.id(), at(2)));
        assertNull(problem(d2.id()), "the restored alert resolves on recovery");
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size(), "only d1's");
    }

    @Test
    void maintenanceSilencesAndRecordsIt() {
        Device tb = device("tbilisi-router", null, "region", "Tbilisi");
        Device other = device("kutaisi-router", null, "region", "Imereti");
        AlertRule r = AlertRule.of("Unavailable", "failed_cycles >= 1", Severity.HIGH, LabelSelector.any());
        // 10:00 UTC = 14:00 in Tbilisi: a 13:00-15:00 window.
        MaintenanceWindow w = MaintenanceWindow.daily("afternoon", LabelSelector.parse("region = Tbilisi"),
                ZoneId.of("Asia/Tbilisi"), LocalTime.of(13, 0), LocalTime.of(15, 0));
        wire(List.of(r), List.of(tb, other), StateStore.inMemory(), b -> b.maintenance(w));
        feed(down(tb.id(), at(0)));
        feed(down(other.id(), at(0)));
        feed(down(tb.id(), at(1)));
        assertNull(open(tb.id(), "Unavailable"));
        assertTrue(open(other.id(), "Unavailable") != null);
        assertEquals(1, alertStore.silences().size(), "recorded once, not once per cycle");
        Silence s = alertStore.silences().get(0);
        assertEquals("afternoon", s.window());
        assertEquals(tb.id(), s.device());
        assertEquals(1.0, registry.get("ward.alerts.silenced").counter().count());
        feed(down(tb.id(), at(61)));
        assertTrue(open(tb.id(), "Unavailable") != null, "after the window the alert opens");
    }

    @Test
    void aMaintenanceWindowFollowsTheSpringForwardNight() {
        Device d = device("berlin-switch", null, "site", "Berlin");
        AlertRule r = AlertRule.of("Unavailable", "failed_cycles >= 1", Severity.HIGH, LabelSelector.any());
        MaintenanceWindow w = MaintenanceWindow.daily("nightly", LabelSelector.parse("site = Berlin"),
                ZoneId.of("Europe/Berlin"), LocalTime.of(2, 0), LocalTime.of(4, 0));
        wire(List.of(r), List.of(d), StateStore.inMemory(), b -> b.maintenance(w));
        // 2026-03-29 01:30 UTC is 03:30 CEST: inside the window, which began at 03:00 CEST.
        feed(down(d.id(), Instant.parse("2026-03-29T01:30:00Z")));
        assertNull(open(d.id(), "Unavailable"));
        assertEquals(1, alertStore.silences().size());
        // 02:00 UTC is 04:00 CEST: the window is over after one real hour.
        feed(down(d.id(), Instant.parse("2026-03-29T02:00:00Z")));
        Alert a = open(d.id(), "Unavailable");
        assertTrue(a != null, "opens when the window ends");
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), a.since(), "the condition held since the silenced result");
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
    }

    @Test
    void relabellingADeviceChangesWhichRulesApply() {
        Device d = device("sw", null, "device_type", "Switch");
        AlertRule routersOnly = AlertRule.of("Router down", "failed_cycles >= 1", Severity.HIGH,
                LabelSelector.parse("device_type in (Router, Core Router)"));
        wire(List.of(routersOnly), List.of(d), StateStore.inMemory(), b -> { });
        feed(down(d.id(), at(0)));
        assertEquals(List.of(), alerting.openAlerts());
        Device relabelled = device("sw", null, "device_type", "Core Router");
        tracker.apply(List.of(io.github.wardops.ward.inventory.InventoryChange.upsert(relabelled)));
        feed(down(d.id(), at(1)));
        assertEquals(1, alerting.openAlerts().size());
        assertEquals(1.0, registry.get("ward.alerts.open").gauge().value());
        tracker.apply(List.of(io.github.wardops.ward.inventory.InventoryChange.remove(d.id())));
        assertEquals(List.of(), alerting.openAlerts(), "a removed device's alerts are resolved");
        assertEquals("device removed from the inventory", alertStore.history(d.id(), at(0), at(5)).get(0).resolution());
    }

    @Test
    void acknowledging() {
        Device d = device("d", null);
        wire(List.of(AlertRule.of("U", "failed_cycles >= 1", Severity.LOW, LabelSelector.any())), List.of(d),
                StateStore.inMemory(), b -> { });
        feed(down(d.id(), at(0)));
        Alert a = open(d.id(), "U");
        clock.set(at(2));
        Alert acked = alerting.acknowledge(a.id(), "nino").orElseThrow();
        assertEquals("nino", acked.acknowledgedBy());
        assertEquals(at(2), acked.acknowledgedAt());
        assertEquals("nino", open(d.id(), "U").acknowledgedBy());
        assertTrue(alerting.acknowledge(java.util.UUID.randomUUID(), "x").isEmpty());
    }

    @Test
    void aFloodOfOpeningsBecomesOneSummary() {
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ds.add(device("d" + i, null));
        }
        AlertRule r = AlertRule.of("U", "failed_cycles >= 1", Severity.HIGH, LabelSelector.any());
        wire(List.of(r), ds, StateStore.inMemory(), b -> b.floodGuard(3, Duration.ofMinutes(1)));
        ds.forEach(d -> feed(down(d.id(), at(0))));
        assertEquals(10, alerting.openAlerts().size(), "every alert is open; only notifications are held");
        settle();
        assertEquals(3, notes.of(Notification.Opened.class).size());
        List<Notification.Flood> floods = notes.of(Notification.Flood.class);
        assertEquals(1, floods.size());
        assertTrue(floods.get(0).started());
        assertEquals(4, floods.get(0).opened());
        clock.set(at(0).plusSeconds(30));
        alerting.tick();
        settle();
        assertEquals(1, notes.of(Notification.Flood.class).size(), "not over within the window");
        clock.set(at(2));
        alerting.tick();
        settle();
        floods = notes.of(Notification.Flood.class);
        assertEquals(2, floods.size());
        assertFalse(floods.get(1).started());
        assertEquals(7, floods.get(1).suppressed());
        assertEquals(10, floods.get(1).opened());
        assertEquals(Map.of(Severity.HIGH, 7), floods.get(1).bySeverity());
        // Recovery: only the alerts whose opening was notified get a resolved notification.
        ds.forEach(d -> feed(up(d.id(), at(3))));
        settle();
        assertEquals(3, notes.of(Notification.Resolved.class).size());
        assertEquals(7.0, registry.get("ward.alerts.flood.suppressed").counter().count());
    }

    @Test
    void interfaceRulesAreKeyedByInterface() {
        Device d = device("router", null);
        AlertRule isp = AlertRule.of("ISP link down", "if_oper_status != up", Severity.HIGH, LabelSelector.any());
        AlertRule util = AlertRule.of("Uplink busy", "if_util_in_pct > 90 for 10m", Severity.MEDIUM, LabelSelector.any());
        wire(List.of(isp, util), List.of(d), StateStore.inMemory(), b -> { });
        tracker.onInterfaceStatus(d.id(), 1, true, at(0));
        tracker.onInterfaceStatus(d.id(), 2, true, at(0));
        for (int c = 1; c <= 3; c++) {
            clock.set(at(c));
            tracker.onInterfaceStatus(d.id(), 2, false, at(c));
        }
        List<Alert> open = alerting.openAlerts();
        assertEquals(1, open.size());
        assertEquals(2, open.get(0).ifIndex());
        assertEquals(at(1), open.get(0).since(), "since the interface's first down observation");
        for (int c = 0; c <= 11; c++) {
            clock.set(at(c));
            tracker.onInterfaceValues(d.id(), 1, Map.of("if_util_in_pct", 95.0), at(c));
        }
        assertEquals(2, alerting.openAlerts().size());
        assertTrue(alerting.openAlerts().stream().anyMatch(a -> a.rule().equals("Uplink busy") && a.ifIndex() == 1));
    }

    @Test
    void uplinkRulesReadInterfaceLabelsAndAllUplinksDownIsOneAlertNamingTheProviders() {
        Device d = device("Vake-R1", null, "branch", "Vake");
        AlertRule uplink = AlertRule.of("Uplink down", "if_role == uplink and if_oper_status != up", Severity.HIGH,
                LabelSelector.any());
        AlertRule magti = AlertRule.of("Magti down", "if_provider == MAGTI and if_oper_status == down", Severity.LOW,
                LabelSelector.any());
        AlertRule all = AlertRule.of("All uplinks down", "uplinks_up == 0 and uplinks_down > 0", Severity.CRITICAL,
                LabelSelector.any());
        wire(List.of(uplink, magti, all), List.of(d), StateStore.inMemory(), b -> { });
        tracker.onInterfaceLabels(d.id(), 1, Map.of("if_role", "uplink", "if_provider", "magti", "if_name", "Gi0/0"), at(0));
        tracker.onInterfaceLabels(d.id(), 2, Map.of("if_role", "uplink", "if_provider", "silknet", "if_name", "Gi0/1"), at(0));
        tracker.onInterfaceLabels(d.id(), 3, Map.of("if_name", "Gi0/2"), at(0));
        tracker.onInterfaceLabels(d.id(), 4, Map.of("if_role", "uplink", "if_provider", "caucasus"), at(0));
        for (int i = 1; i <= 3; i++) {
            tracker.onInterfaceStatus(d.id(), i, true, at(0));
        }
        // ifIndex 4 is an uplink that is administratively down: never watched, never counted
        for (int c = 1; c <= 3; c++) {
            clock.set(at(c));
            tracker.onInterfaceStatus(d.id(), 3, false, at(c));
            tracker.onInterfaceStatus(d.id(), 1, false, at(c));
        }
        List<Alert> open = alerting.openAlerts();
        assertEquals(List.of("Magti down@1", "Uplink down@1"), open.stream().map(a -> a.rule() + "@" + a.ifIndex()).sorted().toList(),
                "the access port (no role) raises nothing, the uplink does");
        Alert one = open(d.id(), "Uplink down");
        assertTrue(one.message().contains("on interface 1 (Gi0/0, role uplink, provider magti)"), one.message());
        for (int c = 4; c <= 6; c++) {
            clock.set(at(c));
            tracker.onInterfaceStatus(d.id(), 2, false, at(c));
        }
        Alert allDown = open(d.id(), "All uplinks down");
        assertNotNull(allDown, alerting.openAlerts().toString());
        assertEquals(0, allDown.ifIndex(), "one alert for the device, not one per interface");
        assertTrue(allDown.message().contains("uplinks down: magti (Gi0/0), silknet (Gi0/1)"), allDown.message());
        assertEquals(1, alerting.openAlerts().stream().filter(a -> a.rule().equals("All uplinks down")).count());
        // one uplink back: the device has an uplink again
        for (int c = 7; c <= 8; c++) {
            clock.set(at(c));
            tracker.onInterfaceStatus(d.id(), 2, true, at(c));
        }
        assertNull(open(d.id(), "All uplinks down"));
        assertNotNull(open(d.id(), "Uplink down"), "Gi0/0 is still down");
        // a label change (the rule file changed: Gi0/0 is no uplink now) resolves its uplink alert
        clock.set(at(9));
        tracker.onInterfaceLabels(d.id(), 1, Map.of("if_name", "Gi0/0"), at(9));
        assertNull(open(d.id(), "Uplink down"));
    }

    @Test
    void interfaceLabelsAreBounded() {
        Device d = device("r", null);
        wire(List.of(), List.of(d), StateStore.inMemory(), b -> { });
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("if_x" + i, "v");
        }
        tracker.onInterfaceLabels(d.id(), 1, many, at(0));
        tracker.onInterfaceLabels(d.id(), 2, Map.of("if_alias", "a".repeat(10_000)), at(0));
        assertTrue(registry.get("ward.state.values.dropped").counter().count() >= 1);
        assertThrows(IllegalArgumentException.class, () -> tracker.onInterfaceLabels(d.id(), 0, Map.of(), at(0)));
    }

    @Test
    void failingStoresAndNotifiersDoNotStopAlerting() throws Exception {
        Device d = device("d", null);
        AlertStore broken = new AlertStore() {
            @Override
            public java.util.Collection<Alert> loadOpen() throws Exception {
                throw new java.io.IOException("down");
            }

            @Override
            public void opened(Alert alert) throws Exception {
                throw new java.io.IOException("down");
            }

            @Override
            public void resolved(Alert alert) throws Exception {
                throw new java.io.IOException("down");
            }

            @Override
            public void acknowledged(Alert alert) throws Exception {
                throw new java.io.IOException("down");
            }

            @Override
            public void silenced(Silence silence) throws Exception {
                throw new java.io.IOException("down");
            }

            @Override
            public List<Alert> history(DeviceId device, Instant from, Instant to) {
                return List.of();
            }
        };
        Notifier failing = new Notifier() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void send(Notification n) throws Exception {
                throw new java.io.IOException("unreachable");
            }
        };
        Alerting a = Alerting.builder().rules(List.of(AlertRule.of("U", "failed_cycles >= 1", Severity.LOW,
                        LabelSelector.any()))).store(broken).notifier(failing).clock(clock).meterRegistry(registry)
                .delivery(new DeliveryOptions(10, 3, Duration.ofMillis(1), Duration.ofMillis(2))).build();
        closeMe.add(a);
        StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
        t.replaceInventory(List.of(d));
        a.start();
        t.onResult(down(d.id(), at(0)));
        assertEquals(1, a.openAlerts().size());
        await("given up", () -> registry.find("ward.notifications.failed").tag("notifier", "failing").counter() != null
                && registry.get("ward.notifications.failed").tag("notifier", "failing").counter().count() == 1.0);
        assertEquals(3.0, registry.get("ward.notifications.attempts").tag("notifier", "failing").counter().count());
        assertEquals(2.0, registry.get("ward.notifications.retries").tag("notifier", "failing").counter().count());
        assertTrue(registry.get("ward.alerts.store.failures").counter().count() >= 2);
    }

    @Test
    void aFullQueueDropsAndCounts() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        Notifier slow = new Notifier() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public void send(Notification n) throws Exception {
                sending.countDown();
                release.await();
            }
        };
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ds.add(device("q" + i, null));
        }
        Alerting a = Alerting.builder().rules(List.of(AlertRule.of("U", "failed_cycles >= 1", Severity.LOW,
                        LabelSelector.any()))).notifier(slow).clock(clock).meterRegistry(registry)
                .delivery(new DeliveryOptions(2, 1, Duration.ofMillis(1), Duration.ofMillis(1))).build();
        StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
        t.replaceInventory(ds);
        t.onResult(down(ds.get(0).id(), at(0)));
        await("the first is being sent", () -> sending.getCount() == 0);
        for (Device d : ds.subList(1, ds.size())) {
            t.onResult(down(d.id(), at(0)));
        }
        assertEquals(3.0, registry.get("ward.notifications.dropped").tag("notifier", "slow").counter().count(),
                "one in flight, two queued, three dropped");
        assertEquals(6, a.openAlerts().size(), "dropping notifications never drops alerts");
        release.countDown();
        a.close();
        assertTrue(registry.find("ward.notifications.dropped").counters().isEmpty(), "close removed the meters");
    }

    @Test
    void builderReportsEveryProblem() {
        AlertRule r = AlertRule.of("same", "x > 1", Severity.LOW, LabelSelector.any());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Alerting.builder()
                .rules(List.of(r, r, AlertRule.of(Alerting.FLAPPING_RULE, "x > 1", Severity.LOW, LabelSelector.any())))
                .floodGuard(0, Duration.ZERO).flappingSeverity(null).clock(null).ticker(null).notifier(null).build());
        assertEquals(8, e.problems().size(), e.getMessage());
        InvalidConfigurationException d = assertThrows(InvalidConfigurationException.class,
                () -> new DeliveryOptions(0, 0, Duration.ZERO, null));
        assertEquals(4, d.problems().size(), d.getMessage());
    }

    @Test
    void historyIsOrderedAndBounded() throws Exception {
        InMemoryAlertStore small = new InMemoryAlertStore(2);
        DeviceId id = DeviceId.fromKey("x");
        for (int i = 0; i < 4; i++) {
            Alert a = new Alert(java.util.UUID.randomUUID(), id, "x", 0, "r" + i, Severity.LOW, "m", at(10 - i), at(10 - i),
                    null, null, null, null, 0);
            small.opened(a);
            small.resolved(a.resolve(at(20), "done"));
        }
        List<Alert> h = small.history(null, at(0), at(30));
        assertEquals(2, h.size());
        assertEquals(2, small.dropped());
        assertTrue(h.stream().map(Alert::since).sorted(Comparator.naturalOrder()).toList()
                .equals(h.stream().map(Alert::since).toList()));
    }
}
