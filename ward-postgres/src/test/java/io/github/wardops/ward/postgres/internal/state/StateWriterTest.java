package io.github.wardops.ward.postgres.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind queue while the database is away (a data source that refuses connections,
 * like PostgreSQL when it is down): changes are kept, coalesced, bounded, and every drop is
 * counted.
 */
class StateWriterTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StateWriter writer = new StateWriter(DSL.using(new Refusing(), SQLDialect.POSTGRES), () -> { }, 1_000,
            Duration.ofHours(1), registry, false);

    /** A data source whose server is away: SQLState 08001, as the driver reports a refused connection. */
    static final class Refusing implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @AfterEach
    void close() {
        writer.close();
    }

    static DeviceState state(String key, int ifIndex, DeviceStatus s) {
        return new DeviceState(new StateKey(DeviceId.fromKey(key), ifIndex), s, T0, false, 0, 3, 0, T0);
    }

    double dropped(String kind) {
        return registry.counter("ward.storage.state.dropped", "kind", kind).count();
    }

    @Test
    void statesAreCoalescedByKeyAndKeptWhileTheDatabaseIsAway() {
        writer.save(state("a", 0, DeviceStatus.DOWN));
        writer.save(state("a", 0, DeviceStatus.UP));
        writer.save(state("a", 2, DeviceStatus.DOWN));
        assertEquals(2, writer.pending());
        WardException e = assertThrows(WardException.class, writer::flush);
        assertTrue(e.getMessage().contains("08001"), e.getMessage());
        assertEquals(2, writer.pending(), "put back, not lost");
        assertEquals(0, dropped("state"));
    }

    @Test
    void overTheBoundNewKeysAreDroppedAndCountedButKnownKeysStillUpdate() {
        for (int i = 0; i < 1_000; i++) {
            writer.save(state("d" + i, 0, DeviceStatus.DOWN));
        }
        writer.save(state("one-too-many", 0, DeviceStatus.DOWN));
        writer.save(state("d7", 0, DeviceStatus.UP));
        assertEquals(1_000, writer.pending());
        assertEquals(1, dropped("state"));
        assertThrows(WardException.class, writer::flush);
        assertEquals(1_000, writer.pending());
        assertEquals(1, dropped("state"), "a failed round puts everything back");
    }

    @Test
    void aDeleteDropsTheDevicesEarlierSavesAndLaterSavesFollowIt() {
        writer.save(state("gone", 0, DeviceStatus.DOWN));
        writer.save(state("gone", 4, DeviceStatus.DOWN));
        writer.delete(DeviceId.fromKey("gone"));
        assertEquals(1, writer.pending(), "one delete");
        writer.save(state("gone", 0, DeviceStatus.UNKNOWN));
        assertEquals(2, writer.pending(), "the delete, then the new save");
    }

    @Test
    void historyAndSilencesAreBoundedAndCounted() {
        StateTransition t = new StateTransition(StateKey.of(DeviceId.fromKey("h")), DeviceStatus.UP, DeviceStatus.DOWN,
                T0, false, "3 failed cycles", T0);
        Silence s = new Silence(DeviceId.fromKey("h"), 0, "Ping Unavailable", "nightly", T0);
        for (int i = 0; i < 1_001; i++) {
            writer.history(t);
            writer.silence(s);
        }
        assertEquals(1, dropped("history"));
        assertEquals(1, dropped("silence"));
        assertEquals(2_000, writer.pending());
        assertThrows(WardException.class, writer::flush);
        assertEquals(2_000, writer.pending());
    }

    @Test
    void anOlderCopyOfAnAlertNeverUndoesItsResolutionOrAcknowledgement() {
        Alert open = new Alert(UUID.randomUUID(), DeviceId.fromKey("x"), "x", 0, "Device Down", Severity.CRITICAL, "down",
                T0, T0.plusSeconds(60), null, null, null, null, 0);
        Alert resolved = open.resolve(T0.plusSeconds(300), "condition cleared");
        Alert acked = open.acknowledge(T0.plusSeconds(200), "nino");
        assertEquals(resolved.acknowledge(T0.plusSeconds(200), "nino"), StateWriter.merge(resolved, acked));
        assertEquals(resolved.acknowledge(T0.plusSeconds(200), "nino"), StateWriter.merge(acked, resolved));
        writer.alert(open);
        writer.alert(resolved);
        writer.alert(acked);
        assertEquals(1, writer.pending(), "coalesced by id");
    }

    @Test
    void closingWhileTheDatabaseIsAwayCountsWhatIsLost() {
        writer.save(state("lost", 0, DeviceStatus.DOWN));
        writer.alert(new Alert(UUID.randomUUID(), DeviceId.fromKey("lost"), "lost", 0, "Device Down", Severity.CRITICAL,
                "down", T0, T0, null, null, null, null, 0));
        writer.close();
        assertEquals(0, writer.pending());
        assertEquals(1, dropped("state"));
        assertEquals(1, dropped("alert"));
    }
}
