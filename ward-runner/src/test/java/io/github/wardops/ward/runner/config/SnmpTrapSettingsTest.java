package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snmp-trap-* settings: off by default, bounded, and a receiver that would accept nothing is refused. */
class SnmpTrapSettingsTest {
    private static final String COMMUNITY = "trap-community-secret";

    @Test
    void theReceiverIsOffByDefaultOnLoopback() {
        RunSettings s = RunSettings.resolve(Map.of(), Map.of(), null);
        assertFalse(s.snmpTraps().on());
        assertEquals(0, s.snmpTraps().port());
        assertEquals(InetAddress.ofLiteral("127.0.0.1"), s.snmpTraps().address());
        assertEquals(Duration.ofSeconds(10), s.snmpTraps().probeGap());
        assertEquals(100, s.snmpTraps().keep());
        assertEquals(Duration.ofMinutes(15), s.snmpTraps().hold());
        assertEquals(10_000, s.snmpTraps().queue());
        assertEquals(1_048_576, s.snmpTraps().receiveBufferBytes());
    }

    @Test
    void aPortWithACommunityTurnsItOn() {
        RunSettings s = RunSettings.resolve(Map.of("snmp-trap-port", "1162", "snmp-trap-address", "::1",
                "snmp-trap-probe-gap", "30s", "snmp-trap-keep", "5", "snmp-trap-hold", "1h", "snmp-trap-queue", "250",
                "snmp-trap-receive-buffer", "8388608"),
                Map.of("WARD_SNMP_TRAP_COMMUNITY", COMMUNITY), null);
        assertTrue(s.snmpTraps().on());
        assertEquals(1162, s.snmpTraps().port());
        assertEquals(InetAddress.ofLiteral("::1"), s.snmpTraps().address());
        assertEquals(Duration.ofSeconds(30), s.snmpTraps().probeGap());
        assertEquals(5, s.snmpTraps().keep());
        assertEquals(Duration.ofHours(1), s.snmpTraps().hold());
        assertEquals(250, s.snmpTraps().queue());
        assertEquals(8_388_608, s.snmpTraps().receiveBufferBytes());
        assertEquals(COMMUNITY, s.snmpTrapCommunity().orElseThrow().reveal());
        assertFalse(s.effective().toString().contains(COMMUNITY), "the community is masked");
    }

    @Test
    void theV3UserAloneIsEnough() {
        RunSettings s = RunSettings.resolve(Map.of("snmp-trap-port", "1162", "snmp-v3-user", "traps",
                        "snmp-v3-auth-protocol", "SHA-256", "snmp-v3-priv-protocol", "AES"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "auth-pass-phrase", "WARD_SNMP_V3_PRIV_PASSPHRASE", "priv-pass-phrase"),
                null);
        assertTrue(s.snmpTraps().on());
        assertTrue(s.snmpTrapCommunity().isEmpty());
    }

    @Test
    void aPortWithoutCredentialsIsRefused() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("snmp-trap-port", "1162"), Map.of(), null));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("snmp-trap-port = 1162 (from --snmp-trap-port): "
                + "the trap receiver would accept nothing")), e.problems().toString());
    }

    @Test
    void aCommunityWithoutAPortIsRefusedWithoutSayingIt() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of(), Map.of("WARD_SNMP_TRAP_COMMUNITY", COMMUNITY), null));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("snmp-trap-community is set but snmp-trap-port is not")),
                e.problems().toString());
        assertFalse(e.getMessage().contains(COMMUNITY));
    }

    @Test
    void badValuesAreRefusedSayingWhy() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("snmp-trap-port", "70000", "snmp-trap-address", "traps.example.org",
                        "snmp-trap-probe-gap", "0s", "snmp-trap-keep", "0", "snmp-trap-hold", "1s", "snmp-trap-queue", "99",
                        "snmp-trap-receive-buffer", "1MiB"), Map.of("WARD_SNMP_TRAP_COMMUNITY", COMMUNITY), null));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("snmp-trap-port = '70000' (from --snmp-trap-port): must be 0-65535"), all);
        assertTrue(all.contains("snmp-trap-address = 'traps.example.org' (from --snmp-trap-address): must be an IP literal"), all);
        assertTrue(all.contains("snmp-trap-probe-gap = '0s'"), all);
        assertTrue(all.contains("snmp-trap-keep = '0' (from --snmp-trap-keep): must be 1-10000"), all);
        assertTrue(all.contains("snmp-trap-hold = '1s'"), all);
        assertTrue(all.contains("snmp-trap-queue = '99' (from --snmp-trap-queue): must be 100-1000000"), all);
        assertTrue(all.contains("snmp-trap-receive-buffer = '1MiB' (from --snmp-trap-receive-buffer): not a whole number"), all);
        assertThrows(IllegalArgumentException.class, () -> Settings.SNMP_TRAP_RECEIVE_BUFFER.parse("65535"));
        assertThrows(IllegalArgumentException.class, () -> Settings.SNMP_TRAP_RECEIVE_BUFFER.parse("268435457"));
        assertEquals(65_536, Settings.SNMP_TRAP_RECEIVE_BUFFER.parse("65536"));
        assertEquals(InetAddress.ofLiteral("0.0.0.0"), Settings.SNMP_TRAP_ADDRESS.parse("0.0.0.0"));
        assertEquals(InetAddress.ofLiteral("::1"), Settings.SNMP_TRAP_ADDRESS.parse("[::1]"));
    }
}
