package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running postmaster, under a watchdog: {@code /bin/sh} runs {@code postgres} as its child
 * and reads its own standard input, a pipe from this JVM that ward never writes to. When the JVM
 * ends, for any reason (SIGKILL and OutOfMemoryError included), the kernel closes the pipe; the
 * watchdog then stops PostgreSQL: SIGINT (fast shutdown: committed data is safe), after
 * {@value #FAST_SECONDS} s SIGQUIT (immediate), after {@value #IMMEDIATE_SECONDS} s more SIGKILL.
 * A normal stop is the same: ward closes the pipe and waits. The watchdog exits with
 * PostgreSQL's exit status, so the JVM learns of the server's death from its own child.
 *
 * <p>Both run in a session of their own ({@code setsid}), so a Ctrl-C meant for ward does not
 * stop the server under ward's writers. {@code prctl(PR_SET_PDEATHSIG)} was not used: it fires
 * when the JVM <em>thread</em> that started the child ends, not the process.
 *
 * <p>The server's output goes to {@link ServerLog}. Thread-safe.
 */
final class PgServer {
    static final int FAST_SECONDS = 30;
    static final int IMMEDIATE_SECONDS = 10;
    private static final String PID_LINE = "ward-watchdog: postgres pid ";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase");
    private static final String EXIT_LINE = "ward-watchdog: postgres exited with status ";

    /**
     * The watchdog. {@code $@} is the PostgreSQL command. Signals meant for the terminal or the
     * process group are ignored by the shell (and so by the pipe watcher it forks, which is
     * therefore ended with KILL once PostgreSQL has exited: it must not outlive the shell and
     * signal its pid later); PostgreSQL installs its own handlers. The watcher waits in steps of
     * one second, so the {@code sleep} it is in when it is killed outlives it by a second at most
     * (a {@code sleep 30} lingered for half a minute after every stop, and kept {@code userdel}
     * of the service user from succeeding).
     */
    static final String WATCHDOG = """
            trap '' INT QUIT TERM HUP PIPE
            exec 3<&0 </dev/null
            "$@" 3<&- &
            pg=$!
            echo "%1$s$pg"
            trap 'kill -s INT $pg 2>/dev/null' USR1
            trap 'kill -s QUIT $pg 2>/dev/null' USR2
            trap 'kill -s KILL $pg 2>/dev/null' ALRM
            (
              nap() { i=0; while [ $i -lt "$1" ]; do sleep 1; i=$((i + 1)); done; }
              cat <&3 >/dev/null
              kill -s USR1 $$ 2>/dev/null || exit 0
              nap %3$d
              kill -s USR2 $$ 2>/dev/null || exit 0
              nap %4$d
              kill -s ALRM $$ 2>/dev/null
            ) >/dev/null 2>&1 &
            w=$!
            exec 3<&-
            while :; do
              wait $pg
              s=$?
              kill -0 $pg 2>/dev/null || break
            done
            kill -s KILL $w 2>/dev/null
            echo "%2$s$s"
            exit $s
            """.formatted(PID_LINE, EXIT_LINE, FAST_SECONDS, IMMEDIATE_SECONDS);

    private final Process watchdog;
    private final long pid;
    private final int port;
    private final ServerLog log;
    private final Path data;

    private PgServer(Process watchdog, long pid, int port, ServerLog log, Path data) {
        this.watchdog = watchdog;
        this.pid = pid;
        this.port = port;
        this.log = log;
        this.data = data;
    }

    /** The server could not bind its port. */
    static final class PortInUse extends WardException {
        private static final long serialVersionUID = 1L;

        PortInUse(String message) {
            super(message);
        }
    }

    /**
     * Starts a postmaster and waits until it accepts connections.
     *
     * @param runtime the binaries
     * @param data the data directory (initialised)
     * @param port the TCP port on 127.0.0.1
     * @param socketDir the Unix socket directory, or {@code null} for no socket
     * @param log the server's log
     * @param startTimeout how long the start may take
     * @return the running server
     * @throws PortInUse when the port is taken
     * @throws WardException when it does not start
     */
    static PgServer start(PgRuntime runtime, Path data, int port, Path socketDir, ServerLog log, Duration startTimeout) {
        List<String> cmd = new ArrayList<>(Launcher.newSession());
        cmd.addAll(List.of("/bin/sh", "-c", WATCHDOG, "ward-postgres-watchdog"));
        cmd.addAll(Launcher.prefix());
        cmd.addAll(List.of(runtime.bin("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + (socketDir == null ? "" : socketDir.toString()),
                "-c", "unix_socket_permissions=0700",
                "-c", "max_connections=50",
                "-c", "password_encryption=scram-sha-256",
                "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
                "-c", "logging_collector=off", "-c", "log_destination=stderr"));
        Process p;
        try {
            p = Launcher.builder(cmd, data).start();
        } catch (IOException e) {
            throw new WardException("cannot start the embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
        CompletableFuture<Long> pidLine = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("ward-embedded-postgres-log").start(() -> pump(p.getInputStream(), log, pidLine));
        try {
            long pid = pidLine.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            long deadline = t0 + startTimeout.toNanos();
            long nextReport = t0 + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() - deadline < 0) {
                if (!p.isAlive()) {
                    break;
                }
                if (ready(data, pid)) {
                    return new PgServer(p, pid, port, log, data);
                }
                if (System.nanoTime() - nextReport > 0) {
                    nextReport += TimeUnit.SECONDS.toNanos(30);
                    LOG.info("database: the embedded PostgreSQL in {} is still starting after {} s (recovering after a "
                            + "crash?); its last line: {}", data, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
                            Text.join(log.lastLines(1)));
                }
                Thread.sleep(25);
            }
            String why = p.isAlive() ? "did not accept connections within " + startTimeout.toSeconds() + " s"
                    : "exited with " + exitStatus(p.exitValue());
            if (p.isAlive()) {
                new PgServer(p, pid, port, log, data).stop();
            } else {
                closeInput(p);
            }
            List<String> lines = log.lastLines(10);
            String message = "the embedded PostgreSQL in " + data + " " + why + "; its last lines: " + Text.join(lines)
                    + " (all in " + log.file() + ")";
            if (lines.stream().anyMatch(l -> l.contains("could not bind") || l.contains("Address already in use"))) {
                throw new PortInUse(message);
            }
            throw new WardException(message);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new WardException("the embedded PostgreSQL's watchdog in " + data + " did not start PostgreSQL; output: "
                    + Text.join(log.lastLines(10)), e);
        } catch (InterruptedException e) {
            closeInput(p);
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while starting the embedded PostgreSQL", e);
        }
    }

    /** Whether postmaster.pid says this postmaster is ready for connections. */
    private static boolean ready(Path data, long pid) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() >= 8 && lines.get(0).strip().equals(Long.toString(pid))
                    && lines.get(7).strip().equals("ready");
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies the watchdog's output, line by line and bounded, into the log. */
    private static void pump(InputStream in, ServerLog log, CompletableFuture<Long> pidLine) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        boolean truncated = false;
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line.toString(StandardCharsets.UTF_8), log, pidLine);
                        line.reset();
                        truncated = false;
                    } else if (line.size() < ServerLog.MAX_LINE) {
                        line.write(b);
                    } else if (!truncated) {
                        truncated = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the watchdog ended; nothing more to read
        } finally {
            if (line.size() > 0) {
                emit(line.toString(StandardCharsets.UTF_8), log, pidLine);
            }
            pidLine.completeExceptionally(new IOException("the watchdog ended before starting PostgreSQL"));
            log.close();
        }
    }

    private static void emit(String l, ServerLog log, CompletableFuture<Long> pidLine) {
        if (l.startsWith(PID_LINE)) {
            try {
                pidLine.complete(Long.parseLong(l.substring(PID_LINE.length()).strip()));
            } catch (NumberFormatException e) {
                pidLine.completeExceptionally(e);
            }
        }
        log.line(l);
    }

    /**
     * The postmaster's pid.
     *
     * @return the pid
     */
    long pid() {
        return pid;
    }

    /**
     * The port.
     *
     * @return the port
     */
    int port() {
        return port;
    }

    /**
     * Whether the postmaster (its watchdog) still runs.
     *
     * @return {@code true} while it runs
     */
    boolean isAlive() {
        return watchdog.isAlive();
    }

    /**
     * The watchdog's exit code, once it has exited.
     *
     * @return the code (PostgreSQL's exit status), or -1 while it runs
     */
    int exitCode() {
        return watchdog.isAlive() ? -1 : watchdog.exitValue();
    }

    /**
     * Waits for the postmaster to end.
     *
     * @return the watchdog's exit code: PostgreSQL's exit status (128 + N for signal N)
     * @throws InterruptedException when interrupted
     */
    int awaitExit() throws InterruptedException {
        int code = watchdog.waitFor();
        closeInput(watchdog);
        return code;
    }

    /**
     * Stops the server: closes the watchdog's pipe (fast shutdown, then immediate) and waits.
     * When the watchdog itself does not end, it is killed and the postmaster is stopped as a
     * leftover.
     *
     * @return whether it stopped within the watchdog's own bounds
     */
    boolean stop() {
        closeInput(watchdog);
        try {
            if (watchdog.waitFor(FAST_SECONDS + IMMEDIATE_SECONDS + 10, TimeUnit.SECONDS)) {
                return true;
            }
            watchdog.destroyForcibly();
            watchdog.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Leftover.stop(data);
        return false;
    }

    /**
     * The last lines of the server's log.
     *
     * @param n at most this many
     * @return the lines
     */
    List<String> lastLines(int n) {
        return log.lastLines(n);
    }

    private static void closeInput(Process p) {
        try {
            OutputStream o = p.getOutputStream();
            o.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * A watchdog exit code in words.
     *
     * @param code the code
     * @return such as {@code "exit code 1"} or {@code "signal 9 (KILL)"}
     */
    static String exitStatus(int code) {
        if (code > 128 && code < 128 + 65) {
            int sig = code - 128;
            String name = switch (sig) {
                case 2 -> " (INT)";
                case 3 -> " (QUIT)";
                case 6 -> " (ABRT)";
                case 9 -> " (KILL)";
                case 11 -> " (SEGV)";
                case 15 -> " (TERM)";
                default -> "";
            };
            return "signal " + sig + name;
        }
        return "exit code " + code;
    }
}
