package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceListQueryTest {
    private final Device batumi = Device.builder(DeviceId.fromKey("b1"), "Batumi-1-NVR", InetAddress.ofLiteral("127.1.2.3"))
            .labels(Map.of("region", "Achara", "device_type", "NVR")).build();

    @Test
    void withoutPagingParametersTheWholeListIsAnswered() {
        DeviceListQuery q = DeviceListQuery.parse("status=down&label=region:Achara");
        assertFalse(q.paged());
        assertEquals(Set.of(DeviceStatus.DOWN), q.filter().statuses());
        assertEquals(Map.of("region", "Achara"), q.filter().labels());
        assertNull(q.q());
        assertFalse(DeviceListQuery.parse(null).paged());
    }

    @Test
    void qPageAndSizeAskForAPage() {
        DeviceListQuery q = DeviceListQuery.parse("q=%20NVR%20&page=3&size=1000&failing=true");
        assertTrue(q.paged());
        assertEquals("nvr", q.q());
        assertEquals(3, q.page());
        assertEquals(1000, q.size());
        assertEquals(Boolean.TRUE, q.filter().failing());
        DeviceListQuery d = DeviceListQuery.parse("page=1");
        assertEquals(DeviceListQuery.DEFAULT_SIZE, d.size());
        assertTrue(DeviceListQuery.parse("q=").paged(), "an empty q still asks for a page");
        assertNull(DeviceListQuery.parse("q=").q());
    }

    @Test
    void qMatchesNameAddressAndLabelsIgnoringCase() {
        assertTrue(DeviceListQuery.parse("q=batumi").textMatches(batumi));
        assertTrue(DeviceListQuery.parse("q=1-nvr").textMatches(batumi));
        assertTrue(DeviceListQuery.parse("q=127.1.2").textMatches(batumi));
        assertTrue(DeviceListQuery.parse("q=ACHARA").textMatches(batumi), "a label's value");
        assertTrue(DeviceListQuery.parse("q=device_t").textMatches(batumi), "a label's key");
        assertFalse(DeviceListQuery.parse("q=tbilisi").textMatches(batumi));
        assertFalse(DeviceListQuery.parse("q=127.1.2.30").textMatches(batumi));
        assertTrue(DeviceListQuery.parse("page=2").textMatches(batumi), "no q: everything");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceListQuery.parse(
                "status=sideways&page=0&size=1001&q=" + "x".repeat(201) + "&colour=red"));
        for (String named : new String[] {"status 'sideways'", "page '0' is not a whole number from 1 to 1000000",
                "size '1001' is not a whole number from 1 to 1000", "q is longer than 200 characters",
                "unknown parameter 'colour' (known: status, failing, label, q, page, size)"}) {
            assertTrue(e.getMessage().contains(named), named + " in " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceListQuery.parse("size=ten"))
                .getMessage().contains("size 'ten'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceListQuery.parse("q=" + "x".repeat(5000)))
                .getMessage().contains("longer than 4096"));
    }
}
