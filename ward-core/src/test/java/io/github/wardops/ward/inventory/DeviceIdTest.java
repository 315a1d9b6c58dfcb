package io.github.wardops.ward.inventory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeviceIdTest {

    @Test
    void equalIdsAreEqualAndHashAlike() {
        UUID u = UUID.randomUUID();
        DeviceId a = new DeviceId(u);
        DeviceId b = DeviceId.parse(u.toString());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new DeviceId(UUID.randomUUID()));
        assertNotEquals(a, u, "an id is not its UUID");
    }

    /**
     * Generated inventories carry one counter in both halves of the UUID; {@link UUID#hashCode()}
     * gives all of them one hash code, which turned every map of devices into a search tree.
     */
    @Test
    void idsWithTheSameCounterInBothHalvesSpreadOverHashCodes() {
        int n = 100_000;
        Set<Integer> codes = new HashSet<>();
        Set<Integer> uuidCodes = new HashSet<>();
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < n; i++) {
            UUID u = UUID.fromString(String.format("%08x-0000-4000-8000-%012x", i, i));
            int h = new DeviceId(u).hashCode();
            codes.add(h);
            uuidCodes.add(u.hashCode());
            buckets.add((h ^ (h >>> 16)) & ((1 << 17) - 1)); // a HashMap of 2^17 buckets
        }
        assertEquals(1, uuidCodes.size(), "the pattern this guards against: UUID.hashCode folds it to one value");
        assertTrue(codes.size() > n * 0.99, "distinct hash codes: " + codes.size());
        // random keys fill m(1 - e^(-n/m)) of m buckets: about 70,000 for n = 100,000, m = 131,072
        assertTrue(buckets.size() > n * 0.6, "buckets used: " + buckets.size());
    }

    @Test
    void sequentialAndRandomIdsSpreadToo() {
        Set<Integer> codes = new HashSet<>();
        for (long i = 0; i < 50_000; i++) {
            codes.add(new DeviceId(new UUID(0x00005eed00000000L, i)).hashCode());
            codes.add(new DeviceId(new UUID(i, 0)).hashCode());
        }
        assertTrue(codes.size() > 99_000, "distinct hash codes: " + codes.size());
    }
}
