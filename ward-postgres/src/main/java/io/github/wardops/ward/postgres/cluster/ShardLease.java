package io.github.wardops.ward.postgres.cluster;

import java.util.Objects;

/**
 * A shard held at an epoch: what a batch of writes was decided under. {@link Fence} keeps only the
 * leases still current in the writing transaction. Immutable and thread-safe; never {@code null}
 * components.
 *
 * @param key the shard; never {@code null}
 * @param epoch the shard's epoch when this runner gained it ({@link ShardListener#gained})
 */
public record ShardLease(ShardKey key, long epoch) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException when {@code key} is {@code null}
     */
    public ShardLease {
        Objects.requireNonNull(key, "key");
    }
}
