package io.github.wardops.ward.postgres.internal.cluster;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.Shards;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's side of the protocol: its session, joining, and the tick (heartbeat, read,
 * release, take). {@link #tick()} and {@link #close()} run on one thread at a time (the member's
 * tick thread, then the closing thread after the tick thread stopped); {@link #abortSession()}
 * may run on any thread (the watchdog's fence).
 */
public final class Protocol {
    private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);
    /** How often at most dead runner rows are looked for. */
    private static final long CLEANUP_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Opens a plain JDBC connection. */
    @FunctionalInterface
    public interface Opener {
        /**
         * Opens one.
         *
         * @return the connection
         * @throws SQLException when the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final ClusterOptions options;
    private final UUID id;
    private final Ticker ticker;
    private final MemberState state;
    /** The member's session: holds its lock. Written by the tick thread; aborted by the fence. */
    private volatile Connection session;
    /** A new session trying to re-take the member's lock after a fence. */
    private Connection candidate;
    /** The member's lock key; 0 until known. */
    private int lockKey;
    private long lastCleanup;
    private boolean cleanedOnce;
    private volatile ClusterView view;
    private boolean warnedMalformed;
    /** When this member first saw each owner of a shard not live (ticker), for the take-over grace. */
    private final Map<UUID, Long> deadSince = new HashMap<>();

    /**
     * A protocol for one member.
     *
     * @param opener opens the member's own connections
     * @param options the member's options
     * @param state its local state
     */
    public Protocol(Opener opener, ClusterOptions options, MemberState state) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.options = Objects.requireNonNull(options, "options");
        this.id = options.id();
        this.ticker = options.ticker();
        this.state = Objects.requireNonNull(state, "state");
        this.view = new ClusterView(id, true, null, List.of(), List.of(), Map.of(), Set.of());
    }

    /**
     * The last snapshot.
     *
     * @return it
     */
    public ClusterView view() {
        return view;
    }

    /** Ends the member's session at once (the fence): the server frees its lock when it sees the socket close. */
    public void abortSession() {
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("cluster: aborting the session failed: {}", e.getMessage());
            }
        }
    }

    /** One tick of the protocol. Never throws for a database failure: it fences instead. */
    public void tick() {
        // the fence is checked before acting, with the monotonic clock: a pause of the whole
        // process (GC, a suspended VM) longer than fence-after fences here
        if (!state.fenced() && !state.mayAct()) {
            return;
        }
        if (state.fenced()) {
            if (!rejoin()) {
                refreshFencedView();
                return;
            }
        }
        Connection c = session;
        if (c == null) {
            state.fence("the session was ended");
            return;
        }
        try {
            long sent = ticker.read();
            if (heartbeat(c) != 1) {
                state.fence("this runner's row is gone or registered under another lock");
                return;
            }
            state.confirmed(sent);
            Read read = read(c);
            if (!read.liveIds.contains(id)) {
                state.fence("this runner's lock is not granted any more");
                return;
            }
            act(c, read);
            refreshView(read);
            cleanup(c);
        } catch (SQLException | RuntimeException e) {
            state.fence("the database session failed: " + e.getMessage());
        }
    }

    private void act(Connection c, Read read) throws SQLException {
        if (!state.mayAct()) {
            return;
        }
        List<Rendezvous.Candidate> candidates = new ArrayList<>();
        for (ClusterView.Runner r : read.runners) {
            if (r.live()) {
                candidates.add(new Rendezvous.Candidate(r.id(), r.zone()));
            }
        }
        Map<ShardKey, Long> held = state.owned();
        // shards the database no longer gives this runner at the epoch it gained them: someone
        // took them (this runner was seen dead), so drop them; nothing to release
        List<ShardKey> gone = new ArrayList<>();
        for (Map.Entry<ShardKey, Long> h : held.entrySet()) {
            ClusterView.Shard row = read.shards.get(h.getKey());
            if (row == null || !id.equals(row.owner()) || row.epoch() != h.getValue()) {
                gone.add(h.getKey());
            }
        }
        if (!gone.isEmpty()) {
            LOG.warn("cluster: {} lost {} shard(s) it held to another owner: {}", options.name(), gone.size(), gone);
            state.drop(gone);
            held = state.owned();
        }
        // the take-over grace: a dead owner's shards are taken only once it has been seen dead
        // for takeoverGrace, by when it has fenced itself even if the server ended its session
        // at once (see ClusterOptions.takeoverGrace)
        long now = ticker.read();
        long grace = options.takeoverGrace().toNanos();
        Set<UUID> deadOwners = new HashSet<>();
        for (ClusterView.Shard row : read.shards.values()) {
            if (row.owner() != null && !row.ownerLive() && !id.equals(row.owner())) {
                deadOwners.add(row.owner());
            }
        }
        deadSince.keySet().retainAll(deadOwners);
        for (UUID o : deadOwners) {
            deadSince.putIfAbsent(o, now);
        }
        Map<String, List<Integer>> release = new TreeMap<>();
        Map<String, List<Integer>> take = new TreeMap<>();
        for (ClusterView.Shard row : read.shards.values()) {
            UUID target = Rendezvous.owner(row.key(), candidates);
            boolean mine = id.equals(target);
            if (id.equals(row.owner()) && !mine) {
                release.computeIfAbsent(row.key().zone(), z -> new ArrayList<>()).add(row.key().shard());
            } else if (mine && !held.containsKey(row.key())) {
                if (row.owner() == null || id.equals(row.owner())
                        || !row.ownerLive() && now - deadSince.get(row.owner()) >= grace) {
                    take.computeIfAbsent(row.key().zone(), z -> new ArrayList<>()).add(row.key().shard());
                }
            }
        }
        // 3. first stop using them (lost returned), then give them up
        for (Map.Entry<String, List<Integer>> e : release.entrySet()) {
            List<ShardKey> keys = e.getValue().stream().map(s -> new ShardKey(e.getKey(), s)).toList();
            state.drop(keys);
            try (PreparedStatement st = c.prepareStatement(ClusterSql.RELEASE)) {
                Array shards = c.createArrayOf("integer", e.getValue().toArray());
                st.setString(1, e.getKey());
                st.setArray(2, shards);
                st.setObject(3, id);
                st.executeUpdate();
                shards.free();
            }
        }
        // 4. take what rendezvous gives this runner and nobody live holds
        for (Map.Entry<String, List<Integer>> e : take.entrySet()) {
            if (!state.mayAct()) {
                return;
            }
            List<Object[]> taken = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(ClusterSql.TAKE)) {
                Array shards = c.createArrayOf("integer", e.getValue().toArray());
                st.setObject(1, id);
                st.setString(2, e.getKey());
                st.setArray(3, shards);
                st.setObject(4, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        taken.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)});
                    }
                }
                shards.free();
            }
            for (Object[] t : taken) {
                // refused when the member fenced meanwhile: the row names it, and is taken over
                // once its session is gone, or re-taken (epoch + 1) when it rejoins
                state.gain(new ShardKey((String) t[0], (Integer) t[1]), (Long) t[2]);
            }
        }
    }

    private void refreshView(Read read) {
        Map<ShardKey, Long> owned = state.owned();
        view = new ClusterView(id, state.fenced(), read.at, read.runners(), List.copyOf(read.shards.values()), owned,
                read.zonesWithoutRunner);
    }

    private void refreshFencedView() {
        ClusterView v = view;
        view = new ClusterView(id, true, v.readAt(), v.runners(), v.shards(), Map.of(), v.zonesWithoutRunner());
    }

    /** Takes this member's lock again on a new session (or for the first time). */
    private boolean rejoin() {
        try {
            if (candidate == null) {
                candidate = opener.open();
                configure(candidate);
            }
            Connection c = candidate;
            int key = lockKey;
            if (key == 0) {
                key = existingKey(c);
            }
            boolean fresh = key == 0;
            if (fresh) {
                key = one(c, ClusterSql.NEW_LOCK_KEY);
            }
            if (!tryLock(c, key)) {
                LOG.debug("cluster: {}'s lock {} is still held by its old session; retrying", options.name(), key);
                lockKey = key;
                return false;
            }
            long sent = ticker.read();
            if (!register(c, key)) {
                LOG.error("cluster: runner id {} is registered by another runner (a different lock); two runners must "
                        + "not share an id. Retrying", id);
                unlock(c, key);
                lockKey = 0;
                return false;
            }
            if (!options.zone().isEmpty()) {
                try (PreparedStatement st = c.prepareStatement(ClusterSql.ZONE_SHARDS)) {
                    st.setString(1, options.zone());
                    st.executeUpdate();
                }
            }
            lockKey = key;
            session = c;
            candidate = null;
            state.joined(sent);
            LOG.info("cluster: {} is a member (id {}, zone '{}', lock {})", options.name(), id, options.zone(), key);
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("cluster: {} cannot join yet: {}", options.name(), e.getMessage());
            if (candidate != null) {
                closeQuietly(candidate);
                candidate = null;
            }
            return false;
        }
    }

    private void configure(Connection c) throws SQLException {
        c.setAutoCommit(true);
        long stmt = options.statementTimeout().toMillis();
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, stmt + 1000));
        try (PreparedStatement st = c.prepareStatement(ClusterSql.CONFIGURE)) {
            st.setString(1, options.name());
            st.setString(2, Integer.toString(ClusterOptions.SERVER_KEEPALIVE_IDLE_SECONDS));
            st.setString(3, Integer.toString(ClusterOptions.SERVER_KEEPALIVE_INTERVAL_SECONDS));
            st.setString(4, Integer.toString(ClusterOptions.SERVER_KEEPALIVE_COUNT));
            st.setString(5, Integer.toString(ClusterOptions.SERVER_TCP_USER_TIMEOUT_MILLIS));
            st.setString(6, stmt + "ms");
            st.setString(7, stmt + "ms");
            st.setString(8, stmt + "ms");
            st.execute();
        }
    }

    private int existingKey(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ClusterSql.LOCK_KEY_OF)) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static int one(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean tryLock(Connection c, int key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ClusterSql.TRY_LOCK)) {
            st.setInt(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, int key) {
        try (PreparedStatement st = c.prepareStatement(ClusterSql.UNLOCK)) {
            st.setInt(1, key);
            st.execute();
        } catch (SQLException e) {
            LOG.debug("cluster: unlock failed ({}); closing the session frees it", e.getMessage());
        }
    }

    private boolean register(Connection c, int key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ClusterSql.REGISTER)) {
            st.setObject(1, id);
            st.setString(2, options.name());
            st.setString(3, options.zone());
            st.setString(4, options.address().orElse(null));
            st.setInt(5, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int heartbeat(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ClusterSql.HEARTBEAT)) {
            st.setObject(1, id);
            st.setInt(2, lockKey);
            return st.executeUpdate();
        }
    }

    /** What one tick read: the runners (with liveness) and the shard map. */
    private record Read(Instant at, List<ClusterView.Runner> runners, Set<UUID> liveIds,
            Map<ShardKey, ClusterView.Shard> shards, Set<String> zonesWithoutRunner) {
    }

    private Read read(Connection c) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        Set<UUID> live = new HashSet<>();
        Set<String> liveZones = new HashSet<>();
        Instant at = null;
        try (PreparedStatement st = c.prepareStatement(ClusterSql.RUNNERS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                UUID rid = rs.getObject(1, UUID.class);
                boolean isLive = rs.getBoolean(6);
                at = rs.getTimestamp(7).toInstant();
                rows.add(new Object[] {rid, rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), isLive});
                if (isLive) {
                    live.add(rid);
                    liveZones.add(rs.getString(3));
                }
            }
        }
        Map<ShardKey, ClusterView.Shard> shards = new LinkedHashMap<>();
        Map<UUID, Integer> counts = new HashMap<>();
        Set<String> orphanZones = new TreeSet<>();
        int malformed = 0;
        try (PreparedStatement st = c.prepareStatement(ClusterSql.SHARDS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String zone = rs.getString(1);
                int shard = rs.getInt(2);
                if (zone == null || shard < 0 || shard >= Shards.SHARDS) {
                    malformed++;
                    continue;
                }
                UUID owner = rs.getObject(3, UUID.class);
                Timestamp since = rs.getTimestamp(5);
                ShardKey key = new ShardKey(zone, shard);
                shards.put(key, new ClusterView.Shard(key, owner, owner != null && live.contains(owner), rs.getLong(4),
                        since == null ? null : since.toInstant()));
                if (owner != null) {
                    counts.merge(owner, 1, Integer::sum);
                }
                if (!zone.isEmpty() && !liveZones.contains(zone)) {
                    orphanZones.add(zone);
                }
            }
        }
        if (malformed > 0 && !warnedMalformed) {
            warnedMalformed = true;
            LOG.warn("cluster: {} row(s) of cluster_shards are malformed (a shard number out of 0..255) and are ignored",
                    malformed);
        }
        if (live.isEmpty() && !shards.isEmpty()) {
            // zone-less shards have no runner only when none is live (not this one either)
            orphanZones.add("");
        }
        List<ClusterView.Runner> runners = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            UUID rid = (UUID) r[0];
            runners.add(new ClusterView.Runner(rid, (String) r[1], (String) r[2], (String) r[3], (Boolean) r[5],
                    (Instant) r[4], counts.getOrDefault(rid, 0)));
        }
        return new Read(at, runners, live, shards, orphanZones);
    }

    private void cleanup(Connection c) throws SQLException {
        long now = ticker.read();
        if (cleanedOnce && now - lastCleanup < CLEANUP_EVERY_NANOS) {
            return;
        }
        cleanedOnce = true;
        lastCleanup = now;
        try (PreparedStatement st = c.prepareStatement(ClusterSql.DELETE_DEAD)) {
            st.setDouble(1, options.deadRunnerAge().toMillis() / 1000.0);
            int n = st.executeUpdate();
            if (n > 0) {
                LOG.info("cluster: deleted {} dead runner row(s) older than {}", n, options.deadRunnerAge());
            }
        }
    }

    /**
     * On close, after the tick thread stopped and the listener was told about every shard: gives
     * up this runner's shards in the database (epoch + 1, no owner), then its lock and session.
     */
    public void close() {
        Connection c = session;
        session = null;
        if (c != null) {
            try (PreparedStatement st = c.prepareStatement(ClusterSql.RELEASE_ALL)) {
                st.setObject(1, id);
                int n = st.executeUpdate();
                LOG.info("cluster: {} left the cluster and released {} shard(s)", options.name(), n);
            } catch (SQLException e) {
                LOG.warn("cluster: {} could not release its shards on close ({}); the others take them over as soon as "
                        + "its session is gone", options.name(), e.getMessage());
            }
            unlock(c, lockKey);
            closeQuietly(c);
        }
        if (candidate != null) {
            closeQuietly(candidate);
            candidate = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("cluster: closing a session failed: {}", e.getMessage());
        }
    }
}
