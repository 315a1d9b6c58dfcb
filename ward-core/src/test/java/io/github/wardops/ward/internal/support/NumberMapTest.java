package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NumberMapTest {
    private static final String[] SCHEMA = {"sent", "received", "loss_pct", "rtt_avg_ms"};

    @Test
    void aSharedSchemaMapKeepsOrderAndEqualsAnyMapWithTheSameEntries() {
        NumberMap m = NumberMap.of(SCHEMA, new double[] {3, 2, 33.3});
        assertEquals(List.of("sent", "received", "loss_pct"), List.copyOf(m.keySet()), "only as many names as values");
        assertEquals(3, m.size());
        assertEquals(3.0, m.get("sent"));
        assertEquals(33.3, m.get("loss_pct", -1), 0.0);
        assertEquals(-1, m.get("rtt_avg_ms", -1), 0.0, "a schema name past the values is absent");
        assertNull(m.get("rtt_avg_ms"));
        assertNull(m.get(null));
        assertNull(m.get(42));
        assertFalse(m.containsKey("rtt_avg_ms"));
        // a name equal to the schema's but not the same instance is found too
        assertEquals(2.0, m.get(new String("received")));
        Map<String, Double> same = new LinkedHashMap<>();
        same.put("sent", 3.0);
        same.put("received", 2.0);
        same.put("loss_pct", 33.3);
        assertEquals(same, m);
        assertEquals(m, new HashMap<>(same));
        assertEquals(same.hashCode(), m.hashCode());
        assertEquals(same.toString(), m.toString());
    }

    @Test
    void isImmutable() {
        NumberMap m = NumberMap.of(SCHEMA, new double[] {1});
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("sent"));
        assertThrows(UnsupportedOperationException.class, m::clear);
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue(2.0));
        assertThrows(UnsupportedOperationException.class, () -> m.keySet().remove("sent"));
    }

    @Test
    void refusesMoreValuesThanNamesAndOutOfRangePositions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NumberMap.of(new String[] {"a"}, new double[] {1, 2}));
        assertEquals("2 values for 1 names", e.getMessage());
        NumberMap m = NumberMap.of(SCHEMA, new double[] {1, 2});
        assertThrows(IndexOutOfBoundsException.class, () -> m.keyAt(2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.valueAt(-1));
        assertTrue(NumberMap.of(SCHEMA, new double[0]).isEmpty());
    }

    @Test
    void forEachAndTheIteratorGiveEveryPairInOrder() {
        NumberMap m = NumberMap.of(SCHEMA, new double[] {1, 2, 3, 4});
        List<String> seen = new ArrayList<>();
        m.forEach((k, v) -> seen.add(k + "=" + v));
        assertEquals(List.of("sent=1.0", "received=2.0", "loss_pct=3.0", "rtt_avg_ms=4.0"), seen);
        var it = m.entrySet().iterator();
        for (int i = 0; i < 4; i++) {
            assertTrue(it.hasNext());
            it.next();
        }
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
        assertThrows(NullPointerException.class, () -> m.forEach(null));
    }

    @Test
    void theBuilderReplacesARepeatedNameInPlaceAndRemovesByMovingTheLast() {
        NumberMap.Builder b = NumberMap.builder(2);
        b.put("a", 1).put("b", 2).put("c", 3).put("a", 10);
        assertEquals(3, b.size());
        assertEquals(10, b.get("a"), 0.0);
        assertTrue(Double.isNaN(b.get("missing")));
        assertEquals(List.of("a", "b", "c"), List.copyOf(b.build().keySet()));
        b.remove("a").remove("missing");
        NumberMap m = b.build();
        assertEquals(List.of("c", "b"), List.copyOf(m.keySet()));
        assertEquals(Map.of("b", 2.0, "c", 3.0), m);
        b.put("d", 4);
        assertEquals(2, m.size(), "a built map does not see later puts");
        assertThrows(NullPointerException.class, () -> b.put(null, 1));
        assertSame(NumberMap.builder(0).build(), NumberMap.of(SCHEMA, new double[0]), "one empty map");
    }

    /** Above {@code INDEXED} names both the builder and the map look names up through a hash index. */
    @Test
    void aLargeMapFindsEveryNameThroughItsIndexAndMissesTheRest() {
        int n = NumberMap.INDEXED * 8 + 3;
        NumberMap.Builder b = NumberMap.builder(4);
        Map<String, Double> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            b.put("if." + i + ".in_octets", i);
            expected.put("if." + i + ".in_octets", (double) i);
        }
        // replaced and removed entries after the index exists
        b.put("if.7.in_octets", -7);
        expected.put("if.7.in_octets", -7.0);
        b.remove("if.0.in_octets");
        expected.remove("if.0.in_octets");
        b.remove("if." + (n - 1) + ".in_octets");
        expected.remove("if." + (n - 1) + ".in_octets");
        b.put("if.0.in_octets", 100);
        expected.put("if.0.in_octets", 100.0);
        NumberMap m = b.build();
        assertEquals(expected.size(), m.size());
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertEquals(e.getValue(), m.get(new String(e.getKey())), e.getKey());
            assertEquals(e.getValue(), b.get(e.getKey()), 0.0, e.getKey());
        }
        assertNull(m.get("if." + n + ".in_octets"));
        assertNull(m.get("if.-1.in_octets"));
        assertEquals(expected, m);
        assertEquals(expected.hashCode(), m.hashCode());
    }
}
