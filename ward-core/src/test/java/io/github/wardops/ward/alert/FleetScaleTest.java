package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CsvInventory;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.CollectingNotifier;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 875-device production fleet with the production rules: a branch router goes down, then a
 * whole region. Parents are derived per branch: every device of a branch depends on the branch's
 * router (the first Router whose address ends in .5, else its first Router).
 */
class FleetScaleTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** One probe a minute, the replaced system's pace: ping_unreachable counts minutes of outage. */
    static final Duration CYCLE = Duration.ofMinutes(1);
    static final int FLOOD_THRESHOLD = 10;

    final FakeClock clock = new FakeClock(T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CollectingNotifier notes = new CollectingNotifier();
    List<Device> fleet;
    Map<DeviceId, Device> byId;
    StateTracker tracker;
    Alerting alerting;

    static List<Device> loadFleet() throws Exception {
        Path csv = Path.of(FleetScaleTest.class.getResource("/fleet/credobank-875.csv").toURI());
        List<Device> raw = CsvInventory.read(csv, d -> List.of(Check.icmp(CYCLE)));
        Map<String, Device> routerOfBranch = new LinkedHashMap<>();
        for (Device d : raw) {
            String branch = d.labels().get("branch");
            if (branch == null || !"Router".equals(d.labels().get("device_type"))) {
                continue;
            }
            Device current = routerOfBranch.get(branch);
            boolean dot5 = d.address().getHostAddress().endsWith(".5");
            if (current == null || dot5 && !current.address().getHostAddress().endsWith(".5")) {
                routerOfBranch.put(branch, d);
            }
        }
        List<Device> out = new ArrayList<>();
        for (Device d : raw) {
            Device parent = routerOfBranch.get(d.labels().get("branch"));
            DeviceId p = parent == null || parent.id().equals(d.id()) ? null : parent.id();
            out.add(new Device(d.id(), d.name(), d.address(), d.labels(), p, d.enabled(), d.checks()));
        }
        return out;
    }

    @BeforeEach
    void wire() throws Exception {
        fleet = loadFleet();
        assertEquals(875, fleet.size());
        byId = new HashMap<>();
        fleet.forEach(d -> byId.put(d.id(), d));
        RuleSet rules = AlertRules.load(Path.of(FleetScaleTest.class.getResource("/fleet/alert-rules.json").toURI()));
        alerting = Alerting.builder().rules(rules.rules()).notifier(notes).clock(clock).meterRegistry(registry)
                .floodGuard(FLOOD_THRESHOLD, Duration.ofMinutes(5))   // longer than the 1-to-5-minute escalation
                .delivery(new DeliveryOptions(10_000, 3, Duration.ofMillis(1), Duration.ofMillis(5))).build();
        tracker = StateTracker.builder().downAfter(3).upAfter(2).clock(clock).meterRegistry(registry)
                .store(StateStore.inMemory()).listener(alerting).build();
        tracker.replaceInventory(fleet);
        alerting.start();
        tracker.start();
        cycle(0, d -> false);
        assertEquals(873, tracker.countByStatus().get(DeviceStatus.UP), "every enabled device is up");
        assertEquals(List.of(), alerting.openAlerts());
    }

    @AfterEach
    void close() {
        alerting.close();
        tracker.close();
    }

    /** One cycle: parents' results first (as a router's probe would time out first), then the rest. */
    void cycle(int n, Predicate<Device> failing) {
        Instant at = T0.plus(CYCLE.multipliedBy(n));
        clock.set(at);
        for (boolean parents : new boolean[] {true, false}) {
            for (Device d : fleet) {
                if (!d.enabled() || (d.parentId() == null) != parents) {
                    continue;
                }
                tracker.onResult(failing.test(d) ? down(d.id(), at) : up(d.id(), at, 8.0));
            }
        }
    }

    void settle() {
        await("notifications delivered", () -> alerting.pendingNotifications() == 0);
    }

    Set<String> openRules(DeviceId d) {
        Set<String> s = new HashSet<>();
        alerting.openAlerts().stream().filter(a -> a.device().equals(d)).forEach(a -> s.add(a.rule()));
        return s;
    }

    @Test
    void aBranchRouterDownRaisesItsAlertsOnlyAndSaysHowManyDevicesItTookDown() {
        Device router = fleet.stream().filter(d -> d.enabled() && "Kutaisi".equals(d.labels().get("branch"))
                && d.parentId() == null).findFirst().orElseThrow();
        List<Device> behind = fleet.stream().filter(d -> router.id().equals(d.parentId()) && d.enabled()).toList();
        assertTrue(behind.size() >= FLOOD_THRESHOLD, "Kutaisi has " + behind.size() + " devices behind its router");
        Predicate<Device> outage = d -> d.id().equals(router.id()) || router.id().equals(d.parentId());
        for (int c = 1; c <= 6; c++) {
            cycle(c, outage);
        }
        assertEquals(DeviceStatus.DOWN, tracker.status(router.id()));
        assertEquals(T0.plus(CYCLE), tracker.state(router.id()).orElseThrow().since(), "down since the first failed probe");
        for (Device d : behind) {
            assertEquals(DeviceStatus.UNREACHABLE, tracker.status(d.id()), d.name());
        }
        assertEquals(behind.size(), tracker.countByStatus().get(DeviceStatus.UNREACHABLE));
        assertEquals(1, tracker.countByStatus().get(DeviceStatus.DOWN));
        assertEquals(Set.of("Ping Unavailable", "Device Down - High Priority", "Device Down - Critical"), openRules(router.id()));
        assertEquals(3, alerting.openAlerts().size(), "nothing from the " + behind.size() + " unreachable devices");
        for (Alert a : alerting.openAlerts()) {
            assertEquals(behind.size(), a.impactedDevices());
            assertTrue(a.message().contains(behind.size() + " devices depend on it"), a.message());
        }
        settle();
        assertEquals(3, notes.of(Notification.Opened.class).size());
        assertEquals(0, notes.of(Notification.Flood.class).size(), "3 alerts are no flood");
        // Recovery: the router first, then its branch from fresh results.
        cycle(7, d -> false);
        cycle(8, d -> false);
        assertEquals(List.of(), alerting.openAlerts());
        assertEquals(873, tracker.countByStatus().get(DeviceStatus.UP));
        settle();
        assertEquals(3, notes.of(Notification.Resolved.class).size());
        assertEquals(3.0, registry.get("ward.alerts.resolved").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    @Test
    void aRegionDownGetsOneFloodSummaryInsteadOfHundredsOfNotifications() {
        Predicate<Device> imereti = d -> "Imereti".equals(d.labels().get("region"));
        List<Device> roots = fleet.stream().filter(d -> d.enabled() && imereti.test(d) && d.parentId() == null).toList();
        int region = (int) fleet.stream().filter(d -> d.enabled() && imereti.test(d)).count();
        assertTrue(roots.size() > FLOOD_THRESHOLD, roots.size() + " independent devices in Imereti");
        for (int c = 1; c <= 6; c++) {
            cycle(c, imereti);   // DOWN since cycle 1; at cycle 6, five minutes: all three rules hold
        }
        // Every independent device has its three down alerts; the devices behind them none.
        assertEquals(3 * roots.size(), alerting.openAlerts().size());
        assertEquals(region - roots.size(), tracker.countByStatus().get(DeviceStatus.UNREACHABLE));
        settle();
        assertEquals(FLOOD_THRESHOLD, notes.of(Notification.Opened.class).size());
        List<Notification.Flood> floods = notes.of(Notification.Flood.class);
        assertEquals(1, floods.size(), "one summary while it lasts");
        assertTrue(floods.get(0).started());
        // Quiet for the window: the flood ends with the totals.
        clock.set(T0.plus(CYCLE.multipliedBy(6)).plus(Duration.ofMinutes(6)));
        alerting.tick();
        settle();
        floods = notes.of(Notification.Flood.class);
        assertEquals(2, floods.size());
        assertEquals(3 * roots.size(), floods.get(1).opened());
        assertEquals(3 * roots.size() - FLOOD_THRESHOLD, floods.get(1).suppressed());
        assertEquals(3.0 * roots.size(), registry.get("ward.alerts.opened").counters().stream().mapToDouble(c -> c.count()).sum());
    }
}
