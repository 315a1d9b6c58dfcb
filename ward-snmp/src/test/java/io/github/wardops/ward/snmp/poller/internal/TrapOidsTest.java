package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.snmp.SnmpOid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3584 §3.1.2: SNMPv1 generic and specific trap codes as SNMPv2 trap OIDs. */
class TrapOidsTest {
    private static final SnmpOid ENTERPRISE = SnmpOid.parse("1.3.6.1.4.1.9.9.41.2");

    @ParameterizedTest(name = "generic {0} -> {1} ({2})")
    @CsvSource({
        "0, 1.3.6.1.6.3.1.1.5.1, coldStart",
        "1, 1.3.6.1.6.3.1.1.5.2, warmStart",
        "2, 1.3.6.1.6.3.1.1.5.3, linkDown",
        "3, 1.3.6.1.6.3.1.1.5.4, linkUp",
        "4, 1.3.6.1.6.3.1.1.5.5, authenticationFailure",
    })
    void genericTrapsBecomeSnmpTraps(int generic, String v2, String name) {
        SnmpOid oid = TrapOids.v1ToV2(ENTERPRISE, generic, 17);
        assertEquals(SnmpOid.parse(v2), oid, "the enterprise and specific code play no part in a generic trap");
        assertEquals(name, TrapOids.wellKnownName(oid));
        assertEquals(oid, TrapOids.v1ToV2(null, generic, 0), "a generic trap needs no enterprise");
    }

    @Test
    void egpNeighborLossTranslatesButHasNoWellKnownName() {
        SnmpOid oid = TrapOids.v1ToV2(ENTERPRISE, 5, 0);
        assertEquals(SnmpOid.parse("1.3.6.1.6.3.1.1.5.6"), oid);
        assertNull(TrapOids.wellKnownName(oid));
    }

    @Test
    void enterpriseSpecificTrapIsEnterpriseZeroSpecific() {
        assertEquals(SnmpOid.parse("1.3.6.1.4.1.9.9.41.2.0.1"), TrapOids.v1ToV2(ENTERPRISE, 6, 1));
        assertEquals(SnmpOid.parse("1.3.6.1.4.1.8072.2.3.0.4294967"), TrapOids.v1ToV2(SnmpOid.parse("1.3.6.1.4.1.8072.2.3"), 6, 4294967));
        assertNull(TrapOids.wellKnownName(TrapOids.v1ToV2(ENTERPRISE, 6, 3)));
    }

    @Test
    void invalidV1CodesAreRejectedNamingTheField() {
        assertEquals("generic-trap 7 is not 0-6",
                assertThrows(IllegalArgumentException.class, () -> TrapOids.v1ToV2(ENTERPRISE, 7, 0)).getMessage());
        assertEquals("generic-trap -1 is not 0-6",
                assertThrows(IllegalArgumentException.class, () -> TrapOids.v1ToV2(ENTERPRISE, -1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrapOids.v1ToV2(null, 6, 1));
        assertThrows(IllegalArgumentException.class, () -> TrapOids.v1ToV2(ENTERPRISE, 6, -5));
    }

    @Test
    void wellKnownNamesOnlyForTheExactGenericOids() {
        assertEquals("linkUp", TrapOids.wellKnownName(SnmpOid.parse("1.3.6.1.6.3.1.1.5.4")));
        assertNull(TrapOids.wellKnownName(SnmpOid.parse("1.3.6.1.6.3.1.1.5.4.1")));
        assertNull(TrapOids.wellKnownName(SnmpOid.parse("1.3.6.1.6.3.1.1.5")));
        assertNull(TrapOids.wellKnownName(SnmpOid.parse("1.3.6.1.6.3.1.1.5.0")));
        assertNull(TrapOids.wellKnownName(SnmpOid.parse("1.3.6.1.4.1.9.0.1")));
    }
}
