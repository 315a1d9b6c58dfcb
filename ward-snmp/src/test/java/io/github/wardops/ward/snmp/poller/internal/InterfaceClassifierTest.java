package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.InterfaceFilter;
import io.github.wardops.ward.snmp.poller.InterfaceRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceClassifierTest {
    private final InterfaceClassifier c = new InterfaceClassifier(InterfaceRule.parseAll("rules", """
            # the replaced system's tagging, as data
            isp-uplink alias (?i)^ISP[-_ ]?(?<provider>[A-Za-z0-9]+)
            trunk      alias (?i)\\btrunk\\b
            management descr (?i)^mgmt
            """));

    @Test
    void firstMatchingRuleWinsWithNamedGroups() {
        var r = c.classify("ISP_Silknet 100M", "Gi0/0", "Gi0/0");
        assertEquals("isp-uplink", r.role());
        assertEquals(Map.of("provider", "Silknet"), r.attributes());
        assertEquals("trunk", c.classify("trunk to core", "Gi0/1", "Gi0/1").role());
        assertEquals("management", c.classify("", "mgmt0", "mgmt0").role());
        assertNull(c.classify("user port", "Gi0/2", "Gi0/2").role());
    }

    @Test
    void badRulesAreAllReportedWithLineNumbers() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> InterfaceRule.parseAll("r.txt", "isp alias (\nBad-Role alias x\nok speed x\nshort"));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("r.txt:1:"));
        assertTrue(e.problems().get(2).contains("alias, descr or name"));
    }

    @Test
    void filterByTypeAndName() {
        InterfaceFilter f = new InterfaceFilter(Set.of(), Set.of(24), List.of(), List.of("Vlan\\d+", "Null0"));
        assertTrue(f.accepts(6, "Gi0/1"));
        assertFalse(f.accepts(24, "lo"));
        assertFalse(f.accepts(135, "Vlan10"));
        assertTrue(f.accepts(135, "Vlan10x"), "patterns match the whole name");
        InterfaceFilter only = new InterfaceFilter(Set.of(6), Set.of(), List.of("Gi.*"), List.of());
        assertTrue(only.accepts(6, "Gi0/1"));
        assertFalse(only.accepts(6, "Te0/1"));
        assertFalse(only.accepts(53, "Gi0/1"));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceFilter(Set.of(), Set.of(), List.of("("), List.of()));
    }
}
