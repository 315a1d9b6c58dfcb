package io.github.wardops.ward.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnmpConfigTest {

    @Test
    void credentialsNeverPrintSecrets() {
        SnmpCredentials v2 = SnmpCredentials.v2c(Secret.of("s3cr3t-community"));
        SnmpCredentials v3 = SnmpCredentials.v3("ops", SnmpAuthProtocol.SHA256, Secret.of("auth-s3cr3t"),
                SnmpPrivProtocol.AES256, Secret.of("priv-s3cr3t"));
        SnmpSettings s = SnmpSettings.builder().credentials(v3).build();
        for (Object o : List.of(v2, v3, s)) {
            assertFalse(o.toString().contains("s3cr3t"), o.toString());
        }
        assertTrue(v3.toString().contains("ops"));
        assertEquals(SnmpSecurityLevel.AUTH_PRIV, ((SnmpCredentials.Usm) v3).level());
        assertEquals(SnmpSecurityLevel.AUTH_NO_PRIV, SnmpCredentials.v3("ops", SnmpAuthProtocol.MD5, Secret.of("12345678")).level());
        assertEquals(SnmpSecurityLevel.NO_AUTH_NO_PRIV, SnmpCredentials.v3("ops").level());
    }

    @Test
    void badCredentialsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SnmpCredentials.v2c(Secret.of("")));
        assertThrows(IllegalArgumentException.class, () -> new SnmpCredentials.Community(SnmpVersion.V3, Secret.of("x")));
        assertThrows(IllegalArgumentException.class, () -> SnmpCredentials.v3("ops", SnmpAuthProtocol.SHA1, Secret.of("short")));
        assertThrows(IllegalArgumentException.class, () -> SnmpCredentials.v3("has space"));
        assertThrows(IllegalArgumentException.class, () -> new SnmpCredentials.Usm("ops", null, null,
                SnmpPrivProtocol.AES128, Secret.of("12345678")));
        assertThrows(IllegalArgumentException.class, () -> new SnmpCredentials.Usm("ops", SnmpAuthProtocol.SHA1, null, null, null));
    }

    @Test
    void settingsReportEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SnmpSettings.builder()
                .port(0).requestTimeout(Duration.ZERO).retries(11).maxRepetitions(0).maxVarbindsPerPdu(5000)
                .polls(Set.of()).rediscoveryInterval(Duration.ofSeconds(5)).build());
        assertEquals(8, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("exactly one of credentialsRef and credentials"));
        SnmpSettings ok = SnmpSettings.builder().credentialsRef("branch-v2c").build();
        assertEquals("snmp", ok.type());
        assertEquals(161, ok.port());
        assertEquals(8, ok.toBuilder().maxRepetitions(8).build().maxRepetitions());
    }

    @Test
    void measurementValuesAreFlatAndFinite() {
        InterfaceRates rates = new InterfaceRates(8e6, Double.NaN, 10.0, Double.NaN, 0.0, Double.NaN, Double.NaN, Double.NaN, 0.8,
                Double.NaN);
        SnmpInterface i = new SnmpInterface(3, "Gi0/3", "GigabitEthernet0/3", "", 6, 1500, 1_000_000_000L, "", 1, 2,
                null, Map.of(), new InterfaceCounters(1L, 2L, 3L, 4L, 0L, 0L, 0L, 0L, true), rates);
        SnmpItem cpu = new SnmpItem("cpu", SnmpOid.parse("1.3.6.1.4.1.9.2.1.58.0"), SnmpItem.Kind.GAUGE, "percent",
                Duration.ofMinutes(1));
        SnmpItem ver = new SnmpItem("ver", SnmpOid.parse("1.3.6.1.4.1.9.2.1.1.0"), SnmpItem.Kind.TEXT, "", Duration.ofHours(1));
        SnmpMeasurement m = new SnmpMeasurement(new SnmpSystem("d", null, Duration.ofSeconds(90), "n", "l"), "cisco",
                List.of(new SnmpItemValue(cpu, "custom", new SnmpValue.Gauge32(7)),
                        new SnmpItemValue(ver, "custom", SnmpValue.OctetString.of("15.2"))),
                List.of(i), false, false, 20, 2, "");
        Map<String, Double> v = m.values();
        assertEquals(90.0, v.get("sys_uptime_s"));
        assertEquals(7.0, v.get("item.cpu"));
        assertFalse(v.containsKey("item.ver"));
        assertEquals(8e6, v.get("if.3.in_bps"));
        assertEquals(2.0, v.get("if.3.oper_status"));
        assertFalse(v.containsKey("if.3.out_bps"));
        assertTrue(v.values().stream().allMatch(Double::isFinite));
        assertTrue(m.complete());
    }
}
