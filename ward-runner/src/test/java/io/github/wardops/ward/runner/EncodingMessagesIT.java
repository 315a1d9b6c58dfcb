package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV that is not UTF-8 gets the same message, with its line, from every command that reads one. */
class EncodingMessagesIT {
    @TempDir
    Path dir;

    @Test
    void everyCommandSaysWhichLineIsNotUtf8() throws Exception {
        byte[] head = "id,name,address,branch\n".getBytes(StandardCharsets.US_ASCII);
        byte[] row = "6f1c2a54-3b7e-4d2a-9c41-0e5b8f7a1d23,r1,127.0.0.1,Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, concat(head, row));
        InProcessRunner.Failed run = InProcessRunner.runToExit("run", "--inventory", csv.toString(), "--http", "off");
        InProcessRunner.Failed imp = InProcessRunner.runToExit(Map.of("WARD_STORAGE", "postgres"), "import", csv.toString(),
                "--data-dir", dir.resolve("data").toString());
        for (InProcessRunner.Failed f : new InProcessRunner.Failed[] {run, imp}) {
            assertEquals(2, f.exitCode(), f.err());
            assertTrue(f.err().contains("line 2: not UTF-8 text (byte 54 of the line); save the file as UTF-8"), f.err());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
