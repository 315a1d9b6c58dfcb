package io.github.wardops.ward.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnmpValueTest {

    @Test
    void formatsLikeSnmpbulkwalk() throws Exception {
        SnmpOid up = SnmpOid.parse(".1.3.6.1.2.1.1.3.0");
        assertEquals(".1.3.6.1.2.1.1.3.0 = Timeticks: (153) 0:00:01.53", new SnmpVarBind(up, new SnmpValue.TimeTicks(153)).format());
        assertEquals("Timeticks: (8640000) 1 day, 0:00:00.00", new SnmpValue.TimeTicks(8_640_000).format());
        assertEquals("Timeticks: (26186213) 3 days, 0:44:22.13", new SnmpValue.TimeTicks(26_186_213).format());
        assertEquals("INTEGER: -5", new SnmpValue.Integer32(-5).format());
        assertEquals("Counter32: 4294967295", new SnmpValue.Counter32(4_294_967_295L).format());
        assertEquals("Gauge32: 10000000", new SnmpValue.Gauge32(10_000_000).format());
        assertEquals("Counter64: 18446744073709551615", new SnmpValue.Counter64(-1L).format());
        assertEquals("STRING: \"lo\"", SnmpValue.OctetString.of("lo").format());
        assertEquals("STRING: \"a \\\"b\\\" \\\\ c\"", SnmpValue.OctetString.of("a \"b\" \\ c").format());
        assertEquals("\"\"", new SnmpValue.OctetString(new byte[0]).format());
        assertEquals("Hex-STRING: 86 5E 6A DC 78 2B ", new SnmpValue.OctetString(
                new byte[] {(byte) 0x86, 0x5E, 0x6A, (byte) 0xDC, 0x78, 0x2B}).format());
        assertEquals("OID: .1.3.6.1.4.1.8072.3.2.10", new SnmpValue.ObjectId(SnmpOid.parse("1.3.6.1.4.1.8072.3.2.10")).format());
        assertEquals("IpAddress: 127.0.0.1", new SnmpValue.IpAddress(InetAddress.getByName("127.0.0.1")).format());
        assertEquals("No Such Object available on this agent at this OID", new SnmpValue.NoSuchObject().format());
        assertEquals("No Such Instance currently exists at this OID", new SnmpValue.NoSuchInstance().format());
        assertTrue(new SnmpValue.EndOfMibView().format().startsWith("No more variables left in this MIB View"));
    }

    @Test
    void octetStringsAreTextWhenPrintableAndHexOtherwise() {
        assertTrue(SnmpValue.OctetString.of("Tbilisi ბათუმი\tuplink").isText());
        assertFalse(new SnmpValue.OctetString(new byte[] {0x41, 0x00}).isText());
        assertFalse(new SnmpValue.OctetString(new byte[] {(byte) 0xC3, 0x28}).isText(), "invalid UTF-8");
        assertEquals("41 00", new SnmpValue.OctetString(new byte[] {0x41, 0x00}).hex());
        byte[] b = {1, 2, 3};
        SnmpValue.OctetString s = new SnmpValue.OctetString(b);
        b[0] = 9;
        assertEquals(1, s.bytes()[0], "copied in");
        s.bytes()[1] = 9;
        assertEquals(2, s.bytes()[1], "copied out");
        assertEquals(new SnmpValue.OctetString(new byte[] {1, 2, 3}), s);
        assertEquals(new SnmpValue.OctetString(new byte[] {1, 2, 3}).hashCode(), s.hashCode());
    }

    @Test
    void numbersAreUnsignedWhereSnmpSaysSo() {
        assertEquals(1.8446744073709552E19, new SnmpValue.Counter64(-1L).asNumber().orElseThrow());
        assertEquals(4_294_967_295.0, new SnmpValue.Gauge32(4_294_967_295L).asNumber().orElseThrow());
        assertTrue(SnmpValue.OctetString.of("5").asNumber().isEmpty());
        assertTrue(new SnmpValue.NoSuchInstance().asNumber().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new SnmpValue.Counter32(-1));
        assertThrows(IllegalArgumentException.class, () -> new SnmpValue.Gauge32(4_294_967_296L));
        assertThrows(IllegalArgumentException.class, () -> new SnmpValue.TimeTicks(-1));
    }

    @Test
    void oidsParseStrictlyAndOrderLikeAgents() {
        assertEquals("1.3.6.1.2.1.1.3.0", SnmpOid.parse(".1.3.6.1.2.1.1.3.0").toString());
        assertEquals(4_294_967_295L, SnmpOid.parse("1.3.4294967295").get(2));
        for (String bad : List.of("", ".", "1..3", "1.3.", "1.x.3", "1.3.4294967296", "-1.3", " 1 .3", "1.3.6.99999999999")) {
            assertThrows(IllegalArgumentException.class, () -> SnmpOid.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SnmpOid.parse("1" + ".1".repeat(128)));
        List<SnmpOid> l = new ArrayList<>(List.of(SnmpOid.parse("1.3.6.1.2.1.2.2.1.10.1"), SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.1"),
                SnmpOid.parse("1.3.6.1.2.1.2.2.1.2"), SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.4294967295")));
        Collections.sort(l);
        assertEquals(List.of("1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.2.4294967295",
                "1.3.6.1.2.1.2.2.1.10.1"), l.stream().map(SnmpOid::toString).toList());
        SnmpOid col = SnmpOid.parse("1.3.6.1.2.1.2.2.1.2");
        assertTrue(SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.7").startsWith(col));
        assertFalse(SnmpOid.parse("1.3.6.1.2.1.2.2.1.20.7").startsWith(col));
        assertEquals(7, SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.7").suffixAfter(col)[0]);
        assertNotEquals(SnmpOid.parse("1.3"), SnmpOid.parse("1.3.0"));
    }
}
