package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postmaster of this data directory left running by an earlier process (one that was killed
 * before it could stop it): found through {@code postmaster.pid}, confirmed through
 * {@code /proc/PID/cwd} (a postmaster works in its data directory) and {@code /proc/PID/exe}
 * (a program named {@code postgres}), and stopped: SIGINT (fast shutdown), then SIGQUIT
 * (immediate shutdown), then SIGKILL. A pid that is not such a process is never signalled.
 * Stateless.
 */
final class Leftover {
    static final Duration FAST = Duration.ofSeconds(30);
    static final Duration IMMEDIATE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase");

    private Leftover() {
    }

    /**
     * Stops the postmaster that {@code DATA/postmaster.pid} names, when it is alive and is a
     * postmaster of this data directory; removes a {@code postmaster.pid} that names a live
     * process that provably is not one (so PostgreSQL does not refuse to start because of a
     * reused pid).
     *
     * @param data the data directory
     * @return the pid stopped, or 0 when there was none
     * @throws WardException when the postmaster does not stop
     */
    static long stop(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        long pid = pidOf(pidFile);
        if (pid <= 0) {
            return 0;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return 0;
        }
        Identity id = identify(pid, data);
        if (id == Identity.UNKNOWN) {
            return 0;   // not readable: another user's process; PostgreSQL treats the file as stale
        }
        if (id == Identity.OTHER) {
            try {
                Files.deleteIfExists(pidFile);
                LOG.info("database: {} named pid {}, which is not a PostgreSQL server of {}; removed the stale file",
                        pidFile, pid, data);
            } catch (IOException e) {
                LOG.warn("database: cannot remove the stale {}: {}", pidFile, e.getMessage());
            }
            return 0;
        }
        LOG.warn("database: a PostgreSQL server of {} (pid {}) was left running by an earlier process; stopping it "
                + "(fast shutdown, then immediate)", data, pid);
        ProcessHandle p = h.get();
        if (stopWith(p, data, "INT", FAST) || stopWith(p, data, "QUIT", IMMEDIATE) || stopWith(p, data, "KILL", IMMEDIATE)) {
            LOG.info("database: the leftover PostgreSQL server (pid {}) stopped", pid);
            return pid;
        }
        throw new WardException("the PostgreSQL server of " + data + " left running by an earlier process (pid " + pid
                + ") does not stop, even on SIGKILL; stop it by hand");
    }

    /** Whether a postmaster.pid names a live postmaster of this data directory. */
    static boolean running(Path data) {
        long pid = pidOf(data.resolve("postmaster.pid"));
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && identify(pid, data) == Identity.POSTMASTER;
    }

    private static boolean stopWith(ProcessHandle p, Path data, String signal, Duration wait) {
        // Confirm again right before each signal: the pid must still be a postmaster of this directory.
        if (!p.isAlive() || identify(p.pid(), data) != Identity.POSTMASTER) {
            return true;
        }
        Launcher.signal(p.pid(), signal);
        try {
            p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !p.isAlive();
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while stopping a leftover PostgreSQL server", e);
        }
    }

    /** What a live pid is. */
    enum Identity { POSTMASTER, OTHER, UNKNOWN }

    /**
     * Whether a live process is a postmaster of this data directory.
     *
     * @param pid the process
     * @param data the data directory
     * @return what it is
     */
    static Identity identify(long pid, Path data) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
            Path exe = Files.readSymbolicLink(proc.resolve("exe"));
            String exeName = exe.getFileName() == null ? "" : exe.getFileName().toString();
            Path real = data.toRealPath();
            boolean postgres = exeName.equals("postgres") || exeName.startsWith("postgres ");
            return postgres && cwd.equals(real) ? Identity.POSTMASTER : Identity.OTHER;
        } catch (IOException | SecurityException e) {
            return Identity.UNKNOWN;
        }
    }

    /** The pid on the first line of a postmaster.pid, or 0. */
    static long pidOf(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? 0 : Long.parseLong(lines.getFirst().strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
