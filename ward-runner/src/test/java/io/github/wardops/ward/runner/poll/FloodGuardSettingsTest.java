package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.runner.config.RunSettings;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alert-flood-threshold} and {@code alert-flood-window} reach the runner's alerting: five
 * devices going down at once with a threshold of 2 hold notifications back (counted), with the
 * default of 50 they do not. Results are fed to the tracker directly; the engine does not run.
 */
class FloodGuardSettingsTest {
    @TempDir
    Path dir;

    /** Five devices down at once; returns the notifications the flood guard held back. */
    double suppressedWith(Map<String, String> flags) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"),
                "[{\"name\": \"Down\", \"expression\": \"status == down\", \"severity\": \"critical\"}]");
        Map<String, String> f = new HashMap<>(flags);
        f.put("alert-rules", rules.toString());
        f.put("storage", "off");
        f.put("http", "off");
        RunSettings s = RunSettings.resolve(f, Map.of(), null);
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            devices.add(Device.builder(DeviceId.fromKey("flood-" + i), "flood-" + i, InetAddress.getByName("127.44.0." + i))
                    .check(Check.icmp(Duration.ofSeconds(30))).build());
        }
        try (Wiring w = Wiring.build(s, devices, Duration.ofSeconds(1))) {
            Instant t = Instant.now();
            for (int round = 0; round < 3; round++) {
                for (Device d : devices) {
                    w.tracker().onResult(new ProbeResult.Down(d.id(), "icmp", "icmp", t.plusMillis(round), DownReason.TIMEOUT,
                            "no reply", PingStats.of(3, new long[0], 0)));
                }
            }
            assertEquals(5, w.alerting().openAlerts().size(), "every alert opens either way");
            return w.registry().get("ward.alerts.flood.suppressed").counter().count();
        }
    }

    @Test
    void theThresholdAndWindowAreTheRunners() throws Exception {
        assertEquals(0.0, suppressedWith(Map.of()), "5 alerts are no flood at the default 50 a minute");
        double held = suppressedWith(Map.of("alert-flood-threshold", "2", "alert-flood-window", "10m"));
        assertTrue(held >= 2, "more than 2 within 10 minutes: the rest held back, counted: " + held);
    }
}
