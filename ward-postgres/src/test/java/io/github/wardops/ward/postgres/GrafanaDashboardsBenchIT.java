package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How long the fleet-wide panels of the PostgreSQL dashboards take at 100,000 devices (a
 * benchmark, not a test: it only runs with {@code -Dward.bench.grafana=true}, prints its numbers
 * for docs/benchmarks.md and asserts none). The roll-ups hold what a 30-day range that starts and
 * ends mid-day reads, the worst case for the hybrid reads: 48 hourly rows (the range's first and
 * last UTC day) and 29 daily rows per device, 4.8 and 2.9 million rows; 100,000 devices with
 * region, branch and type labels, their state, two state changes each in the range, and 1,000
 * open alerts. Each panel's SQL, expanded as Grafana does with every variable at "All", is run 3
 * times after a warm-up; the best time is printed.
 */
class GrafanaDashboardsBenchIT {
    static final int DEVICES = Integer.getInteger("ward.bench.grafana.devices", 100_000);
    static final Instant FROM = Instant.parse("2026-02-28T00:30:00Z");
    static final Instant TO = Instant.parse("2026-03-30T23:30:00Z");

    @Test
    void fleetPanelsAtAHundredThousandDevices() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ward.bench.grafana"), "a benchmark: -Dward.bench.grafana=true");
        EmbeddedDatabase db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-grafana-bench"));
        try (db) {
            PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-grafana-bench-spool"),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).build()).close(); // migrates
            long t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO devices (id, name, address, labels) SELECT "
                        + "('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'dev-' || i, "
                        + "('127.64.0.0'::inet + i), jsonb_build_object('region', 'region-' || (i % 10), "
                        + "'branch', 'branch-' || (i % 200), 'device_type', 'type-' || (i % 5)) "
                        + "FROM generate_series(1, " + DEVICES + ") i");
                st.execute("INSERT INTO device_state (device_id, status, updated_at) SELECT id, "
                        + "(ARRAY['UP', 'UP', 'UP', 'DOWN', 'UNREACHABLE', 'UNKNOWN'])[1 + abs(hashtext(name)) % 6], now() FROM devices");
                String cols = "device_id, bucket, results, probes_sent, probes_answered, rtt_min_ms, rtt_avg_ms, rtt_max_ms, "
                        + "rtt_weight, up_seconds, down_seconds, unreachable_seconds, unknown_seconds";
                String values = "d.id, b, 120, 360, 350, 1, 2 + random() * 50, 60, 350, 3300, 200, 100, 0";
                st.execute("INSERT INTO device_hourly (" + cols + ") SELECT " + values + " FROM generate_series("
                        + "TIMESTAMPTZ '2026-02-28T00:00:00Z', TIMESTAMPTZ '2026-02-28T23:00:00Z', INTERVAL '1 hour') b, devices d "
                        + "UNION ALL SELECT " + values + " FROM generate_series(TIMESTAMPTZ '2026-03-30T00:00:00Z', "
                        + "TIMESTAMPTZ '2026-03-30T23:00:00Z', INTERVAL '1 hour') b, devices d ORDER BY 2");
                String daily = "d.id, b, 2880, 8640, 8400, 1, 2 + random() * 50, 60, 8400, 79200, 4800, 2400, 0";
                st.execute("INSERT INTO device_daily (" + cols + ") SELECT " + daily + " FROM generate_series("
                        + "TIMESTAMPTZ '2026-03-01T00:00:00Z', TIMESTAMPTZ '2026-03-29T00:00:00Z', INTERVAL '1 day') b, devices d ORDER BY 2");
                st.execute("INSERT INTO state_changes (device_id, at, from_status, to_status) SELECT id, TIMESTAMPTZ '2026-03-10T00:00:00Z' "
                        + "+ (abs(hashtext(name)) % 86400) * INTERVAL '1 second', 'UP', 'DOWN' FROM devices UNION ALL SELECT id, "
                        + "TIMESTAMPTZ '2026-03-10T01:00:00Z' + (abs(hashtext(name)) % 86400) * INTERVAL '1 second', 'DOWN', 'UP' FROM devices");
                st.execute("INSERT INTO alerts (device_id, rule, severity, opened_at, since) SELECT id, 'ping_unavailable', 'critical', "
                        + "now(), now() FROM devices LIMIT 1000");
                st.execute("VACUUM ANALYZE");
            }
            System.out.printf("grafana bench: %,d devices filled in %.1f s%n", DEVICES, (System.nanoTime() - t0) / 1e9);
            Map<String, GrafanaSql.Variable> vars = new LinkedHashMap<>();
            for (String name : List.of("region", "branch", "device_type")) {
                vars.put(name, new GrafanaSql.Variable(name, true, true, "'__all'", true, List.of()));
            }
            vars.put("device", new GrafanaSql.Variable("device", false, false, null, false, List.of("00000000-0000-4000-8000-000000000001")));
            vars.put("interface", new GrafanaSql.Variable("interface", true, true,
                    "SELECT if_index::text FROM interfaces WHERE device_id = nullif('$device', '')::uuid", true, List.of()));
            for (JsonNode d : GrafanaDashboardsIT.postgresDashboards()) {
                for (Map.Entry<String, JsonNode> e : GrafanaDashboardsIT.panels(d).entrySet()) {
                    String sql = GrafanaSql.expand(e.getValue().path("targets").get(0).path("rawSql").asText(), vars, FROM, TO,
                            Duration.ofHours(1));
                    assertFalse(sql.contains("$"), sql);
                    long best = Long.MAX_VALUE;
                    int rows = 0;
                    for (int i = 0; i < 4; i++) {
                        long t = System.nanoTime();
                        rows = run(db, sql);
                        if (i > 0) {
                            best = Math.min(best, System.nanoTime() - t);
                        }
                    }
                    System.out.printf("grafana bench: %-50s %8.1f ms %6d rows%n", e.getKey(), best / 1e6, rows);
                }
            }
        }
    }

    static int run(EmbeddedDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }
}
