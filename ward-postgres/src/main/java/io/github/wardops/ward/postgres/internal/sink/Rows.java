package io.github.wardops.ward.postgres.internal.sink;

import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns results into table rows. Stateless. */
final class Rows {
    private Rows() {
    }

    /** A ping_results row. RTTs in milliseconds, null when nothing came back. */
    record Ping(UUID device, String check, Instant at, String status, short sent, short received, Double rttMin,
                Double rttAvg, Double rttMax, Double rttMdev) {
    }

    /** A snmp_values row. */
    record Value(UUID device, String check, String item, Instant at, double value) {
    }

    /** The rows of a batch. */
    record Split(List<Ping> pings, List<Value> values) {
        int size() {
            return pings.size() + values.size();
        }
    }

    /** PostgreSQL keeps microseconds: truncate once here so every path stores the same instant. */
    static Instant at(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static Split split(List<ProbeResult> batch) {
        List<Ping> pings = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        for (ProbeResult r : batch) {
            Measurement m = r.measurement();
            String status = switch (r) {
                case ProbeResult.Up u -> "UP";
                case ProbeResult.Down d -> "DOWN";
                case ProbeResult.Unknown k -> "UNKNOWN";
            };
            Instant at = at(r.at());
            UUID id = r.device().value();
            if (m instanceof PingStats p) {
                pings.add(new Ping(id, r.check(), at, status, (short) Math.min(p.sent(), Short.MAX_VALUE),
                        (short) Math.min(p.received(), Short.MAX_VALUE), ms(p.rttMin()), ms(p.rttAvg()),
                        ms(p.rttMax()), ms(p.rttMdev())));
            } else if (r.type().equals("icmp")) {
                pings.add(new Ping(id, r.check(), at, status, (short) 0, (short) 0, null, null, null, null));
            } else {
                if (!(r instanceof ProbeResult.Unknown)) {
                    values.add(new Value(id, r.check(), "up", at, r instanceof ProbeResult.Up ? 1.0 : 0.0));
                }
                for (Map.Entry<String, Double> e : m.values().entrySet()) {
                    if (e.getValue() != null && !e.getKey().equals("up")) {
                        values.add(new Value(id, r.check(), e.getKey(), at, e.getValue()));
                    }
                }
            }
        }
        return new Split(pings, values);
    }

    private static Double ms(Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }
}
