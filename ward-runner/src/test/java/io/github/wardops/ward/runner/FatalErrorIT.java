package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, with faults injected at fail points ({@link Failpoints}): an {@link Error} in any
 * of ward's background tasks ends the process with {@link ExitCodes#FATAL}, so that a supervisor
 * restarts it; an exception is logged and the runner goes on.
 */
class FatalErrorIT {
    @TempDir
    Path dir;

    private Process start(Path log, String failpoints, Path csv) throws IOException {
        Path jar = Path.of(System.getProperty("ward.runner.jar", "target/ward-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar.toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-D" + Failpoints.PROPERTY + "=" + failpoints, "-jar", jar.toString(),
                "run", "--inventory", csv.toString(), "--interval", "1s", "--inventory-poll", "200ms",
                "--alert-tick", "1s", "--http", "127.0.0.1:0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARD_STORAGE", "off");
        return pb.start();
    }

    private Path inventory() throws IOException {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address\n6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0101,a,127.44.0.1\n");
        return csv;
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static void awaitLog(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read(log).contains(text)) {
            assertTrue(System.nanoTime() - deadline < 0, "no '" + text + "' within 30 s; output:\n" + read(log));
            Thread.sleep(50);
        }
    }

    /** Regression: an OutOfMemoryError in the inventory reload ended the reloads for good, silently; the process stayed up. */
    @Test
    void anOutOfMemoryErrorInTheInventoryReloadEndsTheProcessWithExitCode70() throws Exception {
        Path csv = inventory();
        Path log = dir.resolve("oom.log");
        Process p = start(log, "inventory-reload=oom", csv);
        try {
            awaitLog(p, log, "ward runner started");
            Files.writeString(csv, "id,name,address\n6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0101,a,127.44.0.2\n");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after the reload failed:\n" + read(log));
            String out = read(log);
            assertEquals(ExitCodes.FATAL, p.exitValue(), out);
            assertTrue(out.contains("ERROR") && out.contains("fatal error in inventory reload: java.lang.OutOfMemoryError"), out);
            assertTrue(out.contains("ward exits with code 70"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aStackOverflowErrorInTheAlertTickEndsTheProcess() throws Exception {
        Path log = dir.resolve("soe.log");
        Process p = start(log, "alert-tick=stackoverflow", inventory());
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s later:\n" + read(log));
            String out = read(log);
            assertEquals(ExitCodes.FATAL, p.exitValue(), out);
            assertTrue(out.contains("fatal error in alert tick: java.lang.StackOverflowError"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** An exception in a periodic task is logged (at most once a minute) and the runner keeps running. */
    @Test
    void anExceptionInTheAlertTickIsLoggedOnceAndTheRunnerGoesOn() throws Exception {
        Path log = dir.resolve("exception.log");
        Process p = start(log, "alert-tick=exception", inventory());
        try {
            awaitLog(p, log, "periodic task 'alert tick' failed");
            Thread.sleep(3500); // three more ticks, each failing
            assertTrue(p.isAlive(), read(log));
            String out = read(log);
            assertEquals(1, out.split("periodic task 'alert tick' failed", -1).length - 1, out);
            assertTrue(out.contains("cycle: "), "the cycle summary still runs:\n" + out);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
