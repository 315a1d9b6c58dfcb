package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.poller.internal.TemplateCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template language: tables, scale, label selectors, and every malformed line named with its line. */
class VendorTemplateTest {

    @Test
    void parsesTablesWithLabelsColumnsAndScale() {
        VendorTemplate t = VendorTemplate.parse("host.tmpl", """
                # a comment line
                vendor host-storage
                select device_type=Server   # trailing comment
                select region=Achara
                item   temp_c 1.3.6.1.4.1.9.9.13.1.3.1.3.1 gauge celsius 5m scale=0.1
                table  storage 1.3.6.1.2.1.25.2.3.1 300s
                label  storage descr .3
                column storage used 6 gauge bytes scale=4096
                column storage size .5 gauge bytes
                table  cpu 1.3.6.1.2.1.25.3.3.1 1m
                column cpu load 2 counter percent
                """);
        assertEquals("host-storage", t.vendor());
        assertTrue(t.enterprisePrefixes().isEmpty());
        assertEquals(Map.of("device_type", "Server", "region", "Achara"), t.selector());
        assertEquals(0.1, t.items().getFirst().scale());
        assertEquals(2, t.tables().size());
        VendorTemplate.Table s = t.tables().getFirst();
        assertEquals("storage", s.name());
        assertEquals(SnmpOid.parse("1.3.6.1.2.1.25.2.3.1"), s.entry());
        assertEquals(Duration.ofMinutes(5), s.interval());
        assertEquals(Map.of("descr", 3), s.labels());
        assertEquals(List.of("used", "size"), s.columns().stream().map(VendorTemplate.Column::name).toList());
        assertEquals(4096.0, s.columns().getFirst().scale());
        assertEquals(1.0, s.columns().get(1).scale());
        assertEquals(SnmpOid.parse("1.3.6.1.2.1.25.2.3.1.5"), s.columnOid(s.columns().get(1)));
        assertEquals(SnmpItem.Kind.COUNTER, t.tables().get(1).columns().getFirst().kind());
        assertTrue(t.selects(Map.of("device_type", "Server", "region", "Achara", "x", "y")));
        assertFalse(t.selects(Map.of("device_type", "Server")));
    }

    @Test
    void builtInTemplatesHaveTablesForTheFleetsVendors() {
        TemplateCatalog c = new TemplateCatalog(List.of());
        assertEquals(List.of("cpu", "mempool", "temperature"), tables(c.get("cisco")));
        assertEquals(List.of("cpu", "storage", "gauge"), tables(c.get("mikrotik")));
        assertEquals(List.of("processor", "sensor"), tables(c.get("fortinet")));
        assertEquals(List.of("component"), tables(c.get("juniper")));
        assertEquals(List.of("disk"), tables(c.get("hikvision")));
        assertEquals("hikvision", c.match(SnmpOid.parse("1.3.6.1.4.1.39165.1.1")).vendor());
        assertEquals("hikvision", c.match(SnmpOid.parse("1.3.6.1.4.1.50001.1")).vendor());
    }

    private static List<String> tables(VendorTemplate t) {
        return t.tables().stream().map(VendorTemplate.Table::name).toList();
    }

    @Test
    void labelSelectedTemplatesApplyBesideTheVendorAndSelectorsNarrowVendorTemplates() {
        VendorTemplate nvr = VendorTemplate.parse("nvr.tmpl", """
                vendor nvr-extra
                select device_type=NVR
                item uptime 1.3.6.1.2.1.25.1.1.0 gauge - 1m
                """);
        VendorTemplate branchCisco = VendorTemplate.parse("branch.tmpl", """
                vendor cisco-branch
                match 1.3.6.1.4.1.9.1
                select region=Achara
                """);
        TemplateCatalog c = new TemplateCatalog(List.of(nvr, branchCisco));
        assertEquals(List.of(nvr), c.selected(Map.of("device_type", "NVR")));
        assertEquals(List.of(), c.selected(Map.of("device_type", "Router")));
        SnmpOid ciscoRouter = SnmpOid.parse("1.3.6.1.4.1.9.1.1208");
        assertEquals("cisco-branch", c.match(ciscoRouter, Map.of("region", "Achara")).vendor());
        assertEquals("cisco", c.match(ciscoRouter, Map.of("region", "Tbilisi")).vendor(), "the selector narrows it");
    }

    @Test
    void malformedTableLinesAreEachReportedWithTheirLine() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> VendorTemplate.parse(
                "bad.tmpl", """
                vendor bad
                match 1.3.6.1.4.1.9
                column nosuch used 6 gauge bytes
                table Storage 1.3.6.1.2.1.25.2.3.1 5m
                table storage 1.3.6.x 5m
                table storage 1.3.6.1.2.1.25.2.3.1 5m
                table storage 1.3.6.1.2.1.25.2.3.1 5m
                label storage index 3
                label storage descr zero
                column storage used 6 text bytes
                column storage used 6 gauge bytes scale=abc
                column storage used 6 gauge bytes scale=0
                column storage used 6 gauge bytes scale=1e999
                column storage used 6 gauge bytes sclae=2
                column storage used 0 gauge bytes
                column storage used 6 gauge
                table empty 1.3.6.1.2.1.2.2.1 1m
                item x 1.3.6.1.2.1.1.1.0 text - 1h scale=2
                select device_type
                select =NVR
                """));
        List<String> p = e.problems();
        assertTrue(p.contains("bad.tmpl:3: table 'nosuch' is not declared by a 'table' line above"), p.toString());
        assertTrue(p.get(1).startsWith("bad.tmpl:4: table name 'Storage' must be"), p.toString());
        assertTrue(p.get(2).startsWith("bad.tmpl:5: "), p.toString());
        assertEquals("bad.tmpl:7: table 'storage' is declared twice", p.get(3));
        assertTrue(p.get(4).startsWith("bad.tmpl:8: label 'index' is reserved"), p.toString());
        assertTrue(p.get(5).startsWith("bad.tmpl:9: column 'zero' must be a number"), p.toString());
        assertEquals("bad.tmpl:10: kind 'text' must be gauge or counter", p.get(6));
        assertEquals("bad.tmpl:11: scale 'abc' is not a number", p.get(7));
        assertTrue(p.get(8).startsWith("bad.tmpl:12: scale 0 must be"), p.toString());
        assertTrue(p.get(9).startsWith("bad.tmpl:13: scale 1e999 must be"), p.toString());
        assertTrue(p.get(10).startsWith("bad.tmpl:14: 'sclae=2' must be scale=<number>"), p.toString());
        assertTrue(p.get(11).startsWith("bad.tmpl:15: column '0' must be a number of 1 or more"), p.toString());
        assertTrue(p.get(12).startsWith("bad.tmpl:16: expected 'column <table>"), p.toString());
        assertEquals("bad.tmpl:18: a text item has no scale", p.get(13));
        assertEquals("bad.tmpl:19: expected 'select <label>=<value>'", p.get(14));
        assertEquals("bad.tmpl:20: expected 'select <label>=<value>'", p.get(15));
        assertEquals("bad.tmpl:6: table 'storage' has no column line", p.get(16), "every column line of it was bad");
        assertEquals("bad.tmpl:17: table 'empty' has no column line", p.get(17));
        assertEquals(18, p.size(), p.toString());
    }

    @Test
    void trapLinesNameVendorTrapsAndBadOnesAreReportedWithTheirLine() {
        VendorTemplate t = VendorTemplate.parse("traps.tmpl", """
                vendor acme
                match 1.3.6.1.4.1.99999
                trap acmeFanFailure 1.3.6.1.4.1.99999.2.0.1
                trap acme_psu_down  .1.3.6.1.4.1.99999.2.0.2   # a leading dot is fine
                """);
        assertEquals(Map.of(SnmpOid.parse("1.3.6.1.4.1.99999.2.0.1"), "acmeFanFailure",
                SnmpOid.parse("1.3.6.1.4.1.99999.2.0.2"), "acme_psu_down"), t.traps());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> VendorTemplate.parse(
                "bad-traps.tmpl", """
                vendor acme
                match 1.3.6.1.4.1.99999
                trap onlyaname
                trap 9lives 1.3.6.1.4.1.99999.2.0.1
                trap fan not.an.oid
                trap fan 1.3.6.1.4.1.99999.2.0.3
                trap fan2 1.3.6.1.4.1.99999.2.0.3
                """));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("bad-traps.tmpl:3: expected 'trap <name> <oid>'"), all);
        assertTrue(all.contains("bad-traps.tmpl:4: trap name '9lives' must be 1-64 of A-Z a-z 0-9 _, starting with a letter"), all);
        assertTrue(all.contains("bad-traps.tmpl:5: "), all);
        assertTrue(all.contains("bad-traps.tmpl:7: trap 1.3.6.1.4.1.99999.2.0.3 is already named 'fan'"), all);
        assertEquals(4, e.problems().size(), all);
        StringBuilder many = new StringBuilder("vendor many\nmatch 1.3.6.1.4.1.99999\n");
        for (int i = 0; i <= VendorTemplate.MAX_TRAPS; i++) {
            many.append("trap t").append(i).append(" 1.3.6.1.4.1.99999.2.0.").append(i + 1).append('\n');
        }
        InvalidConfigurationException tooMany = assertThrows(InvalidConfigurationException.class,
                () -> VendorTemplate.parse("many.tmpl", many.toString()));
        assertTrue(tooMany.problems().getFirst().contains("more than " + VendorTemplate.MAX_TRAPS + " trap lines"),
                tooMany.problems().toString());
        TemplateCatalog c = new TemplateCatalog(List.of());
        assertEquals("ciscoConfigManEvent", c.get("cisco").traps().get(SnmpOid.parse("1.3.6.1.4.1.9.9.43.2.0.1")));
        assertEquals("jnxFanFailure", c.get("juniper").traps().get(SnmpOid.parse("1.3.6.1.4.1.2636.4.1.2")));
        assertEquals("fgTrapVpnTunDown", c.get("fortinet").traps().get(SnmpOid.parse("1.3.6.1.4.1.12356.101.2.0.302")));
    }

    @Test
    void boundsAndWhoItAppliesTo() {
        InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class,
                () -> VendorTemplate.parse("n.tmpl", "vendor lonely\nitem a 1.3.6.1.2.1.1.3.0 gauge - 1m\n"));
        assertEquals(List.of("n.tmpl: no 'match' or 'select' line: the template would apply to no device"), none.problems());

        StringBuilder labels = new StringBuilder("vendor many\nmatch 1.3.6.1.4.1.9\ntable t 1.3.6.1.2.1.2.2.1 1m\n");
        for (int i = 1; i <= VendorTemplate.MAX_LABELS + 1; i++) {
            labels.append("label t l").append(i).append(' ').append(i).append('\n');
        }
        labels.append("column t c 10 counter octets\n");
        InvalidConfigurationException tooMany = assertThrows(InvalidConfigurationException.class,
                () -> VendorTemplate.parse("m.tmpl", labels.toString()));
        assertEquals(List.of("m.tmpl:12: table 't' has more than 8 labels"), tooMany.problems());

        InvalidConfigurationException huge = assertThrows(InvalidConfigurationException.class,
                () -> VendorTemplate.parse("h.tmpl", "\n".repeat(VendorTemplate.MAX_LINES + 1)));
        assertTrue(huge.problems().getFirst().contains("more than 10000"), huge.problems().toString());
        assertThrows(InvalidConfigurationException.class, () -> VendorTemplate.parse("e.tmpl", ""));
    }

    @Test
    void aScaledItemValueAndNumbersSentAsText() {
        SnmpItem tenths = new SnmpItem("t", SnmpOid.parse("1.3.6.1.4.1.1.0"), SnmpItem.Kind.GAUGE, "celsius",
                Duration.ofMinutes(1), 0.1);
        assertEquals(41.5, new SnmpItemValue(tenths, "custom", new SnmpValue.Integer32(415)).number().getAsDouble(), 1e-9);
        SnmpItem pct = new SnmpItem("p", SnmpOid.parse("1.3.6.1.4.1.1.0"), SnmpItem.Kind.GAUGE, "percent",
                Duration.ofMinutes(1));
        assertEquals(12.0, new SnmpItemValue(pct, "custom", SnmpValue.OctetString.of(" 12% ")).number().getAsDouble());
        assertEquals(3.25, new SnmpItemValue(pct, "custom", SnmpValue.OctetString.of("3.25")).number().getAsDouble());
        assertTrue(new SnmpItemValue(pct, "custom", SnmpValue.OctetString.of("n/a")).number().isEmpty());
        assertTrue(new SnmpItemValue(pct, "custom", SnmpValue.OctetString.of("1e5")).number().isEmpty());
        SnmpItem text = new SnmpItem("x", SnmpOid.parse("1.3.6.1.4.1.1.0"), SnmpItem.Kind.TEXT, "", Duration.ofMinutes(1));
        assertTrue(new SnmpItemValue(text, "custom", SnmpValue.OctetString.of("12")).number().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new SnmpItem("t", SnmpOid.parse("1.3.6.1"), SnmpItem.Kind.GAUGE,
                "", Duration.ofMinutes(1), Double.NaN));
    }
}
