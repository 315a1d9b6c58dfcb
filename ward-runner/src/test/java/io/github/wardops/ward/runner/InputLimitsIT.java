package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB line, in the body or in the header of an inventory, is rejected by the shipped jar with
 * its line number, in a 64 MB heap: lines are checked while they are read, never held whole
 * (issue 12: it used to take 610 MB and end in OutOfMemoryError under -Xmx256m).
 */
class InputLimitsIT {
    private static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    /** Writes {@code head}, then {@code size} bytes of digits, then {@code tail}. */
    private Path file(String name, String head, String tail) throws IOException {
        Path f = dir.resolve(name);
        byte[] chunk = "1".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            for (long n = 0; n < SIZE; n += chunk.length) {
                out.write(chunk);
            }
            out.write(tail.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    private static String ward(Path data, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("ward.runner.jar", "target/ward-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar.toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("WARD_STORAGE", "postgres");
        pb.environment().put("WARD_DATA_DIR", data.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + out);
        assertEquals(2, p.exitValue(), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        return out;
    }

    @Test
    void aHugeLineIsRejectedByLineInA64MegabyteHeapByImportAndRun() throws Exception {
        String good = DeviceId.fromKey("limits-a") + ",a,127.44.0.1\n";
        Path body = file("body.csv", "id,name,address\n" + good + DeviceId.fromKey("limits-b") + ",b,", "\n"
                + DeviceId.fromKey("limits-c") + ",,127.44.0.3\n");
        Path data = dir.resolve("data");
        String out = ward(data, "import", body.toString());
        assertTrue(out.contains("line 3: longer than 65536 bytes, the limit of a line"), out);
        assertTrue(out.contains("line 4: missing name"), "the lines after it are still checked: " + out);
        assertTrue(out.contains("nothing was imported"), out);
        assertFalse(Files.exists(data.resolve("pg")), "the database is not even started");

        out = ward(data, "run", "--inventory", body.toString(), "--http", "127.0.0.1:0", "--storage", "off");
        assertTrue(out.contains("line 3: longer than 65536 bytes, the limit of a line"), out);
        Files.delete(body);

        Path header = file("header.csv", "id,name,address,", "\n" + good);
        out = ward(data, "import", header.toString());
        assertTrue(out.contains("line 1 (the header): longer than 65536 bytes, the limit of a line"), out);
    }
}
