package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.TcpCheckRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TcpChecksTest {
    private static Device device(String type, String region) {
        return Device.builder(DeviceId.fromKey(type + region), type, Addresses.parse("127.0.0.1"))
                .label("device_type", type).label("region", region).build();
    }

    private static RunSettings settings(String rules) {
        return RunSettings.resolve(Map.of("tcp-checks", rules), Map.of());
    }

    @Test
    void rulesChooseTcpChecksByLabels() {
        RunSettings s = settings("device_type in (ATM, Paybox) => 443, 8443; region = Tbilisi => 22, 443; * => 7");
        var checks = Checks.of(s);
        List<String> atm = checks.apply(device("ATM", "Tbilisi")).stream().map(Check::name).toList();
        assertEquals(List.of("icmp", "tcp:443", "tcp:8443", "tcp:22", "tcp:7"), atm, "a port named twice is checked once");
        List<String> router = checks.apply(device("Router", "Achara")).stream().map(Check::name).toList();
        assertEquals(List.of("icmp", "tcp:7"), router);
        assertEquals(List.of("icmp"), Checks.of(settings("")).apply(device("ATM", "Tbilisi")).stream().map(Check::name).toList());
    }

    @Test
    void everyBadRuleIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpCheckRule.parseAll("device_type = ATM; region ~ x => 22; * => 0, http; * =>"));
        String m = e.getMessage();
        assertTrue(m.contains("'device_type = ATM' has no '=>'"), m);
        assertTrue(m.contains("'region ~ x => 22': bad selector"), m);
        assertTrue(m.contains("'0' is not a port"), m);
        assertTrue(m.contains("'http' is not a port"), m);
        InvalidConfigurationException ice = assertThrows(InvalidConfigurationException.class, () -> settings("* => 70000"));
        assertTrue(ice.problems().getFirst().startsWith("tcp-checks = '* => 70000'"), ice.problems().toString());
    }
}
