package io.github.wardops.ward.postgres.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.PgSupport;
import io.github.wardops.ward.postgres.internal.cluster.Rendezvous;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several members on a real PostgreSQL: membership by advisory lock, rendezvous assignment,
 * handovers with epochs, self-fencing after the session is killed, zones, and the writers' fence.
 */
class ClusterMemberIT {
    private static final UUID A = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000001");
    private static final UUID B = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000002");
    private static final UUID C = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000003");
    private static final UUID D = UUID.fromString("6f1d2c3a-0000-4000-8000-000000000004");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static EmbeddedDatabase db;

    /** Who holds each shard locally, across all members of a test: a second holder is a violation. */
    private final Map<ShardKey, String> holders = new HashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    /** The last epoch each shard was gained at, across members: epochs must strictly increase. */
    private final Map<ShardKey, Long> lastEpoch = new ConcurrentHashMap<>();
    private volatile boolean checkOverlap = true;
    /** Every gain and loss of every member, in the order they happened. */
    private final List<String> timeline = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void clean() throws SQLException {
        exec("DELETE FROM cluster_runners");
        exec("DELETE FROM cluster_shards WHERE zone <> ''");
        exec("UPDATE cluster_shards SET owner = NULL, epoch = 0, since = NULL");
    }

    private static Connection connect() throws SQLException {
        return PgSupport.connect(db);
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String one(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The shard map in the database: owner per shard of a zone. */
    private static Map<Integer, UUID> owners(String zone) throws SQLException {
        Map<Integer, UUID> out = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
                "SELECT shard, owner FROM cluster_shards WHERE zone = ? ORDER BY shard")) {
            st.setString(1, zone);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    private static Map<Integer, Long> epochs(String zone) throws SQLException {
        Map<Integer, Long> out = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
                "SELECT shard, epoch FROM cluster_shards WHERE zone = ? ORDER BY shard")) {
            st.setString(1, zone);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A listener that records what its member holds, and checks the invariants across members. */
    final class Recorder implements ShardListener {
        final String name;
        final Map<ShardKey, Long> owned = new ConcurrentHashMap<>();
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void gained(ShardKey shard, long epoch) {
            synchronized (holders) {
                String other = holders.put(shard, name);
                if (other != null && checkOverlap) {
                    violations.add(shard + " gained by " + name + " while " + other + " still held it");
                }
            }
            Long before = lastEpoch.put(shard, epoch);
            if (before != null && epoch <= before) {
                violations.add(shard + " gained by " + name + " at epoch " + epoch + " after epoch " + before);
            }
            owned.put(shard, epoch);
            events.add("gained " + shard);
            timeline.add(name + " gained " + shard);
        }

        @Override
        public void lost(ShardKey shard) {
            owned.remove(shard);
            synchronized (holders) {
                holders.remove(shard, name);
            }
            events.add("lost " + shard);
            timeline.add(name + " lost " + shard);
        }

        Set<Integer> shards(String zone) {
            Set<Integer> out = new TreeSet<>();
            for (ShardKey k : owned.keySet()) {
                if (k.zone().equals(zone)) {
                    out.add(k.shard());
                }
            }
            return out;
        }
    }

    private static ClusterOptions.Builder options(String name, UUID id) {
        return ClusterOptions.builder().name(name).id(id).tickInterval(Duration.ofMillis(200))
                .fenceAfter(Duration.ofSeconds(4)).statementTimeout(Duration.ofSeconds(2));
    }

    private static ClusterMember join(String name, UUID id, Recorder r) {
        return ClusterMember.join(ClusterMemberIT::connect, options(name, id).build(), r);
    }

    /** What rendezvous gives each runner of the zone-less shards. */
    private static Map<UUID, Set<Integer>> expected(UUID... ids) {
        List<Rendezvous.Candidate> cs = new ArrayList<>();
        for (UUID id : ids) {
            cs.add(new Rendezvous.Candidate(id, ""));
        }
        Map<UUID, Set<Integer>> out = new HashMap<>();
        for (UUID id : ids) {
            out.put(id, new TreeSet<>());
        }
        for (int s = 0; s < Shards.SHARDS; s++) {
            out.get(Rendezvous.owner(new ShardKey("", s), cs)).add(s);
        }
        return out;
    }

    @Test
    void aLoneMemberOwnsEveryShardOnASessionThatHoldsNoSnapshot() throws Exception {
        Recorder ra = new Recorder("a");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicReference<Connection> session = new java.util.concurrent.atomic.AtomicReference<>();
        try (ClusterMember a = ClusterMember.join(() -> {
            Connection c = connect();
            session.set(c);
            return c;
        }, options("ward-runner on host-a, pid 1", A).address("http://127.0.0.1:8080").meterRegistry(registry).build(), ra)) {
            await("a owns all 256 shards", () -> ra.owned.size() == 256);
            // the server drops the session of a vanished host within about 11 s
            try (PreparedStatement st = session.get().prepareStatement("SELECT current_setting('tcp_keepalives_idle'), "
                    + "current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count'), "
                    + "current_setting('tcp_user_timeout'), current_setting('statement_timeout'), "
                    + "current_setting('application_name')"); ResultSet rs = st.executeQuery()) {
                rs.next();
                assertEquals("5", rs.getString(1));
                assertEquals("2", rs.getString(2));
                assertEquals("3", rs.getString(3));
                assertEquals("10000", rs.getString(4));
                assertEquals("2s", rs.getString(5));
                assertEquals("ward-runner on host-a, pid 1", rs.getString(6));
                assertTrue(session.get().getAutoCommit());
            }
            assertFalse(a.fenced());
            assertEquals(256, a.leases().size());
            for (UUID o : owners("").values()) {
                assertEquals(A, o);
            }
            // the lock that makes it live, on its own session: granted, with the runner's lock key
            String key = one("SELECT lock_key::text FROM cluster_runners WHERE id = ?", A);
            assertEquals("t", one("SELECT bool_or(l.granted) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid "
                    + "WHERE l.locktype = 'advisory' AND l.classid::bigint = 2002874990 AND l.objid::bigint = ?::bigint "
                    + "AND l.objsubid = 2 AND s.application_name = ?", key, "ward-runner on host-a, pid 1"));
            // between its statements the session runs no transaction: it holds back no vacuum
            await("a's session is idle", () -> {
                try {
                    return "idle".equals(one("SELECT state FROM pg_stat_activity WHERE application_name = ?",
                            "ward-runner on host-a, pid 1"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 5; i++) {
                assertNull(one("SELECT coalesce(backend_xmin::text, backend_xid::text) FROM pg_stat_activity "
                        + "WHERE application_name = ? AND state = 'idle'", "ward-runner on host-a, pid 1"));
                Thread.sleep(100);
            }
            await("the view shows the map", () -> a.view().shards().size() == 256 && a.view().runners().size() == 1);
            ClusterView v = a.view();
            assertEquals(A, v.self());
            assertFalse(v.fenced());
            assertEquals(256, v.owned().size());
            assertEquals(Set.of(), v.zonesWithoutRunner());
            ClusterView.Runner me = v.runners().get(0);
            assertEquals("ward-runner on host-a, pid 1", me.name());
            assertEquals("http://127.0.0.1:8080", me.address());
            assertTrue(me.live());
            assertEquals(256, me.shards());
            assertEquals(256.0, registry.get("ward.cluster.shards.owned").gauge().value());
            assertEquals(1.0, registry.get("ward.cluster.runners.live").gauge().value());
            assertEquals(256.0, registry.get("ward.cluster.shards.moves").tag("direction", "gained").counter().count());
        }
        assertEquals(256, ra.events.stream().filter(e -> e.startsWith("lost")).count(), "close drops every shard");
        for (UUID o : owners("").values()) {
            assertNull(o, "close releases every shard");
        }
        for (long e : epochs("").values()) {
            assertEquals(2, e, "taken (1) then released (2)");
        }
        await("close ends the session", () -> {
            try {
                return one("SELECT pid::text FROM pg_stat_activity WHERE application_name = ?", "ward-runner on host-a, pid 1") == null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void membersConvergeOnRendezvousAndMoveOnlyWhatTheyMust() throws Exception {
        Recorder ra = new Recorder("a");
        Recorder rb = new Recorder("b");
        Recorder rc = new Recorder("c");
        Recorder rd = new Recorder("d");
        try (ClusterMember a = join("member a", A, ra); ClusterMember b = join("member b", B, rb);
             ClusterMember c = join("member c", C, rc)) {
            Map<UUID, Set<Integer>> three = expected(A, B, C);
            await("three members converge on rendezvous", () -> ra.shards("").equals(three.get(A))
                    && rb.shards("").equals(three.get(B)) && rc.shards("").equals(three.get(C)));
            for (Set<Integer> s : three.values()) {
                assertTrue(Math.abs(s.size() - 256 / 3.0) <= 0.25 * 256 / 3.0, "unfair split: " + s.size());
            }
            // the database agrees with what each member holds, at the same epochs
            Map<Integer, UUID> map = owners("");
            Map<Integer, Long> ep = epochs("");
            for (Map.Entry<Integer, UUID> e : map.entrySet()) {
                Recorder r = e.getValue().equals(A) ? ra : e.getValue().equals(B) ? rb : rc;
                assertEquals(ep.get(e.getKey()), r.owned.get(new ShardKey("", e.getKey())));
            }
            // a fourth joins: only the shards rendezvous gives it move, and only to it
            int[] before = {ra.events.size(), rb.events.size(), rc.events.size()};
            Map<UUID, Set<Integer>> four = expected(A, B, C, D);
            try (ClusterMember d = join("member d", D, rd)) {
                await("the fourth gets its share", () -> rd.shards("").equals(four.get(D))
                        && ra.shards("").equals(four.get(A)) && rb.shards("").equals(four.get(B))
                        && rc.shards("").equals(four.get(C)));
                List<String> moved = new ArrayList<>();
                moved.addAll(ra.events.subList(before[0], ra.events.size()));
                moved.addAll(rb.events.subList(before[1], rb.events.size()));
                moved.addAll(rc.events.subList(before[2], rc.events.size()));
                for (String m : moved) {
                    assertTrue(m.startsWith("lost "), "an old member gained something when d joined: " + m);
                    int shard = Integer.parseInt(m.substring(m.indexOf('/') + 1));
                    assertTrue(four.get(D).contains(shard), "shard " + shard + " moved but is not d's");
                }
                assertEquals(four.get(D).size(), moved.size());
                Map<Integer, Long> ep4 = epochs("");
                for (int s : four.get(D)) {
                    assertEquals(ep.get(s) + 2, ep4.get(s), "released (+1) then taken (+1): shard " + s);
                }
                // closing one hands its shards over, and only its shards
                Set<Integer> bs = new TreeSet<>(rb.shards(""));
                int[] mark = {ra.events.size(), rc.events.size(), rd.events.size()};
                b.close();
                assertTrue(b.fenced());
                assertTrue(rb.owned.isEmpty());
                Map<UUID, Set<Integer>> without = expected(A, C, D);
                await("b's shards are taken over", () -> ra.shards("").equals(without.get(A))
                        && rc.shards("").equals(without.get(C)) && rd.shards("").equals(without.get(D)));
                List<String> after = new ArrayList<>();
                after.addAll(ra.events.subList(mark[0], ra.events.size()));
                after.addAll(rc.events.subList(mark[1], rc.events.size()));
                after.addAll(rd.events.subList(mark[2], rd.events.size()));
                for (String m : after) {
                    assertTrue(m.startsWith("gained "), m);
                    assertTrue(bs.contains(Integer.parseInt(m.substring(m.indexOf('/') + 1))), m);
                }
                assertEquals(bs.size(), after.size());
                assertEquals("f", one("SELECT count(*) > 0 FROM cluster_shards WHERE owner = ?", B));
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void aKilledSessionIsTakenOverAndItsMemberFencesItselfThenRejoins() throws Exception {
        checkOverlap = false; // the killed member learns it at its next tick: checked separately below
        Recorder ra = new Recorder("a");
        Recorder rb = new Recorder("b");
        Recorder rc = new Recorder("c");
        java.util.concurrent.atomic.AtomicBoolean bCut = new java.util.concurrent.atomic.AtomicBoolean();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClusterMember.Connector bConnector = () -> {
            if (bCut.get()) {
                throw new SQLException("Connection to 127.0.0.1 refused", "08001");
            }
            return connect();
        };
        try (ClusterMember a = join("member a", A, ra);
             ClusterMember b = ClusterMember.join(bConnector, options("member b", B).meterRegistry(registry).build(), rb);
             ClusterMember c = join("member c", C, rc)) {
            Map<UUID, Set<Integer>> three = expected(A, B, C);
            await("three members converge", () -> ra.shards("").equals(three.get(A))
                    && rb.shards("").equals(three.get(B)) && rc.shards("").equals(three.get(C)));
            Set<Integer> bs = new TreeSet<>(rb.shards(""));
            int mark = rb.events.size();
            int since = timeline.size();
            // b's session ends at the server (a network cut, a killed backend) and b cannot reconnect yet
            bCut.set(true);
            assertEquals("t", one("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                    "member b"));
            await("b fences itself", () -> b.fencedEpisodes() == 1 && b.fenced());
            assertTrue(rb.owned.isEmpty());
            assertTrue(b.leases().isEmpty());
            assertTrue(b.view().fenced());
            List<String> bEvents = new ArrayList<>(rb.events.subList(mark, rb.events.size()));
            assertEquals(bs.size(), bEvents.size());
            assertTrue(bEvents.stream().allMatch(e -> e.startsWith("lost ")), "b loses all its shards: " + bEvents);
            Map<UUID, Set<Integer>> two = expected(A, C);
            await("a and c take b's shards", () -> ra.shards("").equals(two.get(A)) && rc.shards("").equals(two.get(C)));
            for (UUID o : owners("").values()) {
                assertTrue(A.equals(o) || C.equals(o), "owner " + o);
            }
            // b stopped before anyone else took its shards (the take-over grace): every loss of
            // b comes before every gain of one of b's shards by a or c
            List<String> after;
            synchronized (timeline) {
                after = new ArrayList<>(timeline.subList(since, timeline.size()));
            }
            int lastLoss = -1;
            int firstGain = Integer.MAX_VALUE;
            for (int i = 0; i < after.size(); i++) {
                String t = after.get(i);
                if (t.startsWith("b lost ")) {
                    lastLoss = i;
                } else if (t.contains(" gained ") && bs.contains(Integer.parseInt(t.substring(t.indexOf('/') + 1)))) {
                    firstGain = Math.min(firstGain, i);
                }
            }
            assertTrue(lastLoss >= 0 && lastLoss < firstGain && firstGain < Integer.MAX_VALUE, after.toString());
            // b reaches the database again: it rejoins on a new session and gets its share back
            bCut.set(false);
            await("b rejoins and the map is as before", () -> !b.fenced() && ra.shards("").equals(three.get(A))
                    && rb.shards("").equals(three.get(B)) && rc.shards("").equals(three.get(C)));
            assertEquals(1, b.fencedEpisodes());
            assertEquals(1.0, registry.get("ward.cluster.fenced").counter().count());
            assertTrue(registry.get("ward.cluster.shards.moves").tag("direction", "lost").counter().count() >= bs.size());
            assertEquals((double) rb.owned.size(), registry.get("ward.cluster.shards.owned").gauge().value());
            // every move raised the shard's epoch
            assertTrue(violations.isEmpty(), violations.toString());
            assertEquals("1", one("SELECT count(*)::text FROM pg_stat_activity WHERE application_name = ?", "member b"),
                    "one session for the member, never two");
        }
    }

    @Test
    void aZonesShardsGoOnlyToItsMembersAndAZoneWithoutMembersIsShown() throws Exception {
        Recorder rw = new Recorder("west");
        Recorder re = new Recorder("east");
        Recorder rn = new Recorder("none");
        try (ClusterMember w = ClusterMember.join(ClusterMemberIT::connect, options("member west", A).zone("west").build(), rw);
             ClusterMember e = ClusterMember.join(ClusterMemberIT::connect, options("member east", B).zone("east").build(), re);
             ClusterMember n = join("member none", C, rn)) {
            // zone-less shards: rendezvous over all three, whatever their zones
            Map<UUID, Set<Integer>> all = expected(A, B, C);
            await("zones are split", () -> rw.shards("west").size() == 256 && re.shards("east").size() == 256
                    && rw.shards("").equals(all.get(A)) && re.shards("").equals(all.get(B))
                    && rn.shards("").equals(all.get(C)));
            assertTrue(rn.shards("west").isEmpty() && rn.shards("east").isEmpty());
            assertTrue(rw.shards("east").isEmpty());
            assertTrue(re.shards("west").isEmpty());
            assertFalse(rn.shards("").isEmpty(), "zone-less shards go to every runner");
            assertFalse(rw.shards("").isEmpty(), "zone-less shards go to zoned runners too");
            // east's only runner stops: east's shards stay unowned, and the view says so
            e.close();
            await("the view shows east without a runner", () -> n.view().zonesWithoutRunner().equals(Set.of("east"))
                    && w.view().zonesWithoutRunner().equals(Set.of("east")));
            for (UUID o : owners("east").values()) {
                assertNull(o, "nobody else may take a zone's shards");
            }
            Map<UUID, Set<Integer>> two = expected(A, C);
            await("zone-less shards are re-split", () -> rw.shards("").equals(two.get(A)) && rn.shards("").equals(two.get(C)));
            assertTrue(rn.shards("east").isEmpty());
            assertTrue(rw.shards("east").isEmpty());
            long unowned = n.view().shards().stream().filter(s -> s.key().zone().equals("east") && !s.ownerLive()).count();
            assertEquals(256, unowned);
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void theFenceBlocksATakeOverUntilTheWriterCommitsAndRefusesAStaleEpoch() throws Exception {
        Recorder ra = new Recorder("a");
        try (ClusterMember a = join("member a", A, ra)) {
            await("a owns everything", () -> ra.owned.size() == 256);
            ShardKey five = new ShardKey("", 5);
            ShardLease lease = new ShardLease(five, ra.owned.get(five));
            ShardLease stale = new ShardLease(new ShardKey("", 6), ra.owned.get(new ShardKey("", 6)) - 1);
            Fence fence = a.fence();
            try (Connection w = connect()) {
                assertThrows(IllegalArgumentException.class, () -> fence.holding(w, List.of(lease)),
                        "auto-commit: the lock would not last until the writes");
                w.setAutoCommit(false);
                assertEquals(Set.of(lease), fence.holding(w, List.of(lease, stale)), "the stale epoch is refused");
                // another runner's take-over of shard 5 waits for the writer's commit
                CompletableFuture<Integer> takeOver = CompletableFuture.supplyAsync(() -> {
                    try (Connection t = connect(); Statement st = t.createStatement()) {
                        st.execute("SET application_name = 'taker'");
                        return st.executeUpdate("UPDATE cluster_shards SET owner = gen_random_uuid(), epoch = epoch + 1, "
                                + "since = now() WHERE zone = '' AND shard = 5");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await("the take-over waits for the writer's lock", () -> {
                    try {
                        return "Lock".equals(one("SELECT wait_event_type FROM pg_stat_activity WHERE application_name = 'taker'"));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertFalse(takeOver.isDone());
                w.commit();
                assertEquals(1, takeOver.get(10, TimeUnit.SECONDS));
                // the writer's next batch, decided under the old epoch, is refused
                assertEquals(Set.of(), fence.holding(w, List.of(lease)));
                w.rollback();
            }
            // a learns that shard 5 went elsewhere (to a runner that is not live) and takes it back
            await("a loses then re-gains shard 5 at a higher epoch", () -> ra.owned.getOrDefault(five, 0L) > lease.epoch() + 1);
            assertTrue(ra.events.contains("lost " + five));
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void malformedRowsAndDeadRunnersAreHandled() throws Exception {
        // a shard owned by an id that is no runner, and a dead runner row two days old
        exec("UPDATE cluster_shards SET owner = '00000000-0000-0000-0000-0000000000ff', epoch = 7 WHERE zone = '' AND shard = 9");
        exec("INSERT INTO cluster_runners (id, name, lock_key, started_at, heartbeat_at) VALUES "
                + "('00000000-0000-0000-0000-0000000000fe', 'gone', 2000000000, now() - interval '3 days', now() - interval '2 days')");
        // a shard number out of range (the CHECK dropped by hand)
        exec("ALTER TABLE cluster_shards DROP CONSTRAINT cluster_shards_shard_check");
        try {
            exec("INSERT INTO cluster_shards (zone, shard) VALUES ('', 300)");
            Recorder ra = new Recorder("a");
            try (ClusterMember a = join("member a", A, ra)) {
                await("a owns the 256 valid shards", () -> ra.owned.size() == 256);
                assertEquals(8L, ra.owned.get(new ShardKey("", 9)), "taken over from the owner that is no runner");
                await("the dead row is deleted", () -> {
                    try {
                        return one("SELECT name FROM cluster_runners WHERE id = '00000000-0000-0000-0000-0000000000fe'") == null;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertFalse(a.fenced());
                assertEquals(256, a.view().shards().size(), "the malformed row is left out of the view");
                assertNull(one("SELECT owner::text FROM cluster_shards WHERE shard = 300"), "and left alone");
            }
        } finally {
            exec("DELETE FROM cluster_shards WHERE shard NOT BETWEEN 0 AND 255");
            exec("ALTER TABLE cluster_shards ADD CONSTRAINT cluster_shards_shard_check CHECK (shard BETWEEN 0 AND 255)");
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void aRestartWithTheSameIdWaitsForItsOldSessionAndNeverRunsTwoSessions() throws Exception {
        Recorder r1 = new Recorder("first");
        Recorder r2 = new Recorder("second");
        checkOverlap = false;
        try (ClusterMember first = join("member first", A, r1)) {
            await("first owns everything", () -> r1.owned.size() == 256);
            // a second process with the same id (a restart while the old session still lives)
            try (ClusterMember second = join("member second", A, r2)) {
                // for 5 ticks it must not join while the first's session holds the lock
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
                while (System.nanoTime() - until < 0) {
                    assertTrue(second.fenced(), "the same id cannot join while its old session holds the lock");
                    Thread.sleep(20);
                }
                assertTrue(r2.owned.isEmpty());
                first.close();
                await("the restarted member joins once the old session is gone", () -> !second.fenced()
                        && r2.owned.size() == 256);
            }
        }
        assertNotNull(one("SELECT lock_key::text FROM cluster_runners WHERE id = ?", A));
    }

    @Test
    void aHandoverWaitsForTheWriterThatHoldsTheShard() throws Exception {
        Recorder ra = new Recorder("a");
        Recorder rb = new Recorder("b");
        try (ClusterMember a = join("member a", A, ra)) {
            await("a owns everything", () -> ra.owned.size() == 256);
            // a shard that rendezvous will give to b, and a writer of a in the middle of a batch for it
            int x = expected(A, B).get(B).iterator().next();
            ShardLease lease = new ShardLease(new ShardKey("", x), ra.owned.get(new ShardKey("", x)));
            try (Connection w = connect()) {
                w.setAutoCommit(false);
                assertEquals(Set.of(lease), a.fence().holding(w, List.of(lease)));
                try (ClusterMember b = join("member b", B, rb)) {
                    Set<Integer> others = new TreeSet<>(expected(A, B).get(B));
                    others.remove(x);
                    await("b gets its other shards", () -> rb.shards("").equals(others));
                    // a has stopped using x (lost), but the row stays a's at the writer's epoch
                    // while the writer holds it: nobody can take it before the writer commits
                    assertFalse(ra.owned.containsKey(new ShardKey("", x)));
                    assertEquals(A, owners("").get(x));
                    assertEquals(lease.epoch(), epochs("").get(x));
                    assertEquals(Set.of(lease), a.fence().holding(w, List.of(lease)), "still valid inside the writer's transaction");
                    w.commit();
                    await("b gets x once the writer committed", () -> rb.shards("").equals(expected(A, B).get(B)));
                    assertEquals(lease.epoch() + 2, epochs("").get(x));
                    assertEquals(Set.of(), a.fence().holding(w, List.of(lease)), "a's next batch for x is refused");
                    w.rollback();
                }
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void aDatabaseThatDoesNotAnswerAtJoinIsJoinedLater() throws Exception {
        Recorder ra = new Recorder("a");
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        ClusterMember.Connector connector = () -> {
            if (!up.get()) {
                throw new SQLException("Connection to 127.0.0.1 refused", "08001");
            }
            return connect();
        };
        try (ClusterMember a = ClusterMember.join(connector, options("member a", A).build(), ra)) {
            assertTrue(a.fenced(), "not joined: owns nothing");
            assertTrue(a.leases().isEmpty());
            assertTrue(a.view().fenced());
            assertEquals(0, a.fencedEpisodes(), "not joining yet is no fencing episode");
            up.set(true);
            await("a joins once the database answers", () -> !a.fenced() && ra.owned.size() == 256);
            assertEquals(0, a.fencedEpisodes());
        }
    }
}
