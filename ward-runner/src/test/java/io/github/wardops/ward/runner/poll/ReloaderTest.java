package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Reloader: a changed file is reloaded, SIGHUP reloads every file, outcomes are counted. */
class ReloaderTest {
    @TempDir
    Path dir;

    private static void await(String what, java.util.function.BooleanSupplier until) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!until.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aChangedFileIsReloadedAndSighupReloadsEveryFile() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"), "[]");
        Path notifications = Files.writeString(dir.resolve("n.yaml"), "route: {}\n");
        List<String> calls = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Reloader r = new Reloader(registry)) {
            r.watch("alert-rules", rules, why -> calls.add("rules: " + why));
            r.watch("notifications", notifications, why -> !calls.add("notifications: " + why));
            r.start();
            Files.writeString(rules, "[ ]");
            await("the rules reloaded", () -> calls.contains("rules: the file changed"));
            assertEquals(List.of("rules: the file changed"), calls, "only the changed file");
            // SIGHUP itself, delivered by the kernel to this JVM
            CountDownLatch hup = new CountDownLatch(1);
            assertTrue(Hangup.onHangup(() -> {
                r.reloadSoon();
                hup.countDown();
            }));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(hup.await(10, TimeUnit.SECONDS), "SIGHUP handled, not the end of the process");
            await("both reloaded", () -> calls.contains("rules: SIGHUP") && calls.contains("notifications: SIGHUP"));
        }
        assertEquals(2.0, registry.get("ward.runner.config.reloads").tag("file", "alert-rules").tag("outcome", "applied")
                .counter().count());
        assertEquals(1.0, registry.get("ward.runner.config.reloads").tag("file", "notifications").tag("outcome", "refused")
                .counter().count());
    }
}
