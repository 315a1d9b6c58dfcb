package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sink stores what SNMP produces: interfaces, samples and named items, once, through outages. */
class SnmpSinkIT {
    private static final DeviceId R1 = DeviceId.fromKey("r1");
    private static final DeviceId R2 = DeviceId.fromKey("r2");
    private static EmbeddedDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-snmp"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        PgSupport.reset(db);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void storesInterfacesSamplesAndNamedItemsOnceEvenWhenReplayed(WriteMode mode, @TempDir Path spool)
            throws Exception {
        Instant t = now();
        String at = t.truncatedTo(ChronoUnit.MICROS).toString();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        List<ProbeResult> batch = List.of(SnmpFixtures.up(R1, t),
                new ProbeResult.Up(R1, "icmp", "icmp", t, Duration.ofMillis(1),
                        PingStats.of(1, new long[] {1_000_000}, 1)));
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).writeMode(mode).build())) {
            s.resultSink().write(batch);

            assertEquals(List.of(
                    "1|ge-0/0/1|GigabitEthernet0/1|ISP-Magti uplink|6|1500|1000000000|00:11:22:33:44:55|up|up|"
                            + "isp-uplink|Magti|{\"circuit\": \"C-7\", \"provider\": \"Magti\"}|" + at + "|" + at,
                    "2|null|eth1|null|6|9000|null|null|down|lowerLayerDown|null|null|{}|" + at + "|" + at),
                    rows("SELECT if_index, name, descr, alias, if_type, mtu, speed_bps, mac, admin_status, oper_status, "
                            + "role, provider, attributes, discovered_at, last_seen FROM interfaces ORDER BY if_index"));
            assertEquals(List.of(
                    "1|" + at + "|up|up|true|1000000000000|-2|5000|6000|1|2|3|4|8000000.0|4000000.0|1000.0|2000.0|"
                            + "0.5|0.0|0.0|0.25|0.8|0.4",
                    "2|" + at + "|lowerLayerDown|down|false|4294967295|10|20|30|0|0|null|null|null|null|null|null|"
                            + "null|null|null|null|null|null"),
                    rows("SELECT if_index, at, oper_status, admin_status, hc_counters, in_octets, out_octets, "
                            + "in_ucast_pkts, out_ucast_pkts, in_errors, out_errors, in_discards, out_discards, in_bps, "
                            + "out_bps, in_pps, out_pps, in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps, "
                            + "in_util_pct, out_util_pct FROM interface_samples ORDER BY if_index"));
            // named items, system and poll values; no text item, no noSuchObject, no if.* flat keys
            assertEquals(Map.of("up", 1.0, "sys_uptime_s", 123.45, "item.cpu_5min_pct", 42.0,
                    "item.octets_total", 18446744073709551615.0, "snmp_varbinds", 57.0, "snmp_requests", 3.0),
                    values(R1));
            assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM ping_results"));

            // the same batch again (the engine retrying, a spool replayed twice) adds nothing
            Map<String, List<String>> first = snapshot();
            s.resultSink().write(batch);
            assertEquals(first, snapshot());

            // the next poll: attributes and last_seen move on, discovered_at stays
            Instant t2 = t.plusSeconds(60);
            s.resultSink().write(List.of(new ProbeResult.Up(R1, "snmp", "snmp", t2, Duration.ofMillis(9),
                    SnmpFixtures.poll(List.of(SnmpFixtures.uplink("ISP-Magti backup", 2, 1e6))))));
            String at2 = t2.truncatedTo(ChronoUnit.MICROS).toString();
            assertEquals(List.of("1|ISP-Magti backup|down|" + at + "|" + at2, "2|null|lowerLayerDown|" + at + "|" + at),
                    rows("SELECT if_index, alias, oper_status, discovered_at, last_seen FROM interfaces ORDER BY if_index"));
            // an older poll replayed after a newer one never overwrites it
            s.resultSink().write(batch);
            assertEquals(List.of("1|ISP-Magti backup|down|" + at + "|" + at2, "2|null|lowerLayerDown|" + at + "|" + at),
                    rows("SELECT if_index, alias, oper_status, discovered_at, last_seen FROM interfaces ORDER BY if_index"));
            assertEquals(3, PgSupport.count(db, "SELECT count(*) FROM interface_samples"));
            assertEquals(12, PgSupport.count(db, "SELECT count(*) FROM snmp_values"));

            // two polls of a new device in one batch, the later one first: discovered at the earlier,
            // attributes and last_seen of the later
            s.resultSink().write(List.of(
                    new ProbeResult.Up(R2, "snmp", "snmp", t2, Duration.ofMillis(9),
                            SnmpFixtures.poll(List.of(SnmpFixtures.uplink("later", 1, 1e6)))),
                    new ProbeResult.Up(R2, "snmp", "snmp", t, Duration.ofMillis(9),
                            SnmpFixtures.poll(List.of(SnmpFixtures.uplink("earlier", 2, 1e6))))));
            assertEquals(List.of("1|later|up|" + at + "|" + at2), rows("SELECT if_index, alias, oper_status, "
                    + "discovered_at, last_seen FROM interfaces WHERE device_id = '" + R2.value() + "'"));
            assertEquals(List.of("1|" + at + "|down", "1|" + at2 + "|up"), rows("SELECT if_index, at, oper_status "
                    + "FROM interface_samples WHERE device_id = '" + R2.value() + "' ORDER BY at"));
            assertEquals(9.0, reg.get("ward.storage.rows.written").tag("table", "interface_samples").counter().count());
            assertEquals(0.0, reg.get("ward.storage.values.invalid").counter().count());
            assertEquals(0.0, reg.get("ward.storage.rows.rejected").tag("reason", "invalid").counter().count());
        }
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void malformedInterfaceValuesAreStoredAsNullAndCountedWithoutLosingTheBatch(WriteMode mode, @TempDir Path spool)
            throws Exception {
        Instant t = now();
        SnmpInterface broken = new SnmpInterface(5, "bad\u0000name", "d", "", 6, 1500, -100, "", 9, 0, null, Map.of(),
                // a 32-bit counter cannot be negative or above 2^32-1; errors are always Counter32
                new InterfaceCounters(-1L, 1L << 33, 7L, 8L, -3L, 4_294_967_296L, 0L, 0L, false),
                new InterfaceRates(Double.NaN, Double.POSITIVE_INFINITY, -1, 5, Double.NEGATIVE_INFINITY, 0, 0, 0,
                        150, Double.NaN));
        SnmpInterface zero = new SnmpInterface(0, "zero", "", "", 6, 0, 0, "", 1, 1, null, Map.of(),
                new InterfaceCounters(1L, 1L, 1L, 1L, 0L, 0L, 0L, 0L, true), InterfaceRates.NONE);
        SnmpInterface twice = new SnmpInterface(5, "again", "", "", 6, 0, 0, "", 1, 1, null, Map.of(),
                new InterfaceCounters(1L, 1L, 1L, 1L, 0L, 0L, 0L, 0L, true), InterfaceRates.NONE);
        SnmpMeasurement m = new SnmpMeasurement(null, "unknown", List.of(), List.of(broken, zero, twice), false, false,
                9, 2, "");
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        List<ProbeResult> batch = List.of(
                new ProbeResult.Up(R2, "snmp", "snmp", t, Duration.ofMillis(1), m),
                SnmpFixtures.up(R1, t));
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).writeMode(mode).build())) {
            s.resultSink().write(batch);
            assertEquals(List.of("5|bad\uFFFDname|null|null|null"),
                    rows("SELECT if_index, name, speed_bps, admin_status, oper_status FROM interfaces WHERE device_id = '"
                            + R2.value() + "'"));
            assertEquals(List.of("5|false|null|null|7|8|null|null|0|0|null|null|null|5.0|null|0.0|null|null"),
                    rows("SELECT if_index, hc_counters, in_octets, out_octets, in_ucast_pkts, out_ucast_pkts, in_errors, "
                            + "out_errors, in_discards, out_discards, in_bps, out_bps, in_pps, out_pps, "
                            + "in_errors_ps, out_errors_ps, in_util_pct, out_util_pct FROM interface_samples "
                            + "WHERE device_id = '" + R2.value() + "'"));
            // NUL, speed, admin status 9, four counters, three rates (infinite, negative), utilisation 150
            assertEquals(11.0, reg.get("ward.storage.values.invalid").counter().count());
            assertEquals(2.0, reg.get("ward.storage.rows.rejected").tag("reason", "invalid").counter().count(),
                    "ifIndex 0 and a repeated ifIndex 5");
            // the healthy device of the same batch is whole
            assertEquals(2, PgSupport.count(db, "SELECT count(*) FROM interface_samples WHERE device_id = '"
                    + R1.value() + "'"));
            assertEquals(6, values(R1).size());
            assertEquals(Map.of("up", 1.0, "snmp_varbinds", 9.0, "snmp_requests", 2.0), values(R2));
        }
    }

    @Test
    void spooledSnmpResultsReplayToTheSameRowsAsADirectWrite(@TempDir Path tmp) throws Exception {
        Instant t = now();
        List<List<ProbeResult>> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            Instant at = t.plusSeconds(60L * b);
            batches.add(List.of(
                    new ProbeResult.Up(R1, "snmp", "snmp", at, Duration.ofMillis(5),
                            SnmpFixtures.poll(List.of(SnmpFixtures.uplink("ISP-" + b, 1, 1e6 * (b + 1)),
                                    SnmpFixtures.access()))),
                    new ProbeResult.Down(R2, "snmp", "snmp", at, DownReason.TIMEOUT, "interfaces: timeout",
                            new SnmpMeasurement(null, "unknown", List.of(), List.of(), false, false, 1, 1, "timeout"))));
        }
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, tmp.resolve("direct"),
                new SimpleMeterRegistry()).build())) {
            for (List<ProbeResult> b : batches) {
                s.resultSink().write(b);
            }
        }
        Map<String, List<String>> direct = snapshot();
        assertEquals(6, direct.get("interface_samples").size());
        PgSupport.reset(db);

        int closedPort;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        Path spool = tmp.resolve("spool");
        SimpleMeterRegistry down = new SimpleMeterRegistry();
        try (PostgresStorage s = PostgresStorage.open(PostgresOptions.builder()
                .jdbc("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", null)
                .spoolDirectory(spool).connectionTimeout(Duration.ofMillis(250)).retryInterval(Duration.ofMinutes(5))
                .meterRegistry(down).build())) {
            for (List<ProbeResult> b : batches) {
                s.resultSink().write(b);
            }
            assertEquals(6, s.spooledRows());
        }
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).build())) {
            PgSupport.await("the spool replayed", Duration.ofSeconds(20), () -> {
                s.drainSpool();
                return s.spooledRows() == 0;
            });
            assertEquals(direct, snapshot());
            assertEquals(6.0, reg.get("ward.storage.spool.replayed").counter().count());
            // replaying again (a crash after the commit, before the spool forgot) adds nothing
            for (List<ProbeResult> b : batches) {
                s.resultSink().write(b);
            }
            assertEquals(direct, snapshot());
        }
    }

    /** A spool left by a ward from before SNMP was stored whole: its SNMP results are values() only. */
    @Test
    void aSpoolWrittenInTheOldFormatStillReplays(@TempDir Path spool) throws Exception {
        Instant t = now();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        out.writeInt(1);
        out.writeByte(1);
        out.writeLong(R1.value().getMostSignificantBits());
        out.writeLong(R1.value().getLeastSignificantBits());
        string(out, "snmp");
        string(out, "snmp");
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
        out.writeLong(5_000_000);
        out.writeByte(2);
        out.writeInt(2);
        string(out, "sys_uptime_s");
        out.writeDouble(123.45);
        string(out, "if.1.in_bps");
        out.writeDouble(8e6);
        out.flush();
        byte[] p = payload.toByteArray();
        ByteBuffer rec = ByteBuffer.allocate(24 + p.length);
        rec.putInt(0x57535031).putInt(p.length).putInt(0).putLong(t.toEpochMilli()).putInt(1).put(p);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 12, 12 + p.length);
        rec.putInt(8, (int) crc.getValue());
        Files.createDirectories(spool);
        Files.write(spool.resolve("segment-0000000000000000001.spool"), rec.array());

        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, spool, reg).build())) {
            PgSupport.await("the spool replayed", Duration.ofSeconds(20), () -> {
                s.drainSpool();
                return s.spooledRows() == 0;
            });
        }
        assertEquals(Map.of("up", 1.0, "sys_uptime_s", 123.45, "if.1.in_bps", 8e6), values(R1));
        assertEquals(0.0, reg.get("ward.storage.spool.corrupt").counter().count());
        assertFalse(Files.exists(spool.resolve("segment-0000000000000000001.spool.corrupt")));
    }

    private static void string(DataOutputStream out, String s) throws java.io.IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Every row of the SNMP tables (and ping_results), as text, in key order. */
    private static Map<String, List<String>> snapshot() throws SQLException {
        Map<String, List<String>> m = new TreeMap<>();
        m.put("interfaces", rows("SELECT t::text FROM interfaces t ORDER BY device_id, if_index"));
        m.put("interface_samples", rows("SELECT t::text FROM interface_samples t ORDER BY device_id, if_index, at"));
        m.put("snmp_values", rows("SELECT t::text FROM snmp_values t ORDER BY device_id, check_name, item, at"));
        m.put("ping_results", rows("SELECT t::text FROM ping_results t ORDER BY device_id, check_name, at"));
        return m;
    }

    private static Map<String, Double> values(DeviceId device) throws SQLException {
        Map<String, Double> m = new TreeMap<>();
        for (String r : rows("SELECT item, value FROM snmp_values WHERE device_id = '" + device.value() + "'")) {
            String[] kv = r.split("\\|");
            if (m.put(kv[0], Double.parseDouble(kv[1])) != null) {
                throw new AssertionError("stored twice: " + kv[0]);
            }
        }
        return m;
    }

    /** Rows as {@code a|b|c}; timestamps as UTC instants, doubles as Java prints them. */
    private static List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    if (i > 1) {
                        sb.append('|');
                    }
                    String type = rs.getMetaData().getColumnTypeName(i);
                    Object v = switch (type) {
                        case "timestamptz" -> {
                            var o = rs.getObject(i, java.time.OffsetDateTime.class);
                            yield o == null ? null : o.toInstant();
                        }
                        case "float8" -> {
                            double d = rs.getDouble(i);
                            yield rs.wasNull() ? null : d;
                        }
                        case "bool" -> {
                            boolean b = rs.getBoolean(i);
                            yield rs.wasNull() ? null : b;
                        }
                        default -> rs.getString(i);
                    };
                    sb.append(v);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
