package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.support.LogLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's life: the first start (binaries checked, leftover postmaster stopped,
 * data directory created or upgraded, server started and a password login tried), then a
 * supervisor thread that restarts the postmaster when it dies: on the same port, after
 * {@value #FIRST_BACKOFF_SECONDS} s doubling to {@value #MAX_BACKOFF_SECONDS} s while restarts
 * keep failing (or the server keeps dying within {@value #STABLE_SECONDS} s of its start). Each
 * death is logged at ERROR (at most one full report a minute) with the exit status and the
 * server's last log lines. Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedServer implements AutoCloseable {
    /** The superuser. */
    public static final String USER = PgCluster.USER;
    /** The password file's name in the data directory. */
    public static final String PASSWORD_FILE = PgCluster.PASSWORD_FILE;
    /** The runtime root's name, beside the data directory. */
    public static final String RUNTIME_DIRECTORY = "pg-runtime";
    static final int FIRST_BACKOFF_SECONDS = 1;
    static final int MAX_BACKOFF_SECONDS = 30;
    static final int STABLE_SECONDS = 30;
    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    /** Crash recovery of a large data directory can take minutes; the server is waited for while it runs. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase");

    private final Path data;
    private final Path runtimeRoot;
    private final ServerLog log;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong deaths = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean closeOnce = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile PgServer current;
    private volatile Secret password;
    private volatile int port;
    private volatile boolean closing;
    private volatile boolean up;
    private volatile Instant startedAt;
    private volatile Instant downSince;
    private volatile String downReason;
    private volatile Instant nextAttempt;
    private volatile int attempt;
    private volatile PgRuntime runtime;
    private Thread supervisor;
    private FileChannel ownerChannel;
    private FileLock ownerLock;
    private final LogLimiter errorReports = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private boolean socketWarned;

    private EmbeddedServer(Path data, Path runtimeRoot) {
        this.data = data;
        this.runtimeRoot = runtimeRoot;
        this.log = new ServerLog(data);
    }

    /**
     * Starts the server and its supervisor.
     *
     * @param dataDirectory the data directory (absolute, normalised)
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @return the running server
     * @throws WardException when it cannot start
     */
    public static EmbeddedServer start(Path dataDirectory, int port) {
        Path data = dataDirectory.toAbsolutePath().normalize();
        Path parent = data.getParent() == null ? data : data.getParent();
        EmbeddedServer s = new EmbeddedServer(data, PgRuntime.privateRoot(parent.resolve(RUNTIME_DIRECTORY)));
        s.own();
        boolean started = false;
        s.lock.lock();
        try {
            if (port != 0) {
                s.startOnce(port);
            } else {
                for (int tries = 1; ; tries++) {
                    try {
                        s.startOnce(freePort());
                        break;
                    } catch (PgServer.PortInUse e) {
                        if (tries == 5) {
                            throw e;
                        }
                        LOG.info("database: the free port chosen for the embedded PostgreSQL was taken meanwhile; trying another");
                    }
                }
            }
            s.up = true;
            started = true;
        } finally {
            s.lock.unlock();
            if (!started) {
                s.disown();
            }
        }
        s.supervisor = Thread.ofPlatform().daemon(true).name("ward-embedded-postgres-supervisor").start(s::supervise);
        return s;
    }

    /**
     * Takes the data directory for this object, with a lock on
     * {@code RUNTIME_ROOT/data-NAME.lock} held until {@link #close()}: another live process (or
     * object) using it is refused, never taken for a leftover whose server may be stopped. The
     * kernel releases the lock when its process dies, however it dies.
     */
    private void own() {
        Path file = runtimeRoot.resolve("data-" + data.getFileName() + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PgArchive.perms(0600)));
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                ch.close();
                String who = holder.equals(Long.toString(ProcessHandle.current().pid())) ? "already in use in this process"
                        : "in use by another process" + (holder.isEmpty() ? "" : " (pid " + holder + ")");
                throw new WardException("the embedded PostgreSQL's data directory " + data + " is " + who + " (lock " + file
                        + "). Stop it first, or choose another data-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            ownerChannel = ch;
            ownerLock = l;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new WardException("cannot lock the embedded PostgreSQL's data directory " + data + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    /** Releases the data directory's lock. */
    private void disown() {
        FileChannel ch = ownerChannel;
        ownerChannel = null;
        if (ch != null) {
            try {
                ch.truncate(0);
                ownerLock.release();
                ch.close();
            } catch (IOException e) {
                LOG.debug("releasing the lock of {}: {}", data, e.toString());
            }
        }
    }

    /** One start: check the binaries, stop a leftover, prepare the data directory, start, log in. */
    private void startOnce(int p) {
        long t0 = System.nanoTime();
        PgRuntime rt = PgRuntime.prepare(runtimeRoot);
        runtime = rt;
        Leftover.stop(data);
        PgCluster cluster = new PgCluster(data, rt, runtimeRoot, log);
        Secret pw = cluster.prepare();
        Path socketDir = socketDirectory(p);
        PgServer server = PgServer.start(rt, data, p, socketDir, log, START_TIMEOUT);
        SQLException refused = login(p, pw);
        if (refused != null && "28P01".equals(refused.getSQLState())) {
            server.stop();
            cluster.resetPassword(pw);
            server = PgServer.start(rt, data, p, socketDir, log, START_TIMEOUT);
            refused = login(p, pw);
        }
        if (refused != null) {
            server.stop();
            throw new WardException("the embedded PostgreSQL in " + data + " started, but a password login as " + USER
                    + " failed: " + describe(refused));
        }
        password = pw;
        port = p;
        current = server;
        startedAt = Instant.now();
        LOG.debug("database: embedded PostgreSQL in {} running as pid {} on 127.0.0.1:{} (started in {} ms, of which {} ms "
                + "checking the binaries)", data, server.pid(), p, (System.nanoTime() - t0) / 1_000_000,
                rt.checkNanos() / 1_000_000);
    }

    /** The socket directory DATA/socket (0700), or null when its socket path would be too long. */
    private Path socketDirectory(int p) {
        Path dir = data.resolve("socket");
        String socket = dir + "/.s.PGSQL." + p;
        if (socket.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            if (!socketWarned) {
                socketWarned = true;
                LOG.info("database: no Unix socket for the embedded PostgreSQL: its path {} would be longer than {} bytes; "
                        + "it listens on 127.0.0.1:{} only (ward connects over TCP)", socket, MAX_SOCKET_PATH, p);
            }
            return null;
        }
        try {
            if (Files.isSymbolicLink(dir) || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir))) {
                Files.delete(dir);
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PgArchive.perms(0700)));
            }
            Files.setPosixFilePermissions(dir, PgArchive.perms(0700));
            return dir;
        } catch (IOException e) {
            throw new WardException("cannot prepare the embedded PostgreSQL's socket directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private SQLException login(int p, Secret pw) {
        try (Connection c = EmbeddedDataSource.connect(jdbcUrl(p), USER, pw, 10)) {
            c.isValid(5);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static String describe(SQLException e) {
        return e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " SQLState " + e.getSQLState());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new WardException("cannot find a free port on 127.0.0.1 for the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * The JDBC URL of the {@code postgres} database on a port: TCP to 127.0.0.1, no TLS, and
     * only SCRAM accepted ({@code requireAuth}), so a process that took the port while the server
     * was down cannot ask the driver for the password in clear text.
     */
    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&requireAuth=scram-sha-256";
    }

    /** Waits for each death and restarts the server, with backoff. */
    private void supervise() {
        int backoff = FIRST_BACKOFF_SECONDS;
        while (!closing) {
            PgServer s = current;
            int code;
            try {
                code = s.awaitExit();
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
                continue;
            }
            if (closing) {
                return;
            }
            Instant died = Instant.now();
            boolean stable = startedAt != null && Duration.between(startedAt, died).toSeconds() >= STABLE_SECONDS;
            if (stable) {
                backoff = FIRST_BACKOFF_SECONDS;
            }
            // the state first, then the flag: whoever sees "down" also sees why and what comes next
            downSince = died;
            downReason = "exited with " + PgServer.exitStatus(code);
            attempt = 1;
            nextAttempt = died.plusSeconds(backoff);
            up = false;
            deaths.incrementAndGet();
            reportError("database: the embedded PostgreSQL in " + data + " (pid " + s.pid() + ") died: " + downReason
                    + "; restarting it on 127.0.0.1:" + port + " in " + backoff + " s. Its last lines: "
                    + Text.join(s.lastLines(8)) + " (all in " + log.file() + ")");
            for (boolean first = true; !closing; first = false) {
                if (!first) {
                    attempt++;
                    nextAttempt = Instant.now().plusSeconds(backoff);
                }
                try {
                    Thread.sleep(Duration.ofSeconds(backoff));
                } catch (InterruptedException e) {
                    if (closing) {
                        return;
                    }
                }
                nextAttempt = null;
                lock.lock();
                try {
                    if (closing) {
                        return;
                    }
                    startOnce(port);
                    long n = restarts.incrementAndGet();
                    LOG.warn("database: the embedded PostgreSQL in {} is back on 127.0.0.1:{} after {} s down (restart {}, "
                            + "attempt {})", data, port, Duration.between(downSince, Instant.now()).toSeconds(), n, attempt);
                    downReason = null;
                    downSince = null;
                    up = true;   // last: whoever sees it up also sees the restart counted
                    break;
                } catch (RuntimeException e) {
                    if (closing) {
                        return;   // close() interrupted this restart
                    }
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
                    reportError("database: restarting the embedded PostgreSQL in " + data + " failed (attempt " + attempt
                            + "): " + Text.oneLine(String.valueOf(e.getMessage())) + "; next attempt in " + backoff + " s");
                } finally {
                    lock.unlock();
                }
            }
            if (!stable) {
                backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
            }
        }
    }

    /** An ERROR line, at most one a minute; the others are counted into the next. */
    private void reportError(String message) {
        long suppressedReports = errorReports.permit("error");
        if (suppressedReports >= 0) {
            String more = suppressedReports == 0 ? "" : " (" + suppressedReports + " similar reports in the last minute "
                    + "were logged at DEBUG)";
            LOG.error("{}{}", message, more);
        } else {
            LOG.debug("{}", message);
        }
    }

    /**
     * The superuser's password.
     *
     * @return the password
     */
    public Secret password() {
        return password;
    }

    /**
     * The TCP port on 127.0.0.1 (the same across restarts).
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The JDBC URL of the {@code postgres} database (no user, no password).
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    /**
     * The password file.
     *
     * @return its path
     */
    public Path passwordFile() {
        return data.resolve(PASSWORD_FILE);
    }

    /**
     * The directory of the checked binaries.
     *
     * @return the directory
     */
    public Path runtimeDirectory() {
        PgRuntime rt = runtime;
        return rt == null ? runtimeRoot : rt.home();
    }

    /**
     * What the last binaries check repaired.
     *
     * @return the problems found, empty when none
     */
    public java.util.List<String> repaired() {
        PgRuntime rt = runtime;
        return rt == null ? java.util.List.of() : rt.repaired();
    }

    /**
     * The server's log file.
     *
     * @return its path
     */
    public Path logFile() {
        return log.file();
    }

    /**
     * The postmaster's pid, or 0 while it is down.
     *
     * @return the pid
     */
    public long pid() {
        PgServer s = current;
        return up && s != null ? s.pid() : 0;
    }

    /**
     * Whether the server runs (started, and not died since).
     *
     * @return {@code true} when up
     */
    public boolean isUp() {
        PgServer s = current;
        return up && !closing && s != null && s.isAlive();
    }

    /**
     * Restarts after a death so far.
     *
     * @return the count
     */
    public long restarts() {
        return restarts.get();
    }

    /**
     * The server's state in a few words, for {@code /ready}: running, or down since when, why,
     * and when the next restart is tried.
     *
     * @return the state
     */
    public String state() {
        if (closing) {
            return "stopped";
        }
        PgServer s = current;
        if (up && s != null && s.isAlive()) {
            return "running (pid " + s.pid() + ")" + (restarts.get() == 0 ? "" : ", restarted " + restarts.get()
                    + (restarts.get() == 1 ? " time" : " times"));
        }
        Instant since = downSince;
        String reason = downReason;
        if (reason == null && s != null && !s.isAlive()) {
            reason = "exited with " + PgServer.exitStatus(s.exitCode());   // the supervisor is about to record it
        }
        Instant next = nextAttempt;
        StringBuilder b = new StringBuilder("down");
        if (since != null) {
            b.append(" since ").append(since);
        }
        if (reason != null) {
            b.append(" (").append(reason).append(')');
        }
        b.append(", being restarted");
        if (next != null) {
            long in = Math.max(0, Duration.between(Instant.now(), next).toSeconds());
            b.append(" (attempt ").append(attempt).append(" in ").append(in).append(" s)");
        } else {
            b.append(" (attempt ").append(attempt).append(" running)");
        }
        b.append(", ").append(restarts.get()).append(restarts.get() == 1 ? " restart" : " restarts").append(" so far");
        return b.toString();
    }

    /** Stops the server (fast shutdown) and the supervisor. Idempotent. */
    @Override
    public void close() {
        if (!closeOnce.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        up = false;
        // A restart in progress (waiting for crash recovery, say) gives up at once instead of
        // holding the lock: its watchdog then stops what it started.
        Thread sup = supervisor;
        if (sup != null) {
            sup.interrupt();
        }
        lock.lock();
        try {
            PgServer s = current;
            if (s != null && s.isAlive()) {
                long t0 = System.nanoTime();
                boolean clean = s.stop();
                LOG.debug("database: embedded PostgreSQL in {} stopped in {} ms{}", data, (System.nanoTime() - t0) / 1_000_000,
                        clean ? "" : " (the watchdog did not end by itself)");
            }
            disown();
        } finally {
            lock.unlock();
        }
        Thread t = supervisor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
