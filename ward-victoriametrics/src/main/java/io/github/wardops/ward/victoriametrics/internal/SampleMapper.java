package io.github.wardops.ward.victoriametrics.internal;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.InterfaceMeasurement;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns probe results into samples named as the replaced system named them. Thread-safe
 * (immutable after construction).
 *
 * <ul>
 *   <li>ICMP ({@code type = "icmp"}): {@code device_ping_status} (1 up, 0 down),
 *       {@code device_ping_rtt_ms} (mean RTT; only when a reply came back) and
 *       {@code device_ping_packet_loss} (percent).</li>
 *   <li>Any other type T: {@code ward_T_status} (1 up, 0 down) and {@code ward_T_NAME} for each
 *       entry of {@link Measurement#values()}, with a {@code check} label (the check name).</li>
 *   <li>An {@link InterfaceMeasurement}: {@code interface_NAME} per interface value, with
 *       {@code if_index} and {@code if_name} labels.</li>
 *   <li>In {@link VictoriaMetricsOptions.Compat#V1}, an {@link SnmpMeasurement}'s interfaces also
 *       get the replaced system's raw counters ({@code interface_if_hc_in_octets}, ...), and
 *       all their series the {@code interface_type} and {@code isp_provider} labels (see
 *       {@link VictoriaMetricsOptions.Compat#V1}).</li>
 *   <li>An {@link SnmpMeasurement}'s table cells (items with labels, named
 *       {@code <table>_<column>.<index>}): {@code ward_snmp_item_<table>_<column>} with the
 *       {@code check} label, {@code index} and the template's label columns (a label whose name
 *       the sample already has is left out), instead of one flat series per row.</li>
 * </ul>
 *
 * <p>Every sample carries {@code device_id}, then {@code device_ip} and {@code device_name} when
 * the device is known, the mapped device labels that the device has (empty values left out), and
 * the static labels. An {@link ProbeResult.Unknown Unknown} result writes no status (ward could
 * not tell). NaN and infinite values are skipped and reported to the skip callback.
 */
public final class SampleMapper {
    /** Why a sample was not produced. */
    public enum Skip {
        /** A NaN or infinite value. */
        NON_FINITE,
        /** An {@code Unknown} result has no status to write. */
        UNKNOWN_RESULT
    }

    private final Map<String, String> deviceLabels;
    private final List<Sample.Label> staticLabels;
    private final boolean compatV1;

    /**
     * Creates a mapper.
     *
     * @param options the options (labels)
     */
    public SampleMapper(VictoriaMetricsOptions options) {
        this.deviceLabels = options.deviceLabels();
        List<Sample.Label> s = new ArrayList<>();
        options.staticLabels().forEach((k, v) -> s.add(new Sample.Label(k, v)));
        this.staticLabels = List.copyOf(s);
        this.compatV1 = options.compat() == VictoriaMetricsOptions.Compat.V1;
    }

    /**
     * Maps one result.
     *
     * @param r the result
     * @param device the device, when known
     * @param out receives the samples
     * @param skipped receives one call per sample not produced
     */
    public void map(ProbeResult r, Optional<Device> device, Consumer<Sample> out, Consumer<Skip> skipped) {
        List<Sample.Label> base = baseLabels(r, device);
        long ts = r.at().toEpochMilli();
        Measurement m = r.measurement();
        Map<String, Double> values = Objects.requireNonNull(m.values(), "Measurement.values() returned null");
        Double status = switch (r) {
            case ProbeResult.Up u -> 1.0;
            case ProbeResult.Down d -> 0.0;
            case ProbeResult.Unknown u -> null;
        };
        if ("icmp".equals(r.type())) {
            emitStatus(out, skipped, "device_ping_status", base, status, ts);
            Double rtt = values.get("rtt_avg_ms");
            if (rtt == null && r instanceof ProbeResult.Up u && !values.containsKey("received")) {
                rtt = u.latency().toNanos() / 1_000_000.0;
            }
            emit(out, skipped, "device_ping_rtt_ms", base, rtt, ts);
            emit(out, skipped, "device_ping_packet_loss", base, values.get("loss_pct"), ts);
        } else {
            List<Sample.Label> withCheck = new ArrayList<>(base.size() + 1);
            withCheck.addAll(base);
            withCheck.add(new Sample.Label("check", r.check()));
            withCheck = List.copyOf(withCheck);
            String prefix = "ward_" + r.type() + "_";
            emitStatus(out, skipped, PrometheusText.metricName(prefix + "status"), withCheck, status, ts);
            java.util.Set<String> cells = m instanceof SnmpMeasurement sm ? tableCells(out, skipped, withCheck, prefix, sm, ts)
                    : java.util.Set.of();
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (!cells.contains(e.getKey())) {
                    emit(out, skipped, PrometheusText.metricName(prefix + e.getKey()), withCheck, e.getValue(), ts);
                }
            }
        }
        if (compatV1 && m instanceof SnmpMeasurement sm) {
            emitSnmpInterfacesV1(out, skipped, base, sm, ts);
        } else if (m instanceof InterfaceMeasurement im) {
            emitInterfaces(out, skipped, base, im, ts);
        }
    }

    /** Emits the table cells with their labels; returns their {@code values()} keys, which are not emitted again. */
    private static java.util.Set<String> tableCells(Consumer<Sample> out, Consumer<Skip> skipped, List<Sample.Label> withCheck,
                                                    String prefix, SnmpMeasurement m, long ts) {
        java.util.Set<String> keys = null;
        for (SnmpItemValue v : m.items()) {
            Map<String, String> l = v.labels();
            String table = l.get("table");
            String column = l.get("column");
            if (table == null || column == null) {
                continue;
            }
            if (keys == null) {
                keys = new java.util.HashSet<>();
            }
            keys.add("item." + v.item().name());
            var n = v.number();
            if (n.isEmpty()) {
                continue;
            }
            List<Sample.Label> labels = new ArrayList<>(withCheck.size() + l.size());
            labels.addAll(withCheck);
            java.util.Set<String> taken = new java.util.HashSet<>();
            withCheck.forEach(x -> taken.add(x.name()));
            for (Map.Entry<String, String> e : l.entrySet()) {
                String name = PrometheusText.labelName(e.getKey());
                if (!e.getKey().equals("table") && !e.getKey().equals("column") && taken.add(name)) {
                    labels.add(new Sample.Label(name, e.getValue()));
                }
            }
            emit(out, skipped, PrometheusText.metricName(prefix + "item_" + table + "_" + column), List.copyOf(labels),
                    n.getAsDouble(), ts);
        }
        return keys == null ? java.util.Set.of() : keys;
    }

    private static void emitInterfaces(Consumer<Sample> out, Consumer<Skip> skipped, List<Sample.Label> base,
                                       InterfaceMeasurement im, long ts) {
        for (InterfaceMeasurement.InterfaceValues iv : im.interfaceValues()) {
            List<Sample.Label> labels = new ArrayList<>(base.size() + 2);
            labels.addAll(base);
            labels.add(new Sample.Label("if_index", Integer.toString(iv.ifIndex())));
            labels.add(new Sample.Label("if_name", iv.ifName()));
            labels = List.copyOf(labels);
            for (Map.Entry<String, Double> e : iv.values().entrySet()) {
                emit(out, skipped, PrometheusText.metricName("interface_" + e.getKey()), labels, e.getValue(), ts);
            }
        }
    }

    /**
     * Compat V1: ward's own {@code interface_*} series and the replaced system's raw counters, all
     * with {@code interface_type} and {@code isp_provider} when the interface has them. One label
     * set per interface, so a series is not written twice under two label sets.
     */
    private static void emitSnmpInterfacesV1(Consumer<Sample> out, Consumer<Skip> skipped, List<Sample.Label> base,
                                             SnmpMeasurement sm, long ts) {
        List<InterfaceMeasurement.InterfaceValues> own = sm.interfaceValues();
        List<SnmpInterface> ifs = sm.interfaces();
        for (int k = 0; k < ifs.size(); k++) {
            SnmpInterface i = ifs.get(k);
            InterfaceMeasurement.InterfaceValues iv = own.get(k);
            List<Sample.Label> labels = new ArrayList<>(base.size() + 4);
            labels.addAll(base);
            labels.add(new Sample.Label("if_index", Integer.toString(iv.ifIndex())));
            labels.add(new Sample.Label("if_name", iv.ifName()));
            if (i.role() != null && !i.role().isEmpty()) {
                labels.add(new Sample.Label("interface_type", i.role()));
            }
            String provider = i.attributes().get("provider");
            if (provider != null && !provider.isEmpty()) {
                labels.add(new Sample.Label("isp_provider", provider));
            }
            labels = List.copyOf(labels);
            for (Map.Entry<String, Double> e : iv.values().entrySet()) {
                emit(out, skipped, PrometheusText.metricName("interface_" + e.getKey()), labels, e.getValue(), ts);
            }
            InterfaceCounters c = i.counters();
            String octets = c.highCapacity() ? "interface_if_hc_" : "interface_if_";
            emit(out, skipped, octets + "in_octets", labels, unsigned(c.inOctets()), ts);
            emit(out, skipped, octets + "out_octets", labels, unsigned(c.outOctets()), ts);
            emit(out, skipped, octets + "in_ucast_pkts", labels, unsigned(c.inUcastPkts()), ts);
            emit(out, skipped, octets + "out_ucast_pkts", labels, unsigned(c.outUcastPkts()), ts);
            emit(out, skipped, "interface_if_in_errors", labels, unsigned(c.inErrors()), ts);
            emit(out, skipped, "interface_if_out_errors", labels, unsigned(c.outErrors()), ts);
            emit(out, skipped, "interface_if_in_discards", labels, unsigned(c.inDiscards()), ts);
            emit(out, skipped, "interface_if_out_discards", labels, unsigned(c.outDiscards()), ts);
            if (i.speedBitsPerSecond() > 0) {
                emit(out, skipped, "interface_if_high_speed", labels, i.speedBitsPerSecond() / 1_000_000.0, ts);
            }
        }
    }

    /** A counter read as unsigned (a Counter64 above 2^63 arrives negative in a long), or null. */
    static Double unsigned(Long v) {
        if (v == null) {
            return null;
        }
        long x = v;
        return x >= 0 ? (double) x : ((double) (x >>> 1)) * 2.0 + (x & 1L);
    }

    private List<Sample.Label> baseLabels(ProbeResult r, Optional<Device> device) {
        List<Sample.Label> l = new ArrayList<>(4 + deviceLabels.size() + staticLabels.size());
        l.add(new Sample.Label("device_id", r.device().toString()));
        if (device.isPresent()) {
            Device d = device.get();
            l.add(new Sample.Label("device_ip", d.address().getHostAddress()));
            l.add(new Sample.Label("device_name", d.name()));
            for (Map.Entry<String, String> e : deviceLabels.entrySet()) {
                String v = d.labels().get(e.getKey());
                if (v != null && !v.isEmpty()) {
                    l.add(new Sample.Label(e.getValue(), v));
                }
            }
        }
        l.addAll(staticLabels);
        return List.copyOf(l);
    }

    private static void emitStatus(Consumer<Sample> out, Consumer<Skip> skipped, String name,
                                   List<Sample.Label> labels, Double status, long ts) {
        if (status == null) {
            skipped.accept(Skip.UNKNOWN_RESULT);
        } else {
            out.accept(new Sample(name, labels, status, ts));
        }
    }

    private static void emit(Consumer<Sample> out, Consumer<Skip> skipped, String name, List<Sample.Label> labels,
                             Double v, long ts) {
        if (v == null) {
            return;
        }
        if (!Double.isFinite(v)) {
            skipped.accept(Skip.NON_FINITE);
            return;
        }
        out.accept(new Sample(name, labels, v, ts));
    }
}
