package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {
    private final Device batumi = Device.builder(DeviceId.fromKey("b"), "b", InetAddress.ofLiteral("127.0.0.1"))
            .label("region", "Achara").label("branch", "Batumi port").build();

    @Test
    void noQueryMatchesEverything() {
        assertEquals(DeviceFilter.ALL, DeviceFilter.parse(null));
        assertEquals(DeviceFilter.ALL, DeviceFilter.parse(""));
        assertTrue(DeviceFilter.ALL.labelsMatch(batumi));
        for (DeviceStatus s : DeviceStatus.values()) {
            assertTrue(DeviceFilter.ALL.statusMatches(s));
        }
    }

    @Test
    void statusesRepeatOrCommaSeparateAndIgnoreCase() {
        DeviceFilter f = DeviceFilter.parse("status=down,Unknown&status=DOWN");
        assertEquals(Set.of(DeviceStatus.DOWN, DeviceStatus.UNKNOWN), f.statuses());
        assertFalse(f.statusMatches(DeviceStatus.UP));
        assertTrue(f.statusMatches(DeviceStatus.UNKNOWN));
    }

    @Test
    void labelsMustAllMatchAndArePercentDecoded() {
        DeviceFilter f = DeviceFilter.parse("label=region:Achara&label=branch%3ABatumi+port");
        assertEquals(Map.of("region", "Achara", "branch", "Batumi port"), f.labels());
        assertTrue(f.labelsMatch(batumi));
        assertFalse(DeviceFilter.parse("label=region:Achara&label=branch:Tbilisi").labelsMatch(batumi));
        assertFalse(DeviceFilter.parse("label=vendor:cisco").labelsMatch(batumi));
        assertTrue(DeviceFilter.parse("label=note:a:b").labels().containsValue("a:b"), "the first colon splits");
    }

    @Test
    void everyBadParameterIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceFilter.parse("status=sideways&label=region&colour=red&label=%ZZ"));
        assertTrue(e.getMessage().contains("status 'sideways' is not UP, DOWN, UNKNOWN or UNREACHABLE"), e.getMessage());
        assertTrue(e.getMessage().contains("label 'region' is not KEY:VALUE"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown parameter 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("bad percent-encoding in 'label=%ZZ'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceFilter.parse("status=UP&".repeat(1000)));
    }
}
