package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.WardException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One runner per database, until runners can share one (issue 17). Two runners on one
 * PostgreSQL poll every device twice, open and notify every alert twice, and resolve each
 * other's alerts; so a runner claims its database with a PostgreSQL advisory lock, held on a
 * connection of its own for as long as it runs, and a second runner is refused with the first
 * one's identity.
 *
 * <p>PostgreSQL decides who holds the claim, not a clock: a session advisory lock lives exactly as
 * long as its session. A runner that exits, or is killed, closes its socket and the server frees
 * the lock at once; a runner whose host vanishes is found dead by the session's TCP keepalives
 * (set on the server side to 10 s idle, then 3 probes 5 s apart), so a replacement can start
 * within about 25 s. The session runs no transaction between its statements, so it holds back no
 * vacuum (a transaction-level lock in a transaction kept open would: its backend keeps an xmin).
 * The session is named ({@code application_name}) with the runner's host and pid, which is what a
 * refused runner reports. A session lock needs a real session: behind PgBouncer in transaction
 * mode it would stay behind on a pooled server connection, so there the claim is turned off
 * ({@code db-claim: false}) or made through a session-mode pool.
 *
 * <p>When the database does not answer at start, the runner starts all the same (results are
 * spooled) and claims it at the first {@link #check} that reaches it. When the claim's session is
 * lost later, {@link #check} claims again on a new session; if another runner took the database
 * meanwhile, {@link #check} says so and the runner stops. Thread-safe.
 */
final class DatabaseClaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseClaim.class);
    /** The advisory lock's first key: "ward" in ASCII. */
    static final int LOCK_CLASS = 0x77617264;
    /** The advisory lock's second key: the one-runner-per-database claim. */
    static final int LOCK_OBJECT = 1;

    /** Opens a new connection to the database. */
    @FunctionalInterface
    interface Connector {
        /**
         * Opens a connection.
         *
         * @return the connection
         * @throws SQLException when the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final String name;
    /** The session that holds the lock; {@code null} when none does. Guarded by this. */
    private Connection held;
    private boolean closed;

    /**
     * A claim, not yet tried.
     *
     * @param connector opens the claim's own connection
     * @param name how this runner names itself to others (host and pid)
     */
    DatabaseClaim(Connector connector, String name) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Claims the database if it answers.
     *
     * @return {@code true} when this runner holds the claim, {@code false} when the database did not answer
     * @throws WardException when another runner holds it; the message names that runner
     */
    synchronized boolean tryClaim() {
        if (closed) {
            return false;
        }
        if (held != null) {
            return true;
        }
        Connection c;
        try {
            c = connector.open();
        } catch (SQLException e) {
            LOG.debug("database claim: the database did not answer: {}", e.getMessage());
            return false;
        }
        try {
            try (PreparedStatement st = c.prepareStatement("SELECT set_config('application_name', ?, false), "
                    + "set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), "
                    + "set_config('tcp_keepalives_count', '3', false)")) {
                st.setString(1, name);
                st.execute();
            }
            if (lock(c)) {
                held = c;
                LOG.info("database: claimed for this runner ({}); a second runner on this database is refused until "
                        + "this one stops", name);
                return true;
            }
            String holder = holder(c);
            throw new WardException("another ward runner already uses this database (" + holder + "). Runners "
                    + "cannot share a database yet: two would poll every device twice and open every alert twice. "
                    + "Stop the other runner, or give this one a database of its own (db-url)");
        } catch (SQLException e) {
            closeQuietly(c);
            LOG.debug("database claim: the database stopped answering: {}", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Whether this runner holds the claim now.
     *
     * @return {@code true} while the claim's session is held
     */
    synchronized boolean claimed() {
        return held != null;
    }

    /**
     * The periodic check: whether the claim's session still answers; when it does not, claims
     * again on a new one.
     *
     * @return why this runner must stop (another runner holds the database), or {@code null}
     */
    String check() {
        synchronized (this) {
            if (closed) {
                return null;
            }
            if (held != null) {
                try (PreparedStatement st = held.prepareStatement("SELECT 1")) {
                    st.setQueryTimeout(5);
                    st.execute();
                    return null;
                } catch (SQLException e) {
                    LOG.warn("database: the session that holds this runner's claim was lost ({}); claiming again",
                            e.getMessage());
                    closeQuietly(held);
                    held = null;
                }
            }
        }
        try {
            tryClaim();
            return null;
        } catch (WardException e) {
            LOG.error("database: {}", e.getMessage());
            return e.getMessage();
        }
    }

    private static boolean lock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, LOCK_OBJECT);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Who holds the lock, as far as this database user may see (its name, address and start). */
    private static String holder(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT a.application_name, host(a.client_addr), a.backend_start "
                + "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2 "
                + "AND l.granted LIMIT 1")) {
            st.setLong(1, LOCK_CLASS);
            st.setLong(2, LOCK_OBJECT);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return "it stopped just now; start this one again";
                }
                String app = rs.getString(1);
                String addr = rs.getString(2);
                java.sql.Timestamp since = rs.getTimestamp(3);
                if (app == null) {
                    return "its session is not visible to this database user";
                }
                return app + (addr == null ? "" : ", connected from " + addr)
                        + (since == null ? "" : " since " + since.toInstant());
            }
        }
    }

    /** Frees the claim: unlocks and closes its session. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (held == null) {
            return;
        }
        try (PreparedStatement st = held.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, LOCK_OBJECT);
            st.execute();
        } catch (SQLException e) {
            LOG.debug("database claim: unlock failed ({}); closing its session frees it", e.getMessage());
        }
        closeQuietly(held);
        held = null;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("database claim: closing its session failed: {}", e.getMessage());
        }
    }
}
