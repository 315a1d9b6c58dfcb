package io.github.wardops.ward.examples.plain;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainJavaExampleIT {
    @Test
    void runsAndEveryDeviceReportsUp() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PlainJavaExample.PrintingSink sink = PlainJavaExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(20, sink.seen.size(), "an ICMP and an SNMP result for each of the 10 devices");
        assertTrue(sink.seen.values().stream().allMatch(r -> r instanceof ProbeResult.Up), sink.seen.toString());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains(" icmp UP rtt="), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("example-1 icmp UP")), "lines name the device, not its id: " + out);
        assertTrue(out.contains(" snmp UP sysName="), out);
        assertTrue(out.contains("interfaces=2"), out);
        assertTrue(out.contains("ICMP socket mode: "), out);
    }
}
