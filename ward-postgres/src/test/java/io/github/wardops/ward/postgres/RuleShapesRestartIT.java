package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restarting in the middle of each rule shape resolves, reopens and re-notifies nothing: the
 * real tracker and alerting over the PostgreSQL stores, "restarted" (new storage, tracker and
 * alerting over the same database) halfway through a rule's wait, with one notifier that outlives
 * the restarts and records every notification. Scripted results on a fake clock, one probe every
 * 30 s (a failure and its two re-checks seconds apart).
 */
class RuleShapesRestartIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration CYCLE = Duration.ofSeconds(30);
    private static EmbeddedDatabase db;
    private final ManualClock clock = new ManualClock(T0);
    private final List<Notification> sent = new CopyOnWriteArrayList<>();
    private final Notifier recorder = new Notifier() {
        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void send(Notification n) {
            sent.add(n);
        }
    };
    private Path spool;
    private Run run;

    final class Run implements AutoCloseable {
        final PostgresStorage storage;
        final Alerting alerting;
        final StateTracker tracker;

        Run(AlertRule rule, List<Device> devices) {
            storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).clock(clock).build());
            alerting = Alerting.builder().rules(List.of(rule)).store(storage.alertStore()).notifier(recorder)
                    .clock(clock).drainTimeout(Duration.ofSeconds(5)).meterRegistry(new SimpleMeterRegistry()).build();
            tracker = StateTracker.builder().downAfter(3).upAfter(2).clock(clock).sweepEvery(Duration.ZERO)
                    .store(storage.stateStore()).listener(alerting).meterRegistry(new SimpleMeterRegistry()).build();
            tracker.replaceInventory(devices);
            alerting.start();
            tracker.start();
        }

        @Override
        public void close() {
            delivered(alerting);
            tracker.close();
            alerting.close();
            storage.close();
        }
    }

    static void delivered(Alerting a) {
        try {
            PgSupport.await("notifications delivered", Duration.ofSeconds(10), () -> a.pendingNotifications() == 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-shapes"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE device_state, state_changes, alerts, alert_silences, alert_pending");
        }
        spool = PgSupport.tempDir("ward-pg-shapes-spool");
    }

    @AfterEach
    void stop() {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    static Device device(String key, int last, DeviceId parent) throws Exception {
        return Device.builder(DeviceId.fromKey(key), key, InetAddress.getByName("127.0.4." + last)).parent(parent)
                .check(io.github.wardops.ward.inventory.Check.icmp(CYCLE)).build();
    }

    void result(DeviceId d, int received, Instant at) {
        clock.set(at);
        long rtt = 2_000_000;
        run.tracker.onResult(received > 0
                ? new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofNanos(rtt),
                        PingStats.of(4, new long[] {rtt, rtt, rtt, rtt}, received))
                : new ProbeResult.Down(d, "icmp", "icmp", at, DownReason.TIMEOUT, "no reply", PingStats.of(4, new long[0], 0)));
        run.tracker.sweep();
    }

    /** A failed probe and its two re-checks, 3 and 7 seconds later. */
    void failAndRecheck(DeviceId d, Instant at) {
        result(d, 0, at);
        result(d, 0, at.plusSeconds(3));
        result(d, 0, at.plusSeconds(7));
    }

    /** Fails every cycle from {@code from} (exclusive) to {@code to} (inclusive), sweeping every 5 s. */
    void keepFailing(DeviceId d, Instant from, Instant to) {
        for (Instant t = from.plus(CYCLE); !t.isAfter(to); t = t.plus(CYCLE)) {
            for (Instant s = t.minus(CYCLE).plusSeconds(5); s.isBefore(t); s = s.plusSeconds(5)) {
                clock.set(s);
                run.tracker.sweep();
            }
            result(d, 0, t);
        }
    }

    void restart(AlertRule rule, List<Device> devices) {
        run.close();
        run = new Run(rule, devices);
    }

    List<Alert> open(DeviceId d) {
        return run.alerting.openAlerts().stream().filter(a -> a.device().equals(d)).toList();
    }

    List<String> notified() {
        delivered(run.alerting);
        return sent.stream().map(n -> n.getClass().getSimpleName()).toList();
    }

    @Test
    void pingUnreachableAtLeast5() throws Exception {
        AlertRule rule = AlertRule.of("Device Down - Critical", "ping_unreachable >= 5", Severity.CRITICAL,
                LabelSelector.any());
        Device dev = device("shape-minutes", 1, null);
        run = new Run(rule, List.of(dev));
        result(dev.id(), 4, T0);
        failAndRecheck(dev.id(), T0.plus(CYCLE));
        keepFailing(dev.id(), T0.plus(CYCLE), T0.plus(CYCLE).plus(Duration.ofMinutes(3)));
        assertEquals(List.of(), open(dev.id()), "3 minutes down");
        restart(rule, List.of(dev));
        assertEquals(DeviceStatus.DOWN, run.tracker.status(dev.id()));
        assertEquals(List.of(), open(dev.id()));
        Instant at = T0.plus(CYCLE).plus(Duration.ofMinutes(3));
        keepFailing(dev.id(), at, at.plus(Duration.ofMinutes(3)));
        List<Alert> a = open(dev.id());
        assertEquals(1, a.size());
        assertEquals(T0.plus(CYCLE), a.get(0).since(), "since the first failed probe, before the restart");
        assertEquals(T0.plus(CYCLE).plus(Duration.ofMinutes(5)), a.get(0).openedAt(), "five minutes, not five minutes "
                + "after the restart");
        restart(rule, List.of(dev));
        keepFailing(dev.id(), at.plus(Duration.ofMinutes(3)), at.plus(Duration.ofMinutes(4)));
        assertEquals(a.get(0).id(), open(dev.id()).get(0).id(), "the same alert after a second restart");
        assertEquals(List.of("Opened"), notified(), "one notification across two restarts");
    }

    @Test
    void statusDownFor2m() throws Exception {
        AlertRule rule = AlertRule.of("Down 2m", "status == down for 2m", Severity.HIGH, LabelSelector.any());
        Device dev = device("shape-for", 2, null);
        run = new Run(rule, List.of(dev));
        result(dev.id(), 4, T0);
        failAndRecheck(dev.id(), T0.plus(CYCLE));
        Instant confirmed = clock.instant();
        keepFailing(dev.id(), T0.plus(CYCLE), T0.plus(CYCLE).plus(Duration.ofMinutes(1)));
        restart(rule, List.of(dev));
        keepFailing(dev.id(), T0.plus(CYCLE).plus(Duration.ofMinutes(1)), T0.plus(CYCLE).plus(Duration.ofSeconds(110)));
        assertEquals(List.of(), open(dev.id()), "1 m 50 s after the first failure: not yet 2 m held");
        keepFailing(dev.id(), T0.plus(CYCLE).plus(Duration.ofSeconds(110)), T0.plus(CYCLE).plus(Duration.ofMinutes(3)));
        List<Alert> a = open(dev.id());
        assertEquals(1, a.size());
        assertTrue(!a.get(0).openedAt().isBefore(confirmed.plus(Duration.ofMinutes(2)))
                && a.get(0).openedAt().isBefore(confirmed.plus(Duration.ofMinutes(2)).plusSeconds(10)),
                "two minutes after the condition began, the timer kept across the restart: " + a.get(0).openedAt());
        assertEquals(List.of("Opened"), notified());
    }

    @Test
    void lossAbove10For5m() throws Exception {
        AlertRule rule = AlertRule.of("Lossy", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any());
        Device dev = device("shape-loss", 3, null);
        run = new Run(rule, List.of(dev));
        for (int c = 0; c <= 6; c++) {
            result(dev.id(), 3, T0.plus(CYCLE.multipliedBy(c)));   // 25 % loss from T0
        }
        restart(rule, List.of(dev));
        for (int c = 7; c < 10; c++) {
            result(dev.id(), 3, T0.plus(CYCLE.multipliedBy(c)));
        }
        assertEquals(List.of(), open(dev.id()), "4.5 minutes of loss");
        for (int c = 10; c <= 12; c++) {
            result(dev.id(), 3, T0.plus(CYCLE.multipliedBy(c)));
        }
        List<Alert> a = open(dev.id());
        assertEquals(1, a.size());
        assertEquals(T0, a.get(0).since(), "the condition held since T0, before the restart");
        assertEquals(T0.plus(Duration.ofMinutes(5)), a.get(0).openedAt());
        assertEquals(List.of("Opened"), notified());
    }

    @Test
    void aFlappingDevice() throws Exception {
        AlertRule rule = AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any());
        Device dev = device("shape-flap", 4, null);
        run = new Run(rule, List.of(dev));
        int c = 0;
        while (!run.tracker.state(dev.id()).orElseThrow().flapping()) {
            result(dev.id(), c % 2 == 0 ? 4 : 0, T0.plus(CYCLE.multipliedBy(c)));
            c++;
        }
        List<Alert> before = open(dev.id());
        assertEquals(List.of(Alerting.FLAPPING_RULE), before.stream().map(Alert::rule).toList());
        restart(rule, List.of(dev));
        assertTrue(run.tracker.state(dev.id()).orElseThrow().flapping(), "the flap window came back");
        for (int k = 0; k < 4; k++, c++) {
            result(dev.id(), c % 2 == 0 ? 4 : 0, T0.plus(CYCLE.multipliedBy(c)));
        }
        assertEquals(before.stream().map(Alert::id).toList(), open(dev.id()).stream().map(Alert::id).toList(),
                "the same flapping alert, not 'flapping stopped' and a new one");
        assertEquals(List.of("Opened"), notified());
    }

    @Test
    void anUnreachableChild() throws Exception {
        AlertRule rule = AlertRule.of("Down", "status == down", Severity.HIGH, LabelSelector.any());
        Device router = device("shape-router", 5, null);
        Device child = device("shape-child", 6, router.id());
        List<Device> both = List.of(router, child);
        run = new Run(rule, both);
        result(router.id(), 4, T0);
        result(child.id(), 4, T0);
        for (Instant at : List.of(T0.plus(CYCLE), T0.plus(CYCLE).plusSeconds(3), T0.plus(CYCLE).plusSeconds(7))) {
            result(router.id(), 0, at);
            result(child.id(), 0, at.plusMillis(500));
        }
        assertEquals(DeviceStatus.DOWN, run.tracker.status(router.id()));
        assertEquals(DeviceStatus.UNREACHABLE, run.tracker.status(child.id()));
        Alert routerAlert = open(router.id()).getFirst();
        assertEquals(1, routerAlert.impactedDevices());
        restart(rule, both);
        assertEquals(DeviceStatus.UNREACHABLE, run.tracker.status(child.id()));
        for (int c = 2; c <= 4; c++) {
            result(router.id(), 0, T0.plus(CYCLE.multipliedBy(c)));
            result(child.id(), 0, T0.plus(CYCLE.multipliedBy(c)).plusMillis(500));
        }
        assertEquals(DeviceStatus.UNREACHABLE, run.tracker.status(child.id()), "still its parent's outage");
        assertEquals(List.of(), open(child.id()), "no alert of its own");
        assertEquals(List.of(routerAlert.id()), open(router.id()).stream().map(Alert::id).toList());
        assertEquals(List.of("Opened"), notified(), "the router's one alert, nothing for the child");
        assertNotNull(run.tracker.state(child.id()).orElseThrow().failingSince());
    }
}
