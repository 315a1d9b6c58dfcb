package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The traps table (V12): a trap reads back whole, a device's latest come newest first, and the maintenance expires them after the event retention. */
class TrapStoreIT {
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

    private PostgresStorage open(Duration eventRetention) {
        PostgresStorage s = PostgresStorage.open(PgSupport.options(db, dir.resolve("spool-" + opened.size()),
                new SimpleMeterRegistry()).clock(clock).eventRetention(eventRetention)
                .maintenanceInterval(Duration.ofDays(1)).build());
        opened.add(s);
        return s;
    }

    private static TrapStore.Trap trap(UUID device, Instant at, String kind, Integer ifIndex) {
        return new TrapStore.Trap(device, at, kind, "1.3.6.1.6.3.1.1.5.3", ifIndex, "v2c", false, "127.0.0.1", "127.47.0.1",
                null, 4242L, List.of(new TrapStore.Binding("1.3.6.1.2.1.2.2.1.1.3", "INTEGER", "3"),
                        new TrapStore.Binding("1.3.6.1.2.1.2.2.1.2.3", "STRING", "\"uplink, ISP 'Magti'\"")), 1, 2);
    }

    @Test
    void aTrapReadsBackWholeAndTheLatestComeFirst() {
        PostgresStorage s = open(Duration.ofDays(3650));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        TrapStore.Trap first = trap(a, T0.minusSeconds(20), "linkDown", 3);
        TrapStore.Trap second = new TrapStore.Trap(a, T0.minusSeconds(10), "warmStart", "1.3.6.1.6.3.1.1.5.2", null, "v3",
                true, "::1", null, "trapuser", null, List.of(), 0, 0);
        s.traps().add(first);
        s.traps().add(second);
        s.traps().add(trap(b, T0, "linkUp", 1));
        assertEquals(List.of(second, first), s.traps().latest(a, 10));
        assertEquals(List.of(second), s.traps().latest(a, 1));
        assertEquals(1, s.traps().latest(b, 10).size());
        assertTrue(s.traps().latest(UUID.randomUUID(), 10).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> s.traps().latest(a, 0));
        assertThrows(IllegalArgumentException.class, () -> s.traps().latest(a, TrapStore.MAX_LIMIT + 1));
    }

    @Test
    void maintenanceExpiresTrapsAfterTheEventRetention() throws Exception {
        PostgresStorage s = open(Duration.ofDays(7));
        UUID a = UUID.randomUUID();
        TrapStore.Trap recent = trap(a, T0.minus(Duration.ofDays(6)), "linkUp", 3);
        s.traps().add(trap(a, T0.minus(Duration.ofDays(8)), "linkDown", 3));
        s.traps().add(recent);
        // the maintenance thread may be running its first pass: then this one is skipped, so try until done
        PgSupport.await("trap retention", Duration.ofSeconds(30), () -> {
            s.runMaintenance();
            try {
                return PgSupport.count(db, "SELECT count(*) FROM traps") == 1;
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(recent), s.traps().latest(a, 10));
    }
}
