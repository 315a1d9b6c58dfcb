package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.PendingCondition;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Problems in PostgreSQL: an alert's address, labels, group and history, and the rules'
 * {@code for} timers, are read back by another process (a restart), which then neither opens,
 * resolves nor re-notifies anything; a malformed history loses the history, not the alert.
 * Scripted device views on a fake clock; one embedded PostgreSQL for the class.
 */
class AlertProblemsIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String CRITICAL = "Device Down - Critical";
    private static EmbeddedDatabase db;
    final ManualClock clock = new ManualClock(T0);
    final List<Notification> notes = new CopyOnWriteArrayList<>();
    Path spool;
    Run run;

    /** One process: storage and alerting over the shared database. */
    final class Run implements AutoCloseable {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final PostgresStorage storage;
        final Alerting alerting;

        Run(List<AlertRule> rules) {
            storage = PostgresStorage.open(PgSupport.options(db, spool, registry).build());
            alerting = Alerting.builder().rules(rules).store(storage.alertStore()).clock(clock)
                    .drainTimeout(Duration.ofSeconds(5)).meterRegistry(registry).notifier(new Notifier() {
                        @Override
                        public String name() {
                            return "collect";
                        }

                        @Override
                        public void send(Notification n) {
                            notes.add(n);
                        }
                    }).build();
            alerting.start();
        }

        @Override
        public void close() {
            alerting.close(); // drains the notifications
            storage.close(); // writes what is queued
        }
    }

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-problems"));
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
        spool = PgSupport.tempDir("ward-pg-problems-spool");
        notes.clear();
    }

    @AfterEach
    void stop() {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    Run restart(List<AlertRule> rules) {
        if (run != null) {
            run.close();
        }
        run = new Run(rules);
        return run;
    }

    static Instant min(double m) {
        return T0.plusMillis((long) (m * 60_000));
    }

    static Device device() throws Exception {
        return Device.builder(DeviceId.fromKey("batumi1-811"), "Batumi1-811", InetAddress.getByName("127.0.4.11"))
                .label("region", "Achara").label("branch", "Batumi1").label("device_type", "Router").build();
    }

    static List<AlertRule> fleetRules() {
        return List.of(
                AlertRule.of(CRITICAL, "ping_unreachable >= 5", Severity.CRITICAL, LabelSelector.any()),
                AlertRule.of("Device Down - High Priority", "ping_unreachable >= 2", Severity.HIGH, LabelSelector.any()),
                AlertRule.of("High Latency", "avg_ping_ms > 200", Severity.MEDIUM, LabelSelector.any()),
                AlertRule.of("Ping Unavailable", "ping_unreachable >= 1", Severity.CRITICAL, LabelSelector.any()));
    }

    void down(Device d, double from, double to) {
        for (double m = from; m <= to + 1e-9; m += 0.5) {
            clock.set(min(m));
            DeviceState st = new DeviceState(StateKey.of(d.id()), DeviceStatus.DOWN, min(0), false, 0, 5, 0, min(m),
                    min(0), null, "");
            run.alerting.onUpdate(new DeviceView(d, st, Map.of(), Map.of("ping_unreachable",
                    (double) Duration.between(min(0), min(m)).toMinutes(), "loss_pct", 100.0), Map.of(), 0, false, min(m)));
        }
    }

    void lossy(Device d, double from, double to, double loss) {
        for (double m = from; m <= to + 1e-9; m += 1) {
            clock.set(min(m));
            DeviceState st = new DeviceState(StateKey.of(d.id()), DeviceStatus.UP, min(-60), false, 0, 0, 9, min(m));
            Map<String, Double> v = new HashMap<>(Map.of("ping_unreachable", 0.0, "loss_pct", loss, "avg_ping_ms", 9.0));
            run.alerting.onUpdate(new DeviceView(d, st, Map.of(), v, Map.of(), 0, false, min(m)));
        }
    }

    <T extends Notification> List<T> of(Class<T> type) {
        return notes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void anEscalatedProblemIsReadBackWithItsDeviceAndHistoryAndCarriesOn() throws Exception {
        Device d = device();
        restart(fleetRules());
        down(d, 0, 3);
        Alert before = run.alerting.openAlerts().get(0);
        assertEquals(2, before.history().size());
        restart(fleetRules());
        Alert loaded = run.alerting.openAlerts().get(0);
        assertEquals(before, loaded, "every field survives, the history's instants included");
        assertEquals("127.0.4.11", loaded.address());
        assertEquals(Map.of("region", "Achara", "branch", "Batumi1", "device_type", "Router"), loaded.labels());
        assertEquals(AlertRule.REACHABILITY_GROUP, loaded.group());
        down(d, 3.5, 6);
        restart(fleetRules());
        List<Alert> open = run.alerting.openAlerts();
        assertEquals(1, open.size());
        assertEquals(before.id(), open.get(0).id());
        assertEquals(CRITICAL, open.get(0).rule());
        assertEquals(List.of("Ping Unavailable", "Device Down - High Priority", CRITICAL),
                open.get(0).history().stream().map(Alert.Step::rule).toList());
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE rule = '" + CRITICAL
                + "' AND severity = 'critical' AND alert_group = 'reachability' AND labels ->> 'branch' = 'Batumi1' "
                + "AND jsonb_array_length(details -> 'history') = 3"));
        run.close();
        run = null;
        assertEquals(1, of(Notification.Opened.class).size());
        assertEquals(2, of(Notification.Escalated.class).size());
        assertEquals(List.of(), of(Notification.Resolved.class), "three restarts resolved nothing");
        // the outage report counts the problem for each rule it went through, and for its group
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry())
                .clock(clock).build())) {
            clock.set(min(10));
            for (List<String> rules : List.of(List.of("Device Down - High Priority"), List.of("reachability"), List.<String>of())) {
                assertEquals(Duration.ofMinutes(10), s.alertStore().downtime(min(0), min(10), rules).get(0).downtime(),
                        rules.toString());
            }
            assertEquals(List.of(), s.alertStore().downtime(min(0), min(10), List.of("High Latency")));
        }
    }

    @Test
    void aForTimerSurvivesARestartInPostgres() throws Exception {
        Device d = device();
        List<AlertRule> rules = List.of(AlertRule.of("Loss", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any()));
        restart(rules);
        lossy(d, 0, 3, 25);
        restart(rules);
        assertEquals(List.of(new PendingCondition(d.id(), "Loss", 0, min(0))),
                List.copyOf(run.storage.alertStore().loadPending()));
        lossy(d, 4, 4, 25);
        assertEquals(List.of(), run.alerting.openAlerts(), "held 4 minutes");
        lossy(d, 5, 5, 25);
        Alert a = run.alerting.openAlerts().get(0);
        assertEquals(min(5), a.openedAt(), "5 minutes after the condition began, across the restart");
        assertEquals(min(0), a.since());
        restart(rules);
        assertEquals(List.of(), List.copyOf(run.storage.alertStore().loadPending()), "a matched rule has no timer");
        lossy(d, 6, 8, 25);
        assertEquals(a.id(), run.alerting.openAlerts().get(0).id());
        run.close();
        run = null;
        assertEquals(1, of(Notification.Opened.class).size(), "opened exactly once");
        assertEquals(List.of(), of(Notification.Resolved.class));
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM alert_pending"));
    }

    @Test
    void aStatusForTimerSurvivesARestartInPostgres() throws Exception {
        Device d = device();
        List<AlertRule> rules = List.of(AlertRule.of("Down 2m", "status == down for 2m", Severity.HIGH, LabelSelector.any()));
        restart(rules);
        down(d, 0, 1);
        restart(rules);
        down(d, 1.5, 1.5);
        assertEquals(List.of(), run.alerting.openAlerts());
        down(d, 2, 2);
        assertEquals(min(2), run.alerting.openAlerts().get(0).openedAt());
        restart(rules);
        down(d, 2.5, 4);
        run.close();
        run = null;
        assertEquals(1, of(Notification.Opened.class).size());
        assertEquals(List.of(), of(Notification.Resolved.class));
    }

    @Test
    void aTimerThatStopsHoldingLeavesNoRow() throws Exception {
        Device d = device();
        List<AlertRule> rules = List.of(AlertRule.of("Loss", "loss_pct > 10 for 5m", Severity.MEDIUM, LabelSelector.any()));
        restart(rules);
        lossy(d, 0, 1, 25);
        run.storage.flushStateWrites();
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alert_pending"));
        lossy(d, 2, 2, 0);
        run.storage.flushStateWrites();
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM alert_pending"));
    }

    @Test
    void aMalformedHistoryLosesTheHistoryNotTheAlert() throws Exception {
        Device d = device();
        restart(fleetRules());
        down(d, 0, 2);
        Alert before = run.alerting.openAlerts().get(0);
        run.close();
        run = null;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE alerts SET details = '{\"history\": [{\"rule\": \"Ping Unavailable\", \"severity\": "
                    + "\"catastrophic\", \"at\": \"2026-03-01T10:01:00Z\"}]}'");
        }
        restart(fleetRules());
        List<Alert> open = run.alerting.openAlerts();
        assertEquals(1, open.size(), "the alert is not lost");
        assertEquals(before.id(), open.get(0).id());
        assertEquals(before.rule(), open.get(0).rule());
        assertEquals(1.0, run.registry.get("ward.storage.rows.partly_read").tag("table", "alerts").counter().count());
        assertEquals(0.0, run.registry.get("ward.storage.rows.unreadable").tag("table", "alerts").counter().count());
        down(d, 2.5, 6);
        assertEquals(before.id(), run.alerting.openAlerts().get(0).id(), "it carries on as the same problem");
        assertEquals(CRITICAL, run.alerting.openAlerts().get(0).rule());
        // not JSON of the right shape at all
        run.close();
        run = null;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE alerts SET details = '{\"history\": \"oops\"}', labels = '{\"region\": [1]}'");
        }
        restart(fleetRules());
        Alert a = run.alerting.openAlerts().get(0);
        assertEquals(before.id(), a.id());
        assertEquals(Map.of(), a.labels());
        assertEquals(1.0 * 2, run.registry.get("ward.storage.rows.partly_read").tag("table", "alerts").counter().count(),
                "history and labels, each counted");
        run.close();
        run = null;
        assertEquals(1, of(Notification.Opened.class).size());
        assertEquals(List.of(), of(Notification.Resolved.class));
    }

    @Test
    void rowsOfAnOlderWardAreProblemsOfTheirOwnRuleAndMergeQuietly() throws Exception {
        Device d = device();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        // what V2-V5 code wrote: no address, labels or group
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO alerts (alert_id, device_id, device_name, rule, severity, message, since, "
                    + "opened_at) VALUES ('" + older + "', '" + d.id() + "', 'Batumi1-811', 'Ping Unavailable', "
                    + "'critical', 'old', '2026-03-01T10:00:00Z', '2026-03-01T10:01:00Z'), ('" + newer
                    + "', '" + d.id() + "', 'Batumi1-811', '" + CRITICAL + "', 'critical', 'old', "
                    + "'2026-03-01T10:00:00Z', '2026-03-01T10:05:00Z')");
        }
        clock.set(min(6));
        restart(fleetRules());
        List<Alert> open = run.alerting.openAlerts();
        assertEquals(1, open.size());
        assertEquals(older, open.get(0).id());
        assertEquals(CRITICAL, open.get(0).rule());
        run.storage.flushStateWrites();
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE resolved_at IS NULL AND alert_group = 'reachability'"));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE alert_id = '" + newer
                + "' AND resolution LIKE 'merged into alert " + older + "%'"));
        down(d, 6, 7);
        run.close();
        run = null;
        assertEquals(List.of(), of(Notification.Opened.class), "the upgrade opened nothing");
        assertEquals(List.of(), of(Notification.Resolved.class), "the upgrade resolved nothing");
        assertEquals(List.of("Device Down - High Priority"), of(Notification.Escalated.class).stream()
                .map(e -> e.step().rule()).toList(), "only the rule no older row stood for is news");
    }

    @Test
    void theContractStoreIsTheSameAsTheEnginesStore() throws Exception {
        restart(List.of());
        AlertStore s = run.storage.alertStore();
        Device d = device();
        s.pendingStarted(new PendingCondition(d.id(), "r", 2, min(1).plusNanos(1_234_567)));
        assertEquals(List.of(new PendingCondition(d.id(), "r", 2, min(1).plusNanos(1_234_000))), List.copyOf(s.loadPending()),
                "to the microsecond, as every instant in storage");
        assertTrue(run.storage.alertStore().loadOpen().isEmpty());
    }
}
