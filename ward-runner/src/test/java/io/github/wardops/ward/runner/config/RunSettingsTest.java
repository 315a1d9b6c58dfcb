package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

    @Test
    void defaultsWithoutFlagsOrEnvironment() {
        RunSettings s = RunSettings.resolve(Map.of(), Map.of());
        assertNull(s.inventory());
        assertTrue(s.inventoryFile().isEmpty());
        assertEquals(Duration.ofSeconds(30), s.interval());
        assertEquals(HttpAddress.DEFAULT, s.http());
        assertEquals(4096, s.maxProbesInFlight());
        assertEquals(10_000, s.icmpPacketsPerSecond());
        assertEquals(Duration.ofSeconds(2), s.inventoryPoll());
    }

    @Test
    void environmentOverridesDefaultsAndFlagsOverrideTheEnvironment() {
        Map<String, String> env = Map.of("WARD_INTERVAL", "10s", "WARD_HTTP", "127.0.0.2:9999",
                "WARD_INVENTORY", "/tmp/from-env.csv", "WARD_ICMP_PPS", "500", "HOME", "/root");
        RunSettings s = RunSettings.resolve(Map.of("interval", "5s"), env);
        assertEquals(Duration.ofSeconds(5), s.interval());
        assertEquals("127.0.0.2:9999", s.http().toString());
        assertEquals(Path.of("/tmp/from-env.csv"), s.inventory());
        assertEquals(500, s.icmpPacketsPerSecond());
    }

    @Test
    void blankEnvironmentValuesAreIgnored() {
        assertEquals(Duration.ofSeconds(30), RunSettings.resolve(Map.of(), Map.of("WARD_INTERVAL", " ")).interval());
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndOrigin() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("http", "nowhere", "max-probes-in-flight", "0", "inventory-poll", "1ms", "inventory", " "),
                Map.of("WARD_INTERVAL", "500ms", "WARD_ICMP_PPS", "lots")));
        List<String> p = e.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.contains("interval = '500ms' (from WARD_INTERVAL): must be 1s to 1d"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("http = 'nowhere' (from --http): ")), p.toString());
        assertTrue(p.contains("max-probes-in-flight = '0' (from --max-probes-in-flight): must be 1-1000000"), p.toString());
        assertTrue(p.contains("icmp-pps = 'lots' (from WARD_ICMP_PPS): not a whole number"), p.toString());
        assertTrue(p.contains("inventory-poll = '1ms' (from --inventory-poll): must be 100ms to 1h"), p.toString());
        assertTrue(p.contains("inventory = ' ' (from --inventory): must not be empty"), p.toString());
    }

    @Test
    void everyKeyHasAnEnvironmentVariableNamedAfterIt() {
        for (RunSettings.Key k : RunSettings.KEYS) {
            assertEquals("WARD_" + k.key().toUpperCase(java.util.Locale.ROOT).replace('-', '_'), k.env());
        }
        assertThrows(IllegalArgumentException.class, () -> RunSettings.resolve(Map.of("colour", "red"), Map.of()));
    }
}
