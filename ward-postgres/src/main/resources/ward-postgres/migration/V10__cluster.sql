-- Several runners on one database (issue 17; docs/cluster.md): who is a member, and which runner
-- owns which shard of the fleet, with a fencing epoch. Read and written by
-- io.github.wardops.ward.postgres.cluster (plain JDBC; no jOOQ classes are generated for these).
-- New, empty tables: nothing here blocks writes to existing ones.

-- Lock keys for the members' session advisory locks (pg_try_advisory_lock(0x7761726E, lock_key)).
-- Never reused: a key belongs to one runner id for good.
CREATE SEQUENCE cluster_lock_key_seq AS integer MINVALUE 1 NO CYCLE;

-- The runners that ever joined. A runner is LIVE iff its advisory lock is granted in pg_locks;
-- heartbeat_at is only shown to people (and ages out dead rows), never trusted for liveness.
CREATE TABLE cluster_runners (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    zone         text        NOT NULL DEFAULT '',
    address      text,
    lock_key     integer     NOT NULL UNIQUE,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

-- The shard map: 256 shards per zone ('' = devices without a zone label). owner has no foreign
-- key on purpose: a runner row may be deleted (aged out) while it still names a shard's owner,
-- and an owner that is no live runner is simply taken over. epoch grows by one on every change
-- of owner (take and release), so a writer that decided under an older epoch is refused.
CREATE TABLE cluster_shards (
    zone  text    NOT NULL,
    shard integer NOT NULL CHECK (shard BETWEEN 0 AND 255),
    owner uuid,
    epoch bigint  NOT NULL DEFAULT 0,
    since timestamptz,
    PRIMARY KEY (zone, shard)
);
INSERT INTO cluster_shards (zone, shard) SELECT '', g FROM generate_series(0, 255) g;

-- Whether a runner is live: its session advisory lock is granted in this database. VOLATILE on
-- purpose: its query takes a fresh snapshot each call, so when a take-over UPDATE re-checks a row
-- that another member just took (READ COMMITTED re-evaluation), a member that joined after the
-- UPDATE's own snapshot is still seen, and seen live.
CREATE FUNCTION cluster_runner_live(runner uuid) RETURNS boolean
    LANGUAGE sql VOLATILE AS $$
    SELECT EXISTS (
        SELECT 1 FROM cluster_runners r JOIN pg_locks l
          ON l.locktype = 'advisory' AND l.classid::bigint = 2002874990 AND l.objid::bigint = r.lock_key
         AND l.objsubid = 2 AND l.granted
         AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
        WHERE r.id = runner)
$$;
