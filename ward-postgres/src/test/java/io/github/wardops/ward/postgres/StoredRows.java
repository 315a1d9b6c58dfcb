package io.github.wardops.ward.postgres;

import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/** What the database should hold for some results, and what it holds, as comparable text rows. */
final class StoredRows {
    private StoredRows() {
    }

    private static String ms(Duration d) {
        return d == null ? "null" : Double.toString(d.toNanos() / 1_000_000.0);
    }

    /** Expected rows, keyed by primary key. */
    static Map<String, String> expected(Iterable<ProbeResult> results) {
        Map<String, String> m = new TreeMap<>();
        for (ProbeResult r : results) {
            String at = r.at().truncatedTo(ChronoUnit.MICROS).toString();
            String status = r instanceof ProbeResult.Up ? "UP" : r instanceof ProbeResult.Down ? "DOWN" : "UNKNOWN";
            if (r.measurement() instanceof PingStats p) {
                m.put("ping " + r.device() + " " + r.check() + " " + at, status + " " + p.sent() + " " + p.received()
                        + " " + ms(p.rttMin()) + " " + ms(p.rttAvg()) + " " + ms(p.rttMax()) + " " + ms(p.rttMdev()));
            } else if (r.type().equals("icmp")) {
                m.put("ping " + r.device() + " " + r.check() + " " + at, status + " 0 0 null null null null");
            } else {
                if (!(r instanceof ProbeResult.Unknown)) {
                    m.put("value " + r.device() + " " + r.check() + " up " + at,
                            Double.toString(r instanceof ProbeResult.Up ? 1.0 : 0.0));
                }
                r.measurement().values().forEach((k, v) ->
                        m.put("value " + r.device() + " " + r.check() + " " + k + " " + at, Double.toString(v)));
            }
        }
        return m;
    }

    /** The rows stored in ping_results and snmp_values, in the same shape. */
    static Map<String, String> stored(EmbeddedDatabase db) throws SQLException {
        Map<String, String> m = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT device_id, check_name, at, status, sent, received, rtt_min_ms, "
                    + "rtt_avg_ms, rtt_max_ms, rtt_mdev_ms FROM ping_results")) {
                while (rs.next()) {
                    String key = "ping " + rs.getObject(1) + " " + rs.getString(2) + " "
                            + rs.getObject(3, java.time.OffsetDateTime.class).toInstant();
                    String prev = m.put(key, rs.getString(4) + " " + rs.getInt(5) + " " + rs.getInt(6) + " "
                            + d(rs, 7) + " " + d(rs, 8) + " " + d(rs, 9) + " " + d(rs, 10));
                    if (prev != null) {
                        throw new AssertionError("stored twice: " + key);
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT device_id, check_name, item, at, value FROM snmp_values")) {
                while (rs.next()) {
                    String key = "value " + rs.getObject(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getObject(4, java.time.OffsetDateTime.class).toInstant();
                    if (m.put(key, Double.toString(rs.getDouble(5))) != null) {
                        throw new AssertionError("stored twice: " + key);
                    }
                }
            }
        }
        return m;
    }

    private static String d(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? "null" : Double.toString(v);
    }
}
