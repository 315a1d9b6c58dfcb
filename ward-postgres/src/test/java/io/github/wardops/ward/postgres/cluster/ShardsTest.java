package io.github.wardops.ward.postgres.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Shards.of is frozen: these values must never change between versions (they decide who polls what). */
class ShardsTest {
    @Test
    void fixedValuesNeverChange() {
        assertEquals(0, Shards.of(UUID.fromString("00000000-0000-0000-0000-000000000000")));
        assertEquals(125, Shards.of(UUID.fromString("00000000-0000-0000-0000-000000000001")));
        assertEquals(184, Shards.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        assertEquals(203, Shards.of(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")));
        assertEquals(3, Shards.of(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8")));
        assertEquals(256, Shards.SHARDS);
    }

    @Test
    void devicesSpreadEvenlyOverTheShards() {
        int[] counts = new int[Shards.SHARDS];
        java.util.Random r = new java.util.Random(17);
        int n = 256_000;
        for (int i = 0; i < n; i++) {
            int s = Shards.of(new UUID(r.nextLong(), r.nextLong()));
            assertTrue(s >= 0 && s < Shards.SHARDS);
            counts[s]++;
        }
        for (int c : counts) {
            // 1000 expected per shard, standard deviation about 32: 20 % is more than 6 of them
            assertTrue(c > 800 && c < 1200, "shard count " + c);
        }
    }

    @Test
    void keysCheckTheirRange() {
        assertEquals(new ShardKey("west", 184), Shards.key("west", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardKey("", 256));
        assertEquals("shard must be between 0 and 255, not 256", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardKey("", -1));
        assertThrows(NullPointerException.class, () -> new ShardKey(null, 1));
        assertThrows(NullPointerException.class, () -> Shards.of(null));
    }
}
