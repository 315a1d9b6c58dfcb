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

    @Test
    void failingKeepsDevicesBeingRecheckedOrTheOthers() {
        var key = io.github.wardops.ward.state.StateKey.of(batumi.id());
        java.time.Instant at = java.time.Instant.parse("2026-11-29T10:15:30Z");
        var failing = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, at, false, 0, 1, 0, at, at, null, "10");
        var up = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.UP, at, false, 0, 0, 1, at);
        var down = new io.github.wardops.ward.state.DeviceState(key, DeviceStatus.DOWN, at, false, 0, 3, 0, at, at, null, "1000");
        DeviceFilter only = DeviceFilter.parse("failing=true");
        assertEquals(Boolean.TRUE, only.failing());
        assertTrue(only.stateMatches(failing));
        assertFalse(only.stateMatches(up));
        assertFalse(only.stateMatches(down), "a confirmed DOWN is not failing");
        assertFalse(only.stateMatches(null), "an untracked device is not failing");
        DeviceFilter others = DeviceFilter.parse("failing=FALSE");
        assertFalse(others.stateMatches(failing));
        assertTrue(others.stateMatches(up));
        assertTrue(others.stateMatches(null));
        assertTrue(DeviceFilter.parse("failing=true&failing=true").stateMatches(failing), "repeating the same value is fine");
        assertFalse(DeviceFilter.parse("status=down&failing=true").stateMatches(failing), "both must match");
        assertTrue(DeviceFilter.ALL.stateMatches(failing) && DeviceFilter.ALL.stateMatches(null));
    }

    @Test
    void aBadFailingValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceFilter.parse("failing=maybe"));
        assertEquals("failing 'maybe' is not true or false", e.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> DeviceFilter.parse("failing=true&failing=false"));
        assertEquals("failing is given as both true and false", both.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceFilter.parse("failing="))
                .getMessage().contains("failing '' is not true or false"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceFilter.parse("colour=red"))
                .getMessage().contains("(known: status, failing, label, q, page, size)"));
    }
}
