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

/**
 * The runner's small wiring decisions: which devices get SNMP, the Redis URI with its password, and
 * how the runner names itself.
 */
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
    void theRunnersNameIsItsHealthAlertsHostNameAndItsPid() {
        String host = Wiring.runnerHostName();
        assertTrue(host.startsWith("ward-runner on ") && host.length() > "ward-runner on ".length(), host);
        assertEquals(host + ", pid " + ProcessHandle.current().pid(), Wiring.runnerName(),
                "one reading of the host name for both");
    }

    @Test
    void byDefaultTheSnmpVersionLabelChoosesAndOnlyWithCredentials() throws Exception {
        RunSettings without = RunSettings.resolve(Map.of("snmp-port", "1161", "snmp-interval", "5s"), Map.of(), null);
        assertEquals(List.of("icmp"), Checks.of(without).apply(device("2c")).stream().map(Check::name).toList());
        assertTrue(Checks.activeSnmpRules(without).isEmpty(), "the default rules are off without credentials");

        RunSettings with = RunSettings.resolve(Map.of("snmp-port", "1161", "snmp-interval", "5s"),
                Map.of("WARD_SNMP_COMMUNITY", "c0mmunity"), null);
        List<Check> checks = Checks.of(with).apply(device("2c"));
        assertEquals(List.of("icmp", "snmp"), checks.stream().map(Check::name).toList());
        Check snmp = checks.get(1);
        assertEquals(Duration.ofSeconds(5), snmp.interval());
        assertEquals(Duration.ofSeconds(5), snmp.timeout(), "the timeout never exceeds the interval");
        assertEquals(1161, ((SnmpSettings) snmp.settings()).port());
        assertEquals("v2c", ((SnmpSettings) snmp.settings()).credentialsRef());
        Device v1 = device("1").withChecks(Checks.of(with).apply(device("1")));
        assertEquals("v1", Checks.snmpProfile(v1), "v1 uses the community too");
        assertEquals(1, Checks.of(with).apply(device("3")).size(), "no v3 user: the v3 rule is off");
        for (String v : new String[] {"", "v2c", "2", "2c;3", null}) {
            assertEquals(1, Checks.of(with).apply(device(v)).size(), "snmp_version '" + v + "'");
        }
        Device d = device("2c");
        assertFalse(Checks.hasSnmp(d), "no checks yet");
        assertTrue(Checks.hasSnmp(d.withChecks(checks)));
    }

    @Test
    void theFirstMatchingRuleWinsAndGivesTheVersionsCredentials() throws Exception {
        RunSettings s = RunSettings.resolve(Map.of("snmp-checks",
                        "region = Tbilisi, snmp_version = 3 => v3; device_type in (Router, Switch) => v2c; * => V1",
                        "snmp-v3-user", "ward", "snmp-v3-auth-protocol", "SHA-256", "snmp-v3-priv-protocol", "aes-256"),
                Map.of("WARD_SNMP_COMMUNITY", "c0mmunity", "WARD_SNMP_V3_AUTH_PASSPHRASE", "auth-pass-1",
                        "WARD_SNMP_V3_PRIV_PASSPHRASE", "priv-pass-1"), null);
        var checks = Checks.of(s);
        Device router = Device.builder(DeviceId.fromKey("r"), "r", InetAddress.getByName("127.49.0.2"))
                .label("device_type", "Router").label("region", "Tbilisi").label("snmp_version", "3").build();
        Device sw = Device.builder(DeviceId.fromKey("s"), "s", InetAddress.getByName("127.49.0.3"))
                .label("device_type", "Switch").label("region", "Kakheti").label("snmp_version", "3").build();
        Device atm = Device.builder(DeviceId.fromKey("a"), "a", InetAddress.getByName("127.49.0.4"))
                .label("device_type", "ATM").build();
        assertEquals("v3", Checks.snmpProfile(router.withChecks(checks.apply(router))), "first rule");
        assertEquals("v2c", Checks.snmpProfile(sw.withChecks(checks.apply(sw))), "second rule");
        assertEquals("v1", Checks.snmpProfile(atm.withChecks(checks.apply(atm))), "catch-all");
        assertEquals(2, checks.apply(router).size(), "one SNMP check, however many rules match");
        var v3 = (io.github.wardops.ward.snmp.SnmpCredentials.Usm) s.snmpCredentials("v3").orElseThrow();
        assertEquals(io.github.wardops.ward.snmp.SnmpSecurityLevel.AUTH_PRIV, v3.level(), "derived from the passphrases");
        assertEquals(io.github.wardops.ward.snmp.SnmpAuthProtocol.SHA256, v3.auth());
        assertEquals(io.github.wardops.ward.snmp.SnmpPrivProtocol.AES256, v3.priv());

        // the pseudo-labels id and name work as in alert rules
        RunSettings byName = RunSettings.resolve(Map.of("snmp-checks", "name = core-1 => v2c; id = " + atm.id() + " => v1",
                "tcp-checks", "name = core-1 => 22"), Map.of("WARD_SNMP_COMMUNITY", "c"), null);
        Device core = Device.builder(DeviceId.fromKey("core"), " core-1 ", InetAddress.getByName("127.49.0.5")).build();
        assertEquals(List.of("icmp", "snmp", "tcp:22"), Checks.of(byName).apply(core).stream().map(Check::name).toList());
        assertEquals("v1", Checks.snmpProfile(atm.withChecks(Checks.of(byName).apply(atm))));
        assertEquals(1, Checks.of(byName).apply(sw).size());

        RunSettings none = RunSettings.resolve(Map.of("snmp-checks", "none"), Map.of("WARD_SNMP_COMMUNITY", "c"), null);
        assertEquals(1, Checks.of(none).apply(device("2c")).size(), "none turns SNMP off");
    }

    @Test
    void theRedisPasswordGoesIntoTheUriEncodedAndOnlyThere() {
        assertEquals("redis://127.0.0.1:6379", Cache.withPassword("redis://127.0.0.1:6379", null).reveal());
        Secret s = Cache.withPassword("rediss://127.0.0.1:6380/2", Secret.of("p@ss:w/rd +x"));
        assertEquals("rediss://:p%40ss%3Aw%2Frd%20%2Bx@127.0.0.1:6380/2", s.reveal());
        assertFalse(s.toString().contains("p@ss"));
    }
}
