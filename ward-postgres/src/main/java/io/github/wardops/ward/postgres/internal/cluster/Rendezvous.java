package io.github.wardops.ward.postgres.internal.cluster;

import io.github.wardops.ward.postgres.cluster.ShardKey;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;

/**
 * Rendezvous (highest random weight) hashing of shards onto runners. Stateless and thread-safe.
 *
 * <p>A shard goes to the allowed runner with the highest {@link #weight}. Every member computes
 * the same answer from the same live set; adding a runner moves to it only the shards where it
 * now has the highest weight, and removing one moves only its shards. The weight is frozen like
 * {@code Shards.of}: members of two versions must agree during a rolling upgrade.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** A runner as rendezvous sees it. */
    public record Candidate(UUID id, String zone) {
    }

    /**
     * Whether a runner of {@code runnerZone} may own a shard of {@code shardZone}: every runner
     * owns zone-less shards, a zone's shards go only to that zone's runners.
     *
     * @param shardZone the shard's zone
     * @param runnerZone the runner's zone
     * @return whether it may
     */
    public static boolean allowed(String shardZone, String runnerZone) {
        return shardZone.isEmpty() || shardZone.equals(runnerZone);
    }

    /**
     * The owner rendezvous gives a shard among the candidates.
     *
     * @param key the shard
     * @param candidates the live runners
     * @return the winner's id, or {@code null} when no candidate is allowed the shard's zone
     */
    public static UUID owner(ShardKey key, Collection<Candidate> candidates) {
        UUID best = null;
        long bestWeight = 0;
        for (Candidate c : candidates) {
            if (!allowed(key.zone(), c.zone())) {
                continue;
            }
            long w = weight(c.id(), key);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && c.id().compareTo(best) < 0)) {
                best = c.id();
                bestWeight = w;
            }
        }
        return best;
    }

    /**
     * A runner's weight for a shard (unsigned): mix(mix(msb ^ mix(lsb)) ^ mix(fnv1a64(zone) + shard)),
     * with mix the SplitMix64 finalizer and fnv1a64 the 64-bit FNV-1a of the zone's UTF-8 bytes.
     *
     * @param runner the runner's id
     * @param key the shard
     * @return the weight
     */
    public static long weight(UUID runner, ShardKey key) {
        long r = mix(runner.getMostSignificantBits() ^ mix(runner.getLeastSignificantBits()));
        return mix(r ^ mix(fnv1a64(key.zone()) + key.shard()));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
