package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Test helpers: one embedded PostgreSQL per test class, a raw connection to it, results to write,
 * polling. Public for the tests of the other packages (the cluster's).
 */
public final class PgSupport {
    private PgSupport() {
    }

    static EmbeddedDatabase startDatabase(Path dir) {
        return EmbeddedDatabase.start(dir, 0);
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A raw connection of the test's own to the embedded database, as its superuser: unpooled
     * (through {@link EmbeddedDatabase#dataSource()}), so the test can hold it, end its session or
     * hand it to a cluster member as its connection. The caller closes it.
     *
     * @param db the database
     * @return a new connection
     * @throws SQLException when it cannot connect
     */
    public static Connection connect(EmbeddedDatabase db) throws SQLException {
        return db.dataSource().getConnection();
    }

    /** Empties every table and drops every partition, so each test starts clean. */
    static void reset(EmbeddedDatabase db) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("TRUNCATE devices, snmp_credentials, device_state, state_changes, alerts, alert_silences, alert_pending, interfaces, "
                    + "silences, notification_log, traps, "
                    + "device_hourly, device_daily, interface_hourly, interface_daily, device_outage_daily, "
                    + "ping_results, interface_samples, snmp_values CASCADE");
            List<String> parts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r'")) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
            for (String p : parts) {
                st.execute("DROP TABLE " + p);
            }
        }
    }

    static long count(EmbeddedDatabase db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static PostgresOptions.Builder options(EmbeddedDatabase db, Path spool, MeterRegistry registry) {
        return PostgresOptions.builder()
                .jdbc(db.jdbcUrl(), db.user(), db.password())
                .spoolDirectory(spool)
                .retryInterval(Duration.ofMillis(100))
                .connectionTimeout(Duration.ofMillis(500))
                .meterRegistry(registry);
    }

    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Results of every kind: ICMP up/down/unknown and TCP up/down. */
    static List<ProbeResult> results(Instant start, int n) {
        List<ProbeResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DeviceId d = DeviceId.fromKey("device-" + (i % 50));
            Instant at = start.plusNanos(1_000L * i + 123);
            out.add(switch (i % 5) {
                case 0, 1 -> new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofNanos(50_000 + i),
                        PingStats.of(3, new long[] {40_123, 50_000 + i, 61_001}, 3));
                case 2 -> new ProbeResult.Down(d, "icmp", "icmp", at, DownReason.TIMEOUT, "",
                        new PingStats(3, 0, null, null, null, null));
                case 3 -> new ProbeResult.Up(d, "tcp:22", "tcp", at, Duration.ofMillis(1),
                        new TcpConnect(22, Duration.ofNanos(1_000L * (1_500 + i))));
                default -> new ProbeResult.Unknown(d, "icmp", "icmp", at, "socket error");
            });
        }
        return out;
    }

    /** A state change to write, in insertion order (its id's order); {@code from == to} is a flapping row. */
    record Change(java.util.UUID device, Instant at, String from, String to) {
    }

    /** Runs one SQL statement on its own connection. */
    static void exec(EmbeddedDatabase db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Writes UP ping rows (one echo, answered), each {@code {UUID device, Instant at}}, in one batch. */
    static void insertPings(EmbeddedDatabase db, List<Object[]> pings) throws SQLException {
        try (Connection c = connect(db); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ping_results (device_id, check_name, at, status, sent, received) VALUES (?, 'icmp', ?, 'UP', 1, 1)")) {
            for (Object[] p : pings) {
                ps.setObject(1, p[0]);
                ps.setTimestamp(2, java.sql.Timestamp.from((Instant) p[1]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Writes device state changes in their order, in one batch. */
    static void insertChanges(EmbeddedDatabase db, List<Change> changes) throws SQLException {
        try (Connection c = connect(db); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO state_changes (device_id, at, from_status, to_status, flapping) VALUES (?, ?, ?, ?, ?)")) {
            for (Change ch : changes) {
                ps.setObject(1, ch.device());
                ps.setTimestamp(2, java.sql.Timestamp.from(ch.at()));
                ps.setString(3, ch.from());
                ps.setString(4, ch.to());
                ps.setBoolean(5, ch.from().equals(ch.to()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
