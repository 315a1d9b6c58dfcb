package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's small wiring decisions: which devices get SNMP, and the Redis URI with its password. */
class WiringPartsTest {
    private static Device device(String snmpVersion) throws Exception {
        Device.Builder b = Device.builder(DeviceId.fromKey("d" + snmpVersion), "d", InetAddress.getByName("127.49.0.1"))
                .check(Check.icmp(Duration.ofSeconds(30)));
        if (snmpVersion != null) {
            b.label("snmp_version", snmpVersion);
        }
        return b.build();
    }

    @Test
    void onlyDevicesWithSnmpVersion2cGetAnSnmpCheckAndOnlyWithACommunity() throws Exception {
        RunSettings without = RunSettings.resolve(Map.of("snmp-port", "1161", "snmp-interval", "5s"), Map.of(), null);
        assertEquals(List.of("icmp"), Checks.of(without).apply(device("2c")).stream().map(Check::name).toList());

        RunSettings with = RunSettings.resolve(Map.of("snmp-port", "1161", "snmp-interval", "5s"),
                Map.of("WARD_SNMP_COMMUNITY", "c0mmunity"), null);
        List<Check> checks = Checks.of(with).apply(device("2c"));
        assertEquals(List.of("icmp", "snmp"), checks.stream().map(Check::name).toList());
        Check snmp = checks.get(1);
        assertEquals(Duration.ofSeconds(5), snmp.interval());
        assertEquals(Duration.ofSeconds(5), snmp.timeout(), "the timeout never exceeds the interval");
        assertEquals(1161, ((SnmpSettings) snmp.settings()).port());
        for (String v : new String[] {"", "1", "3", "v2c", "2", null}) {
            assertEquals(1, Checks.of(with).apply(device(v)).size(), "snmp_version '" + v + "'");
        }
        assertTrue(Checks.hasSnmp(device(" 2C ")));
        assertFalse(Checks.hasSnmp(device("2c;3")));
    }

    @Test
    void theRedisPasswordGoesIntoTheUriEncodedAndOnlyThere() {
        assertEquals("redis://127.0.0.1:6379", Cache.withPassword("redis://127.0.0.1:6379", null).reveal());
        Secret s = Cache.withPassword("rediss://127.0.0.1:6380/2", Secret.of("p@ss:w/rd +x"));
        assertEquals("rediss://:p%40ss%3Aw%2Frd%20%2Bx@127.0.0.1:6380/2", s.reveal());
        assertFalse(s.toString().contains("p@ss"));
    }
}
