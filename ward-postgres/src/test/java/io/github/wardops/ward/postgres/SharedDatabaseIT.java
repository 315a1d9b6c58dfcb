package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.cluster.ClusterMember;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.ShardListener;
import io.github.wardops.ward.postgres.cluster.Shards;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances on one database. The write fence, through the public API: the state and alert
 * write-behind of a {@link PostgresStorage} fenced by a {@link ClusterMember} writes the rows of
 * devices whose shard the member holds at the epoch in the database, refuses (and counts) the rows
 * of a shard taken over behind its back, and always writes devices outside the sharded fleet. And
 * the fleet-wide jobs (partitions, roll-ups) run on one instance at a time.
 */
class SharedDatabaseIT {
    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    static Path dir;
    static EmbeddedDatabase db;

    @BeforeAll
    static void start() {
        db = PgSupport.startDatabase(dir.resolve("pg"));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Connection connect() throws SQLException {
        return PgSupport.connect(db);
    }

    private static ShardKey key(DeviceId d) {
        return new ShardKey("", Shards.of(d.value()));
    }

    private static Alert alert(DeviceId d) {
        return new Alert(UUID.randomUUID(), d, d.toString(), 0, "Device Down", Severity.CRITICAL, "down", T0,
                T0.plusSeconds(60), null, null, null, null, 0);
    }

    private static DeviceState down(DeviceId d) {
        return new DeviceState(StateKey.of(d), DeviceStatus.DOWN, T0, false, 0, 4, 0, T0.plusSeconds(90));
    }

    /** Two devices in different shards. */
    private static DeviceId[] twoShards() {
        DeviceId a = DeviceId.fromKey("fenced-a");
        for (int i = 0; ; i++) {
            DeviceId b = DeviceId.fromKey("fenced-b-" + i);
            if (Shards.of(b.value()) != Shards.of(a.value())) {
                return new DeviceId[] {a, b};
            }
        }
    }

    @Test
    void aShardTakenOverBehindTheWritersBackIsNotWrittenAndTheOthersAre() throws Exception {
        PgSupport.reset(db);
        PgSupport.exec(db, "DELETE FROM cluster_runners");
        PgSupport.exec(db, "UPDATE cluster_shards SET owner = NULL, epoch = 0, since = NULL");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeviceId[] d = twoShards();
        DeviceId mine = d[0];
        DeviceId taken = d[1];
        DeviceId outside = DeviceId.fromKey("ward-self");
        AtomicReference<ClusterMember> self = new AtomicReference<>();
        List<String> heldWhileLost = Collections.synchronizedList(new ArrayList<>());
        ShardListener listener = new ShardListener() {
            @Override
            public void gained(ShardKey shard, long epoch) {
            }

            @Override
            public void lost(ShardKey shard) {
                ClusterMember m = self.get();
                if (m != null && m.leases().stream().anyMatch(l -> l.key().equals(shard))) {
                    heldWhileLost.add(shard.toString());
                }
            }
        };
        // a slow tick: the take-over below is made behind the member's back, between two of its ticks
        ClusterOptions options = ClusterOptions.builder().name("fenced-writes-it").build();
        try (PostgresStorage storage = PostgresStorage.open(PgSupport.options(db, dir.resolve("spool"), registry).build());
             ClusterMember member = ClusterMember.join(SharedDatabaseIT::connect, options, listener)) {
            self.set(member);
            PgSupport.await("all 256 shards", Duration.ofSeconds(30), () -> member.leases().size() == Shards.SHARDS);
            storage.fenceWrites(member.writeFence(id -> id.equals(outside) ? null : key(id)));

            // held: written
            storage.stateStore().save(down(mine));
            storage.alertStore().opened(alert(mine));
            storage.flushStateWrites();
            assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM device_state WHERE device_id = '" + mine.value() + "'"));
            assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE device_id = '" + mine.value() + "'"));

            // another runner took the shard of `taken` (owner and epoch moved in the database)
            PgSupport.exec(db, "UPDATE cluster_shards SET owner = '" + UUID.randomUUID() + "', epoch = epoch + 1 "
                    + "WHERE zone = '' AND shard = " + Shards.of(taken.value()));
            storage.stateStore().save(down(taken));
            storage.alertStore().opened(alert(taken));
            storage.stateStore().save(down(mine));
            storage.alertStore().opened(alert(outside));
            storage.flushStateWrites();
            assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM device_state WHERE device_id = '" + taken.value() + "'"),
                    "a stale owner's state write must be refused in its own transaction");
            assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE device_id = '" + taken.value() + "'"),
                    "a stale owner's alert write must be refused in its own transaction");
            assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM alerts WHERE device_id = '" + outside.value() + "'"),
                    "a device outside the sharded fleet is always written");
            assertEquals(1.0, registry.get("ward.storage.rows.fenced").tag("kind", "state").counter().count());
            assertEquals(1.0, registry.get("ward.storage.rows.fenced").tag("kind", "alert").counter().count());
            assertEquals(0.0, registry.get("ward.storage.rows.fenced").tag("kind", "history").counter().count());
        }
        // on close, lost() ran while the member still held each shard: its last writes could go out
        assertTrue(heldWhileLost.size() >= Shards.SHARDS - 1, "shards held during lost(): " + heldWhileLost.size());
    }

    @Test
    void aFleetJobHeldByAnotherInstanceIsSkippedAndRunsWhenItIsFree() throws Exception {
        PgSupport.reset(db);
        PgSupport.exec(db, "UPDATE rollup_progress SET rolled_to = NULL");
        String tomorrow = io.github.wardops.ward.postgres.internal.db.Partitions.name("ping_results",
                io.github.wardops.ward.postgres.internal.db.Partitions.day(Instant.now()).plusDays(1));
        PgSupport.exec(db, "DROP TABLE IF EXISTS " + tomorrow);
        String lock = PostgresStorage.JOBS_LOCK_CLASS + ", ";
        try (Connection other = connect()) {
            try (var st = other.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + lock + PostgresStorage.JOB_ROLLUPS + "), pg_advisory_lock(" + lock
                        + PostgresStorage.JOB_PARTITIONS + ")");
            }
            try (PostgresStorage storage = PostgresStorage.open(PgSupport.options(db, dir.resolve("spool-jobs"),
                    new SimpleMeterRegistry()).build())) {
                RetentionReport skipped = storage.runMaintenance();
                assertEquals(0, skipped.rolledUpHours(), "another instance holds the roll-ups");
                assertTrue(skipped.created().isEmpty(), "another instance holds the partitions: " + skipped.created());
                assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM pg_class WHERE relname = '" + tomorrow + "'"));
                assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM rollup_progress WHERE rolled_to IS NOT NULL"));
                try (var st = other.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock_all()");
                }
                RetentionReport ran = storage.runMaintenance();
                assertTrue(ran.rolledUpHours() > 0, "free again: the roll-ups run");
                assertTrue(ran.created().contains(tomorrow), "free again: the missing partition is made: " + ran.created());
            }
        }
    }
}
