package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.testkit.contract.ResultSinkContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The shipped PostgreSQL result sink keeps the {@link ResultSinkContract} that every sink keeps,
 * in both write modes, reading back what it stored from {@code ping_results}.
 */
class PostgresResultSinkContractIT {
    private static EmbeddedDatabase db;
    private static Path dbDir;

    @BeforeAll
    static void startDatabase() {
        dbDir = PgSupport.tempDir("ward-pg-contract");
        db = PgSupport.startDatabase(dbDir);
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    abstract static class Contract extends ResultSinkContract {
        private PostgresStorage storage;
        private Path spool;

        abstract WriteMode mode();

        @Override
        protected ResultSink createSink() throws Exception {
            PgSupport.reset(db);
            spool = Files.createTempDirectory("ward-contract-spool");
            // the contract's samples are stamped early in 2026: keep them (the default retention would
            // skip them as expired, which PostgresSinkIT covers)
            storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).writeMode(mode())
                    .retention("ping_results", Duration.ofDays(3_650)).build());
            return storage.resultSink();
        }

        @Override
        protected List<ProbeResult> stored() throws Exception {
            // the contract compares device, check, time and kind; the row holds all four
            List<ProbeResult> out = new ArrayList<>();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT device_id, check_name, at, status, sent, received, "
                         + "rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_mdev_ms FROM ping_results")) {
                while (rs.next()) {
                    DeviceId id = new DeviceId(rs.getObject(1, UUID.class));
                    String check = rs.getString(2);
                    var at = rs.getObject(3, java.time.OffsetDateTime.class).toInstant();
                    PingStats stats = new PingStats(rs.getInt(5), rs.getInt(6), ms(rs, 7), ms(rs, 8), ms(rs, 9), ms(rs, 10));
                    out.add(switch (rs.getString(4)) {
                        case "UP" -> new ProbeResult.Up(id, check, "icmp", at, stats.rttAvg(), stats);
                        case "DOWN" -> new ProbeResult.Down(id, check, "icmp", at, DownReason.TIMEOUT, "", stats);
                        case "UNKNOWN" -> new ProbeResult.Unknown(id, check, "icmp", at, "");
                        default -> throw new AssertionError("status " + rs.getString(4));
                    });
                }
            }
            return out;
        }

        private static Duration ms(ResultSet rs, int col) throws java.sql.SQLException {
            double v = rs.getDouble(col);
            return rs.wasNull() ? null : Duration.ofNanos(Math.round(v * 1_000_000.0));
        }

        @AfterEach
        void closeStorage() throws Exception {
            storage.close();
            try (var files = Files.walk(spool)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Nested
    class Copy extends Contract {
        @Override
        WriteMode mode() {
            return WriteMode.COPY;
        }
    }

    @Nested
    class Insert extends Contract {
        @Override
        WriteMode mode() {
            return WriteMode.INSERT;
        }
    }
}
