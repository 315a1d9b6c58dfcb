package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.support.PrivateFiles;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.http.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's PostgreSQL: the embedded server in {@code data-dir/pg} when no {@code db-url} is
 * set, and {@link PostgresStorage} over it (schema migrated on open, result sink with a spool in
 * {@code data-dir/spool}, hourly partition maintenance with the configured retention).
 *
 * <p>With {@code inventory-source} {@code file} or {@code both}, {@link #importInventory} upserts
 * the file into the {@code devices} table on start and after each reload, so SQL over the results
 * can join names and labels (and, with {@code both}, so the table holds every device polled).
 * Opening never fails because an external database is down
 * (the sink spools); only the embedded server failing to start is fatal. Thread-safe.
 * {@link #close()} closes the storage, then stops the embedded server; idempotent.
 */
public final class Storage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final EmbeddedDatabase embedded;
    private final PostgresStorage storage;
    private final String describe;
    private final String jdbcUrl;
    private final String user;
    private final Secret password;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** This runner's claim on the database, once {@link #claim} was called; else {@code null}. */
    private volatile DatabaseClaim claim;

    private Storage(EmbeddedDatabase embedded, PostgresStorage storage, String describe, String jdbcUrl, String user,
                    Secret password) {
        this.embedded = embedded;
        this.storage = storage;
        this.describe = describe;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Starts the embedded server (when no {@code db-url} is set) and opens the storage.
     *
     * @param settings the settings; {@link RunSettings#storage()} must be on
     * @param registry where the storage's meters go
     * @return the storage
     * @throws WardException when the embedded server cannot start, or the spool directory cannot be used
     */
    public static Storage open(RunSettings settings, MeterRegistry registry) {
        Path dataDir = settings.dataDir().toAbsolutePath();
        EmbeddedDatabase embedded = null;
        try {
            PrivateFiles.directory(dataDir);
        } catch (java.io.IOException e) {
            throw new WardException("cannot use the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        try {
            PostgresOptions.Builder b = PostgresOptions.builder()
                    .spoolDirectory(dataDir.resolve("spool"))
                    .meterRegistry(registry);
            for (String table : PostgresOptions.RETAINED_TABLES) {
                b.retention(table, settings.dbRetention());
            }
            b.rollupRetention(settings.dbRollupRetention()).eventRetention(settings.dbEventRetention());
            String describe;
            String url;
            String user;
            Secret password;
            if (settings.dbUrl() == null) {
                Path pg = dataDir.resolve("pg");
                LOG.info("database: starting the embedded PostgreSQL in {} (set db-url to use your own server)", pg);
                // The runner stops the server itself, after the engine drained into it.
                embedded = EmbeddedDatabase.start(pg, 0, false);
                embedded.bindTo(registry);
                url = embedded.jdbcUrl();
                user = embedded.user();
                password = embedded.password();
                b.jdbc(url, user, password).migrate(false);   // EmbeddedDatabase.start migrated it, once is enough
                describe = "embedded PostgreSQL in " + pg + " on 127.0.0.1:" + embedded.port();
                LOG.info("database: the embedded PostgreSQL accepts password logins only; user {}, password in {} "
                        + "(PGPASSFILE for psql and pg_dump)", embedded.user(), embedded.passwordFile());
            } else {
                url = settings.dbUrl();
                user = settings.dbUser();
                password = settings.secret(RunSettings.DB_PASSWORD).orElse(null);
                b.jdbc(url, user, password);
                describe = "PostgreSQL " + hostPart(settings.dbUrl());
            }
            PostgresStorage storage = PostgresStorage.open(b.build());
            bindPoolMetrics(storage, registry);
            Storage s = new Storage(embedded, storage, describe, url, user, password);
            String problem = s.probe();
            if (problem == null) {
                LOG.info("database: {} reachable, schema migrated; results spool to {} while it is away", describe,
                        dataDir.resolve("spool"));
            } else {
                LOG.warn("database: {} NOT reachable ({}); starting anyway, results are spooled to {} until it is back. "
                        + "Fix: check db-url, db-user, db-password and that the server accepts connections from this host",
                        describe, problem, dataDir.resolve("spool"));
            }
            return s;
        } catch (RuntimeException | Error e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Puts the pool's meters (hikaricp_*) on the registry, when the pool is ward's HikariCP pool. */
    private static void bindPoolMetrics(PostgresStorage storage, MeterRegistry registry) {
        if (storage.dataSource() instanceof com.zaxxer.hikari.HikariDataSource h) {
            try {
                h.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
            } catch (RuntimeException e) {
                LOG.info("database: the connection pool's meters are not available: {}", e.getClass().getSimpleName());
            }
        }
    }

    /** The URL without its query (which could hold options we do not want in a log line). */
    private static String hostPart(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    /**
     * The storage.
     *
     * @return the storage
     */
    public PostgresStorage storage() {
        return storage;
    }

    /**
     * Upserts the inventory into the {@code devices} table; a failure (database away) is logged,
     * never thrown: the next reload or restart tries again.
     *
     * @param devices the inventory
     * @return {@code true} when written
     */
    public boolean importInventory(Collection<Device> devices) {
        try {
            int n = storage.devices().upsertAll(devices);
            LOG.info("database: {} devices of the inventory upserted into the devices table", n);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("database: the inventory could not be written to the devices table ({}); polling goes on, "
                    + "it is written again at the next inventory reload or restart", e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The readiness check {@code database}: ready when a connection answers within 2 s. With the
     * embedded server, the detail also says whether it runs or is being restarted, and how many
     * restarts happened.
     *
     * @return the check
     */
    public ReadinessCheck readiness() {
        return ReadinessCheck.of("database", () -> {
            long spooled = storage.spooledRows();
            String server = embedded == null ? "" : "; server " + embedded.status();
            if (embedded != null && !embedded.isRunning()) {
                return new ReadinessCheck.Result(false, describe + " not reachable" + server + ", " + spooled + " rows spooled");
            }
            // Never "ready" while results are lost or cannot be written, even if a connection answers
            var writing = storage.writeProblem();
            String problem = probe();
            if (writing.isPresent()) {
                return new ReadinessCheck.Result(false, describe + (problem == null ? " reachable" : " not reachable ("
                        + problem + ")") + server + ", but " + writing.get() + "; " + spooled + " rows spooled");
            }
            return problem == null
                    ? new ReadinessCheck.Result(true, describe + " reachable, " + spooled + " rows spooled" + server)
                    : new ReadinessCheck.Result(false, describe + " not reachable (" + problem + ")" + server + ", " + spooled
                            + " rows spooled");
        });
    }

    /** Null when a connection answers, else what went wrong (no secrets: the class and SQL state only). */
    /**
     * Opens a connection of its own, outside the pool, for the runner's claim on the database
     * ({@link DatabaseClaim}): 5 s to connect, TCP keepalives on, reads bounded at 10 s (a hung
     * database then delays a stop by at most that).
     *
     * @return the connection
     * @throws SQLException when the database cannot be reached
     */
    Connection openOwnConnection() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password.reveal());
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(jdbcUrl, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        return c;
    }

    /**
     * Claims the database for this runner (see {@link DatabaseClaim}): at once when it answers,
     * else at a later {@link #checkClaim}. Only a runner that polls claims; {@code import} and
     * {@code credentials} run beside it.
     *
     * @param name how this runner names itself to others
     * @throws WardException when another runner holds the database; the message names it
     */
    void claim(String name) {
        DatabaseClaim c = new DatabaseClaim(this::openOwnConnection, name);
        claim = c;
        if (!c.tryClaim()) {
            LOG.info("database: not claimed yet (it does not answer); claiming it when it does");
        }
    }

    /**
     * The periodic check of the claim (see {@link DatabaseClaim#check}).
     *
     * @return why this runner must stop, or {@code null}
     */
    String checkClaim() {
        DatabaseClaim c = claim;
        return c == null ? null : c.check();
    }

    private String probe() {
        try (Connection c = storage.dataSource().getConnection()) {
            return c.isValid(2) ? null : "the connection did not answer";
        } catch (SQLException e) {
            return e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " SQLState " + e.getSQLState());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** Closes the storage (pool, spool, maintenance), then stops the embedded server. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            storage.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the storage failed: {}", e.toString());
        }
        // after the last writes, so that a runner waiting for the database starts only then
        DatabaseClaim c = claim;
        if (c != null) {
            c.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
            }
        }
    }
}
