package io.github.wardops.ward.postgres.cluster;

/**
 * Told when this runner gains or loses a shard. Calls come from the member's own threads, one at a
 * time (never concurrently), in the order of the changes; implementations need not be thread-safe
 * towards the member, but must be towards the rest of the application. Arguments are never
 * {@code null}. A listener must not throw (a throw is logged and ignored) and should return
 * promptly: the member waits for {@link #lost} to return before it gives the shard up in the
 * database, which is what makes a handover safe, and it cannot fence itself while a call runs.
 */
public interface ShardListener {
    /**
     * This runner owns the shard from now on, at this epoch: load its state and alerts, then start
     * probing its devices. Writes for it go through {@link Fence} with this epoch.
     *
     * @param shard the shard; never {@code null}
     * @param epoch its epoch, larger than any epoch the shard had before
     */
    void gained(ShardKey shard, long epoch);

    /**
     * This runner no longer owns the shard: stop probing and writing for its devices before
     * returning. Also called for every owned shard when the member fences itself, and on close.
     *
     * @param shard the shard; never {@code null}
     */
    void lost(ShardKey shard);
}
