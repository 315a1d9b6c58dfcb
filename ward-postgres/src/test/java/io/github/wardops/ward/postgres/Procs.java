package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Test helpers around real processes: commands, another user, a second JVM, postmaster pids. */
final class Procs {
    /** The unprivileged user other local users are played by. */
    static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "--inh-caps=-all");

    private Procs() {
    }

    /** A command's exit code and merged output. */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("still running after 60 s: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }

    static List<String> asNobody(List<String> cmd) {
        List<String> all = new ArrayList<>(AS_NOBODY);
        all.addAll(cmd);
        return all;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips (fails in CI) unless every program exists. */
    static void require(String... programs) {
        for (String p : programs) {
            if (!Files.isExecutable(Path.of(p))) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(p + " is not installed");
                }
                Assumptions.abort(p + " is not installed");
            }
        }
    }

    /** Starts {@link EmbeddedMain} in a JVM of its own, output into a file. */
    static Process embeddedMain(Path data, Path log, List<String> jvmArgs, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(childClassPath());
        cmd.add(EmbeddedMain.class.getName());
        cmd.add(data.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits for {@code READY <port>} from {@link EmbeddedMain}; fails with its output when it exits first. */
    static int awaitReady(Process p, Path log, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - deadline < 0) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            for (String l : out.lines().toList()) {
                if (l.startsWith("READY ")) {
                    return Integer.parseInt(l.substring(6).strip());
                }
            }
            if (!p.isAlive()) {
                fail("the process exited with " + p.exitValue() + " before it was ready:\n" + out);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        return fail("not ready within " + bound + ":\n" + Files.readString(log));
    }

    /** The pid on the first line of DATA/postmaster.pid. */
    static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void awaitGone(long pid, Duration bound, String what) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " (pid " + pid + ") still runs after " + bound);
            }
            Thread.sleep(50);
        }
    }

    static void kill9(long pid) throws IOException, InterruptedException {
        run(List.of("kill", "-9", Long.toString(pid)), Map.of());
    }

    /**
     * A class path for a child JVM: the tests run on the module path, where ward's classes and
     * its dependencies are on {@code jdk.module.path} and the test classes are patched into the
     * module, so neither is on {@code java.class.path} alone.
     */
    private static String childClassPath() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String key : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(key, "");
            if (!v.isEmpty()) {
                parts.add(v);
            }
        }
        try {
            parts.add(java.nio.file.Path.of(EmbeddedMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
