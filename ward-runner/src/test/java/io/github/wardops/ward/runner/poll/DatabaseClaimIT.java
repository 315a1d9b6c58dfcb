package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One runner per database, on a real PostgreSQL: the claim is a session advisory lock, so the
 * server frees it when the holder's session ends, however it ends.
 */
class DatabaseClaimIT {
    @TempDir
    static Path dir;
    static EmbeddedDatabase db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    /** A raw connection of the test's own: the embedded database's unpooled data source, as PgSupport.connect in ward-postgres. */
    private static Connection connect() throws SQLException {
        return db.dataSource().getConnection();
    }

    private static String one(String sql, String arg) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            if (arg != null) {
                st.setString(1, arg);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Ends a claim's session from the server side, as a lost network or a killed process would. */
    private static void endSessionOf(String name) throws SQLException {
        assertEquals("t", one("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?", name));
    }

    @Test
    void aSecondRunnerIsRefusedWithTheFirstOnesNameUntilTheFirstSessionEnds() throws Exception {
        try (DatabaseClaim a = new DatabaseClaim(DatabaseClaimIT::connect, "ward-runner on host-a, pid 1");
             DatabaseClaim b = new DatabaseClaim(DatabaseClaimIT::connect, "ward-runner on host-b, pid 2")) {
            assertTrue(a.tryClaim());
            assertTrue(a.claimed());
            assertTrue(a.tryClaim(), "claiming again is a no-op");

            WardException refused = assertThrows(WardException.class, b::tryClaim);
            assertTrue(refused.getMessage().startsWith("another ward runner already uses this database (ward-runner on "
                    + "host-a, pid 1, connected from 127.0.0.1 since "), refused.getMessage());
            assertTrue(refused.getMessage().contains("give this one a database of its own"), refused.getMessage());
            assertFalse(refused.getMessage().contains(db.password().reveal()), "no secret in the message");
            assertFalse(b.claimed());
            assertNull(a.check(), "the holder's check passes");

            // a's session ends (its host vanished, or it was killed): b may start now
            endSessionOf("ward-runner on host-a, pid 1");
            assertNull(b.check(), "b claims on its next check");
            assertTrue(b.claimed());
            // and a, when it notices, must stop: it names b
            String stop = a.check();
            assertTrue(stop != null && stop.contains("ward-runner on host-b, pid 2"), String.valueOf(stop));
            assertFalse(a.claimed());

            // b stops cleanly: its claim is freed at once, and a may claim again
            b.close();
            assertNull(a.check());
            assertTrue(a.claimed());
        }
    }

    @Test
    void aLostSessionIsClaimedAgainWhenNobodyElseTookIt() throws Exception {
        try (DatabaseClaim a = new DatabaseClaim(DatabaseClaimIT::connect, "ward-runner on host-c, pid 3")) {
            assertTrue(a.tryClaim());
            // the claim's session runs no transaction between its statements: it holds back no vacuum
            assertEquals("idle", one("SELECT state FROM pg_stat_activity WHERE application_name = ?",
                    "ward-runner on host-c, pid 3"));
            assertNull(one("SELECT coalesce(backend_xmin::text, backend_xid::text) FROM pg_stat_activity "
                    + "WHERE application_name = ?", "ward-runner on host-c, pid 3"));
            assertNull(a.check());
            assertNull(one("SELECT coalesce(backend_xmin::text, backend_xid::text) FROM pg_stat_activity "
                    + "WHERE application_name = ?", "ward-runner on host-c, pid 3"), "nor after a check");
            endSessionOf("ward-runner on host-c, pid 3");
            assertNull(a.check(), "the lost session is replaced and the claim taken again");
            assertTrue(a.claimed());
            assertEquals("ward-runner on host-c, pid 3", one("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                    + "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.objid = 1 AND l.granted AND a.application_name = ?", "ward-runner on host-c, pid 3"));
        }
    }

    @Test
    void theClaimsSessionHasTcpKeepalivesSoTheServerFreesItWhenItsHostVanishes() throws Exception {
        Connection c = connect();
        try (DatabaseClaim probe = new DatabaseClaim(() -> c, "ward-runner on host-k2, pid 10")) {
            assertTrue(probe.tryClaim());
            try (PreparedStatement st = c.prepareStatement("SELECT current_setting('tcp_keepalives_idle'), "
                    + "current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count'), "
                    + "current_setting('application_name')"); ResultSet rs = st.executeQuery()) {
                rs.next();
                // over TCP the server reports what was set; over a Unix socket it would say 0
                assertEquals("10", rs.getString(1));
                assertEquals("5", rs.getString(2));
                assertEquals("3", rs.getString(3));
                assertEquals("ward-runner on host-k2, pid 10", rs.getString(4));
            }
        }
        assertTrue(c.isClosed(), "closing the claim closes its session");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsClaimedLaterAndNeverRefusesTheRunner() throws Exception {
        boolean[] up = {false};
        try (DatabaseClaim a = new DatabaseClaim(() -> {
            if (!up[0]) {
                throw new SQLException("Connection to 127.0.0.1:1 refused", "08001");
            }
            return connect();
        }, "ward-runner on host-d, pid 4")) {
            assertFalse(a.tryClaim());
            assertNull(a.check());
            assertFalse(a.claimed());
            up[0] = true;
            assertNull(a.check());
            assertTrue(a.claimed());
        }
    }

    @Test
    void aClosedClaimClaimsNothing() throws Exception {
        DatabaseClaim a = new DatabaseClaim(DatabaseClaimIT::connect, "ward-runner on host-e, pid 5");
        a.close();
        assertFalse(a.tryClaim());
        assertNull(a.check());
        a.close();
        assertNull(one("SELECT a.application_name FROM pg_stat_activity a WHERE a.application_name = ?",
                "ward-runner on host-e, pid 5"), "no session was opened");
    }
}
