package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up summary says what is off and which setting turns it on, and only what is off. */
class StartSummaryTest {
    @TempDir
    Path dir;

    private static Device device(RunSettings s, String snmpVersion) {
        Device d = Device.builder(DeviceId.fromKey("d" + snmpVersion), "d", Addresses.parse("127.0.0.1"))
                .label("snmp_version", snmpVersion).build();
        return d.withChecks(Checks.of(s).apply(d));
    }

    @Test
    void aDefaultStartNamesEachThingThatIsOffWithItsSetting() {
        RunSettings s = RunSettings.resolve(Map.of(), Map.of(), null);
        String off = Poller.whatIsOff(s, List.of(device(s, "2c")));
        for (String expected : List.of("SNMP polling (set WARD_SNMP_COMMUNITY", "SNMP traps (snmp-trap-port)",
                "notifications beyond the log (notifications:", "the shared Redis cache (redis-url)",
                "the push to VictoriaMetrics (vm-url")) {
            assertTrue(off.contains(expected), "'" + expected + "' in: " + off);
        }
        assertFalse(off.contains("HTTP"), "HTTP is on by default: " + off);
    }

    @Test
    void whatIsOnIsNotListed() throws Exception {
        Path notifications = Files.writeString(dir.resolve("notifications.yaml"), "receivers: []\n");
        RunSettings s = RunSettings.resolve(Map.of("snmp-trap-port", "11162", "notifications", notifications.toString(),
                        "redis-url", "redis://127.0.0.1:6379", "vm-url", "http://127.0.0.1:8428", "http", "off"),
                Map.of("WARD_SNMP_COMMUNITY", "c0mmunity", "WARD_SNMP_TRAP_COMMUNITY", "tr4ps"), null);
        assertEquals("the HTTP API and status page (http)", Poller.whatIsOff(s, List.of(device(s, "2c"))));
        assertTrue(Poller.whatIsOff(s, List.of(device(s, ""))).startsWith("SNMP polling"),
                "credentials but no device labelled for SNMP: still no SNMP polling");
    }
}
