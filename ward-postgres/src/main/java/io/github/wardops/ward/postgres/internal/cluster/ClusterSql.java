package io.github.wardops.ward.postgres.internal.cluster;

/** The statements of the cluster layer (plain SQL over JDBC). Stateless. */
final class ClusterSql {
    /** The advisory lock's first key: "warn" in ASCII (0x7761726E). */
    static final int LOCK_CLASS = 0x7761726E;

    private ClusterSql() {
    }

    /** The lock keys granted in this database now: the live runners. */
    private static final String LIVE_KEYS = "SELECT l.objid::bigint FROM pg_locks l WHERE l.locktype = 'advisory' "
            + "AND l.classid::bigint = " + LOCK_CLASS + " AND l.objsubid = 2 AND l.granted "
            + "AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())";

    static final String CONFIGURE = "SELECT set_config('application_name', ?, false), "
            + "set_config('tcp_keepalives_idle', ?, false), set_config('tcp_keepalives_interval', ?, false), "
            + "set_config('tcp_keepalives_count', ?, false), set_config('tcp_user_timeout', ?, false), "
            + "set_config('statement_timeout', ?, false), set_config('lock_timeout', ?, false), "
            + "set_config('idle_in_transaction_session_timeout', ?, false)";

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", ?)";
    static final String UNLOCK = "SELECT pg_advisory_unlock(" + LOCK_CLASS + ", ?)";
    static final String LOCK_KEY_OF = "SELECT lock_key FROM cluster_runners WHERE id = ?";
    static final String NEW_LOCK_KEY = "SELECT nextval('cluster_lock_key_seq')::integer";

    /** Registers (or re-registers) a runner; returns nothing when the id is registered under another key. */
    static final String REGISTER = "INSERT INTO cluster_runners AS r (id, name, zone, address, lock_key, started_at, heartbeat_at) "
            + "VALUES (?, ?, ?, ?, ?, now(), now()) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
            + "zone = EXCLUDED.zone, address = EXCLUDED.address, heartbeat_at = now() "
            + "WHERE r.lock_key = EXCLUDED.lock_key RETURNING r.lock_key";

    static final String ZONE_SHARDS = "INSERT INTO cluster_shards (zone, shard) SELECT ?, g FROM generate_series(0, 255) g "
            + "ON CONFLICT DO NOTHING";

    static final String HEARTBEAT = "UPDATE cluster_runners SET heartbeat_at = now() WHERE id = ? AND lock_key = ?";

    static final String RUNNERS = "SELECT r.id, r.name, r.zone, r.address, r.heartbeat_at, "
            + "(r.lock_key::bigint IN (" + LIVE_KEYS + ")) AS live, now() FROM cluster_runners r ORDER BY r.zone, r.name, r.id";

    static final String SHARDS = "SELECT zone, shard, owner, epoch, since FROM cluster_shards ORDER BY zone, shard";

    /**
     * Gives up shards this runner owns in the database. SKIP LOCKED: a row a writer holds
     * FOR SHARE is left for a later tick rather than blocking the member's session.
     */
    static final String RELEASE = "UPDATE cluster_shards s SET owner = NULL, epoch = s.epoch + 1, since = now() "
            + "FROM (SELECT zone, shard FROM cluster_shards WHERE zone = ? AND shard = ANY (?) AND owner = ? "
            + "FOR UPDATE SKIP LOCKED) t WHERE s.zone = t.zone AND s.shard = t.shard";

    /** Gives up every shard this runner owns (close); waits for writers up to lock_timeout. */
    static final String RELEASE_ALL = "UPDATE cluster_shards SET owner = NULL, epoch = epoch + 1, since = now() WHERE owner = ?";

    /**
     * Takes shards that are free, or whose owner is this runner (a stale incarnation), or not live,
     * re-checking liveness in SQL (cluster_runner_live: a fresh snapshot each call). SKIP LOCKED:
     * a row a writer holds FOR SHARE waits for a later tick.
     */
    static final String TAKE = "UPDATE cluster_shards s SET owner = ?, epoch = s.epoch + 1, since = now() "
            + "FROM (SELECT zone, shard FROM cluster_shards c WHERE c.zone = ? AND c.shard = ANY (?) "
            + "AND (c.owner IS NULL OR c.owner = ? OR NOT cluster_runner_live(c.owner)) FOR UPDATE SKIP LOCKED) t "
            + "WHERE s.zone = t.zone AND s.shard = t.shard RETURNING s.zone, s.shard, s.epoch";

    static final String DELETE_DEAD = "DELETE FROM cluster_runners r WHERE r.heartbeat_at < now() - make_interval(secs => ?) "
            + "AND NOT cluster_runner_live(r.id)";
}
