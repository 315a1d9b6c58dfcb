package io.github.wardops.ward.postgres.cluster;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Fencing tokens for writers: in the transaction that writes alerts or state, keeps only the shard
 * leases this runner still holds, at the epoch the batch was decided under. Immutable and
 * thread-safe (it holds only the owner's id); {@code null} arguments are refused.
 *
 * <p>{@link #holding} locks the leases' shard rows {@code FOR SHARE} in the caller's transaction.
 * A take-over (an {@code UPDATE} of those rows by another member) therefore cannot commit before
 * the writer does: members take shards with {@code FOR UPDATE SKIP LOCKED}, so they skip a row a
 * writer holds and take it on a later tick. Once a row was taken, its epoch no longer matches and
 * a stale writer's lease is dropped. The caller writes only the rows of the shards returned, in
 * the same transaction, then commits.
 */
public final class Fence {
    private static final String SQL = "SELECT s.zone, s.shard, s.epoch FROM cluster_shards s "
            + "JOIN unnest(?::text[], ?::integer[], ?::bigint[]) AS w(zone, shard, epoch) "
            + "ON s.zone = w.zone AND s.shard = w.shard AND s.epoch = w.epoch "
            + "WHERE s.owner = ? ORDER BY s.zone, s.shard FOR SHARE OF s";

    private final UUID owner;

    /**
     * A fence for one runner.
     *
     * @param owner the runner's id ({@link ClusterMember#id()}); never {@code null}
     */
    public Fence(UUID owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * The runner whose leases this fence checks.
     *
     * @return its id; never {@code null}
     */
    public UUID owner() {
        return owner;
    }

    /**
     * Locks the leases' shard rows {@code FOR SHARE} and returns the leases this runner still
     * holds at their epoch. The lock lasts until the transaction ends: write, then commit.
     *
     * @param transaction a connection in a transaction (auto-commit off); never {@code null}
     * @param leases the leases the batch was decided under; never {@code null}, may be empty
     * @return the leases still held, a subset of {@code leases}; never {@code null}
     * @throws SQLException when the database fails (the transaction is then to be rolled back)
     * @throws IllegalArgumentException when the connection is in auto-commit mode (the lock
     *     would end with the statement and fence nothing)
     */
    public Set<ShardLease> holding(Connection transaction, Collection<ShardLease> leases) throws SQLException {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(leases, "leases");
        if (transaction.getAutoCommit()) {
            throw new IllegalArgumentException("the fence needs a connection in a transaction (auto-commit off): "
                    + "its lock must last until the writes commit");
        }
        Set<ShardLease> out = new LinkedHashSet<>();
        if (leases.isEmpty()) {
            return out;
        }
        String[] zones = new String[leases.size()];
        Integer[] shards = new Integer[leases.size()];
        Long[] epochs = new Long[leases.size()];
        int i = 0;
        for (ShardLease l : leases) {
            Objects.requireNonNull(l, "lease");
            zones[i] = l.key().zone();
            shards[i] = l.key().shard();
            epochs[i] = l.epoch();
            i++;
        }
        Array a = transaction.createArrayOf("text", zones);
        Array b = transaction.createArrayOf("integer", shards);
        Array c = transaction.createArrayOf("bigint", epochs);
        try (PreparedStatement st = transaction.prepareStatement(SQL)) {
            st.setArray(1, a);
            st.setArray(2, b);
            st.setArray(3, c);
            st.setObject(4, owner);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ShardLease(new ShardKey(rs.getString(1), rs.getInt(2)), rs.getLong(3)));
                }
            }
        } finally {
            a.free();
            b.free();
            c.free();
        }
        return out;
    }

    @Override
    public String toString() {
        return "Fence[" + owner + "]";
    }
}
