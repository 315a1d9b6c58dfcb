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
        assertTrue(e.problems().get(2).contains("speed 'x'"), e.problems().get(2));
    }

    @Test
    void rulesReadNameAliasDescrTypeAndSpeed() {
        InterfaceClassifier rc = new InterfaceClassifier(InterfaceRule.parseAll("roles.rules", """
                uplink   alias  (?i)isp[-_ ]?(?<provider>magti|silknet|caucasus)
                wan      ifName ^(?i)wan\\d
                vpn      descr  ^Tunnel
                lag      type   ieee8023adLag, 53
                loopback ifType softwareLoopback
                backbone speed  >= 10G
                slow     SPEED  <  10m
                """));
        var u = rc.classify("ISP-Magti 100M", "Gi0/0", "Gi0/0", 6, 100_000_000L);
        assertEquals("uplink", u.role());
        assertEquals(Map.of("provider", "Magti"), u.attributes());
        assertEquals(Map.of("provider", "silknet"), rc.classify("to isp_silknet", "", "", 6, 0).attributes());
        assertEquals("wan", rc.classify("", "ether1", "WAN1", 6, 1_000_000_000L).role());
        assertEquals("vpn", rc.classify("", "Tunnel0", "Tu0", 131, 1_000_000_000L).role());
        assertEquals("lag", rc.classify("", "Port-channel1", "Po1", 161, 2_000_000_000L).role());
        assertEquals("lag", rc.classify("", "x", "x", 53, 1_000_000_000L).role(), "numbers and names mix");
        assertEquals("loopback", rc.classify("", "lo", "lo", 24, 0).role());
        assertEquals("backbone", rc.classify("", "Te0/1", "Te0/1", 6, 10_000_000_000L).role());
        assertEquals("slow", rc.classify("", "Se0/0", "Se0/0", 22, 2_048_000L).role());
        assertNull(rc.classify("user", "Gi0/5", "Gi0/5", 6, 1_000_000_000L).role());
        assertTrue(rc.classify("user", "Gi0/5", "Gi0/5", 6, 1_000_000_000L).attributes().isEmpty());
    }

    @Test
    void everyMalformedLineIsReportedWithItsNumberAndProblem() {
        String text = String.join("\n",
                "# roles",                                         // 1 comment
                "uplink alias (?i)isp(?<provider>\\w+",            // 2 unclosed group
                "",                                                // 3 blank
                "Uplink alias isp",                                // 4 role case
                "uplink colour red",                               // 5 unknown field
                "uplink type ethernet",                            // 6 unknown type name
                "uplink type 0",                                   // 7 type out of range
                "uplink speed fast",                               // 8 not a comparison
                "uplink speed => 1G",                              // 9 bad operator
                "uplink speed >= 99999999999999T",                 // 10 overflow
                "uplink",                                          // 11 too short
                "uplink type 6,",                                  // 12 empty list item
                "ok speed >= 1G");                                 // 13 fine
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> InterfaceRule.parseAll("roles.rules", text));
        List<String> p = e.problems();
        assertEquals(10, p.size(), e.getMessage());
        int[] lines = {2, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        for (int i = 0; i < lines.length; i++) {
            assertTrue(p.get(i).startsWith("roles.rules:" + lines[i] + ": "), p.get(i));
        }
        assertTrue(p.get(0).contains("not a regular expression"), p.get(0));
        assertTrue(p.get(1).contains("a-z 0-9"), p.get(1));
        assertTrue(p.get(2).contains("alias, descr, name, type or speed"), p.get(2));
        assertTrue(p.get(3).contains("ifType 'ethernet'") && p.get(3).contains("ethernetCsmacd"), p.get(3));
        assertTrue(p.get(4).contains("ifType '0'"), p.get(4));
        assertTrue(p.get(5).contains("speed 'fast'"), p.get(5));
        assertTrue(p.get(6).contains("speed '=> 1G'"), p.get(6));
        assertTrue(p.get(7).contains("too large"), p.get(7));
        assertTrue(p.get(8).contains("expected '<role>"), p.get(8));
        assertTrue(p.get(9).contains("ifType ''"), p.get(9));
        assertTrue(e.getMessage().contains("roles.rules"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new InterfaceRule("x", InterfaceRule.Field.ALIAS, "a").matchesType(6));
        assertThrows(IllegalStateException.class, () -> new InterfaceRule("x", InterfaceRule.Field.TYPE, "6").matchesSpeed(6));
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
