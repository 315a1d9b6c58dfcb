package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.NotificationLog.Entry;
import io.github.wardops.ward.notify.Silence;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL stores of notification routing (V11): silences and the notification log, each
 * through two {@link PostgresStorage} instances on one embedded PostgreSQL (what one writes the
 * other reads at once), their bounds, a malformed row, retention, the indexes the reads rely on,
 * and {@code alertStore().find}.
 */
class NotificationStoresIT {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    static Path dir;
    static EmbeddedDatabase db;
    final ManualClock clock = new ManualClock(T0);
    final List<PostgresStorage> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        db = PgSupport.startDatabase(dir.resolve("pg"));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void clean() throws Exception {
        PostgresStorage.open(PgSupport.options(db, dir.resolve("spool-init"), new SimpleMeterRegistry()).build()).close();
        PgSupport.reset(db);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PostgresStorage::close);
    }

    private PostgresStorage open(SimpleMeterRegistry registry, int maxSilences) {
        PostgresStorage s = PostgresStorage.open(PgSupport.options(db, dir.resolve("spool-" + opened.size()), registry)
                .clock(clock).maxSilences(maxSilences).maintenanceInterval(Duration.ofDays(1))
                // the maintenance thread's first pass runs at open: a long retention keeps it off these tests' rows
                .notificationRetention(Duration.ofDays(3650)).build());
        opened.add(s);
        return s;
    }

    private static Silence silence(String matchers, Instant starts, Instant ends) {
        return new Silence(UUID.randomUUID(), LabelSelector.parse(matchers), starts, ends, "noc", "planned work", T0);
    }

    private static Entry entry(String receiver, String group, Set<UUID> firing, Set<UUID> resolved, String reason,
                               Instant at) {
        return new Entry(receiver, group, firing, resolved, reason, at);
    }

    // ---- silences ----

    @Test
    void silencesAreAddedListedExpiredOnceAndListedAsEnded() throws Exception {
        SilenceStore store = open(new SimpleMeterRegistry(), 100).silenceStore();
        Silence active = silence("region = Tbilisi, severity in (critical, high)", T0.minusSeconds(3600),
                T0.plusSeconds(3600));
        Silence future = silence("branch = Batumi1", T0.plusSeconds(7200), T0.plusSeconds(10800));
        Silence past = silence("device = r1", T0.minusSeconds(3 * 3600), T0.minusSeconds(2 * 3600));
        store.add(future);
        store.add(active);
        store.add(past);

        assertEquals(List.of(active, future), store.current(T0), "active and future ones, oldest start first");
        Silence read = store.current(T0).get(0);
        assertEquals("region = Tbilisi, severity in (critical, high)", read.matchers().text());
        assertTrue(read.mutes(Map.of("region", "Tbilisi", "severity", "high"), T0));
        assertTrue(!read.mutes(Map.of("region", "Batumi", "severity", "high"), T0));

        Instant at = T0.plusSeconds(60);
        Silence expired = store.expire(active.id(), at).orElseThrow();
        assertEquals(at, expired.endsAt());
        assertEquals(Optional.of(expired), store.expire(active.id(), at.plusSeconds(600)), "expiring again changes nothing");
        assertEquals(List.of(future), store.current(at));

        Silence notStarted = store.expire(future.id(), at).orElseThrow();
        assertEquals(future.startsAt().plusNanos(1_000), notStarted.endsAt(), "ends 1 µs after its start: never in force");
        assertTrue(!notStarted.activeAt(future.startsAt().plusNanos(1_000)));

        assertEquals(Optional.empty(), store.expire(UUID.randomUUID(), at));

        clock.set(at.plusSeconds(1));
        assertEquals(List.of(expired, past), store.endedSince(T0.minusSeconds(4 * 3600), 10), "most recent end first");
        assertEquals(List.of(expired), store.endedSince(T0.minusSeconds(4 * 3600), 1), "the database applies the limit");
        assertEquals(List.of(expired), store.endedSince(T0.minusSeconds(3600), 10), "ended after `since` only");
        assertThrows(IllegalArgumentException.class, () -> store.endedSince(T0, 0));
    }

    @Test
    void anInstantIsStoredToTheMicrosecondAndAnEmptyRangeIsRefused() throws Exception {
        SilenceStore store = open(new SimpleMeterRegistry(), 100).silenceStore();
        Silence s = silence("region = Tbilisi", T0.plusNanos(1_234_567), T0.plusSeconds(60));
        store.add(s);
        assertEquals(T0.plusNanos(1_234_000), store.current(T0).get(0).startsAt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add(silence("region = Tbilisi", T0.plusNanos(1_000), T0.plusNanos(1_500))));
        assertTrue(e.getMessage().contains("1 µs"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> store.add(silence("region = Tbilisi", T0, Instant.parse("+12000-01-01T00:00:00Z"))));
        assertEquals(1, store.current(T0).size());
    }

    @Test
    void twoInstancesSeeEachOthersSilencesAtOnce() throws Exception {
        SilenceStore a = open(new SimpleMeterRegistry(), 100).silenceStore();
        SilenceStore b = open(new SimpleMeterRegistry(), 100).silenceStore();
        Silence s = silence("region = Tbilisi", T0.minusSeconds(60), T0.plusSeconds(3600));
        a.add(s);
        assertEquals(List.of(s), b.current(T0), "added through one, listed by the other at its next call");
        b.expire(s.id(), T0);
        assertEquals(List.of(), a.current(T0), "expired through the other, gone from the first at once");
        clock.set(T0.plusSeconds(1));
        assertEquals(List.of(s.expire(T0)), a.endedSince(T0.minusSeconds(60), 10));
    }

    @Test
    void theBoundOnSilencesNotEndedHoldsAcrossInstancesAndIsCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SilenceStore a = open(registry, 3).silenceStore();
        SilenceStore b = open(new SimpleMeterRegistry(), 3).silenceStore();
        a.add(silence("device = ended", T0.minusSeconds(600), T0.minusSeconds(60))); // ended: not counted
        Silence one = silence("device = r1", T0.minusSeconds(60), T0.plusSeconds(600));
        a.add(one);
        b.add(silence("device = r2", T0, T0.plusSeconds(600)));
        a.add(silence("device = r3", T0.plusSeconds(60), T0.plusSeconds(600)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.add(silence("device = r4", T0, T0.plusSeconds(600))));
        assertTrue(e.getMessage().contains("maximum of 3"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.add(silence("device = r4", T0, T0.plusSeconds(600))));
        assertEquals(1.0, registry.get("ward.storage.silences.refused").counter().count());
        a.add(new Silence(one.id(), LabelSelector.parse("device = r1b"), one.startsAt(), one.endsAt(), "noc", "changed", T0));
        assertEquals("device = r1b", a.current(T0).stream().filter(x -> x.id().equals(one.id())).findFirst()
                .orElseThrow().matchers().text(), "replacing one is not a new one");
        a.expire(one.id(), T0);
        b.add(silence("device = r4", T0, T0.plusSeconds(600)));
        assertEquals(3, a.current(T0).size());
    }

    @Test
    void concurrentAddsFromTwoInstancesNeverPassTheBound() throws Exception {
        SilenceStore a = open(new SimpleMeterRegistry(), 5).silenceStore();
        SilenceStore b = open(new SimpleMeterRegistry(), 5).silenceStore();
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Void>> adds = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            SilenceStore s = i % 2 == 0 ? a : b;
            String m = "device = d" + i;
            adds.add(() -> {
                try {
                    s.add(silence(m, T0, T0.plusSeconds(600)));
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> f : pool.invokeAll(adds)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, PgSupport.count(db, "SELECT count(*) FROM silences"));
        assertEquals(11, refused.get());
    }

    @Test
    void aMalformedRowIsSkippedCountedAndBreaksNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PostgresStorage storage = open(registry, 100);
        SilenceStore store = storage.silenceStore();
        Silence good = silence("region = Tbilisi", T0.minusSeconds(60), T0.plusSeconds(600));
        store.add(good);
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO silences (id, matchers, starts_at, ends_at, author, comment, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, '', ?, ?)")) {
            Object[][] bad = {
                {UUID.randomUUID(), "region = (Tbilisi", "noc"},   // no longer parses
                {UUID.randomUUID(), "region = Tbilisi", "   "},    // a blank author: the record refuses it
            };
            for (Object[] r : bad) {
                ps.setObject(1, r[0]);
                ps.setString(2, (String) r[1]);
                ps.setTimestamp(3, java.sql.Timestamp.from(T0.minusSeconds(120)));
                ps.setTimestamp(4, java.sql.Timestamp.from(T0.plusSeconds(600)));
                ps.setString(5, (String) r[2]);
                ps.setTimestamp(6, java.sql.Timestamp.from(T0));
                ps.setTimestamp(7, java.sql.Timestamp.from(T0));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        assertEquals(List.of(good), store.current(T0), "the good one is listed; the bad ones are left out");
        assertEquals(2.0, registry.get("ward.storage.rows.unreadable").tag("table", "silences").counter().count());
        assertEquals(List.of(good), store.current(T0), "every read leaves them out (its warning is rate-limited)");
        assertEquals(4.0, registry.get("ward.storage.rows.unreadable").tag("table", "silences").counter().count());
        // a bad row still counts toward the bound, and can still be expired
        String badId = null;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM silences WHERE matchers = 'region = (Tbilisi'")) {
            rs.next();
            badId = rs.getString(1);
        }
        assertEquals(Optional.empty(), store.expire(UUID.fromString(badId), T0));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM silences WHERE matchers = 'region = (Tbilisi' AND ends_at = '"
                + T0 + "'"));
    }

    // ---- notification log ----

    @Test
    void theLogAnswersLastAndForAlertInAppendOrderWithTheLimit() throws Exception {
        NotificationLog log = open(new SimpleMeterRegistry(), 100).notificationLog();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Entry e1 = entry("noc-email", "route/region=Tbilisi", Set.of(a), Set.of(), "new", T0);
        Entry e2 = entry("noc-email", "route/region=Tbilisi", Set.of(a, b), Set.of(), "changed", T0.plusSeconds(300));
        Entry e3 = entry("oncall-telegram", "route/region=Tbilisi", Set.of(), Set.of(a), "changed", T0.plusSeconds(400));
        Entry e4 = entry("noc-email", "route/region=Batumi", Set.of(b), Set.of(), "new", T0.plusSeconds(500));
        for (Entry e : List.of(e1, e2, e3, e4)) {
            log.append(e);
        }
        assertEquals(Optional.of(e2), log.last("noc-email", "route/region=Tbilisi"));
        assertEquals(Optional.of(e3), log.last("oncall-telegram", "route/region=Tbilisi"));
        assertEquals(Optional.empty(), log.last("oncall-telegram", "route/region=Batumi"));
        assertEquals(List.of(e3, e2, e1), log.forAlert(a, 10), "firing or resolved, newest first");
        assertEquals(List.of(e3, e2), log.forAlert(a, 2));
        assertEquals(List.of(e4, e2), log.forAlert(b, 10));
        assertEquals(List.of(), log.forAlert(UUID.randomUUID(), 10));
        assertThrows(IllegalArgumentException.class, () -> log.forAlert(a, 0));

        // the groups receivers were last told are firing: e2 and e4, not e3 (it told a resolution), newest first
        assertEquals(List.of(e4, e2), log.stillFiring(10));
        assertEquals(List.of(e4), log.stillFiring(1));
        assertThrows(IllegalArgumentException.class, () -> log.stillFiring(0));

        Entry again = entry("noc-email", "route/region=Tbilisi", Set.of(a, b), Set.of(), "repeat", T0.plusSeconds(3600));
        log.append(again);
        assertEquals(Optional.of(again), log.last("noc-email", "route/region=Tbilisi"));
        Entry over = entry("noc-email", "route/region=Batumi", Set.of(), Set.of(b), "changed", T0.plusSeconds(3700));
        log.append(over);
        assertEquals(List.of(again), log.stillFiring(10), "a group told resolved is no longer listed");
    }

    @Test
    void aNullAlertIdWrittenBySqlIsLeftOutOfTheEntryAndCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NotificationLog log = open(registry, 100).notificationLog();
        UUID a = UUID.randomUUID();
        PgSupport.exec(db, "INSERT INTO notification_log (receiver, group_key, firing, resolved, reason, sent_at)"
                + " VALUES ('r', 'g', ARRAY[NULL, '" + a + "']::uuid[], '{}', 'new', '" + T0 + "')");
        assertEquals(Optional.of(entry("r", "g", Set.of(a), Set.of(), "new", T0)), log.last("r", "g"));
        assertEquals(1.0, registry.get("ward.storage.rows.partly_read").tag("table", "notification_log").counter().count());
        assertEquals(1, log.forAlert(a, 5).size());
    }

    @Test
    void aSecondInstanceReadsWhatTheFirstAppendedAtOnce() throws Exception {
        NotificationLog a = open(new SimpleMeterRegistry(), 100).notificationLog();
        NotificationLog b = open(new SimpleMeterRegistry(), 100).notificationLog();
        UUID alert = UUID.randomUUID();
        Entry e = entry("noc-email", "g", Set.of(alert), Set.of(), "new", T0);
        a.append(e); // synchronous: committed when it returns
        assertEquals(Optional.of(e), b.last("noc-email", "g"));
        assertEquals(List.of(e), b.forAlert(alert, 5));
    }

    @Test
    void removeBeforeKeepsTheLastEntryOfAGroupThatStillNamesFiringAlerts() throws Exception {
        NotificationLog log = open(new SimpleMeterRegistry(), 100).notificationLog();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Instant cut = T0.minus(Duration.ofDays(30));
        Entry g1old = entry("r", "g1", Set.of(a), Set.of(), "new", T0.minus(Duration.ofDays(40)));
        Entry g1last = entry("r", "g1", Set.of(a), Set.of(), "repeat", T0.minus(Duration.ofDays(35)));
        Entry g2old = entry("r", "g2", Set.of(b), Set.of(), "new", T0.minus(Duration.ofDays(40)));
        Entry g2resolved = entry("r", "g2", Set.of(), Set.of(b), "changed", T0.minus(Duration.ofDays(39)));
        Entry g3old = entry("r", "g3", Set.of(c), Set.of(), "new", T0.minus(Duration.ofDays(40)));
        Entry g3new = entry("r", "g3", Set.of(c), Set.of(), "repeat", T0.minus(Duration.ofDays(1)));
        Entry otherReceiver = entry("s", "g1", Set.of(a), Set.of(), "new", T0.minus(Duration.ofDays(40)));
        for (Entry e : List.of(g1old, g1last, g2old, g2resolved, g3old, g3new, otherReceiver)) {
            log.append(e);
        }
        assertEquals(4, log.removeBefore(cut));
        assertEquals(Optional.of(g1last), log.last("r", "g1"), "still names a firing alert: kept past the cut-off");
        assertEquals(Optional.empty(), log.last("r", "g2"), "its last entry fires nothing: removed");
        assertEquals(Optional.of(g3new), log.last("r", "g3"));
        assertEquals(Optional.of(otherReceiver), log.last("s", "g1"), "the last per receiver and group");
        assertEquals(List.of(g1last), log.forAlert(a, 10).stream().filter(e -> e.receiver().equals("r")).toList());
        assertEquals(0, log.removeBefore(cut), "idempotent");
    }

    @Test
    void maintenanceExpiresTheLogAndEndedSilencesAfterTheNotificationRetention() throws Exception {
        PostgresStorage storage = PostgresStorage.open(PgSupport.options(db, dir.resolve("spool-m"), new SimpleMeterRegistry())
                .clock(clock).notificationRetention(Duration.ofDays(7)).maintenanceInterval(Duration.ofDays(1)).build());
        opened.add(storage);
        Silence endedLongAgo = silence("device = old", T0.minus(Duration.ofDays(10)), T0.minus(Duration.ofDays(8)));
        Silence endedRecently = silence("device = recent", T0.minus(Duration.ofDays(10)), T0.minus(Duration.ofDays(6)));
        Silence current = silence("device = now", T0.minus(Duration.ofDays(10)), T0.plus(Duration.ofDays(6)));
        for (Silence s : List.of(endedLongAgo, endedRecently, current)) {
            storage.silenceStore().add(s);
        }
        storage.notificationLog().append(entry("r", "g", Set.of(UUID.randomUUID()), Set.of(), "new",
                T0.minus(Duration.ofDays(9))));
        Entry last = entry("r", "g", Set.of(UUID.randomUUID()), Set.of(), "changed", T0.minus(Duration.ofDays(8)));
        storage.notificationLog().append(last);
        // the maintenance thread may be running its first pass: then this one is skipped, so try until done
        PgSupport.await("notification retention", Duration.ofSeconds(30), () -> {
            storage.runMaintenance();
            try {
                return PgSupport.count(db, "SELECT count(*) FROM silences") == 2
                        && PgSupport.count(db, "SELECT count(*) FROM notification_log") == 1;
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(endedRecently), storage.silenceStore().endedSince(T0.minus(Duration.ofDays(30)), 10));
        assertEquals(Optional.of(last), storage.notificationLog().last("r", "g"));
    }

    @Test
    void theReadsUseTheirIndexes() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET enable_seqscan = off");
            assertTrue(plan(st, "SELECT * FROM notification_log WHERE (firing || resolved) @> ARRAY['"
                    + UUID.randomUUID() + "']::uuid[] ORDER BY id DESC LIMIT 5").contains("notification_log_alerts_idx"));
            assertTrue(plan(st, "SELECT * FROM notification_log WHERE receiver = 'r' AND group_key = 'g'"
                    + " ORDER BY id DESC LIMIT 1").contains("notification_log_last_idx"));
            assertTrue(plan(st, "SELECT * FROM silences WHERE ends_at > now() ORDER BY starts_at LIMIT 10")
                    .contains("silences_ends_at_idx"));
            assertTrue(plan(st, "SELECT * FROM alerts WHERE alert_id = '" + UUID.randomUUID() + "'")
                    .contains("alerts_alert_id_key"));
        }
    }

    private static String plan(Statement st, String sql) throws java.sql.SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    // ---- AlertStore.find ----

    @Test
    void findReadsAnOpenOrAResolvedAlertByItsId() throws Exception {
        PostgresStorage a = open(new SimpleMeterRegistry(), 100);
        PostgresStorage b = open(new SimpleMeterRegistry(), 100);
        DeviceId d1 = DeviceId.fromKey("find-1");
        DeviceId d2 = DeviceId.fromKey("find-2");
        Alert open = new Alert(UUID.randomUUID(), d1, "r1", 0, "Device Down", Severity.CRITICAL, "down", T0,
                T0.plusSeconds(60), null, null, null, null, 0);
        Alert resolved = new Alert(UUID.randomUUID(), d2, "r2", 0, "Device Down", Severity.HIGH, "down", T0,
                T0.plusSeconds(60), null, null, null, null, 0).resolve(T0.plusSeconds(600), "condition cleared");
        a.alertStore().opened(open);
        a.alertStore().opened(resolved);
        a.alertStore().resolved(resolved);
        assertEquals(Optional.of(open), a.alertStore().find(open.id()), "written behind, but a read writes first");
        a.flushStateWrites();
        assertEquals(Optional.of(open), b.alertStore().find(open.id()));
        Alert r = b.alertStore().find(resolved.id()).orElseThrow();
        assertEquals(resolved, r);
        assertEquals(T0.plusSeconds(600), r.resolvedAt());
        assertEquals(Optional.empty(), b.alertStore().find(UUID.randomUUID()));
    }
}
