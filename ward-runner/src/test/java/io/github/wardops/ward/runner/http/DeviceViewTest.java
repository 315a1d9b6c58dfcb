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
                + "\"enabled\":true,\"status\":\"UP\",\"flapping\":false,\"downSince\":null,\"failing\":false,\"failingSince\":null,"
                + "\"consecutiveFailures\":0,\"lastRttMs\":0.051,\"lossPct\":33.333,"
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
        assertEquals(17, j.size(), "every field is present, null or not");
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

    @Test
    void aFailureNotYetConfirmedShowsFailingWithItsStartAndCount() throws Exception {
        var key = io.github.wardops.ward.state.StateKey.of(device.id());
        Instant firstFailure = AT.minusSeconds(4);
        var failing = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, AT.minusSeconds(600), false, 0, 2, 0,
                AT, firstFailure, null, "1111100");
        PingStats lost = new PingStats(3, 0, null, null, null, null);
        ProbeResult down = new ProbeResult.Down(device.id(), "icmp", "icmp", AT, DownReason.TIMEOUT, "no reply to 3 echoes", lost);
        JsonNode j = json(DeviceView.of(device, failing, down));
        assertEquals("UP", j.get("status").asText(), "the status stays the last confirmed one");
        assertTrue(j.get("failing").asBoolean());
        assertEquals(firstFailure.toString(), j.get("failingSince").asText());
        assertEquals(2, j.get("consecutiveFailures").asInt());
        assertTrue(j.get("downSince").isNull());
        assertEquals("TIMEOUT", j.get("reason").asText());

        var confirmed = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.DOWN, firstFailure, false, 0, 3, 0,
                AT, firstFailure, null, "11111000");
        JsonNode d = json(DeviceView.of(device, confirmed, down));
        assertFalse(d.get("failing").asBoolean(), "a confirmed DOWN is no longer failing");
        assertEquals(firstFailure.toString(), d.get("failingSince").asText());
        assertEquals(firstFailure.toString(), d.get("downSince").asText());
        assertEquals(3, d.get("consecutiveFailures").asInt());

        var recovered = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, AT, false, 0, 0, 2, AT);
        JsonNode u = json(DeviceView.of(device, recovered, null));
        assertFalse(u.get("failing").asBoolean());
        assertTrue(u.get("failingSince").isNull());
        assertEquals(0, u.get("consecutiveFailures").asInt());
    }

    @Test
    void aStaleDeviceSaysSoInsteadOfItsOldResultsDetail() throws Exception {
        var key = io.github.wardops.ward.state.StateKey.of(device.id());
        var stale = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UNKNOWN, AT, false, 0, 0, 0, AT.minusSeconds(100),
                null, io.github.wardops.ward.state.DeviceState.STALE, "");
        PingStats stats = new PingStats(3, 3, Duration.ofNanos(40_000), Duration.ofNanos(50_000), Duration.ofNanos(60_000),
                Duration.ofNanos(5_000));
        ProbeResult old = new ProbeResult.Up(device.id(), "icmp", "icmp", AT.minusSeconds(100), stats.rttAvg(), stats);
        JsonNode j = json(DeviceView.of(device, stale, old));
        assertEquals("UNKNOWN", j.get("status").asText());
        assertEquals("stale", j.get("detail").asText());
        assertFalse(j.get("failing").asBoolean());
    }

    @Test
    void stateViewCarriesFailingFailingSinceAndDetail() throws Exception {
        var key = io.github.wardops.ward.state.StateKey.of(device.id());
        Instant firstFailure = Instant.parse("2026-11-29T10:15:26.123456789Z");
        var failing = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, AT.minusSeconds(600), false, 0, 1, 0,
                AT, firstFailure, null, "10");
        String text = MAPPER.writeValueAsString(StateView.of(failing));
        assertEquals("{\"status\":\"UP\",\"since\":\"2026-11-29T10:05:30.123Z\",\"flapping\":false,\"flapPercent\":0.0,"
                + "\"failing\":true,\"failingSince\":\"2026-11-29T10:15:26.123456Z\",\"consecutiveFailures\":1,"
                + "\"consecutiveSuccesses\":0,\"detail\":null,\"updatedAt\":\"2026-11-29T10:15:30.123Z\"}", text,
                "every field in order; instants to the microsecond, as stored");
        var stale = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UNKNOWN, AT, false, 0, 0, 0, AT, null,
                io.github.wardops.ward.state.DeviceState.STALE, "");
        assertEquals("stale", json2(StateView.of(stale)).get("detail").asText());
    }

    private JsonNode json2(Object v) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(v));
    }
}
