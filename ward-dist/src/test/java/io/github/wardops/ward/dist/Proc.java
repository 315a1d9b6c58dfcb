package io.github.wardops.ward.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end, with a deadline, and keeps what it printed (stdout and stderr together). */
record Proc(int exit, String out) {
    /** The PATH of a process that must find no JDK: a directory of links to only these tools. */
    static Path toolsOnly(Path dir, String... tools) throws IOException {
        Files.createDirectories(dir);
        for (String t : tools) {
            Path real = which(t);
            Files.createSymbolicLink(dir.resolve(t), real);
        }
        return dir;
    }

    static Path which(String tool) {
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Proc run(long timeoutSeconds, Map<String, String> env, String... cmd) {
        return run(timeoutSeconds, env, List.of(cmd));
    }

    /** @param env the whole environment, or {@code null} for this process's */
    static Proc run(long timeoutSeconds, Map<String, String> env, List<String> cmd) {
        return run(timeoutSeconds, env, null, cmd);
    }

    /**
     * @param env the whole environment, or {@code null} for this process's
     * @param dir the working directory, or {@code null} for this process's
     */
    static Proc run(long timeoutSeconds, Map<String, String> env, Path dir, List<String> cmd) {
        Path log = null;
        try {
            log = Files.createTempFile("ward-dist-proc", ".log");
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            if (env != null) {
                pb.environment().clear();
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + Files.readString(log));
            }
            // bounded: these commands print little
            byte[] out;
            try (var in = Files.newInputStream(log)) {
                out = in.readNBytes(1 << 20);
            }
            return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }

    Proc ok(String what) {
        if (exit != 0) {
            throw new AssertionError(what + ": exit " + exit + "\n" + out);
        }
        return this;
    }
}
