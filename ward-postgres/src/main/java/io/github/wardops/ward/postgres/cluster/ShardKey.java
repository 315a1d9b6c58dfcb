package io.github.wardops.ward.postgres.cluster;

import java.util.Objects;

/**
 * One shard of the fleet: a zone ({@code ""} for devices without a {@code zone} label) and a shard
 * number. Immutable and thread-safe; neither component is {@code null}.
 *
 * @param zone the zone, {@code ""} for none; never {@code null}
 * @param shard the shard number, {@code 0 <= shard < }{@link Shards#SHARDS}
 */
public record ShardKey(String zone, int shard) implements Comparable<ShardKey> {
    /**
     * Checks the components.
     *
     * @throws NullPointerException when {@code zone} is {@code null}
     * @throws IllegalArgumentException when {@code shard} is out of range
     */
    public ShardKey {
        Objects.requireNonNull(zone, "zone");
        if (shard < 0 || shard >= Shards.SHARDS) {
            throw new IllegalArgumentException("shard must be between 0 and " + (Shards.SHARDS - 1) + ", not " + shard);
        }
    }

    @Override
    public int compareTo(ShardKey o) {
        int c = zone.compareTo(o.zone);
        return c != 0 ? c : Integer.compare(shard, o.shard);
    }

    @Override
    public String toString() {
        return (zone.isEmpty() ? "-" : zone) + "/" + shard;
    }
}
