package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PostgresSinkIT {
    private static EmbeddedDatabase db;
    private static Path dbDir;

    @BeforeAll
    static void startDatabase() {
        dbDir = PgSupport.tempDir("ward-pg-sink");
        db = PgSupport.startDatabase(dbDir);
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        PgSupport.reset(db);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void storesEveryResultOnceWithItsContent(WriteMode mode, @TempDir Path spool) throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        List<ProbeResult> results = PgSupport.results(Instant.now(), 2_500);
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).writeMode(mode).build())) {
            ResultSink sink = s.resultSink();
            for (int i = 0; i < results.size(); i += 1_000) {
                sink.write(results.subList(i, Math.min(results.size(), i + 1_000)));
            }
            // a replayed batch (the engine retrying, a spool replayed twice) adds nothing
            sink.write(results.subList(0, 1_000));
            assertEquals(StoredRows.expected(results), StoredRows.stored(db));
            assertEquals(0.0, reg.get("ward.storage.spool.bytes").gauge().value());
            assertEquals(4.0, reg.get("ward.storage.batches").tag("outcome", "written").counter().count());
            assertEquals(2_800, reg.get("ward.storage.rows.written").tag("table", "ping_results").counter().count());
            assertTrue(reg.get("ward.storage.write").timer().count() >= 4);
        }
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void aRowTheDatabaseRefusesIsCountedAndTheRestOfItsBatchStored(WriteMode mode, @TempDir Path spool) throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        List<ProbeResult> good = PgSupport.results(Instant.now(), 20);
        List<ProbeResult> batch = new ArrayList<>(good);
        // PostgreSQL text cannot hold NUL: the database refuses this row
        batch.add(10, new ProbeResult.Up(DeviceId.fromKey("bad"), "icmp\u0000", "icmp", Instant.now(),
                Duration.ofMillis(1), PingStats.of(1, new long[] {1_000_000}, 1)));
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).writeMode(mode).build())) {
            s.resultSink().write(batch);
            assertEquals(StoredRows.expected(good), StoredRows.stored(db));
            assertEquals(1.0, reg.get("ward.storage.rows.rejected").tag("reason", "invalid").counter().count());
            assertEquals(0, s.spooledRows(), "a bad row is not retried forever");
        }
    }

    @Test
    void opensWhileTheDatabaseIsDownAndFillsTheSpoolPastItsCapCountingTheDrop(@TempDir Path spool) throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        PostgresOptions o = PostgresOptions.builder()
                .jdbc("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", null)
                .spoolDirectory(spool)
                .spoolMaxBytes(65_536)
                .spoolSegmentBytes(8_192)
                .connectionTimeout(Duration.ofMillis(250))
                .retryInterval(Duration.ofMinutes(5))
                .meterRegistry(reg)
                .build();
        long produced = 0;
        try (PostgresStorage s = PostgresStorage.open(o)) {
            Instant t = Instant.now();
            for (int b = 0; b < 60; b++) {
                List<ProbeResult> batch = PgSupport.results(t.plusSeconds(b), 50);
                s.resultSink().write(batch);
                produced += batch.size();
            }
            double dropped = reg.get("ward.storage.spool.dropped").tag("reason", "bytes").counter().count();
            assertTrue(dropped > 0, "the byte cap was hit and the loss counted");
            assertEquals(produced, s.spooledRows() + (long) dropped, "every result is spooled or counted as dropped");
            assertTrue(reg.get("ward.storage.spool.bytes").gauge().value() <= 65_536);
            assertTrue(reg.get("ward.storage.spool.oldest.age").gauge().value() >= 0);
            assertEquals(60.0, reg.get("ward.storage.batches").tag("outcome", "spooled").counter().count());
        }
    }

    @Test
    void aDamagedSpoolLeftByAnEarlierRunLosesOnlyTheDamagedRecord(@TempDir Path spool) throws Exception {
        Instant t = Instant.now();
        List<ProbeResult> first = PgSupport.results(t, 30);
        List<ProbeResult> second = PgSupport.results(t.plusSeconds(1), 30);
        List<ProbeResult> third = PgSupport.results(t.plusSeconds(2), 30);
        try (var s = new io.github.wardops.ward.postgres.internal.spool.Spool(spool, 1 << 20, Duration.ofHours(1),
                1 << 20, java.time.InstantSource.system(), new io.github.wardops.ward.postgres.internal.spool.Spool.Listener() {
                    @Override
                    public void dropped(long rows, String reason) {
                    }

                    @Override
                    public void corrupt(String message) {
                    }
                })) {
            s.append(first);
            s.append(second);
            s.append(third);
        }
        Path seg;
        try (var files = java.nio.file.Files.list(spool)) {
            seg = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(seg);
        int secondAt = 24 + java.nio.ByteBuffer.wrap(bytes).getInt(4);
        bytes[secondAt + 40] ^= 0x20;
        java.nio.file.Files.write(seg, bytes);

        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).build())) {
            PgSupport.await("the spool replayed", Duration.ofSeconds(20), () -> {
                s.drainSpool();
                return s.spooledRows() == 0;
            });
            List<ProbeResult> expected = new ArrayList<>(first);
            expected.addAll(third);
            assertEquals(StoredRows.expected(expected), StoredRows.stored(db));
            assertEquals(1.0, reg.get("ward.storage.spool.corrupt").counter().count());
            assertEquals(60.0, reg.get("ward.storage.spool.replayed").counter().count());
        }
        assertTrue(java.nio.file.Files.exists(seg.resolveSibling(seg.getFileName() + ".corrupt")));
    }

    @Test
    void retentionDropsOldPartitionsAndCreatesThemAhead(@TempDir Path spool) throws Exception {
        Instant start = Instant.parse("2026-03-01T12:00:00Z");
        ManualClock clock = new ManualClock(start);
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        PostgresOptions o = PgSupport.options(db, spool, reg).clock(clock)
                .retention("ping_results", Duration.ofDays(7))
                .maintenanceInterval(Duration.ofDays(1))
                .partitionsAhead(2)
                .build();
        try (PostgresStorage s = PostgresStorage.open(o)) {
            s.runMaintenance(); // the maintenance thread may have run already: either way, today + 2 days exist
            for (String t : PostgresOptions.RETAINED_TABLES) {
                assertEquals(3, PgSupport.count(db, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname IN ('"
                        + t + "_p20260301', '" + t + "_p20260302', '" + t + "_p20260303')"), t);
            }
            s.resultSink().write(PgSupport.results(start, 100));
            long pings = PgSupport.count(db, "SELECT count(*) FROM ping_results");
            long values = PgSupport.count(db, "SELECT count(*) FROM snmp_values");
            assertTrue(pings > 0 && values > 0);

            clock.set(start.plus(Duration.ofDays(8)));
            RetentionReport r = s.runMaintenance();
            assertEquals(List.of("ping_results_p20260301"), r.dropped().stream().filter(n -> n.startsWith("ping_results_p20260301")).toList());
            assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM ping_results"), "old rows went with their partition");
            assertEquals(values, PgSupport.count(db, "SELECT count(*) FROM snmp_values"), "snmp_values keeps 30 days");
            assertTrue(r.created().contains("ping_results_p20260311"), r.created().toString());

            // late ICMP results (8 of 10) for a day past ping retention are skipped and counted, not an error
            s.resultSink().write(PgSupport.results(start, 10));
            assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM ping_results"));
            assertEquals(8.0, reg.get("ward.storage.rows.rejected").tag("reason", "out_of_range").counter().count());
        }
    }
}
