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
}
