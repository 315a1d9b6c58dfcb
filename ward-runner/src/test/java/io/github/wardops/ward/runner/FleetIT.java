package io.github.wardops.ward.runner;

import static io.github.wardops.ward.runner.InProcessRunner.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bundled 875-device fleet (loopback addresses): with no --inventory, the runner polls it,
 * and every enabled device (873) is UP within one interval. The 2 disabled devices are listed,
 * never probed, and stay UNKNOWN.
 */
class FleetIT {

    @Test
    void everyEnabledFleetDeviceIsUpWithinOneInterval() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("--interval", "2s", "--http", "127.0.0.1:0")) {
            JsonNode devices = r.awaitDevices(Duration.ofSeconds(2).plusMillis(400).plusSeconds(6),
                    d -> count(d, "UP") == 873);
            assertEquals(875, devices.size());
            assertEquals(2, count(devices, "UNKNOWN"));
            assertEquals(0, count(devices, "DOWN"));
            for (JsonNode d : devices) {
                if (d.get("status").asText().equals("UNKNOWN")) {
                    assertFalse(d.get("enabled").asBoolean(), d.toString());
                    assertTrue(d.get("lastProbeAt").isNull(), d.toString());
                }
                assertTrue(d.get("address").asText().startsWith("127."), d.toString());
            }
            assertEquals(873, r.poller.summary().up());
        }
    }
}
