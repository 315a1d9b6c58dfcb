package io.github.wardops.ward.postgres.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.Shards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing: fair, minimal movement, zone rules, and frozen. */
class RendezvousTest {
    private static final UUID A = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000001");
    private static final UUID B = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000002");
    private static final UUID C = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000003");
    private static final UUID D = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000004");

    private static Map<ShardKey, UUID> assign(String zone, List<Rendezvous.Candidate> runners) {
        Map<ShardKey, UUID> out = new HashMap<>();
        for (int s = 0; s < Shards.SHARDS; s++) {
            ShardKey k = new ShardKey(zone, s);
            out.put(k, Rendezvous.owner(k, runners));
        }
        return out;
    }

    private static List<Rendezvous.Candidate> all(UUID... ids) {
        List<Rendezvous.Candidate> out = new ArrayList<>();
        for (UUID id : ids) {
            out.add(new Rendezvous.Candidate(id, ""));
        }
        return out;
    }

    @Test
    void threeRunnersShareFairly() {
        // the fixed ids of ClusterMemberIT: each within 25 % of a third
        Map<UUID, Integer> fixed = new HashMap<>();
        assign("", all(A, B, C)).values().forEach(o -> fixed.merge(o, 1, Integer::sum));
        for (int n : fixed.values()) {
            assertTrue(Math.abs(n - 256 / 3.0) <= 0.25 * 256 / 3.0, "a runner has " + n + " of 256: " + fixed);
        }
        // random ids: a share is binomial (256, 1/3), standard deviation 7.5 shards; 25 % of a
        // third is 2.8 of them, so nearly all are within it and none is far out
        java.util.Random r = new java.util.Random(42);
        int within = 0;
        int runners = 0;
        for (int i = 0; i < 200; i++) {
            Map<UUID, Integer> counts = new HashMap<>();
            assign("", all(new UUID(r.nextLong(), r.nextLong()), new UUID(r.nextLong(), r.nextLong()),
                    new UUID(r.nextLong(), r.nextLong()))).values().forEach(o -> counts.merge(o, 1, Integer::sum));
            assertEquals(3, counts.size());
            for (int n : counts.values()) {
                runners++;
                double off = Math.abs(n - 256 / 3.0) / (256 / 3.0);
                assertTrue(off <= 0.45, "a runner has " + n + " of 256: " + counts);
                within += off <= 0.25 ? 1 : 0;
            }
        }
        assertTrue(within >= 0.97 * runners, within + " of " + runners + " within 25 %");
    }

    @Test
    void aFourthRunnerTakesOnlyWhatIsItsAndRemovingOneMovesOnlyItsShards() {
        Map<ShardKey, UUID> three = assign("", all(A, B, C));
        Map<ShardKey, UUID> four = assign("", all(A, B, C, D));
        int moved = 0;
        for (ShardKey k : three.keySet()) {
            if (!three.get(k).equals(four.get(k))) {
                assertEquals(D, four.get(k), "a shard moved to a runner other than the new one: " + k);
                moved++;
            }
        }
        assertTrue(moved > 40 && moved < 90, "the new runner got " + moved + " shards (about 64 expected)");
        Map<ShardKey, UUID> withoutB = assign("", all(A, C, D));
        for (ShardKey k : four.keySet()) {
            if (!four.get(k).equals(B)) {
                assertEquals(four.get(k), withoutB.get(k), "a shard of a runner still there moved: " + k);
            } else {
                assertTrue(!withoutB.get(k).equals(B));
            }
        }
        // the order the runners are listed in does not matter
        assertEquals(four, assign("", all(D, C, B, A)));
    }

    @Test
    void zonesGoOnlyToTheirRunnersAndZonelessShardsToAll() {
        List<Rendezvous.Candidate> set = List.of(new Rendezvous.Candidate(A, "west"), new Rendezvous.Candidate(B, "east"),
                new Rendezvous.Candidate(C, ""));
        for (ShardKey k : assign("west", set).keySet()) {
            assertEquals(A, Rendezvous.owner(k, set));
        }
        for (ShardKey k : assign("east", set).keySet()) {
            assertEquals(B, Rendezvous.owner(k, set));
        }
        Map<UUID, Integer> counts = new HashMap<>();
        assign("", set).values().forEach(o -> counts.merge(o, 1, Integer::sum));
        assertEquals(3, counts.size(), "zone-less shards go to runners of every zone: " + counts);
        assertNull(Rendezvous.owner(new ShardKey("north", 5), set), "a zone with no runner has no owner");
        assertNull(Rendezvous.owner(new ShardKey("", 5), List.of()));
    }

    @Test
    void theWeightIsFrozen() {
        // members of two versions must agree during a rolling upgrade: these never change
        assertEquals(Rendezvous.weight(A, new ShardKey("", 0)), Rendezvous.weight(A, new ShardKey("", 0)));
        assertEquals(0xcbf29ce484222325L, Rendezvous.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, Rendezvous.fnv1a64("a"));
        assertEquals(FROZEN_A_0, Rendezvous.weight(A, new ShardKey("", 0)));
        assertEquals(FROZEN_B_WEST_7, Rendezvous.weight(B, new ShardKey("west", 7)));
    }

    private static final long FROZEN_A_0 = 0x4c48c56d46a85a4bL;
    private static final long FROZEN_B_WEST_7 = 0x46681e80f1308f26L;
}
