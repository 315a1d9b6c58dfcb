package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.InterfaceMeasurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip through a real VictoriaMetrics: what the sink sends is read back from
 * {@code /api/v1/export} and compared, names, labels (escaped ones included), values and
 * timestamps; and what the sink does while the server is stopped and after it is started again.
 */
class VictoriaMetricsSinkIT {
    /** Label values that exercise the escaping: quotes, backslashes, newlines, unicode, a trailing space. */
    // A device name holds no control character (Device refuses them); the site label below still has a line break.
    static final String TRICKY_NAME = "Batumi \"main\" \\ branch – second part, თბილისი ✓ 😀 ";
    static final String TRICKY_TYPE = "ATM\\\"x\"\\n";
    static final String TRICKY_SITE = "dc \"1\"\n\\";

    @TempDir
    Path tmp;
    VictoriaMetricsServer vm;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Map<DeviceId, Device> devices = new HashMap<>();
    final List<VictoriaMetricsSink> sinks = new ArrayList<>();
    final Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void start() throws Exception {
        vm = new VictoriaMetricsServer(tmp);
        vm.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (VictoriaMetricsSink s : sinks) {
            s.close();
        }
        vm.close();
    }

    VictoriaMetricsSink sink(VictoriaMetricsOptions o) {
        VictoriaMetricsSink s = new VictoriaMetricsSink(o, id -> Optional.ofNullable(devices.get(id)), registry);
        sinks.add(s);
        return s;
    }

    Device device(String key, String name, String ip, String type) throws Exception {
        Device d = Device.builder(DeviceId.fromKey(key), name, InetAddress.getByName(ip)).label("device_type", type)
                .label("region", "Achara").build();
        devices.put(d.id(), d);
        return d;
    }

    double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    record Ifaces(Map<String, Double> values, List<InterfaceValues> interfaceValues) implements InterfaceMeasurement {
    }

    /** The points results should become, from the mapper: "name{sorted labels}@timestamp" -> value. */
    static Map<String, Double> expected(SampleMapper mapper, List<ProbeResult> results, Map<DeviceId, Device> devices) {
        Map<String, Double> m = new TreeMap<>();
        for (ProbeResult r : results) {
            mapper.map(r, Optional.ofNullable(devices.get(r.device())),
                    s -> {
                        Map<String, String> labels = new TreeMap<>();
                        s.labels().forEach(l -> labels.put(l.name(), l.value()));
                        assertNull(m.put(s.name() + labels + "@" + s.timestampMillis(), s.value()), "duplicate " + s);
                    }, skip -> { });
        }
        return m;
    }

    /** The points stored, keyed as {@link #expected}. */
    static Map<String, Double> stored(List<VictoriaMetricsServer.Series> series) {
        Map<String, Double> m = new TreeMap<>();
        for (VictoriaMetricsServer.Series s : series) {
            for (int i = 0; i < s.values().size(); i++) {
                assertNull(m.put(s.name() + s.labels() + "@" + s.timestamps().get(i), s.values().get(i)));
            }
        }
        return m;
    }

    @Test
    void storedSeriesMatchWhatWasSentEscapedLabelsIncluded() throws Exception {
        Device atm = device("atm-7", TRICKY_NAME, "127.0.0.7", TRICKY_TYPE);
        Device rtr = device("rtr-1", "Rustavi-RTR", "::1", "Router");
        VictoriaMetricsOptions options = VictoriaMetricsOptions.builder(vm.base()).label("site", TRICKY_SITE)
                .deviceLabel("region", "region").build();
        Ifaces ifaces = new Ifaces(Map.of("cpu_pct", 12.5), List.of(
                new InterfaceMeasurement.InterfaceValues(3, "Gi0/1 \"ISP-1\" \\ uplink", Map.of("oper_status", 1.0, "in_octets", 1.234567e12)),
                new InterfaceMeasurement.InterfaceValues(4, "Gi0/2", Map.of("oper_status", 2.0, "errors", Double.NaN))));
        List<ProbeResult> results = List.of(
                new ProbeResult.Up(atm.id(), "icmp", "icmp", t0, Duration.ofNanos(1_250_000),
                        PingStats.of(2, new long[] {1_000_000, 1_500_000}, 2)),
                new ProbeResult.Down(atm.id(), "icmp", "icmp", t0.plusMillis(30_001), DownReason.TIMEOUT, "",
                        new PingStats(2, 0, null, null, null, null)),
                new ProbeResult.Up(rtr.id(), "icmp", "icmp", t0.plusMillis(5), Duration.ofNanos(800_000),
                        PingStats.of(2, new long[] {800_000}, 1)),
                new ProbeResult.Up(rtr.id(), "ssh", "tcp", t0.plusMillis(7), Duration.ofMillis(3), new TcpConnect(22, Duration.ofNanos(3_123_456))),
                new ProbeResult.Up(rtr.id(), "if", "snmp", t0.plusMillis(9), Duration.ZERO, ifaces),
                new ProbeResult.Unknown(DeviceId.fromKey("gone"), "icmp", "icmp", t0, "prober failed"),
                new ProbeResult.Down(DeviceId.fromKey("gone"), "icmp", "icmp", t0.plusMillis(11), DownReason.HOST_UNREACHABLE, "",
                        new PingStats(1, 0, null, null, null, null)));

        VictoriaMetricsSink gz = sink(options);
        gz.write(results.subList(0, 4));
        VictoriaMetricsSink plain = sink(options.toBuilder().name("plain").compress(false).build());
        plain.write(results.subList(4, results.size()));
        assertEquals(0, gz.bufferedSamples() + plain.bufferedSamples());
        vm.forceFlush();

        List<VictoriaMetricsServer.Series> series = vm.export("{__name__=~\"device_.*|ward_.*|interface_.*\"}");
        Map<String, Double> want = expected(new SampleMapper(options), results, devices);
        assertEquals(want, stored(series));

        // spelled out, so that the comparison above cannot pass by the mapper and the server agreeing on a mistake
        VictoriaMetricsServer.Series status = series.stream()
                .filter(s -> s.name().equals("device_ping_status") && atm.id().toString().equals(s.labels().get("device_id")))
                .findFirst().orElseThrow();
        assertEquals(Map.of("device_id", atm.id().toString(), "device_ip", "127.0.0.7", "device_name", TRICKY_NAME,
                "device_type", TRICKY_TYPE, "region", "Achara", "site", TRICKY_SITE), status.labels());
        assertEquals(List.of(1.0, 0.0), status.values());
        assertEquals(List.of(t0.toEpochMilli(), t0.toEpochMilli() + 30_001), status.timestamps());
        VictoriaMetricsServer.Series rtt = series.stream()
                .filter(s -> s.name().equals("device_ping_rtt_ms") && atm.id().toString().equals(s.labels().get("device_id")))
                .findFirst().orElseThrow();
        assertEquals(List.of(1.25), rtt.values(), "the down probe has no RTT");
        VictoriaMetricsServer.Series uplink = series.stream()
                .filter(s -> s.name().equals("interface_in_octets")).findFirst().orElseThrow();
        assertEquals("Gi0/1 \"ISP-1\" \\ uplink", uplink.labels().get("if_name"));
        assertEquals("3", uplink.labels().get("if_index"));
        assertEquals(List.of(1.234567e12), uplink.values());
        assertEquals(List.of(3.123456), series.stream().filter(s -> s.name().equals("ward_tcp_connect_ms"))
                .findFirst().orElseThrow().values());
        assertTrue(series.stream().noneMatch(s -> s.name().equals("interface_errors")), "NaN is never sent");
        assertEquals(Map.of("device_id", DeviceId.fromKey("gone").toString(), "site", TRICKY_SITE),
                series.stream().filter(s -> s.labels().get("device_id").equals(DeviceId.fromKey("gone").toString()))
                        .findFirst().orElseThrow().labels(), "an unknown device has its id only");
        assertEquals(1, count("ward.export.samples.skipped", "sink", "plain", "reason", "non_finite"));
        assertEquals(1, count("ward.export.samples.skipped", "sink", "plain", "reason", "unknown_result"));
        assertEquals(want.size(), count("ward.export.samples.sent", "sink", "victoriametrics")
                + count("ward.export.samples.sent", "sink", "plain"));
    }

    static ProbeResult ping(Device d, Instant at, long rttMicros) {
        return new ProbeResult.Up(d.id(), "icmp", "icmp", at, Duration.ofNanos(rttMicros * 1000),
                PingStats.of(1, new long[] {rttMicros * 1000}, 1));
    }

    @Test
    void whileTheServerIsDownSamplesAreBufferedBoundedAndArriveOnceItIsBack() throws Exception {
        List<Device> ds = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            ds.add(device("down-" + i, "dev-" + i, "127.0.1." + i, "Switch"));
        }
        VictoriaMetricsOptions options = VictoriaMetricsOptions.builder(vm.base())
                .requestTimeout(Duration.ofSeconds(2)).retries(2, Duration.ofMillis(10), Duration.ofMillis(50))
                .maxWriteTime(Duration.ofSeconds(10)).maxBufferedSamples(10).batchSize(4).build();
        VictoriaMetricsSink sink = sink(options);
        List<ProbeResult> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(ping(ds.get(i), t0.plusSeconds(i), 100 + i));
        }

        vm.stop();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sink.write(all.subList(0, 3)));
        assertEquals(9, sink.bufferedSamples());
        assertEquals(2, count("ward.export.retries"));
        assertEquals(3, count("ward.export.batches.failed", "reason", "connect"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sink.write(all.subList(3, 5)));
        assertEquals(10, sink.bufferedSamples());
        assertEquals(5, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(2, count("ward.export.retries"), "a server known to be down gets one attempt per write");
        assertEquals(4, count("ward.export.batches.failed", "reason", "connect"));
        assertEquals(0, count("ward.export.samples.sent"));

        vm.start();
        sink.write(all.subList(5, 6));
        assertEquals(0, sink.bufferedSamples());
        assertEquals(8, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(10, count("ward.export.samples.sent"));
        assertEquals(3, count("ward.export.batches.sent"), "10 samples in batches of 4");
        vm.forceFlush();

        // 18 samples were written; the oldest 8 were dropped: all of results 0 and 1, and the first two of result 2
        Map<String, Double> want = expected(new SampleMapper(options), all.subList(2, 6), devices);
        want.keySet().removeIf(k -> k.startsWith("device_ping_status") && k.contains(ds.get(2).id().toString())
                || k.startsWith("device_ping_rtt_ms") && k.contains(ds.get(2).id().toString()));
        assertEquals(10, want.size());
        assertEquals(want, stored(vm.export("{__name__=~\"device_.*\"}")));
    }

    @Test
    void closeFlushesWhatIsBuffered() throws Exception {
        Device d = device("close-1", "dev", "127.0.2.1", "AP");
        VictoriaMetricsSink sink = sink(VictoriaMetricsOptions.builder(vm.base()).retries(0, Duration.ZERO, Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(20)).build());
        vm.stop();
        sink.write(List.of(ping(d, t0, 250)));
        assertEquals(3, sink.bufferedSamples());
        vm.start();
        sink.close();
        assertEquals(3, count("ward.export.samples.sent"));
        assertEquals(0, count("ward.export.samples.dropped", "reason", "shutdown"));
        vm.forceFlush();
        Map<String, Double> stored = stored(vm.export("{device_id=\"" + d.id() + "\"}"));
        assertEquals(0.25, stored.entrySet().stream()
                .filter(e -> e.getKey().startsWith("device_ping_rtt_ms")).findFirst().orElseThrow().getValue());
        assertTrue(stored.keySet().stream().allMatch(k -> k.endsWith("@" + t0.toEpochMilli())), stored.toString());
        assertEquals(3, stored.size());
    }
}
