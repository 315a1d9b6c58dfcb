package io.github.wardops.ward.runner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo moves only the named devices' addresses, and keeps everything else byte for byte. */
class DemoFaultsTest {
    @Test
    void rewriteReplacesTheAddressColumnOfTheNamedDevicesOnly() {
        String csv = "id,name,address,enabled\r\naaa,a,127.1.0.1,true\r\nbbb,b,127.1.0.2,true\r\n\r\nshort\r\n";
        String out = DemoFaults.rewrite(csv, Map.of("bbb", "127.248.0.1", "zzz", "127.248.0.2"));
        assertEquals("id,name,address,enabled\r\naaa,a,127.1.0.1,true\r\nbbb,b,127.248.0.1,true\r\n\r\nshort\r\n", out);
        assertEquals(csv, DemoFaults.rewrite(csv, Map.of()));
    }
}
