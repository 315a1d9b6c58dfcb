package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@link StateTracker} and {@link Alerting} over the PostgreSQL stores, "restarted" (new
 * storage, tracker and alerting over the same database): a down device stays down since the same
 * instant, keeps its one alert, and a device down at start-up with no open alert gets exactly
 * one. Scripted results on a fake clock; one embedded PostgreSQL for the class.
 */
class StateRestartIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String RULE = "Device Down";
    private static EmbeddedDatabase db;
    private final ManualClock clock = new ManualClock(T0);
    private Path spool;
    private Run run;

    /** One "process": storage, alerting and tracker, started in the documented order. */
    final class Run implements AutoCloseable {
        final PostgresStorage storage;
        final Alerting alerting;
        final StateTracker tracker;

        Run(List<Device> devices) {
            storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).clock(clock).build());
            alerting = Alerting.builder()
                    .rules(List.of(AlertRule.of(RULE, "status == down", Severity.CRITICAL, LabelSelector.any())))
                    .store(storage.alertStore()).clock(clock).drainTimeout(Duration.ZERO)
                    .meterRegistry(new SimpleMeterRegistry()).build();
            tracker = StateTracker.builder().downAfter(3).upAfter(2).clock(clock)
                    .store(storage.stateStore()).listener(alerting).listener(storage.stateHistory())
                    .meterRegistry(new SimpleMeterRegistry()).build();
            tracker.replaceInventory(devices);
            alerting.start();
            tracker.start();
        }

        List<Alert> openAlerts(DeviceId d) {
            return alerting.openAlerts().stream().filter(a -> a.device().equals(d)).toList();
        }

        @Override
        public void close() {
            tracker.close();
            alerting.close();
            storage.close(); // writes what is queued
        }
    }

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-restart"));
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
        spool = PgSupport.tempDir("ward-pg-restart-spool");
    }

    @AfterEach
    void stop() {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    static Device device(String key, int last) throws Exception {
        return Device.builder(DeviceId.fromKey(key), key, InetAddress.getByName("127.0.3." + last)).build();
    }

    void feed(DeviceId d, boolean up, Instant at) {
        clock.set(at);
        run.tracker.onResult(up
                ? new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofMillis(1),
                        PingStats.of(3, new long[] {1_000_000, 1_000_000, 1_000_000}, 3))
                : new ProbeResult.Down(d, "icmp", "icmp", at, DownReason.TIMEOUT, "no reply", PingStats.of(3, new long[0], 0)));
    }

    Run restart(List<Device> devices) {
        run.close();
        run = new Run(devices);
        return run;
    }

    static long count(String sql) throws Exception {
        return PgSupport.count(db, sql);
    }

    @Test
    void aDownDeviceIsStillDownSinceTheSameInstantWithTheSameAlertAfterARestart() throws Exception {
        Device dev = device("restart-a", 1);
        DeviceId d = dev.id();
        run = new Run(List.of(dev));
        feed(d, false, T0);
        feed(d, false, T0.plusSeconds(30));
        feed(d, false, T0.plusSeconds(60));
        assertEquals(DeviceStatus.DOWN, run.tracker.status(d));
        Alert before = run.openAlerts(d).getFirst();

        restart(List.of(dev));
        DeviceState s = run.tracker.state(d).orElseThrow();
        assertEquals(DeviceStatus.DOWN, s.status());
        assertEquals(T0, s.since(), "down since the first failed probe, as before the restart");
        assertEquals(3, s.consecutiveFailures());
        assertEquals(List.of(before.id()), run.openAlerts(d).stream().map(Alert::id).toList(), "the same alert");
        run.storage.flushStateWrites();
        assertEquals(1, count("SELECT count(*) FROM alerts WHERE device_id = '" + d.value() + "'"));
        assertEquals(1, count("SELECT count(*) FROM state_changes WHERE device_id = '" + d.value()
                + "' AND from_status = 'UNKNOWN' AND to_status = 'DOWN' AND since = '2026-03-01T10:00:00Z' AND if_index = 0"));

        // It recovers after the restart: the alert resolves, and the outage is in the report.
        feed(d, true, T0.plusSeconds(120));
        feed(d, true, T0.plusSeconds(150));
        assertEquals(DeviceStatus.UP, run.tracker.status(d));
        assertTrue(run.openAlerts(d).isEmpty());
        List<DeviceDowntime> report = run.storage.alertStore().downtime(T0.minusSeconds(3600), T0.plusSeconds(3600),
                List.of(RULE));
        assertEquals(List.of(new DeviceDowntime(d, Duration.ofSeconds(150), 1, Duration.ofSeconds(150), false)), report);
        assertEquals(1, count("SELECT count(*) FROM state_changes WHERE device_id = '" + d.value()
                + "' AND from_status = 'DOWN' AND to_status = 'UP'"));
    }

    @Test
    void aDeviceDownAtStartUpGetsExactlyOneAlertAndAnOpenOneIsNotDuplicated() throws Exception {
        Device e = device("restart-no-alert", 2);
        Device f = device("restart-open-alert", 3);
        Device g = device("restart-unreadable", 4);
        Device h = device("restart-up", 5);
        List<Device> devices = List.of(e, f, g, h);
        Instant since = T0.minusSeconds(600);
        UUID existing;
        // What an earlier process left: e down without an alert (its alert write was lost), f down
        // with its alert open, g with a status this version does not know, h up.
        try (PostgresStorage earlier = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry())
                .build())) {
            earlier.stateStore().save(new DeviceState(StateKey.of(e.id()), DeviceStatus.DOWN, since, false, 0, 7, 0,
                    T0.minusSeconds(30)));
            earlier.stateStore().save(new DeviceState(StateKey.of(f.id()), DeviceStatus.DOWN, since, false, 0, 7, 0,
                    T0.minusSeconds(30)));
            earlier.stateStore().save(new DeviceState(StateKey.of(h.id()), DeviceStatus.UP, since, false, 0, 0, 9,
                    T0.minusSeconds(30)));
            Alert open = new Alert(UUID.randomUUID(), f.id(), f.name(), 0, RULE, Severity.CRITICAL, "down", since,
                    since.plusSeconds(60), null, null, null, null, 0);
            earlier.alertStore().opened(open);
            existing = open.id();
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE device_state DROP CONSTRAINT device_state_status_check");
            st.execute("INSERT INTO device_state (device_id, status, updated_at) VALUES ('" + g.id().value()
                    + "', 'MAINTENANCE', now())");
        }
        try {
            run = new Run(devices);
            assertEquals(DeviceStatus.DOWN, run.tracker.status(e.id()));
            assertEquals(since, run.tracker.state(e.id()).orElseThrow().since());
            assertEquals(DeviceStatus.UP, run.tracker.status(h.id()));
            assertEquals(DeviceStatus.UNKNOWN, run.tracker.status(g.id()), "the unreadable row was left out");
            assertEquals(1, run.openAlerts(e.id()).size(), "down at start-up with no open alert: one is opened");
            assertEquals(since, run.openAlerts(e.id()).getFirst().since());
            assertEquals(List.of(existing), run.openAlerts(f.id()).stream().map(Alert::id).toList(), "not duplicated");
            assertTrue(run.openAlerts(h.id()).isEmpty());

            restart(devices);
            assertEquals(1, run.openAlerts(e.id()).size());
            assertEquals(1, run.openAlerts(f.id()).size());
            run.storage.flushStateWrites();
            assertEquals(1, count("SELECT count(*) FROM alerts WHERE device_id = '" + e.id().value() + "'"),
                    "two starts, one alert");
            assertEquals(1, count("SELECT count(*) FROM alerts WHERE device_id = '" + f.id().value() + "'"));
            assertEquals(2, count("SELECT count(*) FROM alerts WHERE resolved_at IS NULL"));
        } finally {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM device_state WHERE status = 'MAINTENANCE'");
                st.execute("ALTER TABLE device_state ADD CONSTRAINT device_state_status_check "
                        + "CHECK (status IN ('UP', 'DOWN', 'UNKNOWN', 'UNREACHABLE'))");
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a store that wrote inline would wait here for the lock this thread holds
    void statesAndAlertsQueuedWhileTheTablesAreLockedAreWrittenLater() throws Exception {
        Device dev = device("restart-late", 6);
        run = new Run(List.of(dev));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // Another program holds the tables: writes wait, results do not.
            c.setAutoCommit(false);
            st.execute("LOCK TABLE device_state, alerts IN ACCESS EXCLUSIVE MODE");
            feed(dev.id(), false, T0);
            feed(dev.id(), false, T0.plusSeconds(30));
            feed(dev.id(), false, T0.plusSeconds(60));
            assertEquals(DeviceStatus.DOWN, run.tracker.status(dev.id()));
            c.rollback();
        }
        run.storage.flushStateWrites();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, since FROM device_state WHERE device_id = '"
                     + dev.id().value() + "'")) {
            assertTrue(rs.next());
            assertEquals("DOWN", rs.getString(1));
        }
        assertEquals(1, count("SELECT count(*) FROM alerts WHERE resolved_at IS NULL"));
    }
}
