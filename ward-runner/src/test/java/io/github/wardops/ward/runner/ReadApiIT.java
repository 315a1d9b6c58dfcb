package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read API of issue 16 on a runner with the embedded PostgreSQL and an SNMP agent:
 * {@code /api/devices/{id}/interfaces} (from the latest poll in memory, from the stored rows, or
 * none), {@code /api/devices/{id}/interfaces/{ifIndex}/history} (raw samples, hourly and daily
 * roll-ups), {@code /api/devices/{id}/events} (merged in time order, limited), {@code /api/summary}
 * and the searchable, paged {@code /api/devices}; every bad parameter named in one 400, unknown
 * devices and interfaces a 404. Expected values are computed here from the rows written.
 */
class ReadApiIT {
    private static final String COMMUNITY = "ward-readapi-community";
    private static final String A = DeviceId.fromKey("readapi-a").toString(); // SNMP, Achara / Batumi
    private static final String B = DeviceId.fromKey("readapi-b").toString(); // stored interfaces, Achara / Batumi
    private static final String C = DeviceId.fromKey("readapi-c").toString(); // Imereti / Kutaisi
    private static final String D = DeviceId.fromKey("readapi-d").toString(); // disabled: UNKNOWN, Imereti / Zestaponi
    private static final String E = DeviceId.fromKey("readapi-e").toString(); // no labels

    @TempDir
    Path dir;

    @Test
    void interfacesHistoryEventsSummaryAndPagedDevices() throws Exception {
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.46.1.1")).community(COMMUNITY)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000).withAlias("ISP: Magti"),
                        SimulatedInterface.ethernet(2, 250_000)));
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start()) {
            int port = sim.port(sim.devices().get(0));
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,region,branch,snmp_version,enabled\n"
                    + A + ",a-snmp,127.46.1.1,Achara,Batumi,2c,true\n"
                    + B + ",b-stored,127.46.1.2,Achara,Batumi,,true\n"
                    + C + ",c-kutaisi,127.46.1.3,Imereti,Kutaisi,,true\n"
                    + D + ",d-off,127.46.1.4,Imereti,Zestaponi,,false\n"
                    + E + ",e-bare,127.46.1.5,,,,true\n");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres", "WARD_SNMP_COMMUNITY", COMMUNITY),
                    "run", "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                    "--snmp-port", String.valueOf(port), "--snmp-interval", "1s", "--data-dir", dir.resolve("data").toString())) {
                DataSource ds = r.poller.wiring().storage().orElseThrow().dataSource();
                Instant t = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
                write(ds, t);
                interfaces(r, t);
                interfaceHistory(r, t);
                events(r, t);
                summary(r);
                pagedDevices(r);
            }
        }
    }

    @Test
    void withoutStorageTheHistoryAndEventsAnswer503AndInterfacesNone() throws Exception {
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + C + ",c,127.46.2.1\n");
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv.toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            JsonNode none = r.getJson("/api/devices/" + C + "/interfaces");
            assertEquals("none", none.get("source").asText(), none.toString());
            assertEquals(0, none.get("interfaces").size());
            HttpResponse<String> history = r.get("/api/devices/" + C + "/interfaces/1/history");
            assertEquals(503, history.statusCode(), history.body());
            assertTrue(history.body().contains("needs the PostgreSQL storage"), history.body());
            HttpResponse<String> events = r.get("/api/devices/" + C + "/events");
            assertEquals(503, events.statusCode(), events.body());
            assertTrue(events.body().contains("need the PostgreSQL storage"), events.body());
            // bad parameters and unknown devices are still told apart first
            assertEquals(400, r.get("/api/devices/" + C + "/events?limit=x").statusCode());
            assertEquals(404, r.get("/api/devices/" + UUID.randomUUID() + "/events").statusCode());
            assertEquals(1, r.getJson("/api/summary").get("devices").asInt());
        }
    }

    /** Hourly buckets two hours apart from t, aligned on 2 h: the 2 h step merges the pair. */
    private static Instant pair(Instant t) {
        long s = t.minus(Duration.ofDays(10)).getEpochSecond();
        return Instant.ofEpochSecond(Math.floorDiv(s, 7200) * 7200);
    }

    private static Instant day(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(20));
    }

    private static void createPartition(Statement st, LocalDate day) throws java.sql.SQLException {
        try {
            st.execute("CREATE TABLE IF NOT EXISTS interface_samples_p" + day.toString().replace("-", "")
                    + " PARTITION OF interface_samples FOR VALUES FROM ('" + day.atStartOfDay(ZoneOffset.UTC).toInstant()
                    + "') TO ('" + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
        } catch (java.sql.SQLException e) {
            if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void write(DataSource ds, Instant t) throws Exception {
        UUID b = UUID.fromString(B);
        try (Connection c = ds.getConnection()) {
            LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
            try (Statement st = c.createStatement()) {
                // the runner's maintenance may be creating the same partition at this moment:
                // IF NOT EXISTS does not cover that race, PostgreSQL then says 42P07 or 23505
                createPartition(st, day);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO interfaces (device_id, if_index, name, descr, alias, "
                    + "if_type, speed_bps, admin_status, oper_status, role, discovered_at, last_seen, provider) "
                    + "VALUES (?, ?, ?, ?, ?, 6, ?, 'up', ?, ?, ?, ?, ?)")) {
                Object[][] rows = {{1, "ge-0/0/1", "uplink", "ISP: Silknet", 100_000_000L, "up", "isp_uplink", "Silknet"},
                        {2, "ge-0/0/2", "lan", null, 1_000_000_000L, "lowerLayerDown", null, null}};
                for (Object[] row : rows) {
                    ps.setObject(1, b);
                    ps.setInt(2, (Integer) row[0]);
                    ps.setString(3, (String) row[1]);
                    ps.setString(4, (String) row[2]);
                    ps.setString(5, (String) row[3]);
                    ps.setLong(6, (Long) row[4]);
                    ps.setString(7, (String) row[5]);
                    ps.setString(8, (String) row[6]);
                    ps.setTimestamp(9, Timestamp.from(t));
                    ps.setTimestamp(10, Timestamp.from(t.plusSeconds(130)));
                    ps.setString(11, (String) row[7]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO interface_samples (device_id, if_index, at, oper_status, "
                    + "in_bps, out_bps, in_util_pct, out_util_pct, in_errors_ps, out_errors_ps) VALUES (?, 1, ?, 'up', ?, ?, ?, ?, ?, ?)")) {
                Object[][] rows = {{10, 1000.0, 100.0, 1.0, 0.1, 1.0, 0.0},
                        {40, 3000.0, 300.0, 3.0, 0.3, 3.0, 1.0},
                        {130, 5000.0, 500.0, 5.0, 0.5, null, null}};
                for (Object[] row : rows) {
                    ps.setObject(1, b);
                    ps.setTimestamp(2, Timestamp.from(t.plusSeconds((Integer) row[0])));
                    for (int i = 1; i <= 6; i++) {
                        ps.setObject(2 + i, row[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String rollup = "INSERT INTO %s (device_id, if_index, bucket, samples, rate_n, in_bps_avg, in_bps_max, out_bps_avg, "
                    + "out_bps_max, util_n, in_util_pct_avg, in_util_pct_max, out_util_pct_avg, out_util_pct_max, err_n, "
                    + "in_errors_ps_avg, out_errors_ps_avg) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(rollup.formatted("interface_hourly"))) {
                Object[][] rows = {{pair(t), 10, 8000.0, 20000.0, 4000.0, 9000.0, 0.8, 2.0, 0.4, 0.9, 0.5, 0.25},
                        {pair(t).plus(Duration.ofHours(1)), 30, 4000.0, 6000.0, 2000.0, 3000.0, 0.4, 0.6, 0.2, 0.3, 0.1, 0.05}};
                for (Object[] row : rows) {
                    ps.setObject(1, b);
                    ps.setTimestamp(2, Timestamp.from((Instant) row[0]));
                    int n = (Integer) row[1];
                    ps.setInt(3, n);
                    ps.setInt(4, n);
                    for (int i = 0; i < 4; i++) {
                        ps.setDouble(5 + i, (Double) row[2 + i]);
                    }
                    ps.setInt(9, n);
                    for (int i = 0; i < 4; i++) {
                        ps.setDouble(10 + i, (Double) row[6 + i]);
                    }
                    ps.setInt(14, n);
                    ps.setDouble(15, (Double) row[10]);
                    ps.setDouble(16, (Double) row[11]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(rollup.formatted("interface_daily"))) {
                ps.setObject(1, b);
                ps.setTimestamp(2, Timestamp.from(day(t)));
                ps.setInt(3, 1440);
                ps.setInt(4, 1440);
                ps.setDouble(5, 1e6);
                ps.setDouble(6, 9e7);
                ps.setDouble(7, 5e5);
                ps.setDouble(8, 2e6);
                ps.setInt(9, 1440);
                ps.setDouble(10, 1.0);
                ps.setDouble(11, 90.0);
                ps.setDouble(12, 0.5);
                ps.setDouble(13, 2.0);
                ps.setInt(14, 1440);
                ps.setDouble(15, 0.0);
                ps.setDouble(16, 0.0);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO state_changes (device_id, at, from_status, to_status, "
                    + "flapping, reason, if_index, since) VALUES (?, ?, ?, ?, false, ?, ?, ?)")) {
                Object[][] rows = {{5, "UP", "DOWN", "timeout", 0}, {60, "DOWN", "UP", "answered", 0},
                        {62, "UP", "DOWN", "oper down", 2}};
                for (Object[] row : rows) {
                    ps.setObject(1, b);
                    ps.setTimestamp(2, Timestamp.from(t.plusSeconds((Integer) row[0])));
                    ps.setString(3, (String) row[1]);
                    ps.setString(4, (String) row[2]);
                    ps.setString(5, (String) row[3]);
                    ps.setInt(6, (Integer) row[4]);
                    ps.setTimestamp(7, Timestamp.from(t.plusSeconds((Integer) row[0])));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (alert_id, device_id, rule, severity, message, "
                    + "opened_at, resolved_at, since, resolution, if_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[][] rows = {{"Device Down", "CRITICAL", "b-stored is down, \"really\"", 20, 70, 5, "recovered", 0},
                        {"Interface Down", "MAJOR", "=ge-0/0/2 down", 65, null, 62, null, 2}};
                int i = 0;
                for (Object[] row : rows) {
                    ps.setObject(1, DeviceId.fromKey("readapi-alert-" + i++).value());
                    ps.setObject(2, b);
                    ps.setString(3, (String) row[0]);
                    ps.setString(4, (String) row[1]);
                    ps.setString(5, (String) row[2]);
                    ps.setTimestamp(6, Timestamp.from(t.plusSeconds((Integer) row[3])));
                    ps.setTimestamp(7, row[4] == null ? null : Timestamp.from(t.plusSeconds((Integer) row[4])));
                    ps.setTimestamp(8, Timestamp.from(t.plusSeconds((Integer) row[5])));
                    ps.setString(9, (String) row[6]);
                    ps.setInt(10, (Integer) row[7]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static void interfaces(InProcessRunner r, Instant t) throws Exception {
        // From the latest poll in memory, once a second poll gave rates.
        JsonNode[] last = new JsonNode[1];
        InProcessRunner.await("interface rates of the SNMP device", Duration.ofSeconds(30), () -> {
            last[0] = r.getJson("/api/devices/" + A + "/interfaces");
            return last[0].get("interfaces").size() == 2 && !last[0].get("interfaces").get(0).get("inBps").isNull();
        });
        JsonNode polled = last[0];
        assertEquals("memory", polled.get("source").asText(), polled.toString());
        assertFalse(polled.get("truncated").asBoolean());
        JsonNode one = polled.get("interfaces").get(0);
        assertEquals(1, one.get("ifIndex").asInt());
        assertEquals("Gi0/1", one.get("ifName").asText());
        assertEquals("ISP: Magti", one.get("ifAlias").asText());
        assertEquals(1e9, one.get("speedBps").asDouble());
        assertEquals("up", one.get("operStatus").asText());
        double in = one.get("inBps").asDouble();
        assertTrue(in > 500_000 && in < 1_500_000, "125,000 octets/s simulated is 1 Mbit/s: " + in);
        assertEquals(2, polled.get("interfaces").get(1).get("ifIndex").asInt());

        // From the stored rows: the latest sample is the one at last_seen (t + 130 s).
        JsonNode stored = r.getJson("/api/devices/" + B + "/interfaces");
        assertEquals("storage", stored.get("source").asText(), stored.toString());
        assertEquals(t.plusSeconds(130).toString(), stored.get("at").asText());
        JsonNode uplink = stored.get("interfaces").get(0);
        assertEquals("ge-0/0/1", uplink.get("ifName").asText());
        assertEquals("ISP: Silknet", uplink.get("ifAlias").asText());
        assertEquals("isp_uplink", uplink.get("role").asText());
        assertEquals("Silknet", uplink.get("provider").asText(), "the provider is read back from storage");
        assertEquals(100_000_000L, uplink.get("speedBps").asLong());
        assertEquals(5000.0, uplink.get("inBps").asDouble());
        assertEquals(500.0, uplink.get("outBps").asDouble());
        assertEquals(5.0, uplink.get("utilInPct").asDouble());
        assertTrue(uplink.get("errorsPerS").isNull(), "the latest sample had no error rate");
        assertEquals(t.plusSeconds(130).toString(), uplink.get("at").asText());
        JsonNode lan = stored.get("interfaces").get(1);
        assertEquals("lowerLayerDown", lan.get("operStatus").asText());
        assertTrue(lan.get("provider").isNull());
        assertTrue(lan.get("ifAlias").isNull());
        assertTrue(lan.get("inBps").isNull(), "no sample of ifIndex 2");

        // Nothing polled, nothing stored
        JsonNode none = r.getJson("/api/devices/" + C + "/interfaces");
        assertEquals("none", none.get("source").asText());
        assertEquals(0, none.get("interfaces").size());

        HttpResponse<String> bad = r.get("/api/devices/nope/interfaces?colour=red");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("'nope' is not a device id") && bad.body().contains("unknown parameter 'colour'"),
                bad.body());
        assertEquals(404, r.get("/api/devices/" + UUID.randomUUID() + "/interfaces").statusCode());
    }

    private static void interfaceHistory(InProcessRunner r, Instant t) throws Exception {
        String base = "/api/devices/" + B + "/interfaces/1/history";
        JsonNode raw = r.getJson(base + "?from=" + t + "&to=" + t.plus(Duration.ofHours(1)) + "&step=2m");
        assertEquals("raw", raw.get("source").asText(), raw.toString());
        assertEquals(1, raw.get("ifIndex").asInt());
        assertEquals("PT2M", raw.get("step").asText());
        assertEquals(2, raw.get("points").size(), raw.toString());
        JsonNode p = raw.get("points").get(0);
        assertEquals(t.toString(), p.get("t").asText());
        assertEquals(2000.0, p.get("inBps").asDouble(), "(1000 + 3000) / 2");
        assertEquals(3000.0, p.get("inBpsMax").asDouble());
        assertEquals(200.0, p.get("outBps").asDouble());
        assertEquals(2.0, p.get("utilInPct").asDouble());
        assertEquals(0.2, p.get("utilOutPct").asDouble(), 1e-9);
        assertEquals(2.5, p.get("errorsPerS").asDouble(), "((1 + 0) + (3 + 1)) / 2");
        JsonNode p2 = raw.get("points").get(1);
        assertEquals(5000.0, p2.get("inBps").asDouble());
        assertTrue(p2.get("errorsPerS").isNull());

        // 30 days in 2 h steps: two hourly rows, weighted by their samples
        JsonNode month = r.getJson(base + "?from=-30d&step=2h");
        assertEquals("hourly", month.get("source").asText());
        JsonNode h = point(month, pair(t));
        assertEquals((8000.0 * 10 + 4000.0 * 30) / 40, h.get("inBps").asDouble(), 1e-6);
        assertEquals(20000.0, h.get("inBpsMax").asDouble());
        assertEquals((4000.0 * 10 + 2000.0 * 30) / 40, h.get("outBps").asDouble(), 1e-6);
        assertEquals((0.8 * 10 + 0.4 * 30) / 40, h.get("utilInPct").asDouble(), 1e-3);
        assertEquals(((0.5 + 0.25) * 10 + (0.1 + 0.05) * 30) / 40, h.get("errorsPerS").asDouble(), 1e-3);

        JsonNode daily = r.getJson(base + "?from=-30d&step=1d");
        assertEquals("daily", daily.get("source").asText());
        JsonNode d = point(daily, day(t));
        assertEquals(1e6, d.get("inBps").asDouble());
        assertEquals(9e7, d.get("inBpsMax").asDouble());
        assertEquals(0.0, d.get("errorsPerS").asDouble());

        HttpResponse<String> csv = r.get(base + "?from=" + t + "&to=" + t.plus(Duration.ofHours(1)) + "&step=2m&format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("t,inBps,inBpsMax,outBps,outBpsMax,utilInPct,utilOutPct,errorsPerS\n"
                + t + ",2000.0,3000.0,200.0,300.0,2.0,0.2,2.5\n"
                + t.plus(Duration.ofMinutes(2)) + ",5000.0,5000.0,500.0,500.0,5.0,0.5,\n", csv.body());

        // The SNMP device's interface is known from memory (and stored by the sink): 200
        assertEquals(200, r.get("/api/devices/" + A + "/interfaces/1/history").statusCode());

        HttpResponse<String> bad = r.get("/api/devices/nope/interfaces/x/history?from=yesterday&step=0s&format=xml&colour=red");
        assertEquals(400, bad.statusCode(), bad.body());
        for (String named : new String[] {"'nope' is not a device id", "'x' is not an ifIndex", "from 'yesterday'",
                "step '0s'", "format 'xml'", "unknown parameter 'colour'"}) {
            assertTrue(bad.body().contains(named), named + " in " + bad.body());
        }
        HttpResponse<String> zero = r.get("/api/devices/" + B + "/interfaces/0/history");
        assertEquals(400, zero.statusCode());
        HttpResponse<String> fine = r.get(base + "?from=-7d&step=1m");
        assertEquals(400, fine.statusCode());
        assertTrue(fine.body().contains("use a step of at least PT15M"), fine.body());
        HttpResponse<String> noIf = r.get("/api/devices/" + B + "/interfaces/99/history");
        assertEquals(404, noIf.statusCode(), noIf.body());
        assertTrue(noIf.body().contains("no interface 99"), noIf.body());
        assertEquals(404, r.get("/api/devices/" + UUID.randomUUID() + "/interfaces/1/history").statusCode());
    }

    private static void events(InProcessRunner r, Instant t) throws Exception {
        String base = "/api/devices/" + B + "/events?from=" + t + "&to=" + t.plus(Duration.ofHours(1));
        JsonNode all = r.getJson(base);
        assertFalse(all.get("truncated").asBoolean(), all.toString());
        List<String> seen = new ArrayList<>();
        for (JsonNode e : all.get("events")) {
            seen.add(Duration.between(t, Instant.parse(e.get("at").asText())).toSeconds() + " " + e.get("kind").asText());
        }
        assertEquals(List.of("5 state", "20 alert_opened", "60 state", "62 state", "65 alert_opened", "70 alert_resolved"),
                seen);
        JsonNode down = all.get("events").get(0);
        assertEquals("UP", down.get("from").asText());
        assertEquals("DOWN", down.get("to").asText());
        assertEquals("timeout", down.get("reason").asText());
        assertEquals(0, down.get("ifIndex").asInt());
        JsonNode opened = all.get("events").get(1);
        assertEquals("Device Down", opened.get("rule").asText());
        assertEquals("CRITICAL", opened.get("severity").asText());
        assertEquals(t.plusSeconds(5).toString(), opened.get("since").asText());
        assertEquals(2, all.get("events").get(3).get("ifIndex").asInt());
        assertEquals("recovered", all.get("events").get(5).get("resolution").asText());

        JsonNode first = r.getJson(base + "&limit=3");
        assertTrue(first.get("truncated").asBoolean());
        assertEquals(3, first.get("events").size());
        assertEquals(t.plusSeconds(60).toString(), first.get("events").get(2).get("at").asText());
        JsonNode newest = r.getJson(base + "&limit=2&order=desc");
        assertTrue(newest.get("truncated").asBoolean());
        assertEquals("alert_resolved", newest.get("events").get(0).get("kind").asText());
        assertEquals("alert_opened", newest.get("events").get(1).get("kind").asText());
        assertEquals(t.plusSeconds(65).toString(), newest.get("events").get(1).get("at").asText());
        JsonNode exact = r.getJson(base + "&limit=6");
        assertFalse(exact.get("truncated").asBoolean(), "six events, limit six");

        HttpResponse<String> csv = r.get(base + "&format=csv&limit=2&order=desc");
        assertEquals(200, csv.statusCode());
        assertEquals("true", csv.headers().firstValue("X-Ward-Truncated").orElse(""));
        String[] lines = csv.body().split("\n");
        assertEquals("at,kind,ifIndex,from,to,flapping,reason,alertId,rule,severity,message,since,resolution,trap,trapOid", lines[0]);
        assertTrue(lines[1].startsWith(t.plusSeconds(70) + ",alert_resolved,0,,,,,"), lines[1]);
        assertTrue(lines[1].contains(",\"b-stored is down, \"\"really\"\"\","), "quoted: " + lines[1]);
        assertTrue(lines[2].contains(",'=ge-0/0/2 down,"), "no formula: " + lines[2]);

        HttpResponse<String> bad = r.get("/api/devices/nope/events?from=x&limit=0&order=up&format=xml&colour=red");
        assertEquals(400, bad.statusCode(), bad.body());
        for (String named : new String[] {"'nope' is not a device id", "from 'x'", "limit '0'", "order 'up'",
                "format 'xml'", "unknown parameter 'colour'"}) {
            assertTrue(bad.body().contains(named), named + " in " + bad.body());
        }
        HttpResponse<String> big = r.get("/api/devices/" + B + "/events?limit=10001");
        assertEquals(400, big.statusCode());
        assertTrue(big.body().contains("limit '10001'"), big.body());
        HttpResponse<String> reversed = r.get("/api/devices/" + B + "/events?from=-1h&to=-2h");
        assertEquals(400, reversed.statusCode());
        assertTrue(reversed.body().contains("must be before"), reversed.body());
        assertEquals(404, r.get("/api/devices/" + UUID.randomUUID() + "/events").statusCode());
    }

    private static void summary(InProcessRunner r) throws Exception {
        InProcessRunner.await("four devices UP", Duration.ofSeconds(30),
                () -> r.getJson("/api/summary").get("counts").get("UP").asInt() == 4);
        JsonNode s = r.getJson("/api/summary");
        assertEquals(5, s.get("devices").asInt(), s.toString());
        assertEquals(1, s.get("counts").get("UNKNOWN").asInt(), "the disabled device");
        assertEquals(0, s.get("counts").get("DOWN").asInt());
        assertFalse(s.get("truncated").asBoolean());
        JsonNode regions = s.get("regions");
        assertEquals(3, regions.size(), regions.toString());
        assertEquals("Achara", regions.get(0).get("region").asText());
        assertEquals(2, regions.get(0).get("devices").asInt());
        assertEquals(2, regions.get(0).get("counts").get("UP").asInt());
        assertEquals("Imereti", regions.get(1).get("region").asText());
        assertEquals(1, regions.get(1).get("counts").get("UP").asInt());
        assertEquals(1, regions.get(1).get("counts").get("UNKNOWN").asInt());
        assertTrue(regions.get(2).get("region").isNull(), "devices without a region come last");
        JsonNode branches = s.get("branches");
        assertEquals(4, branches.size(), branches.toString());
        assertEquals("Batumi", branches.get(0).get("branch").asText());
        assertEquals(2, branches.get(0).get("devices").asInt());
        assertEquals("Kutaisi", branches.get(1).get("branch").asText());
        assertEquals("Zestaponi", branches.get(2).get("branch").asText());
        assertEquals(1, branches.get(2).get("counts").get("UNKNOWN").asInt());
        assertTrue(branches.get(3).get("branch").isNull());
        assertFalse(r.get("/api/summary").body().contains("127.46.1."), "no device in the summary");

        HttpResponse<String> bad = r.get("/api/summary?region=Achara&colour=red");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("unknown parameter 'region'") && bad.body().contains("unknown parameter 'colour'"),
                bad.body());
    }

    private static void pagedDevices(InProcessRunner r) throws Exception {
        assertEquals(5, r.getJson("/api/devices").size(), "without paging: the whole array, as before");
        assertEquals(4, r.getJson("/api/devices?status=UP").size());

        JsonNode batumi = r.getJson("/api/devices?q=batumi");
        assertEquals(2, batumi.get("total").asInt(), batumi.toString());
        assertEquals(List.of("a-snmp", "b-stored"), names(batumi));
        assertEquals(List.of("c-kutaisi"), names(r.getJson("/api/devices?q=127.46.1.3")));
        assertEquals(List.of("a-snmp", "b-stored"), names(r.getJson("/api/devices?q=ACH")));
        assertEquals(List.of("d-off"), names(r.getJson("/api/devices?q=D-OFF")));

        JsonNode page2 = r.getJson("/api/devices?size=2&page=2");
        assertEquals(5, page2.get("total").asInt());
        assertEquals(3, page2.get("pages").asInt());
        assertEquals(2, page2.get("page").asInt());
        assertEquals(List.of("c-kutaisi", "d-off"), names(page2));
        JsonNode page3 = r.getJson("/api/devices?size=2&page=3");
        assertEquals(List.of("e-bare"), names(page3));
        assertEquals(0, r.getJson("/api/devices?size=2&page=4").get("devices").size());
        JsonNode up = r.getJson("/api/devices?status=UP&size=10");
        assertEquals(4, up.get("total").asInt());
        assertEquals(List.of("a-snmp", "b-stored", "c-kutaisi", "e-bare"), names(up));
        JsonNode labelled = r.getJson("/api/devices?label=region:Imereti&q=i&status=unknown");
        assertEquals(List.of("d-off"), names(labelled));
        assertEquals(100, r.getJson("/api/devices?page=1").get("size").asInt(), "the default size");

        HttpResponse<String> bad = r.get("/api/devices?page=0&size=5000&q=" + "x".repeat(201) + "&status=sideways&colour=red");
        assertEquals(400, bad.statusCode(), bad.body());
        for (String named : new String[] {"page '0'", "size '5000'", "q is longer than 200", "status 'sideways'",
                "unknown parameter 'colour'"}) {
            assertTrue(bad.body().contains(named), named + " in " + bad.body());
        }
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : page.get("devices")) {
            out.add(d.get("name").asText());
        }
        return out;
    }

    private static JsonNode point(JsonNode answer, Instant t) {
        for (JsonNode p : answer.get("points")) {
            if (p.get("t").asText().equals(t.toString())) {
                return p;
            }
        }
        return fail("no point at " + t + " in " + answer);
    }
}
