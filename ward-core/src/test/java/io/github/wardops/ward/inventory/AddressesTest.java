package io.github.wardops.ward.inventory;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void parsesLiteralsOnlyNeverNames() {
        assertEquals("127.1.2.3", Addresses.parse(" 127.1.2.3 ").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", Addresses.parse("::1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", Addresses.parse("[::1]").getHostAddress());
        for (String bad : new String[] {"", "localhost", "127.1", "127.0.0.256", "1.2.3.4.5", "01.2.3.4", ":::", "fe80::1%eth0", "12345::"}) {
            assertThrows(IllegalArgumentException.class, () -> Addresses.parse(bad), bad);
        }
    }

    @Test
    void expandsCidrRangesLikeFping() {
        List<InetAddress> a = Addresses.expand("127.0.0.0/30", 100);
        assertEquals(List.of("127.0.0.1", "127.0.0.2"), a.stream().map(InetAddress::getHostAddress).toList());
        assertEquals(2, Addresses.expand("127.0.0.0/31", 100).size());
        assertEquals(1, Addresses.expand("127.0.0.9/32", 100).size());
        assertEquals(65_534, Addresses.expand("127.5.0.0/16", 100_000).size());
        assertEquals(4, Addresses.expand("::/126", 100).size());
        assertThrows(IllegalArgumentException.class, () -> Addresses.expand("127.0.0.0/8", 100_000));
        assertThrows(IllegalArgumentException.class, () -> Addresses.expand("127.0.0.0/33", 10));
        assertThrows(IllegalArgumentException.class, () -> Addresses.expand("127.0.0.0/x", 10));
    }

    @Test
    void addressesWardNeverProbesAreRefusedInEveryForm() {
        for (String a : new String[] {"224.0.0.1", "239.1.2.3", "ff02::1", "ff05::2", "255.255.255.255", "0.0.0.0", "0.0.0.1",
            "::", "::ffff:224.0.0.1", "::ffff:255.255.255.255", "::ffff:0.0.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Addresses.parseTarget(a, true), a);
            assertTrue(e.getMessage().contains("so ward never probes it"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Addresses.requireProbeable(Addresses.parse(a), true), a);
        }
        // Built byte by byte, an IPv4-mapped address can stay an Inet6Address: judged by its IPv4 address all the same.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 224;
        mapped[15] = 1;
        assertThrows(IllegalArgumentException.class, () -> Addresses.requireProbeable(
                java.net.Inet6Address.getByAddress(null, mapped, -1), true));
    }

    @Test
    void linkLocalOnlyWhenAllowedAndLoopbackAlways() {
        for (String a : new String[] {"169.254.0.1", "169.254.255.254", "fe80::1", "febf::1", "::ffff:169.254.1.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Addresses.parseTarget(a, false), a);
            assertTrue(e.getMessage().contains("is link-local"), e.getMessage());
            assertTrue(Addresses.isLinkLocal(Addresses.parse(a)), a);
            assertEquals(Addresses.parse(a), Addresses.parseTarget(a, true));
        }
        for (String a : new String[] {"127.0.0.1", "127.255.255.254", "::1", "10.0.0.1", "169.253.255.255", "169.255.0.0",
            "fec0::1", "223.255.255.255", "240.0.0.1", "255.255.255.254", "1.0.0.0", "2001:db8::1"}) {
            assertEquals(Addresses.parse(a), Addresses.parseTarget(a, false), a);
        }
    }
}
