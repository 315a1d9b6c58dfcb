package io.github.wardops.ward.postgres.internal.sink;

import io.github.wardops.ward.postgres.internal.db.Labels;
import io.github.wardops.ward.postgres.internal.db.SampleRows;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns results into table rows. Stateless.
 *
 * <p>An {@link SnmpMeasurement} becomes: one {@code interfaces} row per interface (discovered
 * attributes, last_seen), one {@code interface_samples} row per interface (raw counters, rates,
 * status), and {@code snmp_values} rows for {@code up}, {@code sys_uptime_s}, each numeric item
 * ({@code item.<name>}), {@code snmp_varbinds} and {@code snmp_requests}. Its per-interface keys of
 * {@link SnmpMeasurement#values()} ({@code if.<n>.*}) are not repeated in {@code snmp_values}.
 *
 * <p>Malformed values never fail a batch: a value that cannot be true (a 32-bit counter outside
 * 0..2^32-1, a negative or infinite rate, utilisation outside 0-100, an unknown status code, a
 * negative speed, NUL in a text) is stored as NULL (or, for an item, left out) and counted in
 * {@link Split#invalidValues()}; an interface whose ifIndex is below 1, or repeats one already
 * seen in the same poll, is left out and counted in {@link Split#refusedRows()}. A NaN rate is
 * "no honest rate" (first sample, reset, restart) and is stored as NULL without being counted.
 */
final class Rows {
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    /** ifAdminStatus 1-3 and ifOperStatus 1-7, as IF-MIB names them. */
    private static final String[] STATUS = {null, "up", "down", "testing", "unknown", "dormant", "notPresent",
        "lowerLayerDown"};

    private Rows() {
    }

    /** A ping_results row. RTTs in milliseconds, null when nothing came back. */
    record Ping(UUID device, String check, Instant at, String status, short sent, short received, Double rttMin,
                Double rttAvg, Double rttMax, Double rttMdev) {
    }

    /** A snmp_values row. */
    record Value(UUID device, String check, String item, Instant at, double value) {
    }

    /**
     * An interfaces row: what discovery found, as seen at {@code at} (last_seen); {@code firstAt} is
     * discovered_at when the row is new (the earliest poll of the batch).
     */
    record Iface(UUID device, int ifIndex, String name, String descr, String alias, Integer type, Integer mtu,
                 Long speedBps, String mac, String adminStatus, String operStatus, String role, String provider,
                 String attributesJson, Instant firstAt, Instant at) {
        /** The later of two polls of one interface, discovered at the earlier one. */
        Iface merge(Iface other) {
            Iface late = other.at.isAfter(at) ? other : this;
            Instant first = other.firstAt.isBefore(firstAt) ? other.firstAt : firstAt;
            return new Iface(device, ifIndex, late.name, late.descr, late.alias, late.type, late.mtu, late.speedBps,
                    late.mac, late.adminStatus, late.operStatus, late.role, late.provider, late.attributesJson, first,
                    late.at);
        }
    }

    /**
     * The rows of a batch.
     *
     * @param invalidValues malformed values stored as NULL or left out
     * @param refusedRows interfaces left out (bad or repeated ifIndex)
     */
    record Split(List<Ping> pings, List<Value> values, List<Iface> ifaces, List<SampleRows.Row> samples,
                 int invalidValues, int refusedRows) {
        /** Rows for the results tables (interfaces are upserted, not counted here). */
        int size() {
            return pings.size() + values.size() + samples.size();
        }
    }

    /** PostgreSQL keeps microseconds: truncate once here so every path stores the same instant. */
    static Instant at(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static Split split(List<ProbeResult> batch) {
        List<Ping> pings = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        List<Iface> ifaces = new ArrayList<>();
        List<SampleRows.Row> samples = new ArrayList<>();
        int[] bad = new int[2];
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
                if (m instanceof SnmpMeasurement s) {
                    snmp(id, r.check(), at, s, values, ifaces, samples, bad);
                } else {
                    for (Map.Entry<String, Double> e : m.values().entrySet()) {
                        if (e.getValue() != null && !e.getKey().equals("up")) {
                            values.add(new Value(id, r.check(), e.getKey(), at, e.getValue()));
                        }
                    }
                }
            }
        }
        return new Split(pings, values, ifaces, samples, bad[0], bad[1]);
    }

    private static void snmp(UUID id, String check, Instant at, SnmpMeasurement s, List<Value> values,
                             List<Iface> ifaces, List<SampleRows.Row> samples, int[] bad) {
        if (s.system() != null) {
            values.add(new Value(id, check, "sys_uptime_s", at, s.system().upTime().toMillis() / 1000.0));
        }
        Set<String> items = new HashSet<>();
        for (SnmpItemValue v : s.items()) {
            if (v.item().kind() == SnmpItem.Kind.TEXT) {
                continue;
            }
            var n = v.number();
            if (n.isEmpty()) {
                continue; // noSuchObject and friends: the device has no such value, not a malformed one
            }
            if (!Double.isFinite(n.getAsDouble()) || !items.add(v.item().name())) {
                bad[0]++;
                continue;
            }
            values.add(new Value(id, check, "item." + v.item().name(), at, n.getAsDouble()));
        }
        values.add(new Value(id, check, "snmp_varbinds", at, s.varBinds()));
        values.add(new Value(id, check, "snmp_requests", at, s.requests()));
        Set<Integer> seen = new HashSet<>();
        for (SnmpInterface i : s.interfaces()) {
            if (i.index() < 1 || !seen.add(i.index())) {
                bad[1]++;
                continue;
            }
            String admin = status(i.adminStatus(), 3, bad);
            String oper = status(i.operStatus(), 7, bad);
            Long speed = i.speedBitsPerSecond() > 0 ? Long.valueOf(i.speedBitsPerSecond()) : null;
            if (i.speedBitsPerSecond() < 0) {
                bad[0]++;
            }
            Map<String, String> attrs = new TreeMap<>();
            i.attributes().forEach((k, v) -> attrs.put(text(k, bad), text(v, bad)));
            ifaces.add(new Iface(id, i.index(), blankToNull(text(i.name(), bad)), blankToNull(text(i.descr(), bad)),
                    blankToNull(text(i.alias(), bad)), i.type(), i.mtu(), speed,
                    blankToNull(text(i.physAddress(), bad)), admin, oper,
                    i.role() == null ? null : text(i.role(), bad), attrs.get("provider"), Labels.write(attrs), at, at));
            InterfaceCounters c = i.counters();
            boolean hc = c.highCapacity();
            boolean anyWide = c.inOctets() != null || c.outOctets() != null || c.inUcastPkts() != null
                    || c.outUcastPkts() != null;
            InterfaceRates q = i.rates();
            samples.add(new SampleRows.Row(id, i.index(), at, oper, admin, anyWide ? hc : null,
                    counter(c.inOctets(), hc, bad), counter(c.outOctets(), hc, bad),
                    counter(c.inUcastPkts(), hc, bad), counter(c.outUcastPkts(), hc, bad),
                    counter(c.inErrors(), false, bad), counter(c.outErrors(), false, bad),
                    counter(c.inDiscards(), false, bad), counter(c.outDiscards(), false, bad),
                    rate(q.inBitsPerSecond(), bad), rate(q.outBitsPerSecond(), bad),
                    rate(q.inPacketsPerSecond(), bad), rate(q.outPacketsPerSecond(), bad),
                    rate(q.inErrorsPerSecond(), bad), rate(q.outErrorsPerSecond(), bad),
                    rate(q.inDiscardsPerSecond(), bad), rate(q.outDiscardsPerSecond(), bad),
                    pct(q.inUtilizationPct(), bad), pct(q.outUtilizationPct(), bad)));
        }
    }

    /** 0 = not read (NULL); 1..max its IF-MIB name; anything else is malformed (NULL, counted). */
    private static String status(int code, int max, int[] bad) {
        if (code == 0) {
            return null;
        }
        if (code < 0 || code > max) {
            bad[0]++;
            return null;
        }
        return STATUS[code];
    }

    /** A 64-bit counter keeps all its bits; a 32-bit one (Counter32) must be 0..2^32-1. */
    private static Long counter(Long v, boolean wide, int[] bad) {
        if (v == null || wide || (v >= 0 && v <= MAX_U32)) {
            return v;
        }
        bad[0]++;
        return null;
    }

    /** NaN is "no rate" (NULL, not counted); negative or infinite is malformed. */
    private static Double rate(double v, int[] bad) {
        if (Double.isNaN(v)) {
            return null;
        }
        if (v < 0 || Double.isInfinite(v)) {
            bad[0]++;
            return null;
        }
        return v;
    }

    private static Double pct(double v, int[] bad) {
        Double r = rate(v, bad);
        if (r != null && r > 100.0) {
            bad[0]++;
            return null;
        }
        return r;
    }

    /** PostgreSQL text cannot hold NUL: replace it (and count it) instead of losing the whole result. */
    private static String text(String s, int[] bad) {
        if (s.indexOf('\0') < 0) {
            return s;
        }
        bad[0]++;
        return s.replace('\0', '\uFFFD');
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static Double ms(Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }
}
