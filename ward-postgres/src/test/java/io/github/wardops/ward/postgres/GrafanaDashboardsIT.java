package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.postgres.internal.db.Rollups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every PostgreSQL dashboard in {@code docs/grafana} (read from there, the one copy) against a real
 * database: each variable's and each panel's SQL is expanded as Grafana's PostgreSQL data source
 * expands it ({@link GrafanaSql}), run on an embedded PostgreSQL holding 40 days of a small fleet
 * (raw results, state changes, alerts, interfaces and their samples, and the roll-ups built from
 * them by {@link Rollups}), over ranges that take each source (raw rows up to 3 days, hourly
 * roll-ups, daily roll-ups beyond 92 days) and ranges that do not start on a whole hour. Each panel
 * must return the columns this test expects (the time column first for time series, in time
 * order, inside the range), rows where the data has them, and for the panels whose numbers can be
 * worked out from the scenario below, those numbers.
 *
 * <p>The fleet, at NOW = 2026-03-30 12:00 UTC, a result a minute per device since NOW - 40 days:
 * tbs-core-1 (Tbilisi/Vake/Router) up, RTT 1/2/3 ms, two interfaces; tbs-atm-7
 * (Tbilisi/Saburtalo/ATM) up at 10/20/30 ms but DOWN from NOW-72h to NOW-69h and since NOW-2h
 * (open critical alert); bat-nvr-3 (Achara/Batumi/NVR) up, 70/80/90 ms with a third of its echoes
 * lost; kob-atm-2 (Achara/Kobuleti/ATM) UNREACHABLE since NOW-10d (open high alert); tel-sw-1
 * (Kakheti/Tel'avi/Switch) UNKNOWN throughout; lab-1 without labels or results.
 */
class GrafanaDashboardsIT {
    static final Instant NOW = Instant.parse("2026-03-30T12:00:00Z");
    static final Instant START = NOW.minus(Duration.ofDays(40));
    static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    static final UUID C = UUID.fromString("00000000-0000-4000-8000-00000000000c");
    static final UUID D = UUID.fromString("00000000-0000-4000-8000-00000000000d");
    static final UUID E = UUID.fromString("00000000-0000-4000-8000-00000000000e");
    static final UUID F = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    static final Path DASHBOARDS = Path.of("").toAbsolutePath().getParent().resolve("docs/grafana");
    static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedDatabase db;

    /** A dashboard range and the {@code $__interval} Grafana would give its panels. */
    record Range(String name, Instant from, Instant to, Duration interval) {
    }

    static final Range DAY = new Range("24h", NOW.minus(Duration.ofHours(24)), NOW, Duration.ofMinutes(1));
    static final Range ODD = new Range("6h, not on the hour", NOW.minus(Duration.ofHours(6)).plusSeconds(1_817),
            NOW.minusSeconds(43).plusMillis(250), Duration.ofSeconds(20));
    static final Range WEEK = new Range("7d", NOW.minus(Duration.ofDays(7)), NOW, Duration.ofMinutes(10));
    static final Range MONTH = new Range("30d, not on the hour", NOW.minus(Duration.ofDays(30)).plusSeconds(1_234), NOW, Duration.ofHours(1));
    static final Range HALF_YEAR = new Range("180d", NOW.minus(Duration.ofDays(180)), NOW, Duration.ofHours(12));
    static final List<Range> RANGES = List.of(DAY, ODD, WEEK, MONTH, HALF_YEAR);

    /** A query's result. */
    record Result(String sql, List<String> columns, List<List<Object>> rows) {
        Object get(int row, String column) {
            int i = columns.indexOf(column);
            assertTrue(i >= 0, column + " in " + columns);
            return rows.get(row).get(i);
        }

        double num(int row, String column) {
            Object v = get(row, column);
            assertNotNull(v, column + " of row " + row);
            return ((Number) v).doubleValue();
        }
    }

    /** What a panel must return: its columns, and whether rows are due (for every selection, or for the devices named). */
    record Expect(List<String> columns, Set<UUID> rowsFor) {
        static Expect always(String... columns) {
            return new Expect(List.of(columns), null);
        }

        static Expect forDevices(Set<UUID> devices, String... columns) {
            return new Expect(List.of(columns), devices);
        }
    }

    static final List<String> WORST = List.of("Device", "Address", "Region", "Branch", "RTT avg", "RTT max", "Loss %", "id");
    static final String[] AVAIL = {"Devices", "Availability %", "Down", "Unreachable", "Unknown"};

    /** Every panel of every PostgreSQL dashboard, by "uid/title": a new or renamed panel must be added here. */
    static final Map<String, Expect> EXPECT = new LinkedHashMap<>();

    static {
        EXPECT.put("ward-fleet/Devices by status", Expect.always("Up", "Down", "Unreachable", "Unknown", "Devices"));
        EXPECT.put("ward-fleet/Open alerts", Expect.always("Critical", "High", "Other"));
        EXPECT.put("ward-fleet/Status by region and branch",
                Expect.always("Region", "Branch", "Devices", "Up", "Down", "Unreachable", "Unknown"));
        EXPECT.put("ward-fleet/Fleet time up", Expect.always("time", "Up %"));
        EXPECT.put("ward-fleet/Highest round-trip time", new Expect(WORST, null));
        EXPECT.put("ward-fleet/Highest packet loss", new Expect(WORST, null));
        EXPECT.put("ward-fleet/Open alerts#table", Expect.always("Since", "Device", "Severity", "Problem", "Rule", "ifIndex",
                "Message", "Acknowledged by", "id"));
        Set<UUID> all = Set.of(A, B);
        EXPECT.put("ward-device/Device", Expect.forDevices(all, "Name", "Address", "Region", "Branch", "Type", "Status", "Since",
                "Flapping", "Enabled"));
        EXPECT.put("ward-device/Round-trip time", Expect.forDevices(all, "time", "RTT min", "RTT avg", "RTT max"));
        EXPECT.put("ward-device/Loss and time up", Expect.forDevices(all, "time", "Loss %", "Up %"));
        EXPECT.put("ward-device/Status timeline", Expect.forDevices(all, "time", "Status"));
        EXPECT.put("ward-device/Interface traffic", Expect.forDevices(Set.of(A), "time", "metric", "in", "out"));
        EXPECT.put("ward-device/Events", Expect.forDevices(Set.of(B), "Time", "Kind", "Event", "Detail"));
        EXPECT.put("ward-device/Open alerts", Expect.forDevices(Set.of(B), "Since", "Severity", "Problem", "Rule", "ifIndex",
                "Message", "Acknowledged by"));
        EXPECT.put("ward-availability/Availability", Expect.always("Availability %", "Devices"));
        EXPECT.put("ward-availability/Outages", Expect.always("Outages", "Downtime", "MTTR", "Longest"));
        EXPECT.put("ward-availability/By region", new Expect(concat(List.of("Region"), AVAIL), null));
        EXPECT.put("ward-availability/By branch", new Expect(concat(List.of("Region", "Branch"), AVAIL), null));
        EXPECT.put("ward-availability/By device type", new Expect(concat(List.of("Device type"), AVAIL), null));
        EXPECT.put("ward-availability/Availability by region", Expect.always("time", "metric", "Availability %"));
        EXPECT.put("ward-availability/Least available devices", Expect.always("Device", "Region", "Branch", "Device type",
                "Availability %", "Down", "Unreachable", "Unknown", "id"));
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    @BeforeAll
    static void fill() throws SQLException {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-grafana"));
        PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-grafana-spool"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).build()).close(); // migrates
        PgSupport.reset(db);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // buckets must stay UTC whatever the session's zone
            st.execute("ALTER ROLE CURRENT_USER SET TimeZone = 'Asia/Tbilisi'");
            for (String table : List.of("ping_results", "interface_samples")) {
                for (LocalDate d = LocalDate.ofInstant(START, ZoneOffset.UTC); !d.isAfter(LocalDate.ofInstant(NOW, ZoneOffset.UTC)); d = d.plusDays(1)) {
                    st.execute("CREATE TABLE " + table + "_p" + d.toString().replace("-", "") + " PARTITION OF " + table
                            + " FOR VALUES FROM ('" + d.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                            + d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
                }
            }
            device(st, A, "tbs-core-1", "127.0.40.1", "{\"region\":\"Tbilisi\",\"branch\":\"Vake\",\"device_type\":\"Router\"}");
            device(st, B, "tbs-atm-7", "127.0.40.2", "{\"region\":\"Tbilisi\",\"branch\":\"Saburtalo\",\"device_type\":\"ATM\"}");
            device(st, C, "bat-nvr-3", "127.0.40.3", "{\"region\":\"Achara\",\"branch\":\"Batumi\",\"device_type\":\"NVR\"}");
            device(st, D, "kob-atm-2", "127.0.40.4", "{\"region\":\"Achara\",\"branch\":\"Kobuleti\",\"device_type\":\"ATM\"}");
            device(st, E, "tel-sw-1", "127.0.40.5", "{\"region\":\"Kakheti\",\"branch\":\"Tel'avi\",\"device_type\":\"Switch\"}");
            device(st, F, "lab-1", "127.0.40.6", "{}");

            String[] down = {"'DOWN'", "3", "0", "NULL", "NULL", "NULL"};
            pings(st, A, null, new String[] {"'UP'", "3", "3", "1", "2", "3"}, null);
            pings(st, B, "(g >= " + at(NOW.minus(Duration.ofHours(72))) + " AND g < " + at(NOW.minus(Duration.ofHours(69)))
                    + ") OR g >= " + at(NOW.minus(Duration.ofHours(2))), new String[] {"'UP'", "3", "3", "10", "20", "30"}, down);
            pings(st, C, null, new String[] {"'UP'", "3", "2", "70", "80", "90"}, null);
            pings(st, D, "g >= " + at(NOW.minus(Duration.ofDays(10))), new String[] {"'UP'", "3", "3", "4", "5", "6"}, down);
            pings(st, E, null, new String[] {"'UNKNOWN'", "0", "0", "NULL", "NULL", "NULL"}, null);

            Instant before = START.minus(Duration.ofDays(1));
            change(st, A, before, "UNKNOWN", "UP", false);
            change(st, B, before, "UNKNOWN", "UP", false);
            change(st, C, before, "UNKNOWN", "UP", false);
            change(st, D, before, "UNKNOWN", "UP", false);
            change(st, E, before, "UP", "UNKNOWN", false);
            change(st, B, NOW.minus(Duration.ofHours(72)), "UP", "DOWN", false);
            change(st, B, NOW.minus(Duration.ofHours(69)), "DOWN", "UP", false);
            change(st, B, NOW.minus(Duration.ofHours(2)), "UP", "DOWN", false);
            change(st, C, NOW.minus(Duration.ofHours(5)), "UP", "UP", true);
            change(st, D, NOW.minus(Duration.ofDays(10)), "UP", "UNREACHABLE", false);

            state(st, A, "UP", before);
            state(st, B, "DOWN", NOW.minus(Duration.ofHours(2)));
            state(st, C, "UP", before);
            state(st, D, "UNREACHABLE", NOW.minus(Duration.ofDays(10)));
            state(st, E, "UNKNOWN", before);

            st.execute("INSERT INTO alerts (device_id, rule, severity, message, opened_at, since, resolved_at, resolution, device_name, labels) VALUES "
                    + "('" + B + "', 'ping_unavailable', 'critical', 'no echo answered', " + at(NOW.minus(Duration.ofHours(72))) + ", "
                    + at(NOW.minus(Duration.ofHours(72))) + ", " + at(NOW.minus(Duration.ofHours(69))) + ", 'recovered', 'tbs-atm-7', '{}'), "
                    + "('" + B + "', 'ping_unavailable', 'critical', 'no echo answered', " + at(NOW.minus(Duration.ofHours(2))) + ", "
                    + at(NOW.minus(Duration.ofHours(2))) + ", NULL, NULL, 'tbs-atm-7', '{}'), "
                    + "('" + D + "', 'ping_unreachable', 'high', 'behind its parent', " + at(NOW.minus(Duration.ofDays(10))) + ", "
                    + at(NOW.minus(Duration.ofDays(10))) + ", NULL, NULL, 'kob-atm-2', '{}')");
            st.execute("INSERT INTO interfaces (device_id, if_index, name, alias, speed_bps, oper_status, discovered_at, last_seen) VALUES "
                    + "('" + A + "', 1, 'ge-0/0/0', 'ISP uplink', 1000000000, 'up', " + at(START) + ", " + at(NOW) + "), "
                    + "('" + A + "', 2, 'ge-0/0/1', '', 1000000000, 'up', " + at(START) + ", " + at(NOW) + ")");
            for (int ifIndex = 1; ifIndex <= 2; ifIndex++) {
                double in = ifIndex == 1 ? 1e6 : 3e6;
                double out = ifIndex == 1 ? 2e5 : 4e5;
                st.execute("INSERT INTO interface_samples (device_id, if_index, at, oper_status, in_bps, out_bps, in_util_pct, out_util_pct,"
                        + " in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps) SELECT '" + A + "', " + ifIndex + ", g, 'up', "
                        + in + ", " + out + ", " + in / 1e7 + ", " + out / 1e7 + ", 0, 0, 0, 0 FROM generate_series(" + at(START)
                        + ", " + at(NOW.minusSeconds(1)) + ", INTERVAL '60 seconds') g");
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE rollup_progress SET rolled_to = NULL"); // whatever the storage's own run at open did
        }
        Rollups.rollUp(DSL.using(db.dataSource(), SQLDialect.POSTGRES), NOW, START);
    }

    static String at(Instant t) {
        return "TIMESTAMPTZ '" + t + "'";
    }

    static void device(Statement st, UUID id, String name, String address, String labels) throws SQLException {
        st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + id + "', '" + name + "', '" + address + "', '"
                + labels.replace("'", "''") + "')");
    }

    /** A result a minute from START to NOW: the {@code up} values, or the {@code down} ones while {@code downWhen} holds (SQL on g). */
    static void pings(Statement st, UUID id, String downWhen, String[] up, String[] down) throws SQLException {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < up.length; i++) {
            cols.add(downWhen == null ? up[i] : "CASE WHEN " + downWhen + " THEN " + down[i] + " ELSE " + up[i] + " END");
        }
        st.execute("INSERT INTO ping_results (device_id, check_name, at, status, sent, received, rtt_min_ms, rtt_avg_ms, rtt_max_ms) "
                + "SELECT '" + id + "', 'icmp', g, " + String.join(", ", cols) + " FROM generate_series(" + at(START) + ", "
                + at(NOW.minusSeconds(1)) + ", INTERVAL '60 seconds') g");
    }

    static void change(Statement st, UUID id, Instant at, String from, String to, boolean flapping) throws SQLException {
        st.execute("INSERT INTO state_changes (device_id, at, from_status, to_status, flapping, reason, since) VALUES ('" + id + "', "
                + at(at) + ", '" + from + "', '" + to + "', " + flapping + ", 'test', " + at(at) + ")");
    }

    static void state(Statement st, UUID id, String status, Instant since) throws SQLException {
        st.execute("INSERT INTO device_state (device_id, status, since, last_change, updated_at) VALUES ('" + id + "', '" + status
                + "', " + at(since) + ", " + at(since) + ", " + at(NOW) + ")");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    static List<JsonNode> postgresDashboards() throws IOException {
        assertTrue(Files.isDirectory(DASHBOARDS), "the dashboards are read from " + DASHBOARDS);
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode d = JSON.readTree(p.toFile());
                boolean postgres = false;
                for (JsonNode in : d.path("__inputs")) {
                    postgres |= in.path("pluginId").asText().equals("grafana-postgresql-datasource");
                }
                if (postgres) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** Every panel with its key ("uid/title"; a second panel of the same title gets "#type"). */
    static Map<String, JsonNode> panels(JsonNode dashboard) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add); // collapsed rows
        }
        for (JsonNode p : all) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            String key = dashboard.path("uid").asText() + "/" + p.path("title").asText();
            if (out.containsKey(key)) {
                key += "#" + p.path("type").asText();
            }
            assertFalse(out.containsKey(key), "two panels " + key);
            out.put(key, p);
        }
        return out;
    }

    static Result query(String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.setMaxRows(100_000);
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return new Result(sql, columns, rows);
            }
        } catch (SQLException e) {
            throw new AssertionError("the database refused:\n" + sql + "\n" + e.getMessage(), e);
        }
    }

    /**
     * Resolves the dashboard's variables in order as Grafana does: each query variable's SQL
     * expanded with the variables before it, run, its options {@code __value} (or the first
     * column); then the selection given (which must be among the options), "All" for a multi-value
     * variable with none given, else the first option.
     */
    static Map<String, GrafanaSql.Variable> variables(JsonNode dashboard, Map<String, List<String>> selection, Range range,
                                                      Map<String, List<String>> optionsOut) {
        Map<String, GrafanaSql.Variable> vars = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            List<String> options = new ArrayList<>();
            if (v.path("type").asText().equals("custom")) {
                // a fixed list: Grafana splits the query on commas (no escaped commas here)
                for (String o : v.path("query").asText().split(",")) {
                    options.add(o.strip());
                }
                assertEquals(options.getFirst(), v.path("current").path("value").asText(), name + ": the default is the first value");
            } else {
                assertEquals("query", v.path("type").asText(), name);
                assertEquals("${DS_POSTGRES}", v.path("datasource").path("uid").asText(), name + " reads the imported data source");
                String sql = GrafanaSql.expand(v.path("query").asText(), vars, range.from(), range.to(), range.interval());
                assertFalse(sql.contains("$"), "all of variable " + name + " expanded: " + sql);
                Result r = query(sql);
                int col = r.columns().contains("__value") ? r.columns().indexOf("__value") : 0;
                for (List<Object> row : r.rows()) {
                    options.add(String.valueOf(row.get(col)));
                }
            }
            optionsOut.put(name, options);
            boolean multi = v.path("multi").asBoolean();
            boolean includeAll = v.path("includeAll").asBoolean();
            String allValue = v.hasNonNull("allValue") ? v.path("allValue").asText() : null;
            List<String> chosen = selection.get(name);
            if (chosen != null) {
                assertTrue(options.containsAll(chosen), name + ": " + chosen + " among " + options);
                vars.put(name, new GrafanaSql.Variable(name, multi, includeAll, allValue, false, chosen));
            } else if (includeAll) {
                vars.put(name, new GrafanaSql.Variable(name, multi, true, allValue, true, options));
            } else {
                assertFalse(options.isEmpty(), name + " has options");
                vars.put(name, new GrafanaSql.Variable(name, multi, false, allValue, false, List.of(options.getFirst())));
            }
        }
        return vars;
    }

    /** Runs every panel of the dashboard for one selection and range, with the checks every panel gets. */
    static Map<String, Result> run(JsonNode dashboard, Map<String, List<String>> selection, Range range, UUID device) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        Map<String, GrafanaSql.Variable> vars = variables(dashboard, selection, range, options);
        Map<String, Result> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : panels(dashboard).entrySet()) {
            String key = e.getKey();
            JsonNode panel = e.getValue();
            Expect expect = EXPECT.get(key);
            assertNotNull(expect, "no expectation for panel " + key + " (add it to EXPECT)");
            JsonNode targets = panel.path("targets");
            assertEquals(1, targets.size(), key + " has one query");
            JsonNode t = targets.get(0);
            assertEquals("${DS_POSTGRES}", panel.path("datasource").path("uid").asText(), key);
            assertEquals("${DS_POSTGRES}", t.path("datasource").path("uid").asText(), key);
            String sql = GrafanaSql.expand(t.path("rawSql").asText(), vars, range.from(), range.to(), range.interval());
            assertFalse(sql.contains("$"), key + ": everything expanded:\n" + sql);
            Result r = query(sql);
            String where = key + " over " + range.name() + (device == null ? "" : " for " + device) + ":\n" + sql + "\n";
            assertEquals(expect.columns(), r.columns(), where + "columns");
            boolean timeSeries = t.path("format").asText().equals("time_series") || panel.path("type").asText().equals("state-timeline");
            if (timeSeries) {
                assertEquals("time", r.columns().getFirst(), where + "the time column first");
                double last = Double.NEGATIVE_INFINITY;
                for (List<Object> row : r.rows()) {
                    double s = epochSeconds(row.getFirst());
                    assertTrue(s >= last, where + "in time order");
                    assertTrue(s >= range.from().minus(Duration.ofDays(1)).toEpochMilli() / 1000.0 && s <= range.to().toEpochMilli() / 1000.0,
                            where + "time " + Instant.ofEpochSecond((long) s) + " in the range (less a bucket)");
                    last = s;
                }
            }
            // with a label chosen, a panel may rightly be empty (no device of the selection has such data)
            boolean filtered = selection.keySet().stream().anyMatch(k -> !k.equals("device") && !k.equals("interface") && !k.equals("unreachable"));
            if (!filtered && (expect.rowsFor() == null || expect.rowsFor().contains(device))) {
                assertFalse(r.rows().isEmpty(), where + "rows");
            }
            out.put(key, r);
        }
        out.put("options", new Result("", List.copyOf(options.keySet()), List.of(List.copyOf(options.values()))));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> options(Map<String, Result> run, String variable) {
        Result r = run.get("options");
        return (List<String>) r.rows().getFirst().get(r.columns().indexOf(variable));
    }

    static double epochSeconds(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Timestamp t) {
            return t.getTime() / 1000.0;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli() / 1000.0;
        }
        throw new AssertionError("a time value: " + v);
    }

    static JsonNode dashboard(String uid) throws IOException {
        for (JsonNode d : postgresDashboards()) {
            if (d.path("uid").asText().equals(uid)) {
                return d;
            }
        }
        throw new AssertionError("no dashboard " + uid + " in " + DASHBOARDS);
    }

    @Test
    void everyDashboardImportsCleanlyAndEveryPanelIsExpected() throws IOException {
        List<JsonNode> dashboards = postgresDashboards();
        Set<String> uids = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode d : dashboards) {
            uids.add(d.path("uid").asText());
            assertEquals(39, d.path("schemaVersion").asInt(), d.path("uid").asText());
            assertTrue(d.path("id").isNull(), "no database id in an exported dashboard");
            assertEquals("DS_POSTGRES", d.path("__inputs").get(0).path("name").asText());
            seen.addAll(panels(d).keySet());
        }
        assertEquals(Set.of("ward-availability", "ward-device", "ward-fleet"), uids);
        assertEquals(EXPECT.keySet(), seen, "every expected panel exists, and only those");
    }

    @Test
    void fleetOverview() throws IOException {
        JsonNode d = dashboard("ward-fleet");
        for (Range range : RANGES) {
            run(d, Map.of(), range, null);
        }
        Map<String, Result> day = run(d, Map.of(), DAY, null);
        assertEquals(List.of("(none)", "Achara", "Kakheti", "Tbilisi"), options(day, "region"));
        assertEquals(List.of(List.of(2L, 1L, 1L, 2L, 6L)), day.get("ward-fleet/Devices by status").rows());
        assertEquals(List.of(List.of(1L, 1L, 0L)), day.get("ward-fleet/Open alerts").rows());
        Result byBranch = day.get("ward-fleet/Status by region and branch");
        assertEquals(6, byBranch.rows().size());
        assertEquals(List.of("Tbilisi", "Saburtalo", 1L, 0L, 1L, 0L, 0L), byBranch.rows().get(0));
        assertEquals(List.of("Achara", "Kobuleti", 1L, 0L, 0L, 1L, 0L), byBranch.rows().get(1));
        Result alerts = day.get("ward-fleet/Open alerts#table");
        assertEquals(2, alerts.rows().size());
        assertEquals("tbs-atm-7", alerts.get(0, "Device"));
        assertEquals("critical", alerts.get(0, "Severity"));
        assertEquals(B.toString(), alerts.get(0, "id"));

        Map<String, Result> week = run(d, Map.of(), WEEK, null);
        Result rtt = week.get("ward-fleet/Highest round-trip time");
        assertEquals("bat-nvr-3", rtt.get(0, "Device"));
        assertEquals(80.0, rtt.num(0, "RTT avg"), 1e-9);
        assertEquals(90.0, rtt.num(0, "RTT max"), 1e-9);
        assertEquals("tbs-atm-7", rtt.get(1, "Device"));
        Result loss = week.get("ward-fleet/Highest packet loss");
        assertEquals(List.of("kob-atm-2", "bat-nvr-3", "tbs-atm-7"), List.of(loss.get(0, "Device"), loss.get(1, "Device"), loss.get(2, "Device")));
        assertEquals(100.0, loss.num(0, "Loss %"), 1e-9);
        assertEquals(100.0 / 3, loss.num(1, "Loss %"), 1e-9);
        assertEquals(100.0 * 5 / 168, loss.num(2, "Loss %"), 1e-9, "5 of 168 hours lost every echo");
        Result up = week.get("ward-fleet/Fleet time up");
        assertEquals(8, up.rows().size(), "the daily buckets of 03-23 to 03-30: whole UTC days overlapping the range");
        for (int i = 0; i < up.rows().size(); i++) {
            double v = up.num(i, "Up %");
            assertTrue(v >= 0 && v <= 100, "a percentage: " + v);
        }

        // one region chosen: the branch and type lists follow it, and the quoting of Tel'avi holds
        Map<String, Result> kakheti = run(d, Map.of("region", List.of("Kakheti")), DAY, null);
        assertEquals(List.of("Tel'avi"), options(kakheti, "branch"));
        assertEquals(List.of(List.of(0L, 0L, 0L, 1L, 1L)), kakheti.get("ward-fleet/Devices by status").rows());
        Map<String, Result> telavi = run(d, Map.of("branch", List.of("Tel'avi", "Vake")), DAY, null);
        assertEquals(List.of(List.of(1L, 0L, 0L, 1L, 2L)), telavi.get("ward-fleet/Devices by status").rows());
    }

    @Test
    void deviceDetail() throws IOException {
        JsonNode d = dashboard("ward-device");
        for (Range range : RANGES) {
            for (UUID device : List.of(A, B)) {
                run(d, Map.of("device", List.of(device.toString())), range, device);
            }
        }
        Map<String, Result> b = run(d, Map.of("device", List.of(B.toString())), DAY, B);
        assertTrue(options(b, "device").contains(F.toString()), "every device is offered");
        assertEquals(List.of(), options(b, "interface"), "B has no interfaces");
        assertEquals("DOWN", b.get("ward-device/Device").get(0, "Status"));
        Result rtt = b.get("ward-device/Round-trip time");
        assertEquals(24 * 60, rtt.rows().size(), "a point a minute");
        int answered = 0;
        for (int i = 0; i < rtt.rows().size(); i++) {
            if (rtt.get(i, "RTT avg") != null) {
                answered++;
                assertEquals(20.0, rtt.num(i, "RTT avg"), 1e-9);
                assertEquals(10.0, rtt.num(i, "RTT min"), 1e-9);
                assertEquals(30.0, rtt.num(i, "RTT max"), 1e-9);
            }
        }
        assertEquals(22 * 60, answered, "no RTT in the last 2 hours, down");
        Result timeline = b.get("ward-device/Status timeline");
        assertEquals(List.of("UP", "DOWN", "DOWN"), timeline.rows().stream().map(r -> r.get(1)).toList());
        assertEquals(DAY.from().getEpochSecond(), epochSeconds(timeline.rows().get(0).get(0)), 1e-6, "the state at the start");
        assertEquals(NOW.minus(Duration.ofHours(2)).getEpochSecond(), epochSeconds(timeline.rows().get(1).get(0)), 1e-6);
        assertEquals(DAY.to().getEpochSecond(), epochSeconds(timeline.rows().get(2).get(0)), 1e-6, "the last state to the end");
        assertEquals(1, b.get("ward-device/Open alerts").rows().size());

        Map<String, Result> bWeek = run(d, Map.of("device", List.of(B.toString())), WEEK, B);
        assertEquals(6, bWeek.get("ward-device/Events").rows().size(), "3 state changes, 2 alerts opened, 1 resolved");
        Result loss = bWeek.get("ward-device/Loss and time up");
        assertEquals(7 * 24, loss.rows().size(), "hourly points");
        long lost = loss.rows().stream().filter(r -> ((Number) r.get(1)).doubleValue() == 100.0).count();
        assertEquals(5, lost, "5 hours without an answer");
        List<String> statuses = bWeek.get("ward-device/Status timeline").rows().stream().map(r -> (String) r.get(1)).toList();
        assertEquals(List.of("UP", "DOWN", "UP", "DOWN", "DOWN"), statuses);

        for (Range range : List.of(DAY, MONTH, HALF_YEAR)) {
            Map<String, Result> a = run(d, Map.of("device", List.of(A.toString())), range, A);
            assertEquals(List.of("1", "2"), options(a, "interface"));
            Result traffic = a.get("ward-device/Interface traffic");
            Set<Object> names = new TreeSet<>();
            for (int i = 0; i < traffic.rows().size(); i++) {
                String name = (String) traffic.get(i, "metric");
                names.add(name);
                assertEquals(name.equals("ge-0/0/0") ? 1e6 : 3e6, traffic.num(i, "in"), 1e-3, range.name());
                assertEquals(name.equals("ge-0/0/0") ? 2e5 : 4e5, traffic.num(i, "out"), 1e-3, range.name());
            }
            assertEquals(Set.of("ge-0/0/0", "ge-0/0/1"), names);
            // one interface chosen
            Map<String, Result> one = run(d, Map.of("device", List.of(A.toString()), "interface", List.of("2")), range, A);
            assertTrue(one.get("ward-device/Interface traffic").rows().stream().allMatch(r -> r.get(1).equals("ge-0/0/1")));
        }
    }

    /**
     * The availability dashboard against the definition of docs/availability.md, worked out here
     * from the scenario's hours: availability = UP / (UP + DOWN [+ UNREACHABLE with unreachable=down]),
     * UNKNOWN and hours without results left out (none of those: empty); an outage a run of the
     * outage statuses clipped to the range; MTTR = downtime / outages.
     */
    @Test
    void availability() throws IOException {
        JsonNode d = dashboard("ward-availability");
        for (Range range : RANGES) {
            run(d, Map.of(), range, null);
            run(d, Map.of("unreachable", List.of("down")), range, null);
        }
        // 7 days, 168 whole hours: A and C UP throughout; B UP 163, DOWN 5 (NOW-72h to NOW-69h, and since NOW-2h);
        // D UNREACHABLE throughout (since NOW-10d); E UNKNOWN throughout; F no results (not monitored)
        double h = 3600.0;
        double aUp = 168;
        double bUp = 163;
        double bDown = 5;
        double cUp = 168;
        double dUnr = 168;
        Map<String, Result> week = run(d, Map.of(), WEEK, null);
        Result all = week.get("ward-availability/Availability");
        assertEquals(100.0 * (aUp + bUp + cUp) / (aUp + bUp + bDown + cUp), all.num(0, "Availability %"), 1e-9,
                "UNREACHABLE and UNKNOWN left out");
        assertEquals(5L, all.get(0, "Devices"));
        Result regions = week.get("ward-availability/By region");
        assertEquals(List.of("Tbilisi", "Achara", "Kakheti"), regions.rows().stream().map(r -> r.get(0)).toList(),
                "the least available first, a region without UP or DOWN time last");
        assertEquals(100.0 * (aUp + bUp) / (aUp + bUp + bDown), regions.num(0, "Availability %"), 1e-9);
        assertEquals(100.0, regions.num(1, "Availability %"), 1e-9, "D's UNREACHABLE time is not C's region's downtime");
        assertNull(regions.get(2, "Availability %"), "only UNKNOWN time: no availability, not 0");
        assertEquals(bDown * h, regions.num(0, "Down"), 1e-6);
        assertEquals(dUnr * h, regions.num(1, "Unreachable"), 1e-6);
        assertEquals(168 * h, regions.num(2, "Unknown"), 1e-6);
        Result types = week.get("ward-availability/By device type");
        assertEquals(List.of("ATM", "NVR", "Router", "Switch"), types.rows().stream().map(r -> r.get(0)).toList());
        assertEquals(100.0 * bUp / (bUp + bDown), types.num(0, "Availability %"), 1e-9, "ATM: B, and D left out");
        Result worst = week.get("ward-availability/Least available devices");
        assertEquals(List.of("tbs-atm-7", "bat-nvr-3", "tbs-core-1", "kob-atm-2", "tel-sw-1"),
                worst.rows().stream().map(r -> r.get(0)).toList());
        assertEquals(100.0 * bUp / (bUp + bDown), worst.num(0, "Availability %"), 1e-9);
        assertNull(worst.get(3, "Availability %"));
        Result outages = week.get("ward-availability/Outages");
        assertEquals(2L, outages.get(0, "Outages"), "B went DOWN twice; UNREACHABLE is no outage with it excluded");
        assertEquals(bDown * h, outages.num(0, "Downtime"), 1e-6);
        assertEquals(bDown * h / 2, outages.num(0, "MTTR"), 1e-6, "downtime / outages: 3 h ended, 2 h still running at the end");
        assertEquals(3 * h, outages.num(0, "Longest"), 1e-6);
        Result series = week.get("ward-availability/Availability by region");
        int tbilisiHalf = 0;
        for (List<Object> row : series.rows()) {
            Number v = (Number) row.get(2);
            switch ((String) row.get(1)) {
                case "Achara" -> assertEquals(100.0, v.doubleValue(), 1e-9, "Achara at " + row.get(0));
                case "Kakheti" -> assertNull(v, "Kakheti at " + row.get(0));
                case "Tbilisi" -> {
                    if (v.doubleValue() != 100.0) {
                        assertEquals(50.0, v.doubleValue(), 1e-9, "A up, B down");
                        tbilisiHalf++;
                    }
                }
                default -> throw new AssertionError(row);
            }
        }
        assertEquals(5, tbilisiHalf, "B's 5 hours down");

        // unreachable=down: D's 168 hours count as downtime, and as one outage (no change in the range)
        Map<String, Result> weekDown = run(d, Map.of("unreachable", List.of("down")), WEEK, null);
        assertEquals(100.0 * (aUp + bUp + cUp) / (aUp + bUp + bDown + cUp + dUnr),
                weekDown.get("ward-availability/Availability").num(0, "Availability %"), 1e-9);
        Result regionsDown = weekDown.get("ward-availability/By region");
        assertEquals(List.of("Achara", "Tbilisi", "Kakheti"), regionsDown.rows().stream().map(r -> r.get(0)).toList());
        assertEquals(100.0 * cUp / (cUp + dUnr), regionsDown.num(0, "Availability %"), 1e-9);
        assertEquals("kob-atm-2", weekDown.get("ward-availability/Least available devices").get(0, "Device"));
        assertEquals(0.0, weekDown.get("ward-availability/Least available devices").num(0, "Availability %"), 1e-9);
        Result outagesDown = weekDown.get("ward-availability/Outages");
        assertEquals(3L, outagesDown.get(0, "Outages"));
        assertEquals((bDown + dUnr) * h, outagesDown.num(0, "Downtime"), 1e-6);
        assertEquals((bDown + dUnr) * h / 3, outagesDown.num(0, "MTTR"), 1e-6);
        assertEquals(dUnr * h, outagesDown.num(0, "Longest"), 1e-6, "D's, clipped to the range");

        // an outage that began before the range: NOW-70h to NOW-60h holds B's last DOWN hour (to NOW-69h)
        Range across = new Range("10h across B's first outage's end", NOW.minus(Duration.ofHours(70)), NOW.minus(Duration.ofHours(60)),
                Duration.ofMinutes(1));
        Map<String, Result> acrossRun = run(d, Map.of(), across, null);
        assertEquals(100.0 * (10 + 9 + 10) / (10 + 10 + 10), acrossRun.get("ward-availability/Availability").num(0, "Availability %"), 1e-9);
        Result acrossOutages = acrossRun.get("ward-availability/Outages");
        assertEquals(1L, acrossOutages.get(0, "Outages"), "counted, with its part inside the range");
        assertEquals(h, acrossOutages.num(0, "MTTR"), 1e-6);
        assertEquals(h, acrossOutages.num(0, "Longest"), 1e-6);

        // 180 days read the daily roll-ups: 40 days (960 hours) of data, B DOWN 5 of them, D UNREACHABLE the last 240
        for (boolean unrDown : List.of(false, true)) {
            Map<String, Result> half = run(d, unrDown ? Map.of("unreachable", List.of("down")) : Map.of(), HALF_YEAR, null);
            Result regions180 = half.get("ward-availability/By region");
            Map<Object, Object> byRegion = new LinkedHashMap<>();
            for (int i = 0; i < regions180.rows().size(); i++) {
                byRegion.put(regions180.get(i, "Region"), regions180.get(i, "Availability %"));
            }
            assertEquals(100.0 * (960 + 955) / 1920, ((Number) byRegion.get("Tbilisi")).doubleValue(), 1e-9);
            assertEquals(100.0 * (960 + 720) / (unrDown ? 1920 : 1680), ((Number) byRegion.get("Achara")).doubleValue(), 1e-9);
            assertNull(byRegion.get("Kakheti"));
            assertTrue(byRegion.containsKey("Kakheti"));
        }

        Map<String, Result> achara = run(d, Map.of("region", List.of("Achara")), WEEK, null);
        assertEquals(100.0, achara.get("ward-availability/Availability").num(0, "Availability %"), 1e-9);
        assertEquals(0L, achara.get("ward-availability/Outages").get(0, "Outages"));
        assertNull(achara.get("ward-availability/Outages").get(0, "MTTR"), "no outages: no MTTR");
        assertEquals(List.of("Achara"), achara.get("ward-availability/Availability by region").rows().stream()
                .map(r -> r.get(1)).distinct().toList());
        Map<String, Result> acharaDown = run(d, Map.of("region", List.of("Achara"), "unreachable", List.of("down")), WEEK, null);
        assertEquals(50.0, acharaDown.get("ward-availability/Availability").num(0, "Availability %"), 1e-9);
    }
}
