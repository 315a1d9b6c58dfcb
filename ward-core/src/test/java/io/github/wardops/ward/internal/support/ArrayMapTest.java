package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayMapTest {
    @Test
    void keepsOrderAndEqualsAnyMapWithTheSameEntries() {
        Map<String, String> src = new LinkedHashMap<>();
        src.put("region", "west");
        src.put("device_type", "ATM");
        src.put("branch", "b1");
        Map<String, String> m = ArrayMap.copyOf(src);
        assertEquals(List.of("region", "device_type", "branch"), List.copyOf(m.keySet()));
        assertEquals(src, m);
        assertEquals(m, new HashMap<>(src));
        assertEquals(src.hashCode(), m.hashCode());
        assertEquals("ATM", m.get("device_type"));
        assertNull(m.get("missing"));
        assertNull(m.get(null));
        assertTrue(m.containsKey("branch"));
        assertSame(m, ArrayMap.copyOf(m), "a copy of an ArrayMap is itself");
        src.put("region", "east");
        assertEquals("west", m.get("region"), "a copy, not a view");
    }

    @Test
    void isImmutableAndRefusesNulls() {
        Map<String, String> m = ArrayMap.copyOf(Map.of("a", "1"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
        assertThrows(UnsupportedOperationException.class, m::clear);
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue("x"));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThrows(NullPointerException.class, () -> ArrayMap.copyOf(withNull));
        assertTrue(ArrayMap.copyOf(Map.of()).isEmpty());
    }
}
