package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceViewTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123Z");
    private final Device device = Device.builder(DeviceId.parse("b28054ed-930a-4913-a509-0f3b616e3371"), "Batumi-1-NVR -",
                    InetAddress.ofLiteral("127.199.87.141"))
            .label("region", "Achara").label("device_type", "NVR")
            .parent(DeviceId.parse("7624d23c-c318-4ed3-88b0-ef3f146d6abe"))
            .check(Check.icmp(Duration.ofSeconds(30))).build();

    private JsonNode json(DeviceView v) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(v));
    }

    @Test
    void upDeviceHasEveryDocumentedFieldInOrder() throws Exception {
        PingStats stats = new PingStats(3, 2, Duration.ofNanos(40_000), Duration.ofNanos(51_234), Duration.ofNanos(60_000),
                Duration.ofNanos(5_000));
        ProbeResult up = new ProbeResult.Up(device.id(), "icmp", "icmp", AT, stats.rttAvg(), stats);
        String text = MAPPER.writeValueAsString(DeviceView.of(device, DeviceStatus.UP, up));
        assertEquals("{\"id\":\"b28054ed-930a-4913-a509-0f3b616e3371\",\"name\":\"Batumi-1-NVR -\",\"address\":\"127.199.87.141\","
                + "\"enabled\":true,\"status\":\"UP\",\"flapping\":false,\"downSince\":null,\"lastRttMs\":0.051,\"lossPct\":33.333,"
                + "\"lastProbeAt\":\"2026-11-29T10:15:30.123Z\",\"reason\":null,\"detail\":null,"
                + "\"parentId\":\"7624d23c-c318-4ed3-88b0-ef3f146d6abe\",\"labels\":{\"region\":\"Achara\",\"device_type\":\"NVR\"}}",
                text);
    }

    @Test
    void downDeviceHasReasonAndFullLossButNoRtt() throws Exception {
        PingStats stats = new PingStats(3, 0, null, null, null, null);
        ProbeResult down = new ProbeResult.Down(device.id(), "icmp", "icmp", AT, DownReason.TIMEOUT, "no reply to 3 echoes", stats);
        JsonNode j = json(DeviceView.of(device, DeviceStatus.DOWN, down));
        assertEquals("DOWN", j.get("status").asText());
        assertTrue(j.get("lastRttMs").isNull());
        assertEquals(100.0, j.get("lossPct").asDouble());
        assertEquals("TIMEOUT", j.get("reason").asText());
        assertEquals("no reply to 3 echoes", j.get("detail").asText());
        assertEquals("2026-11-29T10:15:30.123Z", j.get("lastProbeAt").asText());
    }

    @Test
    void unknownResultCarriesItsDetail() throws Exception {
        ProbeResult unknown = new ProbeResult.Unknown(device.id(), "icmp", "icmp", AT, "no ICMPv6 socket");
        JsonNode j = json(DeviceView.of(device, DeviceStatus.UNKNOWN, unknown));
        assertEquals("UNKNOWN", j.get("status").asText());
        assertTrue(j.get("lossPct").isNull());
        assertTrue(j.get("reason").isNull());
        assertEquals("no ICMPv6 socket", j.get("detail").asText());
    }

    @Test
    void neverProbedDisabledDeviceIsUnknownWithNulls() throws Exception {
        Device off = device.withEnabled(false);
        JsonNode j = json(DeviceView.of(off, DeviceStatus.UNKNOWN, null));
        assertEquals(false, j.get("enabled").asBoolean());
        for (String f : List.of("lastRttMs", "lossPct", "lastProbeAt", "reason", "detail")) {
            assertTrue(j.get(f).isNull(), f);
        }
        assertEquals(14, j.size(), "every field is present, null or not");
    }

    @Test
    void ipv6AddressIsTheHostAddress() throws Exception {
        Device v6 = Device.builder(DeviceId.fromKey("v6"), "v6", InetAddress.ofLiteral("::1")).build();
        assertEquals("0:0:0:0:0:0:0:1", json(DeviceView.of(v6, DeviceStatus.UNKNOWN, null)).get("address").asText());
    }

    @Test
    void trackedStateGivesStatusFlappingAndDownSince() throws Exception {
        Instant firstFailure = AT.minusSeconds(90);
        var key = io.github.wardops.ward.state.StateKey.of(device.id());
        var down = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.DOWN, firstFailure, true, 42.5, 4, 0, AT);
        JsonNode j = json(DeviceView.of(device, down, null));
        assertEquals("DOWN", j.get("status").asText());
        assertTrue(j.get("flapping").asBoolean());
        assertEquals(firstFailure.toString(), j.get("downSince").asText());
        var unreachable = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UNREACHABLE, firstFailure, false, 0, 4, 0, AT);
        assertEquals("UNREACHABLE", json(DeviceView.of(device, unreachable, null)).get("status").asText());
        assertEquals(firstFailure.toString(), json(DeviceView.of(device, unreachable, null)).get("downSince").asText());
        var up = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, firstFailure, false, 0, 0, 3, AT);
        assertTrue(json(DeviceView.of(device, up, null)).get("downSince").isNull(), "an up device has no downSince");
        JsonNode untracked = json(DeviceView.of(device, (io.github.wardops.ward.state.DeviceState) null, null));
        assertEquals("UNKNOWN", untracked.get("status").asText());
        assertFalse(untracked.get("flapping").asBoolean());
    }
}
