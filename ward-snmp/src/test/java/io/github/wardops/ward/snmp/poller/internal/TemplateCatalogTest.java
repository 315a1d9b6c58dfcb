package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateCatalogTest {

    @Test
    void builtInTemplatesLoadFromTheJar() {
        List<String> vendors = VendorTemplate.builtIn().stream().map(VendorTemplate::vendor).toList();
        assertEquals(List.of("cisco", "fortinet", "juniper", "hp-aruba", "mikrotik", "hikvision", "net-snmp", "windows"), vendors);
        VendorTemplate cisco = VendorTemplate.builtIn().getFirst();
        SnmpItem cpu = cisco.items().stream().filter(i -> i.name().equals("cpu_5min_pct")).findFirst().orElseThrow();
        assertEquals(SnmpOid.parse("1.3.6.1.4.1.9.9.109.1.1.1.1.8.1"), cpu.oid());
        assertEquals(Duration.ofSeconds(60), cpu.interval());
    }

    @Test
    void vendorByLongestEnterprisePrefixAndUserOverride() {
        TemplateCatalog defaults = new TemplateCatalog(List.of());
        assertEquals("cisco", defaults.match(SnmpOid.parse("1.3.6.1.4.1.9.1.1208")).vendor());
        assertEquals("hp-aruba", defaults.match(SnmpOid.parse("1.3.6.1.4.1.14823.1.1.32")).vendor());
        assertEquals("net-snmp", defaults.match(SnmpOid.parse("1.3.6.1.4.1.8072.3.2.10")).vendor());
        assertNull(defaults.match(SnmpOid.parse("1.3.6.1.4.1.99999.1")));
        assertNull(defaults.match(SnmpOid.parse("1.3.6.1.4.1.90")), "9 is not a prefix of 90");
        assertNull(defaults.match(null));

        VendorTemplate mine = VendorTemplate.parse("my-cisco.tmpl", """
                vendor cisco
                match 1.3.6.1.4.1.9
                item cpu 1.3.6.1.4.1.9.2.1.58.0 gauge percent 30s
                """);
        VendorTemplate nexus = VendorTemplate.parse("nexus.tmpl", """
                vendor cisco-nexus
                match 1.3.6.1.4.1.9.12.3
                """);
        TemplateCatalog c = new TemplateCatalog(List.of(mine, nexus));
        assertEquals(List.of("cpu"), c.get("cisco").items().stream().map(SnmpItem::name).toList());
        assertEquals("cisco-nexus", c.match(SnmpOid.parse("1.3.6.1.4.1.9.12.3.1.3.1")).vendor());
        assertEquals("cisco", c.match(SnmpOid.parse("1.3.6.1.4.1.9.1.1")).vendor());
    }

    @Test
    void malformedTemplatesReportEveryLine() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> VendorTemplate.parse("t",
                """
                match 1.3.6.x
                item a 1.3.6.1 gauge % 10q
                item b 1.3.6.1 number - 1m
                item c 1.3.6.1 gauge
                frobnicate
                """));
        assertEquals(7, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("t:1: "));
        assertTrue(e.getMessage().contains("no 'vendor' line"));
        assertThrows(InvalidConfigurationException.class, () -> VendorTemplate.parse("t", """
                vendor x
                match 1.3.6.1.4.1.1
                item a 1.3.6.1 gauge - 1m
                item a 1.3.6.2 gauge - 1m
                """));
    }
}
