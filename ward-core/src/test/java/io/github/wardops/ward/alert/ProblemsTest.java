package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.internal.alert.NotificationJson;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Problems: one alert per (device, group, interface) that escalates as its rules match in turn,
 * says which device it is about, and keeps its {@code for} timers across a restart. The views are
 * scripted on fake time and fed straight to alerting, so the tests do not depend on how the
 * tracker computes {@code ping_unreachable}.
 */
class ProblemsTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String UNAVAILABLE = "Ping Unavailable";
    static final String HIGH = "Device Down - High Priority";
    static final String CRITICAL = "Device Down - Critical";

    final FakeClock clock = new FakeClock(T0);
    final CollectingNotifier notes = new CollectingNotifier();
    final InMemoryAlertStore store = new InMemoryAlertStore(1000);
    final List<AutoCloseable> closeMe = new ArrayList<>();
    final Device kutaisi = device("Kutaisi-881", null, "region", "Imereti", "branch", "Kutaisi-3");
    Alerting alerting;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    static List<AlertRule> fleetRules() throws Exception {
        RuleSet set = AlertRules.load(Path.of(ProblemsTest.class.getResource("/fleet/alert-rules.json").toURI()));
        assertEquals(List.of(), set.rejected());
        return set.rules();
    }

    Alerting build(List<AlertRule> rules, Consumer<Alerting.Builder> more) {
        Alerting.Builder b = Alerting.builder().rules(rules).clock(clock).meterRegistry(new SimpleMeterRegistry())
                .store(store).notifier(notes)
                .delivery(new DeliveryOptions(100, 3, Duration.ofMillis(1), Duration.ofMillis(5)));
        more.accept(b);
        Alerting a = b.build();
        closeMe.add(a);
        a.start();
        return a;
    }

    /** A restart: the running alerting stops (its queue drained) and a new one starts on the same store. */
    Alerting restart(List<AlertRule> rules, Consumer<Alerting.Builder> more) {
        settle();
        alerting.close();
        alerting = build(rules, more);
        return alerting;
    }

    void settle() {
        await("notifications delivered", () -> alerting.pendingNotifications() == 0);
    }

    static Instant min(double minutes) {
        return T0.plusMillis((long) (minutes * 60_000));
    }

    /** A device down since {@code downSince}, its values as the tracker would give them. */
    DeviceView downView(Device d, Instant downSince, Instant now) {
        return downView(d, downSince, now, Map.of());
    }

    DeviceView downView(Device d, Instant downSince, Instant now, Map<String, Double> more) {
        long minutes = Duration.between(downSince, now).toMinutes();
        DeviceState st = new DeviceState(StateKey.of(d.id()), DeviceStatus.DOWN, downSince, false, 0, 5, 0, now,
                downSince, null, "");
        Map<String, Double> v = new HashMap<>(Map.of("ping_unreachable", (double) minutes, "loss_pct", 100.0));
        v.putAll(more);
        return new DeviceView(d, st, Map.of(), v, Map.of(), 0, false, now);
    }

    DeviceView upView(Device d, Instant upSince, Instant now, Map<String, Double> values) {
        DeviceState st = new DeviceState(StateKey.of(d.id()), DeviceStatus.UP, upSince, false, 0, 0, 3, now,
                null, null, "");
        Map<String, Double> v = new HashMap<>(Map.of("ping_unreachable", 0.0, "loss_pct", 0.0, "avg_ping_ms", 12.0));
        v.putAll(values);
        return new DeviceView(d, st, Map.of(), v, Map.of(), 0, false, now);
    }

    void feed(DeviceView v) {
        clock.set(v.at());
        alerting.onUpdate(v);
    }

    /** Feeds a device down from minute 0 (its first failed probe) every 30 s, from {@code fromMinute} to {@code toMinute}. */
    void down(Device d, double fromMinute, double toMinute) {
        for (double m = fromMinute; m <= toMinute + 1e-9; m += 0.5) {
            feed(downView(d, min(0), min(m)));
        }
    }

    static Device namesake(String key, String name, String... labels) {
        Device.Builder b = Device.builder(io.github.wardops.ward.inventory.DeviceId.fromKey(key), name,
                io.github.wardops.ward.inventory.Addresses.parse("127.0.0.2"))
                .check(io.github.wardops.ward.inventory.Check.icmp(Duration.ofSeconds(30)));
        for (int i = 0; i + 1 < labels.length; i += 2) {
            b.label(labels[i], labels[i + 1]);
        }
        return b.build();
    }

    List<Alert> openOf(Device d) {
        return alerting.openAlerts().stream().filter(a -> a.device().equals(d.id())).toList();
    }

    @Test
    void aDeviceDownSixMinutesHasOneAlertThatEscalatesToCritical() throws Exception {
        alerting = build(fleetRules(), b -> { });
        feed(upView(kutaisi, min(-10), min(0), Map.of()));
        down(kutaisi, 0, 1.5);
        Alert a = openOf(kutaisi).get(0);
        assertEquals(AlertRule.REACHABILITY_GROUP, a.group());
        assertEquals(UNAVAILABLE, a.rule());
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals(min(1), a.openedAt());
        assertEquals(min(0), a.since(), "the outage began at the first failed probe");
        down(kutaisi, 2, 4.5);
        a = openOf(kutaisi).get(0);
        assertEquals(List.of(UNAVAILABLE, HIGH), a.history().stream().map(Alert.Step::rule).toList());
        assertEquals(UNAVAILABLE, a.rule(), "a high rule does not replace the critical one already matching");
        assertEquals(Severity.CRITICAL, a.severity());
        down(kutaisi, 5, 6);
        List<Alert> open = openOf(kutaisi);
        assertEquals(1, open.size(), "one problem, one alert: " + open);
        a = open.get(0);
        assertEquals(CRITICAL, a.rule(), "the most recent of the most severe");
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals(List.of(new Alert.Step(UNAVAILABLE, Severity.CRITICAL, min(1)),
                new Alert.Step(HIGH, Severity.HIGH, min(2)), new Alert.Step(CRITICAL, Severity.CRITICAL, min(5))),
                a.history());
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        List<Notification.Escalated> esc = notes.of(Notification.Escalated.class);
        assertEquals(List.of(HIGH, CRITICAL), esc.stream().map(e -> e.step().rule()).toList(), "one per rule that joins");
        assertEquals(a.id(), esc.get(1).alert().id());
        assertEquals(List.of(), notes.of(Notification.Resolved.class));
        assertEquals(List.of(a), store.loadOpen().stream().toList(), "the store holds the escalated copy");

        feed(upView(kutaisi, min(6.5), min(6.5), Map.of()));
        assertEquals(List.of(), openOf(kutaisi));
        settle();
        List<Notification.Resolved> res = notes.of(Notification.Resolved.class);
        assertEquals(1, res.size());
        assertEquals("condition cleared", res.get(0).alert().resolution());
        assertEquals(3, res.get(0).alert().history().size(), "the resolved copy keeps the whole story");
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals(2, notes.of(Notification.Escalated.class).size());
    }

    @Test
    void anAcknowledgementOutlivesEscalation() throws Exception {
        alerting = build(fleetRules(), b -> { });
        down(kutaisi, 0, 1);
        Alert a = openOf(kutaisi).get(0);
        assertEquals("nino", alerting.acknowledge(a.id(), "nino").orElseThrow().acknowledgedBy());
        down(kutaisi, 1.5, 5);
        Alert escalated = openOf(kutaisi).get(0);
        assertEquals(CRITICAL, escalated.rule());
        assertEquals("nino", escalated.acknowledgedBy(), "an escalation keeps the acknowledgement");
        assertEquals(escalated, store.loadOpen().iterator().next());
    }

    @Test
    void latencyIsItsOwnProblem() throws Exception {
        alerting = build(fleetRules(), b -> { });
        feed(upView(kutaisi, min(-10), min(0), Map.of("avg_ping_ms", 300.0)));
        Alert lat = openOf(kutaisi).get(0);
        assertEquals("High Latency", lat.group());
        assertEquals("High Latency", lat.rule());
        for (double m = 0.5; m <= 2.5; m += 0.5) {
            feed(downView(kutaisi, min(0.5), min(m), Map.of("avg_ping_ms", 300.0)));
        }
        assertEquals(2, openOf(kutaisi).size(), "latency and reachability are two problems");
        assertTrue(openOf(kutaisi).stream().anyMatch(a -> a.group().equals(AlertRule.REACHABILITY_GROUP)));
    }

    @Test
    void withoutGroupingEachUpDownRuleIsItsOwnAlert() throws Exception {
        alerting = build(fleetRules(), b -> b.groupReachabilityRules(false));
        down(kutaisi, 0, 6);
        List<Alert> open = openOf(kutaisi);
        assertEquals(3, open.size());
        for (Alert a : open) {
            assertEquals(a.rule(), a.group());
            assertEquals(1, a.history().size());
        }
        settle();
        assertEquals(3, notes.of(Notification.Opened.class).size());
        assertEquals(List.of(), notes.of(Notification.Escalated.class));
    }

    @Test
    void anExplicitGroupEscalatesAndDeEscalatesQuietly() {
        AlertRule some = AlertRule.of("Some loss", "loss_pct > 10", Severity.MEDIUM, LabelSelector.any()).withGroup("loss");
        AlertRule much = AlertRule.of("Much loss", "loss_pct > 50", Severity.HIGH, LabelSelector.any()).withGroup("loss");
        alerting = build(List.of(some, much), b -> { });
        feed(upView(kutaisi, min(-10), min(0), Map.of("loss_pct", 20.0)));
        feed(upView(kutaisi, min(-10), min(1), Map.of("loss_pct", 60.0)));
        Alert a = openOf(kutaisi).get(0);
        assertEquals("Much loss", a.rule());
        assertEquals(Severity.HIGH, a.severity());
        feed(upView(kutaisi, min(-10), min(2), Map.of("loss_pct", 30.0)));
        a = openOf(kutaisi).get(0);
        assertEquals("Some loss", a.rule(), "de-escalated: the high rule stopped matching");
        assertEquals(Severity.MEDIUM, a.severity());
        assertEquals(2, a.history().size(), "a rule that stops matching leaves the history as it was");
        settle();
        assertEquals(1, notes.of(Notification.Escalated.class).size(), "de-escalation is quiet");
        assertEquals(Severity.MEDIUM, notes.of(Notification.Escalated.class).get(0).previous());
        // the high rule matching again raises the severity: that is worth a word
        feed(upView(kutaisi, min(-10), min(3), Map.of("loss_pct", 70.0)));
        // the medium one flickering under the high one is not
        feed(upView(kutaisi, min(-10), min(4), Map.of("loss_pct", 60.0)));
        a = openOf(kutaisi).get(0);
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(3, a.history().size());
        settle();
        assertEquals(2, notes.of(Notification.Escalated.class).size());
        feed(upView(kutaisi, min(-10), min(5), Map.of("loss_pct", 0.0)));
        assertEquals(List.of(), openOf(kutaisi));
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals(1, notes.of(Notification.Resolved.class).size());
    }

    @Test
    void historyIsBoundedAndKeepsItsFirstEntry() {
        AlertRule some = AlertRule.of("Some loss", "loss_pct > 10", Severity.MEDIUM, LabelSelector.any()).withGroup("loss");
        AlertRule much = AlertRule.of("Much loss", "loss_pct > 50", Severity.HIGH, LabelSelector.any()).withGroup("loss");
        alerting = build(List.of(some, much), b -> { });
        for (int i = 0; i < 100; i++) {
            feed(upView(kutaisi, min(-10), min(i), Map.of("loss_pct", i % 2 == 0 ? 20.0 : 60.0)));
        }
        Alert a = openOf(kutaisi).get(0);
        assertEquals(Alert.MAX_HISTORY, a.history().size());
        assertEquals(new Alert.Step("Some loss", Severity.MEDIUM, min(0)), a.history().get(0));
        assertEquals(min(99), a.history().get(Alert.MAX_HISTORY - 1).at());
    }

    @Test
    void alertsSayWhichDevice() throws Exception {
        Device other = namesake("other", "Kutaisi-881", "region", "Imereti", "branch", "Kutaisi-7");
        alerting = build(fleetRules(), b -> { });
        down(kutaisi, 0, 1);
        down(other, 0, 1);
        Alert a = openOf(kutaisi).get(0);
        assertEquals("127.0.0.1", a.address());
        assertEquals("Imereti", a.labels().get("region"));
        assertEquals("Kutaisi-3", a.labels().get("branch"));
        assertEquals("Kutaisi-881 (127.0.0.1, region Imereti, branch Kutaisi-3)", a.deviceDescription());
        assertFalse(a.deviceDescription().equals(openOf(other).get(0).deviceDescription()),
                "two devices of one name are told apart");
        settle();
        Notification.Opened o = notes.of(Notification.Opened.class).stream()
                .filter(n -> n.alert().device().equals(kutaisi.id())).findFirst().orElseThrow();
        String line = NotificationJson.line(o);
        assertTrue(line.contains("Kutaisi-881 (127.0.0.1, region Imereti, branch Kutaisi-3)"), line);
        String json = NotificationJson.json(o);
        assertTrue(json.contains("\"address\":\"127.0.0.1\""), json);
        assertTrue(json.contains("\"region\":\"Imereti\""), json);
        assertTrue(json.contains("\"branch\":\"Kutaisi-3\""), json);
        assertTrue(json.contains("\"group\":\"reachability\""), json);
        assertTrue(json.contains("\"history\":[{\"rule\":\"Ping Unavailable\""), json);
    }

    @Test
    void aForTimerSurvivesARestart() {
        List<AlertRule> rules = List.of(AlertRule.of("Loss", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any()));
        alerting = build(rules, b -> { });
        for (int m = 0; m <= 3; m++) {
            feed(upView(kutaisi, min(-10), min(m), Map.of("loss_pct", 25.0)));
        }
        assertEquals(List.of(), openOf(kutaisi));
        assertEquals(1, store.loadPending().size(), "the timer is stored");
        assertEquals(min(0), store.loadPending().iterator().next().since());
        restart(rules, b -> { });
        feed(upView(kutaisi, min(-10), min(4), Map.of("loss_pct", 25.0)));
        assertEquals(List.of(), openOf(kutaisi), "held 4 minutes: not yet");
        feed(upView(kutaisi, min(-10), min(5), Map.of("loss_pct", 25.0)));
        Alert a = openOf(kutaisi).get(0);
        assertEquals(min(0), a.since(), "the condition began before the restart");
        assertEquals(min(5), a.openedAt(), "5 minutes after it began, not 5 after the restart");
        assertEquals(List.of(), store.loadPending().stream().toList(), "a matched rule has no timer");
        restart(rules, b -> { });
        for (int m = 6; m <= 9; m++) {
            feed(upView(kutaisi, min(-10), min(m), Map.of("loss_pct", 25.0)));
        }
        assertEquals(a.id(), openOf(kutaisi).get(0).id());
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size(), "opened exactly once");
        assertEquals(List.of(), notes.of(Notification.Resolved.class));
        assertEquals(List.of(), notes.of(Notification.Escalated.class));
    }

    @Test
    void aStatusForTimerSurvivesARestart() {
        List<AlertRule> rules = List.of(AlertRule.of("Down 2m", "status == down for 2m", Severity.HIGH, LabelSelector.any()));
        alerting = build(rules, b -> { });
        down(kutaisi, 0, 1);
        assertEquals(List.of(), openOf(kutaisi));
        restart(rules, b -> { });
        feed(downView(kutaisi, min(0), min(1.5)));
        assertEquals(List.of(), openOf(kutaisi));
        feed(downView(kutaisi, min(0), min(2)));
        assertEquals(min(2), openOf(kutaisi).get(0).openedAt());
        restart(rules, b -> { });
        down(kutaisi, 2.5, 4);
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals(List.of(), notes.of(Notification.Resolved.class));
        feed(upView(kutaisi, min(4.5), min(4.5), Map.of()));
        settle();
        assertEquals(1, notes.of(Notification.Resolved.class).size());
    }

    @Test
    void aTimerThatStopsHoldingIsClearedInTheStore() {
        List<AlertRule> rules = List.of(AlertRule.of("Loss", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any()));
        alerting = build(rules, b -> { });
        feed(upView(kutaisi, min(-10), min(0), Map.of("loss_pct", 25.0)));
        assertEquals(1, store.loadPending().size());
        feed(upView(kutaisi, min(-10), min(1), Map.of("loss_pct", 0.0)));
        assertEquals(0, store.loadPending().size());
        feed(upView(kutaisi, min(-10), min(2), Map.of("loss_pct", 25.0)));
        alerting.onRemoved(kutaisi.id());
        assertEquals(0, store.loadPending().size(), "a removed device leaves no timer behind");
    }

    @Test
    void anOpenProblemSurvivesARestartAndEscalatesOnce() throws Exception {
        List<AlertRule> rules = fleetRules();
        alerting = build(rules, b -> { });
        down(kutaisi, 0, 3);
        Alert before = openOf(kutaisi).get(0);
        restart(rules, b -> { });
        assertEquals(before, openOf(kutaisi).get(0), "restored as it was");
        down(kutaisi, 3.5, 6);
        Alert a = openOf(kutaisi).get(0);
        assertEquals(before.id(), a.id());
        assertEquals(List.of(UNAVAILABLE, HIGH, CRITICAL), a.history().stream().map(Alert.Step::rule).toList());
        assertEquals(CRITICAL, a.rule());
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals(List.of(HIGH, CRITICAL), notes.of(Notification.Escalated.class).stream()
                .map(e -> e.step().rule()).toList(), "nothing re-notified across the restart");
        assertEquals(List.of(), notes.of(Notification.Resolved.class));
    }

    @Test
    void perRuleAlertsOfAnOlderWardMergeIntoOneProblemQuietly() throws Exception {
        Alert p = new Alert(UUID.randomUUID(), kutaisi.id(), kutaisi.name(), 0, UNAVAILABLE, Severity.CRITICAL,
                "old", min(0), min(1), null, null, null, null, 0);
        Alert h = new Alert(UUID.randomUUID(), kutaisi.id(), kutaisi.name(), 0, HIGH, Severity.HIGH,
                "old", min(0), min(2), null, null, null, null, 0);
        store.opened(p);
        store.opened(h);
        alerting = build(fleetRules(), b -> { });
        List<Alert> open = openOf(kutaisi);
        assertEquals(1, open.size());
        Alert a = open.get(0);
        assertEquals(p.id(), a.id(), "the oldest carries on");
        assertEquals(AlertRule.REACHABILITY_GROUP, a.group());
        assertEquals(List.of(UNAVAILABLE, HIGH), a.history().stream().map(Alert.Step::rule).toList());
        assertEquals(List.of(a), store.loadOpen().stream().toList());
        assertTrue(store.history(kutaisi.id(), min(0), min(10)).stream()
                .anyMatch(x -> x.id().equals(h.id()) && x.resolution().startsWith("merged into alert " + p.id())));
        down(kutaisi, 2.5, 3);
        settle();
        assertEquals(List.of(), notes.received, "an upgrade notifies nothing");
    }

    @Test
    void interfaceProblemsStayPerInterface() {
        AlertRule util = AlertRule.of("Busy", "if_util_in_pct > 90", Severity.MEDIUM, LabelSelector.any());
        alerting = build(List.of(util), b -> { });
        DeviceState st = new DeviceState(StateKey.of(kutaisi.id()), DeviceStatus.UP, min(-10), false, 0, 0, 3, min(0));
        feed(new DeviceView(kutaisi, st, Map.of(), Map.of(), Map.of(1, Map.of("if_util_in_pct", 95.0),
                2, Map.of("if_util_in_pct", 97.0), 3, Map.of("if_util_in_pct", 5.0)), 0, false, min(0)));
        assertEquals(List.of(1, 2), openOf(kutaisi).stream().map(Alert::ifIndex).sorted().toList());
    }

    @Test
    void escalationsAreHeldBackDuringAFlood() throws Exception {
        alerting = build(fleetRules(), b -> b.floodGuard(2, Duration.ofMinutes(10)));
        List<Device> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            many.add(device("branch-" + i, null));
        }
        for (double m = 0; m <= 3; m += 0.5) {
            for (Device d : many) {
                feed(downView(d, min(0), min(m)));
            }
        }
        assertEquals(5, alerting.openAlerts().size());
        settle();
        assertEquals(2, notes.of(Notification.Opened.class).size());
        assertEquals(List.of(), notes.of(Notification.Escalated.class), "a flood is not broken by escalations");
        assertTrue(notes.of(Notification.Flood.class).get(0).started());
    }

    @Test
    void anEscalationInAMaintenanceWindowIsQuiet() throws Exception {
        // 10:00 UTC is 14:00 in Tbilisi; the window starts at 14:03.
        MaintenanceWindow w = MaintenanceWindow.daily("works", LabelSelector.any(), ZoneId.of("Asia/Tbilisi"),
                LocalTime.of(14, 3), LocalTime.of(15, 0));
        alerting = build(fleetRules(), b -> b.maintenance(w));
        down(kutaisi, 0, 6);
        Alert a = openOf(kutaisi).get(0);
        assertEquals(CRITICAL, a.rule(), "the alert still tells the truth");
        settle();
        assertEquals(List.of(HIGH), notes.of(Notification.Escalated.class).stream().map(e -> e.step().rule()).toList());
    }

    @Test
    void selfHealthIsOneAlertOpenedAndResolvedOnce() {
        alerting = build(List.of(), b -> b.selfHealthSeverity(Severity.HIGH));
        alerting.selfHealth(null);
        assertEquals(List.of(), alerting.openAlerts());
        clock.set(min(1));
        alerting.selfHealth("412 of 875 probes could not run: the raw socket was refused");
        alerting.selfHealth("412 of 875 probes could not run: the raw socket was refused");
        clock.set(min(2));
        alerting.selfHealth("600 of 875 probes could not run: the raw socket was refused");
        List<Alert> open = alerting.openAlerts();
        assertEquals(1, open.size());
        Alert a = open.get(0);
        assertEquals(Alerting.SELF_DEVICE, a.device());
        assertEquals(io.github.wardops.ward.inventory.DeviceId.fromKey("ward-self"), a.device());
        assertEquals("ward", a.deviceName());
        assertEquals(Alerting.SELF_RULE, a.rule());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals("600 of 875 probes could not run: the raw socket was refused", a.message());
        assertEquals(min(1), a.openedAt());
        clock.set(min(3));
        alerting.selfHealth(null);
        alerting.selfHealth(null);
        assertEquals(List.of(), alerting.openAlerts());
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals("412 of 875 probes could not run: the raw socket was refused",
                notes.of(Notification.Opened.class).get(0).alert().message());
        assertEquals(1, notes.of(Notification.Resolved.class).size());
        assertEquals("ward is healthy again", notes.of(Notification.Resolved.class).get(0).alert().resolution());
        assertEquals(List.of(), notes.of(Notification.Escalated.class));
        alerting.selfHealth("x".repeat(5000));
        assertEquals(1000, alerting.openAlerts().get(0).message().length());
    }

    @Test
    void selfHealthSurvivesARestart() {
        alerting = build(List.of(), b -> { });
        alerting.selfHealth("probes could not run");
        restart(List.of(), b -> { });
        alerting.selfHealth("probes could not run");
        assertEquals(1, alerting.openAlerts().size());
        alerting.selfHealth(null);
        settle();
        assertEquals(1, notes.of(Notification.Opened.class).size());
        assertEquals(1, notes.of(Notification.Resolved.class).size());
    }

    @Test
    void aSystemProblemIsOneAlertOnItsOwnDeviceAndAHandoverCarriesItOn() {
        io.github.wardops.ward.inventory.DeviceId zone = io.github.wardops.ward.inventory.DeviceId.fromKey("ward-zone:west");
        alerting = build(List.of(), b -> { });
        alerting.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, null);
        assertEquals(List.of(), alerting.openAlerts());
        clock.set(min(1));
        alerting.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, "no live runner: 120 devices");
        alerting.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, "no live runner: 120 devices");
        alerting.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, "no live runner: 121 devices");
        alerting.selfHealth("probes could not run");
        assertEquals(2, alerting.openAlerts().size(), "its own alert, beside ward's self-health one");
        Alert a = alerting.openAlerts().stream().filter(x -> x.device().equals(zone)).findFirst().orElseThrow();
        assertEquals("zone west", a.deviceName());
        assertEquals("ward_zone_without_runner", a.rule());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals("no live runner: 121 devices", a.message());
        // another instance takes over the problem's device (several runners): it carries the alert on
        Alerting other = build(List.of(), b -> { });
        other.onAdopted(List.of(zone));
        other.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, "no live runner: 121 devices");
        alerting.onReleased(List.of(zone));
        clock.set(min(2));
        other.systemProblem(zone, "zone west", "ward_zone_without_runner", Severity.HIGH, null);
        // both instances deliver on threads of their own
        await("both instances' notifications delivered", () -> alerting.pendingNotifications() == 0
                && other.pendingNotifications() == 0
                && notes.of(Notification.Resolved.class).stream().anyMatch(n -> n.alert().device().equals(zone)));
        assertEquals(1, notes.of(Notification.Opened.class).stream().filter(n -> n.alert().device().equals(zone)).count(),
                "opened and notified once, across the handover");
        assertEquals("the problem is over", notes.of(Notification.Resolved.class).stream()
                .filter(n -> n.alert().device().equals(zone)).findFirst().orElseThrow().alert().resolution());
        assertThrows(IllegalArgumentException.class, () -> alerting.systemProblem(zone, "z", "Zone", Severity.LOW, "x"));
        assertThrows(IllegalArgumentException.class, () -> alerting.systemProblem(zone, "z", Alerting.SELF_RULE, Severity.LOW,
                "x"));
        assertThrows(IllegalArgumentException.class, () -> alerting.systemProblem(Alerting.SELF_DEVICE, "z",
                "ward_zone_without_runner", Severity.LOW, "x"));
        assertThrows(IllegalArgumentException.class, () -> alerting.systemProblem(zone, " ", "ward_zone_without_runner",
                Severity.LOW, "x"));
    }

    @Test
    void ruleFilesMaySetTheGroup() {
        RuleSet set = AlertRules.parse("""
                [{"name": "Some loss", "expression": "loss_pct > 10", "severity": "medium", "group": "loss"},
                 {"name": "Plain", "expression": "loss_pct > 10", "severity": "low"},
                 {"name": "Bad", "expression": "loss_pct > 10", "severity": "low", "group": 3},
                 {"name": "Blank", "expression": "loss_pct > 10", "severity": "low", "group": " "}]
                """, "test");
        assertEquals(List.of("Some loss", "Plain"), set.rules().stream().map(AlertRule::name).toList());
        assertEquals("loss", set.rules().get(0).group().orElseThrow());
        assertTrue(set.rules().get(1).group().isEmpty());
        assertEquals(List.of("Bad", "Blank"), set.rejected().stream().map(RuleProblem::ruleName).toList());
        assertTrue(set.rejected().get(0).message().contains("group"), set.rejected().get(0).message());
    }

    @Test
    void reservedGroupsAreRefused() {
        AlertRule r = AlertRule.of("x", "loss_pct > 1", Severity.LOW, LabelSelector.any()).withGroup(Alerting.SELF_RULE);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Alerting.builder().rules(List.of(r)).selfHealthSeverity(null).build());
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertTrue(e.getMessage().contains("selfHealthSeverity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.withGroup(" "));
        assertNull(AlertRule.of("y", "loss_pct > 1", Severity.LOW, LabelSelector.any()).group().orElse(null));
        assertNotNull(r.toString());
    }
}
