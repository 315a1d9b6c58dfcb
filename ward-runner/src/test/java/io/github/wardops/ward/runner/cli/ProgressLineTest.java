package io.github.wardops.ward.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    @Test
    void offATerminalItPrintsALinePerTenthOnlyForLargeWork() {
        ProgressLine p = new ProgressLine(out, "writing", 200, false, 100, String::valueOf, " devices");
        for (int i = 0; i <= 200; i++) {
            p.update(i);
        }
        p.update(200);
        p.end();
        String[] lines = text.toString().split("\n");
        assertEquals(11, lines.length, text.toString());
        assertEquals("writing:   0% (0 of 200 devices)", lines[0]);
        assertEquals("writing:  30% (60 of 200 devices)", lines[3]);
        assertEquals("writing: 100% (200 of 200 devices)", lines[10]);

        StringWriter small = new StringWriter();
        ProgressLine q = new ProgressLine(new PrintWriter(small), "writing", 99, false, 100, String::valueOf, "");
        q.update(50);
        q.update(99);
        assertEquals("", small.toString(), "below the minimum: quiet");
    }

    @Test
    void onATerminalItRewritesOneLineAndEndsItEvenAfterAFailure() {
        ProgressLine p = new ProgressLine(out, "reading f.csv", 4, true, Long.MAX_VALUE, ProgressLine::bytes, "");
        p.update(1);
        p.update(1);
        p.update(2);
        p.end();
        assertEquals("\rreading f.csv:  25% (1 B of 4 B)\rreading f.csv:  50% (2 B of 4 B)\n", text.toString());
    }

    @Test
    void countsBytesReadEitherWayAndNeverPassesTheTotal() throws Exception {
        ProgressLine p = new ProgressLine(out, "r", 10, false, 0, String::valueOf, "");
        try (InputStream in = p.counting(new ByteArrayInputStream(new byte[20]))) {
            in.read();
            in.read(new byte[3], 0, 3);
            in.readAllBytes();
        }
        String[] lines = text.toString().split("\n");
        assertEquals("r:  10% (1 of 10)", lines[0]);
        assertEquals("r:  40% (4 of 10)", lines[1]);
        assertEquals("r: 100% (10 of 10)", lines[2]);
        assertEquals(3, lines.length);
    }

    @Test
    void sizesAreReadable() {
        assertEquals("812 B", ProgressLine.bytes(812));
        assertEquals("14.2 KB", ProgressLine.bytes(14_200));
        assertEquals("3.1 MB", ProgressLine.bytes(3_100_000));
        assertEquals("1.50 GB", ProgressLine.bytes(1_500_000_000));
    }
}
