package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.testkit.ManualClock;
import io.github.wardops.ward.testkit.state.AlertStoreContract;
import io.github.wardops.ward.testkit.state.StateStoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL {@link StateStore} and {@link io.github.wardops.ward.alert.AlertStore} pass
 * ward-testkit's contract suites; unreadable rows are left out and counted; the downtime/MTTR
 * report. One embedded PostgreSQL for the class.
 */
class PostgresStoresIT {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static EmbeddedDatabase db;
    private static PostgresStorage storage;
    /** A second storage over the same database: what a restarted process would open. */
    private static PostgresStorage other;
    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static final ManualClock CLOCK = new ManualClock(T0);

    @BeforeAll
    static void start() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-stores"));
        storage = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-stores-spool"), REGISTRY)
                .clock(CLOCK).build());
        other = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-stores-spool2"),
                new SimpleMeterRegistry()).build());
    }

    @AfterAll
    static void stop() {
        other.close();
        storage.close();
        db.close();
    }

    /** Empties the state and alert tables (not the partitions, which the maintenance threads manage). */
    static void emptyTables() throws Exception {
        storage.flushStateWrites();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE device_state, state_changes, alerts, alert_silences, alert_pending");
        }
    }

    @Nested
    class States extends StateStoreContract {
        @Override
        protected StateStore newStore() throws Exception {
            emptyTables();
            return storage.stateStore();
        }

        @Override
        protected StateStore reopen() {
            storage.flushStateWrites();
            return other.stateStore();
        }
    }

    @Nested
    class Alerts extends AlertStoreContract {
        @Override
        protected AlertStore newStore() throws Exception {
            emptyTables();
            return storage.alertStore();
        }

        @Test
        void alertsAndSilencesAreVisibleToAnotherProcess() throws Exception {
            DeviceId d = DeviceId.fromKey("pg-other");
            Alert a = alert(d, "Device Down", T0, null).acknowledge(T0.plusSeconds(90), "nino");
            store.opened(a);
            store.silenced(new Silence(d, 0, "High Latency", "nightly", T0));
            storage.flushStateWrites();
            assertEquals(List.of(a), List.copyOf(other.alertStore().loadOpen()));
            assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alert_silences WHERE window_name = 'nightly'"));
        }
    }

    static Alert alert(DeviceId d, String rule, Instant since, Instant resolvedAt) {
        Alert a = new Alert(UUID.randomUUID(), d, "Batumi-12", 0, rule, Severity.CRITICAL, "down", since,
                since.plusSeconds(60), null, null, null, null, 0);
        return resolvedAt == null ? a : a.resolve(resolvedAt, "condition cleared");
    }

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    @Test
    void aRowWithAnUnknownStatusIsLeftOutAndCountedAndTheOthersLoad() throws Exception {
        emptyTables();
        DeviceId ok = DeviceId.fromKey("pg-ok");
        DeviceState down = new DeviceState(StateKey.of(ok), DeviceStatus.DOWN, T0, false, 0, 4, 0, T0.plusSeconds(90));
        storage.stateStore().save(down);
        storage.flushStateWrites();
        UUID bad = UUID.randomUUID();
        UUID control = UUID.randomUUID();
        // A newer ward (or another program) widened the constraint and wrote statuses this one
        // does not know.
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE device_state DROP CONSTRAINT device_state_status_check");
            st.execute("INSERT INTO device_state (device_id, status, updated_at) VALUES ('" + bad
                    + "', 'DEGRADED', now())");
            st.execute("INSERT INTO device_state (device_id, if_index, status, updated_at) VALUES ('" + control
                    + "', 3, E'down\\n\\u001b[31m', now())");
        }
        double before = REGISTRY.counter("ward.storage.rows.unreadable", "table", "device_state").count();
        try {
            Collection<DeviceState> loaded = storage.stateStore().loadAll();
            assertEquals(List.of(down), List.copyOf(loaded), "the readable row loads, the others are left out");
            assertEquals(before + 2, REGISTRY.counter("ward.storage.rows.unreadable", "table", "device_state").count());
        } finally {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM device_state WHERE device_id IN ('" + bad + "', '" + control + "')");
                st.execute("ALTER TABLE device_state ADD CONSTRAINT device_state_status_check "
                        + "CHECK (status IN ('UP', 'DOWN', 'UNKNOWN', 'UNREACHABLE'))");
            }
        }
    }

    @Test
    void aRowsLegacyColumnsAreReadWhenTheNewOnesAreEmpty() throws Exception {
        emptyTables();
        DeviceId d = DeviceId.fromKey("pg-legacy");
        // written through the older DeviceStateStore API: no since, flap percent or counts
        storage.deviceStates().saveAll(List.of(new DeviceStateRecord(d, DeviceStatus.DOWN, at(-5), at(-5), false, null,
                0, T0)));
        List<DeviceState> loaded = List.copyOf(storage.stateStore().loadAll());
        assertEquals(List.of(new DeviceState(StateKey.of(d), DeviceStatus.DOWN, at(-5), false, 0, 0, 0, T0)), loaded);
        // and the older API reads what the new one wrote, device rows only
        storage.stateStore().save(new DeviceState(StateKey.ofInterface(d, 4), DeviceStatus.UNREACHABLE, T0, true, 40,
                2, 0, T0));
        storage.flushStateWrites();
        assertEquals(1, storage.deviceStates().loadAll().size());
    }

    @Test
    void anAlertWithAnUnknownSeverityIsLeftOutAndANewAlertSupersedesIt() throws Exception {
        emptyTables();
        DeviceId d = DeviceId.fromKey("pg-bad-alert");
        Alert fine = alert(DeviceId.fromKey("pg-fine"), "Device Down", T0, null);
        storage.alertStore().opened(fine);
        storage.flushStateWrites();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alerts (device_id, rule, severity, opened_at, since) VALUES (?, 'Device Down', "
                        + "'catastrophic', ?, ?)")) {
            ps.setObject(1, d.value());
            ps.setObject(2, java.time.OffsetDateTime.parse("2026-03-01T09:00:00Z"));
            ps.setObject(3, java.time.OffsetDateTime.parse("2026-03-01T09:00:00Z"));
            ps.executeUpdate();
        }
        PostgresAlertStore store = storage.alertStore();
        long before = store.unreadableRows();
        assertEquals(List.of(fine), List.copyOf(store.loadOpen()));
        assertEquals(before + 1, store.unreadableRows());
        // Alerting does not know the unreadable open row, so it opens its own: that must not be
        // refused by the one-open-alert-per-(device, rule) index.
        Alert fresh = alert(d, "Device Down", T0, null);
        store.opened(fresh);
        storage.flushStateWrites();
        assertEquals(2, store.loadOpen().size(), "the new alert is open");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT resolution, resolved_at FROM alerts WHERE severity = 'catastrophic'")) {
            assertTrue(rs.next());
            assertEquals("superseded by alert " + fresh.id(), rs.getString(1));
            assertEquals(java.time.OffsetDateTime.parse("2026-03-01T10:01:00Z").toInstant(),
                    rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
        }
    }

    @Test
    void anOlderCopyNeverUndoesAResolutionOrAnAcknowledgement() throws Exception {
        emptyTables();
        Alert a = alert(DeviceId.fromKey("pg-merge"), "Device Down", T0, null);
        PostgresAlertStore store = storage.alertStore();
        store.opened(a);
        storage.flushStateWrites();
        Alert resolved = a.resolve(at(5), "condition cleared");
        store.resolved(resolved);
        store.acknowledged(a.acknowledge(at(4), "giorgi")); // made from the open copy, queued after
        storage.flushStateWrites();
        store.acknowledged(a.acknowledge(at(4), "giorgi")); // and again, after the resolution was written
        List<Alert> h = store.history(a.device(), T0, at(60));
        assertEquals(List.of(resolved.acknowledge(at(4), "giorgi")), h);
    }

    @Test
    void downtimeAndMttrPerDeviceMergeOverlappingAlertsAndClipToTheRange() throws Exception {
        emptyTables();
        DeviceId a = DeviceId.fromKey("pg-dt-a");
        DeviceId b = DeviceId.fromKey("pg-dt-b");
        PostgresAlertStore store = storage.alertStore();
        // a: one outage seen by two rules (10:00-10:12 merged), and one of 30 minutes
        Alert first = alert(a, "Device Down", at(0), null);
        store.opened(first);
        storage.flushStateWrites();
        store.resolved(first.resolve(at(10), "condition cleared"));
        store.resolved(alert(a, "Ping Unavailable", at(2), at(12)));
        store.resolved(alert(a, "Device Down", at(60), at(90)));
        // not outages: a flapping alert and an interface alert
        store.resolved(alert(a, Alerting.FLAPPING_RULE, at(20), at(50)));
        Alert iface = alert(a, "ISP link down", at(20), at(50));
        store.resolved(new Alert(UUID.randomUUID(), a, "x", 3, iface.rule(), iface.severity(), "", at(20), at(21),
                at(50), "condition cleared", null, null, 0));
        // b: down since 11:50 and still down at 12:00
        store.opened(alert(b, "Device Down", at(110), null));
        CLOCK.set(at(120));

        Map<DeviceId, DeviceDowntime> all = byDevice(store.downtime(at(0), at(180), List.of()));
        assertEquals(new DeviceDowntime(a, Duration.ofMinutes(42), 2, Duration.ofMinutes(21), false), all.get(a));
        assertEquals(new DeviceDowntime(b, Duration.ofMinutes(10), 1, null, true), all.get(b),
                "an open outage runs to now, has no repair time yet");
        assertEquals(List.of(a, b), store.downtime(at(0), at(180), List.of()).stream().map(DeviceDowntime::device)
                .toList(), "most downtime first");

        Map<DeviceId, DeviceDowntime> clipped = byDevice(store.downtime(at(5), at(70), List.of()));
        assertEquals(new DeviceDowntime(a, Duration.ofMinutes(17), 2, Duration.ofMinutes(12), false), clipped.get(a),
                "7 + 10 minutes inside the range; only the outage that ended inside it counts for MTTR");
        assertFalse(clipped.containsKey(b));

        Map<DeviceId, DeviceDowntime> oneRule = byDevice(store.downtime(at(0), at(180), List.of("Device Down")));
        assertEquals(Duration.ofMinutes(40), oneRule.get(a).downtime());
        assertEquals(Duration.ofMinutes(20), oneRule.get(a).meanTimeToRepair());
        assertNull(byDevice(store.downtime(at(200), at(300), List.of())).get(a));
        assertThrows(IllegalArgumentException.class, () -> store.downtime(at(10), at(10), List.of()));
    }

    @Test
    void theDocumentedPlainSqlAnswersDowntimeMttrAndTimeToAcknowledge() throws Exception {
        emptyTables();
        DeviceId d = DeviceId.fromKey("pg-doc-sql");
        PostgresAlertStore store = storage.alertStore();
        Instant march = Instant.parse("2026-03-01T00:00:00Z");
        // up/down problems (group reachability), as alerting writes them
        Alert before = new Alert(UUID.randomUUID(), d, "Zugdidi-3", "127.0.5.3", Map.of("region", "Samegrelo"), 0,
                "reachability", "Device Down - Critical", Severity.CRITICAL, "down", march.minusSeconds(600),
                march.minusSeconds(540), null, null, null, null, 0, List.of());
        Alert inside = new Alert(UUID.randomUUID(), d, "Zugdidi-3", "127.0.5.3", Map.of("region", "Samegrelo"), 0,
                "reachability", "Ping Unavailable", Severity.CRITICAL, "down", march.plusSeconds(3600),
                march.plusSeconds(3660), null, null, null, null, 0, List.of());
        store.resolved(before.resolve(march.plusSeconds(600), "condition cleared")); // 10 of its minutes in March
        store.resolved(inside.acknowledge(march.plusSeconds(3780), "nino")
                .resolve(march.plusSeconds(3600 + 1800), "condition cleared")); // 30 minutes
        storage.flushStateWrites();
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "storage.md"));
        int start = doc.indexOf("-- downtime per device in March");
        String sql = doc.substring(start, doc.indexOf("```", start));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            assertEquals(d.value(), rs.getObject("device_id"));
            assertEquals("00:40:00", rs.getString("downtime"));
            assertEquals("00:25:00", rs.getString("mttr"), "both outages ended in March: mean of 20 and 30 minutes");
            assertEquals("00:02:00", rs.getString("mean_time_to_acknowledge"));
        }
    }

    private static Map<DeviceId, DeviceDowntime> byDevice(List<DeviceDowntime> rows) {
        return rows.stream().collect(Collectors.toMap(DeviceDowntime::device, r -> r));
    }
}
