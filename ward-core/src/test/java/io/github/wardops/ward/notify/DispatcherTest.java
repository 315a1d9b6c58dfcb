package io.github.wardops.ward.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notification.Grouped;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing, grouping, timing, silences, escalation and restarts, on fake time. */
class DispatcherTest {

    /** A receiver that keeps what it got; fails while {@code failing}. */
    static final class Inbox implements Notifier {
        final String name;
        final List<Grouped> got = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        Inbox(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void send(Notification n) throws Exception {
            if (failing) {
                throw new java.io.IOException("receiver down");
            }
            got.add((Grouped) n);
        }

        List<String> devices(int i) {
            return got.get(i).firing().stream().map(Alert::deviceName).toList();
        }
    }

    /** The alerts "open now", changed by the test; resolved ones kept for find(). */
    static final class Alerts implements AlertSource {
        final Map<UUID, Alert> open = new LinkedHashMap<>();
        final Map<UUID, Alert> resolved = new LinkedHashMap<>();

        @Override
        public synchronized List<Alert> open() {
            return new ArrayList<>(open.values());
        }

        @Override
        public synchronized Optional<Alert> find(UUID id) {
            return Optional.ofNullable(open.containsKey(id) ? open.get(id) : resolved.get(id));
        }

        synchronized Alert add(String device, String region, String branch, Severity sev, Instant at) {
            Alert a = new Alert(UUID.randomUUID(), DeviceId.fromKey(device), device, "127.0.0.1",
                    Map.of("region", region, "branch", branch), 0, "reachability", "Device Down", sev, "down", at, at,
                    null, null, null, null, 0, List.of(new Alert.Step("Device Down", sev, at)));
            open.put(a.id(), a);
            return a;
        }

        synchronized void resolve(Alert a, Instant at) {
            open.remove(a.id());
            resolved.put(a.id(), a.resolve(at, "condition cleared"));
        }

        synchronized void ack(Alert a, Instant at) {
            open.put(a.id(), a.acknowledge(at, "nino"));
        }
    }

    private final FakeClock clock = new FakeClock();
    private final Alerts alerts = new Alerts();
    private final Inbox noc = new Inbox("noc-email");
    private final Inbox oncall = new Inbox("oncall-telegram");
    private final Inbox all = new Inbox("everything");
    private final List<Dispatcher> made = new ArrayList<>();
    private final NotificationLog log = NotificationLog.inMemory(10_000);
    private final SilenceStore silences = SilenceStore.inMemory(100);

    @AfterEach
    void close() {
        made.forEach(Dispatcher::close);
    }

    private Dispatcher dispatcher(Route root, MaintenanceWindow... windows) {
        Dispatcher.Builder b = Dispatcher.builder().route(root).receiver(noc).receiver(oncall).receiver(all)
                .alerts(alerts).log(log).silences(silences).clock(clock).meterRegistry(new SimpleMeterRegistry())
                .delivery(new DeliveryOptions(100, 2, Duration.ofMillis(1), Duration.ofMillis(2)));
        for (MaintenanceWindow w : windows) {
            b.maintenance(w);
        }
        Dispatcher d = b.build();
        made.add(d);
        return d;
    }

    /** critical in Tbilisi -> noc-email and oncall-telegram; everything else -> everything. */
    private static Route tree(Duration wait, Duration interval, Duration repeat) {
        return Route.builder().receivers("everything").groupBy(List.of("branch"))
                .groupWait(wait).groupInterval(interval).repeatInterval(repeat)
                .route(Route.builder().name("tbilisi-critical")
                        .match(LabelSelector.parse("severity = critical, region = Tbilisi"))
                        .receivers("noc-email", "oncall-telegram").build())
                .build();
    }

    private void step(Dispatcher d, Duration by) throws InterruptedException {
        clock.advance(by);
        d.tick();
        assertTrue(d.awaitDelivered(Duration.ofSeconds(10)), "delivered");
    }

    @Test
    void routesByLabelsAndContinue() throws Exception {
        Route root = Route.builder().receivers("everything").groupBy(List.of(Route.EACH_ALERT)).groupWait(Duration.ZERO)
                .route(Route.builder().match(LabelSelector.parse("severity = critical")).receivers("noc-email")
                        .continueMatching(true).build())
                .route(Route.builder().match(LabelSelector.parse("region = Tbilisi")).receivers("oncall-telegram").build())
                .build();
        Dispatcher d = dispatcher(root);
        alerts.add("r-tbilisi", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        alerts.add("r-batumi", "Batumi", "Center", Severity.CRITICAL, clock.instant());
        alerts.add("r-kutaisi", "Imereti", "Kutaisi", Severity.LOW, clock.instant());
        step(d, Duration.ZERO);
        // critical continues to the next sibling: the Tbilisi router reaches both
        assertEquals(List.of(List.of("r-batumi"), List.of("r-tbilisi")),
                noc.got.stream().map(g -> g.firing().stream().map(Alert::deviceName).toList()).sorted((a, b) -> a.get(0).compareTo(b.get(0))).toList());
        assertEquals(1, oncall.got.size());
        assertEquals(List.of("r-tbilisi"), oncall.devices(0));
        // only the alert no child took reaches the root's receiver
        assertEquals(1, all.got.size());
        assertEquals(List.of("r-kutaisi"), all.devices(0));
    }

    @Test
    void aBranchOutageIsOneMessagePerReceiver() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4)));
        for (int i = 0; i < 20; i++) {
            alerts.add("vake-" + i, "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
            d.tick();
            clock.advance(Duration.ofSeconds(1));
        }
        // 20 s in, the group is still waiting
        d.tick();
        assertTrue(d.awaitDelivered(Duration.ofSeconds(5)));
        assertEquals(0, noc.got.size());
        step(d, Duration.ofSeconds(10));
        for (Inbox in : List.of(noc, oncall)) {
            assertEquals(1, in.got.size(), in.name);
            Grouped g = in.got.get(0);
            assertEquals(20, g.firing().size());
            assertEquals(Map.of("branch", "Vake"), g.groupLabels());
            assertEquals(Grouped.Reason.NEW, g.reason());
        }
        assertEquals(0, all.got.size(), "the child took them; the root does not continue");
        // nothing new: no message at the next interval
        step(d, Duration.ofMinutes(5));
        assertEquals(1, noc.got.size());
    }

    @Test
    void changesWaitForTheGroupIntervalAndUnchangedGroupsRepeat() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1)));
        Alert a = alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        step(d, Duration.ofSeconds(30));
        assertEquals(1, noc.got.size());
        alerts.add("vake-2", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ofMinutes(4));
        assertEquals(1, noc.got.size(), "a change waits for the group interval");
        step(d, Duration.ofMinutes(1));
        assertEquals(2, noc.got.size());
        assertEquals(Grouped.Reason.CHANGED, noc.got.get(1).reason());
        assertEquals(List.of("vake-1", "vake-2"), noc.devices(1));
        // resolved: told at the next interval, with the one still firing
        alerts.resolve(a, clock.instant());
        step(d, Duration.ofMinutes(5));
        assertEquals(3, noc.got.size());
        assertEquals(List.of("vake-2"), noc.devices(2));
        assertEquals(List.of("vake-1"), noc.got.get(2).resolved().stream().map(Alert::deviceName).toList());
        assertTrue(noc.got.get(2).resolved().get(0).resolvedAt() != null);
        // unchanged: repeated after the repeat interval (1 h after the last message), not before
        for (int i = 0; i < 11; i++) {
            step(d, Duration.ofMinutes(5));
        }
        assertEquals(3, noc.got.size());
        step(d, Duration.ofMinutes(5));
        assertEquals(4, noc.got.size());
        assertEquals(Grouped.Reason.REPEAT, noc.got.get(3).reason());
        // an acknowledged group is not repeated
        alerts.ack(alerts.open().get(0), clock.instant());
        for (int i = 0; i < 13; i++) {
            step(d, Duration.ofMinutes(5));
        }
        assertEquals(4, noc.got.size());
    }

    @Test
    void silencesHoldNotificationsNotAlertsAndExpire() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        Silence s = new Silence(UUID.randomUUID(), LabelSelector.parse("branch = Vake"), clock.instant(),
                clock.instant().plus(Duration.ofHours(2)), "nino", "router swap", clock.instant());
        d.silences().add(s);
        Alert a = alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        alerts.add("saburtalo-1", "Tbilisi", "Saburtalo", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        assertEquals(List.of(List.of("saburtalo-1")), noc.got.stream().map(g -> g.firing().stream().map(Alert::deviceName).toList()).toList());
        assertEquals(Map.of(a.id(), "silence " + s.id()), d.held());
        // expired by hand: the alert still open is told at the next interval
        d.silences().expire(s.id(), clock.instant().plus(Duration.ofMinutes(10)));
        step(d, Duration.ofMinutes(5));
        assertEquals(1, noc.got.size(), "still silenced");
        step(d, Duration.ofMinutes(6));
        assertEquals(2, noc.got.size());
        assertEquals(List.of("vake-1"), noc.devices(1));
        assertEquals(Map.of(), d.held());
    }

    @Test
    void anAlertResolvedUnderASilenceIsNeverTold() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        d.silences().add(new Silence(UUID.randomUUID(), LabelSelector.parse("branch = Vake"), clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), "nino", "", clock.instant()));
        Alert a = alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        alerts.resolve(a, clock.instant());
        step(d, Duration.ofHours(2));
        assertEquals(0, noc.got.size());
    }

    @Test
    void aSilenceAfterTheFirstMessageIsNeitherNewsNorResolved() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        assertEquals(1, noc.got.size());
        d.silences().add(new Silence(UUID.randomUUID(), LabelSelector.parse("branch = Vake"), clock.instant(),
                clock.instant().plus(Duration.ofMinutes(30)), "nino", "", clock.instant()));
        step(d, Duration.ofMinutes(10));
        step(d, Duration.ofMinutes(30));
        assertEquals(1, noc.got.size(), "silenced, then unsilenced: the receiver already knows");
    }

    @Test
    void recurringMaintenanceInItsTimeZoneHoldsDeviceAlertsButNotWards() throws Exception {
        ZoneId tbilisi = ZoneId.of("Asia/Tbilisi");
        // FakeClock starts 2027-01-15T08:00Z, a Friday: 12:00 in Tbilisi
        MaintenanceWindow w = MaintenanceWindow.weekly("friday-noon", LabelSelector.parse("region = Tbilisi"), tbilisi,
                EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(11, 30), LocalTime.of(12, 30));
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)), w);
        alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        Alert own = new Alert(UUID.randomUUID(), DeviceId.fromKey("ward-self"), "ward", "", Map.of("region", "Tbilisi"), 0,
                "ward_impaired", "ward_impaired", Severity.CRITICAL, "impaired", clock.instant(), clock.instant(), null, null,
                null, null, 0, List.of());
        synchronized (alerts) {
            alerts.open.put(own.id(), own);
        }
        step(d, Duration.ZERO);
        assertEquals(List.of("ward"), noc.got.stream().flatMap(g -> g.firing().stream()).map(Alert::deviceName).toList());
        assertEquals("maintenance friday-noon", d.held().values().iterator().next());
        step(d, Duration.ofMinutes(31));
        assertEquals(List.of("vake-1"), noc.got.get(noc.got.size() - 1).firing().stream().map(Alert::deviceName).toList());
    }

    @Test
    void unacknowledgedAlertsEscalateAfterNMinutes() throws Exception {
        Route root = Route.builder().receivers("noc-email").groupBy(List.of("branch")).groupWait(Duration.ZERO)
                .groupInterval(Duration.ofMinutes(1)).escalate(Duration.ofMinutes(15), "oncall-telegram").build();
        Dispatcher d = dispatcher(root);
        Alert a = alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        Alert b = alerts.add("vake-2", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        assertEquals(1, noc.got.size());
        step(d, Duration.ofMinutes(10));
        alerts.ack(b, clock.instant());
        step(d, Duration.ofMinutes(4));
        assertEquals(0, oncall.got.size());
        step(d, Duration.ofMinutes(1));
        assertEquals(1, oncall.got.size());
        assertEquals(Grouped.Reason.ESCALATION, oncall.got.get(0).reason());
        assertEquals(List.of("vake-1"), oncall.devices(0), "the acknowledged alert is not escalated");
        step(d, Duration.ofMinutes(1));
        assertEquals(1, oncall.got.size());
        // whoever was escalated to hears of the resolution
        alerts.resolve(a, clock.instant());
        step(d, Duration.ofSeconds(1));
        assertEquals(2, oncall.got.size());
        assertEquals(List.of("vake-1"), oncall.got.get(1).resolved().stream().map(Alert::deviceName).toList());
    }

    @Test
    void aRestartInTheMiddleOfAGroupWaitNeitherLosesNorRepeats() throws Exception {
        Route root = tree(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
        Dispatcher first = dispatcher(root);
        for (int i = 0; i < 5; i++) {
            alerts.add("vake-" + i, "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        }
        step(first, Duration.ofSeconds(1));
        step(first, Duration.ofSeconds(15));
        first.close();
        assertEquals(0, noc.got.size());
        // a new process: same alerts (from the store), same log
        Dispatcher second = dispatcher(root);
        step(second, Duration.ofSeconds(5));
        step(second, Duration.ofSeconds(30));
        assertEquals(1, noc.got.size(), "not lost");
        assertEquals(5, noc.got.get(0).firing().size());
        second.close();
        // and again, after the message went: nothing repeated, a resolution during the restart told
        Alert gone = alerts.open().get(0);
        alerts.resolve(gone, clock.instant());
        Dispatcher third = dispatcher(root);
        step(third, Duration.ofSeconds(1));
        step(third, Duration.ofSeconds(30));
        assertEquals(2, noc.got.size());
        assertEquals(4, noc.got.get(1).firing().size());
        assertEquals(List.of(gone.id()), noc.got.get(1).resolved().stream().map(Alert::id).toList());
        step(third, Duration.ofMinutes(5));
        assertEquals(2, noc.got.size());
        // the log names it twice per receiver of its route: firing, then resolved
        assertEquals(List.of("resolved:oncall-telegram", "resolved:noc-email", "firing:oncall-telegram", "firing:noc-email"),
                log.forAlert(gone.id(), 10).stream().map(e -> (e.resolved().contains(gone.id()) ? "resolved:" : "firing:")
                        + e.receiver()).sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void aGroupResolvedWholeWhileNoDispatcherRanIsToldAsResolvedByTheNextOne() throws Exception {
        Route root = Route.builder().receivers("noc-email").groupBy(List.of("branch")).groupWait(Duration.ZERO)
                .groupInterval(Duration.ofMinutes(1)).escalate(Duration.ofMinutes(5), "oncall-telegram").build();
        Dispatcher first = dispatcher(root);
        List<Alert> vake = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vake.add(alerts.add("vake-" + i, "Tbilisi", "Vake", Severity.CRITICAL, clock.instant()));
        }
        alerts.add("saburtalo-1", "Tbilisi", "Saburtalo", Severity.CRITICAL, clock.instant());
        step(first, Duration.ZERO);
        step(first, Duration.ofMinutes(5));
        assertEquals(2, noc.got.size());
        assertEquals(2, oncall.got.size(), "escalated: Vake and Saburtalo are a group each, one escalation each");
        first.close();
        int escalations = oncall.got.size();
        // every alert of Vake resolves while no dispatcher runs
        vake.forEach(a -> alerts.resolve(a, clock.instant()));
        Dispatcher second = dispatcher(root);
        step(second, Duration.ofSeconds(1));
        List<Grouped> resolvedMessages = noc.got.stream().skip(2).toList();
        assertEquals(1, resolvedMessages.size(), "one message telling Vake resolved");
        assertEquals(3, resolvedMessages.get(0).resolved().size());
        assertEquals(Map.of("branch", "Vake"), resolvedMessages.get(0).groupLabels());
        assertTrue(oncall.got.size() > escalations && oncall.got.getLast().resolved().size() == 3,
                "whoever it was escalated to hears it too");
        step(second, Duration.ofMinutes(2));
        assertEquals(3, noc.got.size(), "told once; Saburtalo, still firing, is not repeated before its interval");
    }

    @Test
    void aFailingReceiverIsRetriedAndTheMessageIsNotLogged() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        noc.failing = true;
        alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        assertEquals(0, noc.got.size());
        assertEquals(1, oncall.got.size(), "one receiver's failure does not hold back another");
        assertTrue(log.last("noc-email", "tbilisi-critical{branch=Vake}").isEmpty());
        noc.failing = false;
        step(d, Duration.ofMinutes(1));
        assertEquals(1, noc.got.size());
        assertEquals(Grouped.Reason.NEW, noc.got.get(0).reason());
    }

    @Test
    void aReceiverThatKeepsFailingIsAnAlertOfItsOwnUntilAMessageGetsThrough() throws Exception {
        io.github.wardops.ward.alert.Alerting alerting = io.github.wardops.ward.alert.Alerting.builder().clock(clock).build();
        try {
            Dispatcher d = Dispatcher.builder().route(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)))
                    .receiver(noc).receiver(oncall).receiver(all).alerts(alerts).log(log).clock(clock).alerting(alerting)
                    .delivery(new DeliveryOptions(100, 2, Duration.ofMillis(1), Duration.ofMillis(2))).build();
            made.add(d);
            noc.failing = true;
            alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
            step(d, Duration.ZERO);
            List<Alert> own = alerting.openAlerts();
            assertEquals(List.of(Dispatcher.RECEIVER_FAILING_RULE), own.stream().map(Alert::rule).toList());
            assertEquals("receiver noc-email", own.get(0).deviceName());
            assertTrue(own.get(0).message().contains("noc-email") && !own.get(0).message().contains("receiver down"),
                    "names the receiver, not what the failure said");
            noc.failing = false;
            step(d, Duration.ofMinutes(1));
            assertEquals(1, noc.got.size());
            assertEquals(List.of(), alerting.openAlerts(), "resolved by the next delivered message");
        } finally {
            alerting.close();
        }
    }

    @Test
    void aRouteNamingAnUnknownReceiverIsRefusedAndTheOldTreeStays() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        Route bad = Route.builder().receivers("noc-emial").route(Route.builder().receivers("pager").build()).build();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> d.configure(bad, List.of(noc, oncall, all), List.of()));
        assertTrue(e.getMessage().contains("'noc-emial', which is not defined (did you mean 'noc-email'?)"), e.getMessage());
        assertTrue(e.getMessage().contains("'pager'"), e.getMessage());
        alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        assertEquals(1, noc.got.size(), "the old tree still routes");
        assertThrows(InvalidConfigurationException.class, () -> Dispatcher.builder().alerts(alerts).route(bad).build());
    }

    @Test
    void aReloadKeepsWhatReceiversWereTold() throws Exception {
        Dispatcher d = dispatcher(tree(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)));
        alerts.add("vake-1", "Tbilisi", "Vake", Severity.CRITICAL, clock.instant());
        step(d, Duration.ZERO);
        d.configure(tree(Duration.ZERO, Duration.ofMinutes(2), Duration.ofHours(4)), List.of(noc, oncall, all), List.of());
        step(d, Duration.ofMinutes(3));
        assertEquals(1, noc.got.size());
    }

    @Test
    void groupsAreBoundedAndTheDropIsCounted() throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        Dispatcher d = Dispatcher.builder().route(Route.builder().receivers("everything").groupBy(List.of("branch"))
                        .groupWait(Duration.ZERO).build())
                .receiver(all).alerts(alerts).clock(clock).meterRegistry(reg).maxGroups(3).build();
        made.add(d);
        for (int i = 0; i < 5; i++) {
            alerts.add("r" + i, "Tbilisi", "branch-" + i, Severity.LOW, clock.instant());
        }
        step(d, Duration.ZERO);
        assertEquals(3, all.got.size());
        assertEquals(2.0, reg.get("ward.notify.groups.dropped").counter().count());
    }

    @Test
    void badOptionsAreAllNamed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Dispatcher.builder()
                .tickInterval(Duration.ZERO).maxGroups(0).maxAlerts(-1).drainTimeout(Duration.ofHours(1)).build());
        for (String s : List.of("tickInterval", "maxGroups", "maxAlerts", "drainTimeout", "AlertSource")) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        InvalidConfigurationException r = assertThrows(InvalidConfigurationException.class, () -> Route.builder()
                .name("bad name").groupWait(Duration.ofHours(2)).groupInterval(Duration.ZERO)
                .repeatInterval(Duration.ofSeconds(1)).groupBy(List.of("...", "branch")).escalate(Duration.ofSeconds(5))
                .build());
        for (String s : List.of("name", "group-wait", "group-interval", "repeat-interval", "group-by", "escalation")) {
            assertTrue(r.getMessage().contains(s), r.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Silence(UUID.randomUUID(), LabelSelector.any(),
                Instant.EPOCH, Instant.EPOCH, "nino", "", Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new Silence(UUID.randomUUID(), LabelSelector.any(),
                Instant.EPOCH, Instant.EPOCH.plusSeconds(1), " ", "", Instant.EPOCH));
    }

    @Test
    void theStoresInMemoryAreBounded() throws Exception {
        SilenceStore s = SilenceStore.inMemory(2);
        Instant t = Instant.EPOCH;
        for (int i = 0; i < 2; i++) {
            s.add(new Silence(UUID.randomUUID(), LabelSelector.any(), t, t.plusSeconds(60), "a", "", t));
        }
        assertThrows(IllegalStateException.class,
                () -> s.add(new Silence(UUID.randomUUID(), LabelSelector.any(), t, t.plusSeconds(60), "a", "", t)));
        assertEquals(0, s.current(t.plusSeconds(61)).size());
        assertEquals(2, s.endedSince(t, 10).size());
        NotificationLog l = NotificationLog.inMemory(3);
        UUID id = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            l.append(new NotificationLog.Entry("r", "g" + i, java.util.Set.of(id), java.util.Set.of(), "new", t.plusSeconds(i)));
        }
        assertEquals(3, l.forAlert(id, 10).size());
        assertTrue(l.last("r", "g0").isEmpty());
        assertEquals(0, l.removeBefore(t.plusSeconds(100)), "the last firing entry of each group stays");
        AlertStore store = AlertStore.inMemory(10);
        assertFalse(store.find(id).isPresent());
    }
}
