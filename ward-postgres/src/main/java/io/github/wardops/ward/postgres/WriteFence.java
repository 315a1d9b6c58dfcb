package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, inside the transaction that writes them, which devices' state and alert rows this
 * instance may still write: the fencing hook of several runners sharing one database
 * ({@link io.github.wardops.ward.postgres.cluster.ClusterMember#writeFence}). Set it with
 * {@link PostgresStorage#fenceWrites}; without one, every row is written.
 *
 * <p>It applies to the write-behind of device states ({@code device_state}), alerts
 * ({@code alerts}), the rules' {@code for} timers ({@code alert_pending}) and state changes
 * ({@code state_changes}). Rows of devices it refuses are dropped, counted in
 * {@code ward.storage.rows.fenced{kind}} and never retried: another instance owns those devices
 * now and writes them itself. Silences and acknowledgements are not fenced (any instance may make
 * them). Implementations must be thread-safe; they run on the writer's threads.
 */
@FunctionalInterface
public interface WriteFence {
    /**
     * Called in the write transaction (auto-commit off), before any row of the batch is written.
     * An implementation may lock rows in it: the locks last until the batch commits.
     *
     * @param transaction the transaction's connection; never {@code null}
     * @param devices the devices whose rows the batch holds; never {@code null} or empty
     * @return which of them may be written in this transaction; never {@code null}
     * @throws SQLException when the database fails: the batch is rolled back and retried later, as
     *     for any failure to reach the database
     */
    Predicate<DeviceId> admit(Connection transaction, Set<DeviceId> devices) throws SQLException;
}
