package io.github.wardops.ward.examples.prober;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpProberExampleIT {
    @Test
    void theEngineRunsTheHttpCheckAndTellsUpFromRefused() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, ProbeResult> first = HttpProberExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        ProbeResult.Up up = assertInstanceOf(ProbeResult.Up.class, first.get("web"), out);
        assertEquals(204.0, up.measurement().values().get("status"));
        assertEquals("http", up.type());
        ProbeResult.Down down = assertInstanceOf(ProbeResult.Down.class, first.get("web-closed"), out);
        assertEquals(DownReason.REFUSED, down.reason());
        assertTrue(out.contains("web UP {"), out);
        assertTrue(out.contains("web-closed DOWN REFUSED: connection refused"), out);
    }
}
