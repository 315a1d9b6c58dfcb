package io.github.wardops.ward.runner.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host allow-list: loopback names and the arrival address always, configured names as listed. */
class HostAllowListTest {
    private static final InetAddress LAN = InetAddress.ofLiteral("192.0.2.10");
    private static final InetAddress V6 = InetAddress.ofLiteral("2001:db8::10");

    @Test
    void loopbackNamesAndTheArrivalAddressAreAlwaysAllowedOnAnyPort() {
        HostAllowList none = new HostAllowList(List.of());
        for (String h : List.of("localhost", "LocalHost:9090", "localhost.", "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:9090",
                "192.0.2.10", "192.0.2.10:9090")) {
            assertTrue(none.allows(h, LAN), h);
        }
        assertTrue(none.allows("[2001:db8::10]:9090", V6));
        assertTrue(none.allows("[2001:DB8:0::10]", V6), "the same address written otherwise");
        for (String h : List.of("evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "192.0.2.11", "[2001:db8::11]",
                "ward", "10.0.0.1:9090")) {
            assertFalse(none.allows(h, LAN), h);
            assertFalse(none.allows(h, V6), h);
        }
    }

    @Test
    void configuredNamesMatchWithoutCaseAndWithTheirPortWhenOneIsGiven() {
        HostAllowList list = new HostAllowList(HostAllowList.parse("Ward.Example.org., api.example.org:8443, [2001:db8::1]:80"));
        assertTrue(list.allows("ward.example.org", LAN));
        assertTrue(list.allows("WARD.example.org:1234", LAN), "no port listed: any port");
        assertTrue(list.allows("api.example.org:8443", LAN));
        assertFalse(list.allows("api.example.org:9090", LAN));
        assertFalse(list.allows("api.example.org", LAN), "no port is port 80");
        assertTrue(list.allows("[2001:db8::1]", LAN));
        assertFalse(list.allows("sub.ward.example.org", LAN));
        assertTrue(new HostAllowList(List.of("*")).allows("anything.example:1", LAN));
    }

    @Test
    void badEntriesAndBadHostsAreRefusedWithTheEntry() {
        assertEquals(List.of("a.example", "b.example:80", "[::2]:9090"), HostAllowList.parse(" a.example , b.example:080,,[::2]:9090 "));
        for (String bad : List.of("a b", "a.example:99999", "a.example:", "[::1", "[zz]:80", "user@host", "h\u00f6st", "a:b:c")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse("ok.example," + bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse(" , "));
        HostAllowList none = new HostAllowList(List.of());
        for (String bad : List.of("", "a b", "a:", "[::1]x", "host:65536")) {
            assertThrows(IllegalArgumentException.class, () -> none.allows(bad, LAN), bad);
        }
    }
}
