package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import java.util.HashSet;
import java.util.Set;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.UsmUser;
import org.junit.jupiter.api.Test;

/** Every SNMPv3 protocol ward names maps to a distinct SNMP4J protocol that the USM registers. */
class Snmp4jValuesUsmTest {

    @Test
    void everyAuthAndPrivProtocolMapsToARegisteredDistinctOne() {
        SecurityProtocols registered = Snmp4jValues.securityProtocols();
        Set<Object> authIds = new HashSet<>();
        Set<Object> privIds = new HashSet<>();
        for (SnmpAuthProtocol a : SnmpAuthProtocol.values()) {
            for (SnmpPrivProtocol p : SnmpPrivProtocol.values()) {
                UsmUser u = Snmp4jValues.usmUser(SnmpCredentials.v3("ward", a, Secret.of("authpass123"), p, Secret.of("privpass123")));
                assertEquals("ward", u.getSecurityName().toString());
                assertNotNull(registered.getAuthenticationProtocol(u.getAuthenticationProtocol()), a.name());
                assertNotNull(registered.getPrivacyProtocol(u.getPrivacyProtocol()), p.name());
                assertEquals("authpass123", u.getAuthenticationPassphrase().toString());
                authIds.add(u.getAuthenticationProtocol());
                privIds.add(u.getPrivacyProtocol());
            }
        }
        assertEquals(SnmpAuthProtocol.values().length, authIds.size());
        assertEquals(SnmpPrivProtocol.values().length, privIds.size());
    }
}
