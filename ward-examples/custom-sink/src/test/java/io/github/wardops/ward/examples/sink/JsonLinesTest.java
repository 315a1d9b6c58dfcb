package io.github.wardops.ward.examples.sink;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLinesTest {
    private static final DeviceId ID = DeviceId.parse("b28054ed-930a-4913-a509-0f3b616e3371");
    // ProbeResult keeps microseconds (what PostgreSQL stores), so the example uses that precision.
    private static final Instant AT = Instant.parse("2026-03-29T01:00:00.123456Z");

    @Test
    void upIsWrittenAsOneLineAndReadBack() {
        Duration rtt = Duration.ofNanos(123_456);
        ProbeResult up = new ProbeResult.Up(ID, "icmp", "icmp", AT, rtt, new PingStats(3, 3, rtt, rtt, rtt, Duration.ZERO));
        String line = new String(JsonLines.line(up), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertTrue(line.startsWith("{\"at\":\"2026-03-29T01:00:00.123456Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\","
                + "\"check\":\"icmp\",\"type\":\"icmp\",\"outcome\":\"up\",\"latency_ms\":0.123456,\"values\":{"), line);
        ProbeResult.Up back = assertInstanceOf(ProbeResult.Up.class, JsonLines.parse(line.strip()));
        assertEquals(rtt, back.latency());
        assertEquals(AT, back.at());
        assertEquals(up.measurement().values(), back.measurement().values());
    }

    @Test
    void downAndUnknownKeepReasonAndDetailWithAwkwardCharacters() {
        String detail = "quote \" backslash \\ newline \n tab \t unicode é ✓ and \u0001";
        ProbeResult down = new ProbeResult.Down(ID, "tcp:22", "tcp", AT, DownReason.REFUSED, detail, new TcpConnect(22, null));
        String line = new String(JsonLines.line(down), StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), "a newline in the detail must not split the line");
        ProbeResult.Down back = assertInstanceOf(ProbeResult.Down.class, JsonLines.parse(line.strip()));
        assertEquals(DownReason.REFUSED, back.reason());
        assertEquals(detail, back.detail());
        assertEquals(ID, back.device());
        assertEquals("tcp:22", back.check());
        assertEquals("tcp", back.type());
        assertEquals(Map.of("port", 22.0), back.measurement().values());
        ProbeResult unknown = new ProbeResult.Unknown(ID, "snmp", "snmp", AT, detail);
        assertEquals(unknown, JsonLines.parse(new String(JsonLines.line(unknown), StandardCharsets.UTF_8).strip()));
    }

    @Test
    void longDetailsAreCutSoLinesStayBounded() {
        ProbeResult unknown = new ProbeResult.Unknown(ID, "x", "x", AT, "y".repeat(100_000));
        byte[] line = JsonLines.line(unknown);
        assertTrue(line.length < 1024, "line has " + line.length + " bytes");
        ProbeResult.Unknown back = (ProbeResult.Unknown) JsonLines.parse(new String(line, StandardCharsets.UTF_8).strip());
        assertEquals(JsonLines.MAX_DETAIL_CHARS, back.detail().length());
        assertTrue(back.detail().endsWith("…"));
    }

    @Test
    void nonFiniteValuesAreLeftOut() {
        ProbeResult up = new ProbeResult.Up(ID, "x", "x", AT, Duration.ZERO, () -> Map.of("nan", Double.NaN, "ok", 1.0));
        String line = new String(JsonLines.line(up), StandardCharsets.UTF_8);
        assertFalse(line.contains("nan"), line);
        assertEquals(Map.of("ok", 1.0), JsonLines.parse(line.strip()).measurement().values());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[1,2]",
        "{\"at\":\"2026-01-01T00:00:00Z\"",
        "{\"at\":\"yesterday\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"not-a-uuid\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":7,\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"sideways\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"up\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"up\",\"latency_ms\":-1}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"up\",\"latency_ms\":\"1\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"down\",\"reason\":\"ASLEEP\",\"detail\":\"\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"down\",\"reason\":\"TIMEOUT\"}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\",\"values\":[1]}",
        "{\"at\":\"2026-01-01T00:00:00Z\",\"device\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"check\":\"c\",\"type\":\"t\",\"outcome\":\"unknown\",\"detail\":\"\",\"values\":{\"a\":\"b\"}}",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}"
    })
    void malformedLinesAreRejectedWithAReason(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLines.parse(line));
        assertNotNull(e.getMessage());
    }

    @Test
    void anOverlongLineIsRejectedBeforeParsing() {
        String line = "{\"detail\":\"" + "x".repeat(JsonLines.MAX_LINE_CHARS) + "\"}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLines.parse(line));
        assertTrue(e.getMessage().startsWith("line is longer than"), e.getMessage());
    }

    @Test
    void readingAFileNamesTheFileAndLineOfABadLine(@TempDir Path dir) throws IOException {
        ProbeResult ok = new ProbeResult.Unknown(ID, "c", "t", AT, "fine");
        Path f = dir.resolve("r.jsonl");
        Files.write(f, JsonLines.line(ok));
        Files.writeString(f, "{\"cut\":", java.nio.file.StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> JsonLines.read(f));
        assertTrue(e.getMessage().startsWith("r.jsonl line 2: not JSON"), e.getMessage());
    }
}
