package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpAddressTest {

    @Test
    void readsIpv4Ipv6LocalhostAndOff() {
        HttpAddress a = HttpAddress.parse("127.0.0.1:9090");
        assertEquals(InetAddress.ofLiteral("127.0.0.1"), a.address().getAddress());
        assertEquals(9090, a.address().getPort());
        assertEquals("127.0.0.1:9090", a.toString());

        HttpAddress v6 = HttpAddress.parse("[::1]:0");
        assertEquals(InetAddress.ofLiteral("::1"), v6.address().getAddress());
        assertEquals(0, v6.address().getPort());
        assertEquals("[0:0:0:0:0:0:0:1]:0", v6.toString());

        assertTrue(HttpAddress.parse("localhost:8080").address().getAddress().isLoopbackAddress());
        assertFalse(HttpAddress.parse("off").enabled());
        assertFalse(HttpAddress.parse("OFF").enabled());
        assertEquals(HttpAddress.DEFAULT, HttpAddress.parse("127.0.0.1:9090"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1", "127.0.0.1:", ":9090", "127.0.0.1:http", "127.0.0.1:70000",
            "127.0.0.1:-1", "::1:9090", "example.org:80", "256.0.0.1:80", "[::1]", "[nothost]:80"})
    void rejectsWithTheTextInTheMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpAddress.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' is not an HTTP listen address"), e.getMessage());
    }
}
