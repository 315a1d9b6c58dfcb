package io.github.wardops.ward.examples.sink;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesExampleIT {
    @Test
    void theEngineFeedsTheSinkAndEveryLoopbackDeviceIsWrittenUp(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RollingOptions o = JsonLinesExample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        List<ProbeResult> back = JsonLines.readAll(o);
        Map<Object, Long> perDevice = back.stream().collect(Collectors.groupingBy(ProbeResult::device, Collectors.counting()));
        assertEquals(5, perDevice.size(), out);
        assertTrue(perDevice.values().stream().allMatch(n -> n >= 3), "every device has three results at least: " + perDevice);
        assertTrue(back.stream().allMatch(r -> r instanceof ProbeResult.Up && r.check().equals("icmp")), out);
        assertTrue(back.stream().allMatch(r -> r.measurement().values().containsKey("rtt_avg_ms")), back.getFirst().toString());
        assertTrue(out.contains("lines written: " + back.size()), out);
    }
}
