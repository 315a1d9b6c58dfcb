package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.InterfaceMeasurement;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampleMapperTest {
    static final Instant AT = Instant.parse("2026-11-29T12:00:00.123456Z");
    static final DeviceId ID = DeviceId.fromKey("batumi-1");

    final List<Sample> out = new ArrayList<>();
    final Map<SampleMapper.Skip, Integer> skipped = new EnumMap<>(SampleMapper.Skip.class);

    static Device device() throws Exception {
        return Device.builder(ID, "Batumi-1-NVR -", InetAddress.getByName("127.199.87.141"))
                .label("device_type", "NVR").label("region", "Achara").label("branch", "").build();
    }

    void map(SampleMapper m, ProbeResult r, Optional<Device> d) {
        m.map(r, d, out::add, s -> skipped.merge(s, 1, Integer::sum));
    }

    Sample named(String name) {
        return out.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + out));
    }

    @Test
    void icmpUpWritesTheReplacedSystemsThreeSeries() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428"))
                .label("site", "dc1").build());
        PingStats ps = PingStats.of(2, new long[] {1_000_000, 3_000_000}, 2);
        map(m, new ProbeResult.Up(ID, "icmp", "icmp", AT, Duration.ofMillis(2), ps), Optional.of(device()));
        assertEquals(List.of("device_ping_status", "device_ping_rtt_ms", "device_ping_packet_loss"),
                out.stream().map(Sample::name).toList());
        assertEquals(1.0, named("device_ping_status").value());
        assertEquals(2.0, named("device_ping_rtt_ms").value());
        assertEquals(0.0, named("device_ping_packet_loss").value());
        Sample s = named("device_ping_status");
        assertEquals(AT.toEpochMilli(), s.timestampMillis(), "milliseconds from ProbeResult.at()");
        assertEquals(List.of(new Sample.Label("device_id", ID.toString()),
                new Sample.Label("device_ip", "127.199.87.141"),
                new Sample.Label("device_name", "Batumi-1-NVR -"),
                new Sample.Label("device_type", "NVR"),
                new Sample.Label("site", "dc1")), s.labels(), "region is not mapped by default");
        assertTrue(skipped.isEmpty());
    }

    @Test
    void icmpDownWritesStatusZeroAndFullLossButNoRtt() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        PingStats ps = new PingStats(2, 0, null, null, null, null);
        map(m, new ProbeResult.Down(ID, "icmp", "icmp", AT, DownReason.TIMEOUT, "", ps), Optional.of(device()));
        assertEquals(List.of("device_ping_status", "device_ping_packet_loss"), out.stream().map(Sample::name).toList());
        assertEquals(0.0, named("device_ping_status").value());
        assertEquals(100.0, named("device_ping_packet_loss").value());
    }

    @Test
    void unknownWritesNoStatusAndIsCounted() {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        map(m, new ProbeResult.Unknown(ID, "icmp", "icmp", AT, "prober failed"), Optional.empty());
        map(m, new ProbeResult.Unknown(ID, "web", "tcp", AT, "prober failed"), Optional.empty());
        assertTrue(out.isEmpty());
        assertEquals(2, skipped.get(SampleMapper.Skip.UNKNOWN_RESULT));
    }

    @Test
    void anUnknownDeviceGivesDeviceIdOnly() {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        map(m, new ProbeResult.Up(ID, "icmp", "icmp", AT, Duration.ofMillis(2), Measurement.NONE), Optional.empty());
        Sample s = named("device_ping_status");
        assertEquals(List.of(new Sample.Label("device_id", ID.toString())), s.labels());
        assertEquals(2.0, named("device_ping_rtt_ms").value(), "without ping stats the latency is the RTT");
    }

    @Test
    void mappedDeviceLabelsAreRenamedAndEmptyOnesLeftOut() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428"))
                .deviceLabels(Map.of("region", "region_name", "branch", "branch", "missing", "missing")).build());
        map(m, new ProbeResult.Up(ID, "icmp", "icmp", AT, Duration.ofMillis(2), Measurement.NONE), Optional.of(device()));
        Sample s = named("device_ping_status");
        assertEquals("Achara", s.label("region_name"));
        assertNull(s.label("branch"), "empty device label left out");
        assertNull(s.label("missing"));
        assertNull(s.label("device_type"), "the default mapping was replaced");
    }

    @Test
    void otherTypesAreMappedGenericallyWithACheckLabel() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        map(m, new ProbeResult.Up(ID, "https", "tcp", AT, Duration.ofMillis(3),
                new TcpConnect(443, Duration.ofMillis(3))), Optional.of(device()));
        assertEquals(1.0, named("ward_tcp_status").value());
        assertEquals(443.0, named("ward_tcp_port").value());
        assertEquals(3.0, named("ward_tcp_connect_ms").value());
        assertEquals("https", named("ward_tcp_status").label("check"));
        assertNull(named("ward_tcp_status").label("if_index"));
    }

    @Test
    void oddTypeAndValueNamesAreSanitised() {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        Measurement odd = () -> Map.of("cpu.load-1m", 0.5, "9x", 1.0);
        map(m, new ProbeResult.Down(ID, "c", "my-probe", AT, DownReason.TIMEOUT, "", odd), Optional.empty());
        assertEquals(0.0, named("ward_my_probe_status").value());
        assertEquals(0.5, named("ward_my_probe_cpu_load_1m").value());
        assertEquals(1.0, named("ward_my_probe_9x").value());
    }

    @Test
    void nanAndInfinityAreSkippedAndCounted() {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("nan", Double.NaN);
        v.put("inf", Double.POSITIVE_INFINITY);
        v.put("ninf", Double.NEGATIVE_INFINITY);
        v.put("ok", 2.5);
        map(m, new ProbeResult.Up(ID, "c", "snmp", AT, Duration.ZERO, () -> v), Optional.empty());
        Map<String, Double> icmp = Map.of("loss_pct", Double.NaN, "rtt_avg_ms", Double.POSITIVE_INFINITY, "received", 1.0);
        map(m, new ProbeResult.Up(ID, "icmp", "icmp", AT, Duration.ZERO, () -> icmp), Optional.empty());
        assertEquals(List.of("ward_snmp_status", "ward_snmp_ok", "device_ping_status"),
                out.stream().map(Sample::name).toList());
        assertEquals(5, skipped.get(SampleMapper.Skip.NON_FINITE));
    }

    record Ifaces(Map<String, Double> values, List<InterfaceValues> interfaceValues) implements InterfaceMeasurement {
    }

    @Test
    void interfaceMeasurementsBecomeInterfaceSeries() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        Ifaces im = new Ifaces(Map.of("cpu_pct", 12.0), List.of(
                new InterfaceMeasurement.InterfaceValues(3, "Gi0/1 \"uplink\"", Map.of("oper_status", 1.0, "in_octets", 1.5e12)),
                new InterfaceMeasurement.InterfaceValues(7, "", Map.of("oper_status", 2.0, "errors", Double.NaN))));
        map(m, new ProbeResult.Up(ID, "snmp-if", "snmp", AT, Duration.ZERO, im), Optional.of(device()));
        assertEquals(12.0, named("ward_snmp_cpu_pct").value());
        List<Sample> oper = out.stream().filter(s -> s.name().equals("interface_oper_status")).toList();
        assertEquals(2, oper.size());
        assertEquals("3", oper.get(0).label("if_index"));
        assertEquals("Gi0/1 \"uplink\"", oper.get(0).label("if_name"));
        assertNull(oper.get(0).label("check"), "interface series keep the replaced system's labels");
        assertEquals("NVR", oper.get(0).label("device_type"));
        assertEquals(1.5e12, named("interface_in_octets").value());
        assertEquals(1, skipped.get(SampleMapper.Skip.NON_FINITE));
    }

    @Test
    void snmpMeasurementsExportTheirInterfacesUnderTheReplacedSystemsNames() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        var rates = new io.github.wardops.ward.snmp.InterfaceRates(1_000_000, 2_000_000, 10, 20, 0, 0, 0, 0, 1.0, Double.NaN);
        var counters = new io.github.wardops.ward.snmp.InterfaceCounters(1L, 2L, 3L, 4L, 0L, 0L, 0L, 0L, true);
        var uplink = new io.github.wardops.ward.snmp.SnmpInterface(3, "Gi0/1", "GigabitEthernet0/1", "ISP-1", 6, 1500,
                100_000_000L, "", 1, 1, "isp", Map.of(), counters, rates);
        var snmp = new io.github.wardops.ward.snmp.SnmpMeasurement(null, "cisco", List.of(), List.of(uplink), true, false, 10, 2, "");
        map(m, new ProbeResult.Up(ID, "snmp", "snmp", AT, Duration.ZERO, snmp), Optional.of(device()));
        Sample oper = named("interface_oper_status");
        assertEquals(1.0, oper.value());
        assertEquals("3", oper.label("if_index"));
        assertEquals("Gi0/1", oper.label("if_name"));
        assertEquals(100_000_000.0, named("interface_speed_bps").value());
        assertTrue(out.stream().noneMatch(s -> s.name().startsWith("interface_") && !Double.isFinite(s.value())),
                "a rate with no value (NaN) is not exported");
        assertTrue(out.stream().anyMatch(s -> s.name().startsWith("interface_") && s.value() == 1_000_000.0), out.toString());
    }

    static io.github.wardops.ward.snmp.SnmpMeasurement uplinkAndAccess() {
        var rates = new io.github.wardops.ward.snmp.InterfaceRates(1_000_000, 2_000_000, 10, 20, 0, 0, 0, 0, 1.0, Double.NaN);
        var hc = new io.github.wardops.ward.snmp.InterfaceCounters(123_456_789_012L, -2L, 3L, 4L, 5L, 6L, 7L, 8L, true);
        var uplink = new io.github.wardops.ward.snmp.SnmpInterface(3, "Gi0/1", "GigabitEthernet0/1", "ISP-Magti", 6, 1500,
                100_000_000L, "", 1, 2, "isp-uplink", Map.of("provider", "Magti"), hc, rates);
        var narrow = new io.github.wardops.ward.snmp.InterfaceCounters(4_000_000_000L, 11L, null, null, 0L, 0L, null, null, false);
        var access = new io.github.wardops.ward.snmp.SnmpInterface(5, "", "Fa0/5", "", 6, 1500, 0L, "", 1, 1, null, Map.of(),
                narrow, io.github.wardops.ward.snmp.InterfaceRates.NONE);
        return new io.github.wardops.ward.snmp.SnmpMeasurement(null, "cisco", List.of(), List.of(uplink, access), true,
                false, 10, 2, "");
    }

    List<Sample> named(String name, String ifIndex) {
        return out.stream().filter(s -> s.name().equals(name) && ifIndex.equals(s.label("if_index"))).toList();
    }

    @Test
    void withoutCompatThereAreNoRawCountersAndNoProviderLabel() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428")).build());
        map(m, new ProbeResult.Up(ID, "snmp", "snmp", AT, Duration.ZERO, uplinkAndAccess()), Optional.of(device()));
        assertTrue(out.stream().noneMatch(s -> s.name().startsWith("interface_if_")), out.toString());
        assertTrue(out.stream().noneMatch(s -> s.label("isp_provider") != null || s.label("interface_type") != null));
        assertEquals(2, out.stream().filter(s -> s.name().equals("interface_oper_status")).count());
    }

    @Test
    void compatV1WritesTheRawCountersAndTheClassificationLabelsOnEveryInterfaceSeries() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428"))
                .compat(VictoriaMetricsOptions.Compat.V1).build());
        map(m, new ProbeResult.Up(ID, "snmp", "snmp", AT, Duration.ZERO, uplinkAndAccess()), Optional.of(device()));
        // the uplink: 64-bit counters under the HC names, every series with its role and provider
        assertEquals(123_456_789_012.0, named("interface_if_hc_in_octets", "3").getFirst().value());
        assertEquals(18446744073709551614.0, named("interface_if_hc_out_octets", "3").getFirst().value(),
                "a Counter64 above 2^63 is unsigned, never negative");
        assertEquals(3.0, named("interface_if_hc_in_ucast_pkts", "3").getFirst().value());
        assertEquals(4.0, named("interface_if_hc_out_ucast_pkts", "3").getFirst().value());
        assertEquals(5.0, named("interface_if_in_errors", "3").getFirst().value());
        assertEquals(6.0, named("interface_if_out_errors", "3").getFirst().value());
        assertEquals(7.0, named("interface_if_in_discards", "3").getFirst().value());
        assertEquals(8.0, named("interface_if_out_discards", "3").getFirst().value());
        assertEquals(100.0, named("interface_if_high_speed", "3").getFirst().value(), "ifHighSpeed is in Mbit/s");
        List<Sample> oper = named("interface_oper_status", "3");
        assertEquals(1, oper.size(), "written once, with the old labels, not beside a copy without them");
        assertEquals(2.0, oper.getFirst().value());
        for (Sample s : out.stream().filter(s -> "3".equals(s.label("if_index"))).toList()) {
            assertEquals("Magti", s.label("isp_provider"), s.toString());
            assertEquals("isp-uplink", s.label("interface_type"), s.toString());
            assertEquals("Gi0/1", s.label("if_name"), s.toString());
            assertEquals("NVR", s.label("device_type"), s.toString());
        }
        assertEquals(1_000_000.0, named("interface_in_bps", "3").getFirst().value(), "ward's own series stay");
        // the access port: only 32-bit counters, no role, no provider, no speed
        assertTrue(named("interface_if_hc_in_octets", "5").isEmpty(), "32-bit counters are not called HC");
        assertEquals(4_000_000_000.0, named("interface_if_in_octets", "5").getFirst().value());
        assertEquals(11.0, named("interface_if_out_octets", "5").getFirst().value());
        assertTrue(named("interface_if_in_ucast_pkts", "5").isEmpty(), "a counter the agent did not return is left out");
        assertTrue(named("interface_if_in_discards", "5").isEmpty());
        assertTrue(named("interface_if_high_speed", "5").isEmpty(), "unknown speed");
        assertEquals("Fa0/5", named("interface_oper_status", "5").getFirst().label("if_name"), "ifDescr without ifName");
        for (Sample s : out.stream().filter(s -> "5".equals(s.label("if_index"))).toList()) {
            assertNull(s.label("isp_provider"), "no provider: the label is left out, \"\" to PromQL: " + s);
            assertNull(s.label("interface_type"), s.toString());
        }
        assertTrue(skipped.isEmpty(), skipped.toString());
    }

    @Test
    void unsignedCountersConvertExactlyWhereADoubleCan() {
        assertNull(SampleMapper.unsigned(null));
        assertEquals(0.0, SampleMapper.unsigned(0L));
        assertEquals(9.223372036854775807E18, SampleMapper.unsigned(Long.MAX_VALUE));
        assertEquals(9.223372036854775808E18, SampleMapper.unsigned(Long.MIN_VALUE));
        assertEquals(1.8446744073709551615E19, SampleMapper.unsigned(-1L));
    }

    @Test
    void snmpTableCellsBecomeOneSeriesPerColumnWithTheRowsLabels() throws Exception {
        SampleMapper m = new SampleMapper(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:8428"))
                .deviceLabel("region", "region").build());
        var free = new io.github.wardops.ward.snmp.SnmpItem("disk_free_bytes.2", io.github.wardops.ward.snmp.SnmpOid.parse(
                "1.3.6.1.4.1.50001.1.241.1.4.2"), io.github.wardops.ward.snmp.SnmpItem.Kind.GAUGE, "bytes",
                Duration.ofMinutes(5), 1048576);
        var cpu = new io.github.wardops.ward.snmp.SnmpItem("cpu_pct", io.github.wardops.ward.snmp.SnmpOid.parse(
                "1.3.6.1.4.1.39165.1.7.0"), io.github.wardops.ward.snmp.SnmpItem.Kind.GAUGE, "percent", Duration.ofMinutes(1));
        var snmp = new io.github.wardops.ward.snmp.SnmpMeasurement(null, "hikvision", List.of(
                new io.github.wardops.ward.snmp.SnmpItemValue(free, "template:hikvision",
                        new io.github.wardops.ward.snmp.SnmpValue.Integer32(3),
                        Map.of("table", "disk", "column", "free_bytes", "index", "2", "volume", "HDD2", "region", "spoof")),
                new io.github.wardops.ward.snmp.SnmpItemValue(cpu, "template:hikvision",
                        io.github.wardops.ward.snmp.SnmpValue.OctetString.of("17"))), List.of(), false, false, 3, 2, "");
        map(m, new ProbeResult.Up(ID, "snmp", "snmp", AT, Duration.ZERO, snmp), Optional.of(device()));
        Sample cell = named("ward_snmp_item_disk_free_bytes");
        assertEquals(3.0 * 1048576, cell.value());
        assertEquals("2", cell.label("index"));
        assertEquals("HDD2", cell.label("volume"));
        assertEquals("snmp", cell.label("check"));
        assertEquals("Achara", cell.label("region"), "a table label never replaces one the sample has");
        assertEquals(null, cell.label("table"));
        assertTrue(out.stream().noneMatch(s -> s.name().startsWith("ward_snmp_item_disk_free_bytes_")),
                "no flat series per row besides the labelled one: " + out);
        assertEquals(17.0, named("ward_snmp_item_cpu_pct").value(), "a scalar item stays one flat series");
    }
}
