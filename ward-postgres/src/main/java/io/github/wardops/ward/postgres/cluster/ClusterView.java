package io.github.wardops.ward.postgres.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A snapshot of the cluster as one member saw it at its last tick: the runners, the shard map,
 * this member's own shards and whether it is fenced. Immutable and thread-safe; no component is
 * {@code null} (a runner's address and a shard's owner and since may be, as noted).
 *
 * @param self this member's id; never {@code null}
 * @param fenced whether this member is fenced (it owns nothing and is trying to rejoin)
 * @param readAt when the snapshot was read (the database's clock), or {@code null} before the first read
 * @param runners every runner row, live or not, ordered by zone then name; never {@code null}
 * @param shards the shard map, ordered by zone then shard; never {@code null}
 * @param owned this member's shards with the epoch it gained each at; never {@code null}
 * @param zonesWithoutRunner the zones that have shards but no live runner: their devices are
 *     polled by nobody (one alert per zone, not one per device); never {@code null}
 */
public record ClusterView(UUID self, boolean fenced, Instant readAt, List<Runner> runners, List<Shard> shards,
        Map<ShardKey, Long> owned, Set<String> zonesWithoutRunner) {
    /**
     * Copies the collections.
     *
     * @throws NullPointerException when {@code self} or a collection is {@code null}
     */
    public ClusterView {
        Objects.requireNonNull(self, "self");
        runners = List.copyOf(runners);
        shards = List.copyOf(shards);
        owned = Map.copyOf(owned);
        zonesWithoutRunner = Set.copyOf(zonesWithoutRunner);
    }

    /**
     * One runner row.
     *
     * @param id its id; never {@code null}
     * @param name its name; never {@code null}
     * @param zone its zone, {@code ""} for none; never {@code null}
     * @param address where people reach it, or {@code null}
     * @param live whether its lock is held now (the only test of liveness)
     * @param heartbeatAt its last heartbeat (shown to people, not trusted); never {@code null}
     * @param shards how many shards the map gives it
     */
    public record Runner(UUID id, String name, String zone, String address, boolean live, Instant heartbeatAt,
            int shards) {
    }

    /**
     * One row of the shard map.
     *
     * @param key the shard; never {@code null}
     * @param owner its owner's id, or {@code null} when unowned
     * @param ownerLive whether that owner is a live runner ({@code false} when unowned)
     * @param epoch its epoch
     * @param since when its owner last changed, or {@code null} when it never did
     */
    public record Shard(ShardKey key, UUID owner, boolean ownerLive, long epoch, Instant since) {
    }
}
