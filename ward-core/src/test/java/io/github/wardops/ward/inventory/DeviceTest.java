package io.github.wardops.ward.inventory;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.snmp.SnmpTarget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A device is valid wherever it comes from: no control characters, no address ward never probes. */
class DeviceTest {
    static final DeviceId ID = DeviceId.fromKey("device-test");

    @Test
    void controlCharactersInTheNameOrALabelAreRejectedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Device.builder(ID, "evil\u001b[2Jname", Addresses.parse("127.0.0.1")).build());
        assertEquals("device " + ID + ": the name holds the control character U+001B at character 5; control characters "
                + "(U+0000-U+001F, U+007F-U+009F) are not allowed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Device.builder(ID, "ok", Addresses.parse("127.0.0.1"))
                .label("site", "a\u0000b").build());
        assertTrue(e.getMessage().startsWith("device " + ID + ": label 'site' holds the control character U+0000 at character 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Device.builder(ID, "ok", Addresses.parse("127.0.0.1"))
                .labels(Map.of("si\u0085te", "x")).build());
        assertTrue(e.getMessage().startsWith("device " + ID + ": a label key holds the control character U+0085 at character 3"),
                e.getMessage());
        assertEquals("Tbilisi – თბილისი", Device.builder(ID, "Tbilisi – თბილისი", Addresses.parse("::1")).build().name());
    }

    @Test
    void addressesWardNeverProbesAreRejectedAndLinkLocalIsLeftToTheEngine() {
        for (String a : new String[] {"224.0.0.1", "ff02::1", "255.255.255.255", "0.0.0.0", "::", "::ffff:224.0.0.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Device.builder(ID, "x", Addresses.parse(a)).build(), a);
            assertTrue(e.getMessage().startsWith("device " + ID + ": address "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SnmpTarget.of(Addresses.parse(a), 161), "SNMP too: " + a);
        }
        assertEquals("169.254.1.1", Device.builder(ID, "x", Addresses.parse("169.254.1.1")).build().address().getHostAddress());
    }
}
