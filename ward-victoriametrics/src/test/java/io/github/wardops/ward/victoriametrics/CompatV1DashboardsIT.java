package io.github.wardops.ward.victoriametrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.poller.InterfaceRule;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.testkit.ManualClock;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
import io.github.wardops.ward.testkit.VictoriaMetricsServer.Point;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replaced system's dashboards on ward's series, truly: simulated SNMP agents (real UDP on
 * loopback) with known traffic are polled by ward's SNMP prober with classification rules, every
 * 60 s of a fake clock for 12 minutes; the results go through the VictoriaMetrics sink in
 * {@link VictoriaMetricsOptions.Compat#V1} into a real VictoriaMetrics, and the dashboards'
 * PromQL expressions are run there and their values compared with the simulated traffic.
 */
class CompatV1DashboardsIT {
    /** The classification: ISP uplinks by alias, with the provider as a named group; trunks. */
    static final String RULES = """
            uplink alias (?i)^isp[-_ ]?(?<provider>magti|silknet)
            trunk  alias (?i)trunk
            """;
    static final Duration POLL = Duration.ofSeconds(60);
    static final int POLLS = 12;

    @TempDir
    Path tmp;

    record Router(String key, String name, String ip, List<SimulatedInterface> interfaces, boolean ifXTable) {
        Router(String key, String name, String ip, List<SimulatedInterface> interfaces) {
            this(key, name, ip, interfaces, true);
        }
    }

    @Test
    void theOldDashboardQueriesReturnTheSimulatedTrafficAndExactlyTheUplinks() throws Exception {
        // Two branch routers with two ISP uplinks each (one of them down), a trunk and an access port;
        // a switch with no uplink at all; an old agent with only the 32-bit ifTable. Octets per second in;
        // out is half (SimulatedInterface.ethernet). The first router's agent restarts during the last 5 minutes.
        List<Router> routers = List.of(
                new Router("compat-r1", "Batumi-1-Router", "127.61.0.1", List.of(
                        SimulatedInterface.ethernet(1, 125_000).withAlias("ISP-Magti 100M"),
                        SimulatedInterface.ethernet(2, 250_000).withAlias("ISP_Silknet backup"),
                        SimulatedInterface.ethernet(3, 40_000).withAlias("trunk to sw1"),
                        SimulatedInterface.ethernet(4, 1_000).withAlias("office"))),
                new Router("compat-r2", "Kutaisi-2-Router", "127.61.0.2", List.of(
                        SimulatedInterface.ethernet(1, 500_000).withAlias("isp magti"),
                        down(SimulatedInterface.ethernet(2, 0).withAlias("ISP-Silknet")))),
                new Router("compat-sw", "Kutaisi-2-Switch", "127.61.0.3", List.of(
                        SimulatedInterface.ethernet(1, 75_000).withAlias("uplink to router"))),
                new Router("compat-old", "Zugdidi-3-Router", "127.61.0.4", List.of(
                        SimulatedInterface.ethernet(1, 60_000)), false));
        Instant start = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        ManualClock clock = new ManualClock(start);
        SnmpSimulator.Builder simulator = SnmpSimulator.builder().clock(clock);
        for (Router r : routers) {
            simulator.device(SimulatedDevice.builder(InetAddress.getByName(r.ip())).interfaces(r.interfaces())
                    .ifXTable(r.ifXTable()));
        }
        Map<DeviceId, Device> devices = new HashMap<>();
        List<ProbeResult> results = new ArrayList<>();
        try (SnmpSimulator sim = simulator.start();
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().clock(clock)
                     .meterRegistry(new SimpleMeterRegistry()).bindAddress(InetAddress.getLoopbackAddress())
                     .interfaceRules(InterfaceRule.parseAll("rules", RULES)).build())) {
            List<ProbeRequest> requests = new ArrayList<>();
            for (int k = 0; k < routers.size(); k++) {
                Router r = routers.get(k);
                SnmpSettings settings = SnmpSettings.builder().credentials(SnmpCredentials.v2c(Secret.of("public"))).port(sim.port(sim.devices().get(k)))
                        .requestTimeout(Duration.ofSeconds(2)).retries(1).build();
                Check check = new Check("snmp", settings, POLL, Duration.ofSeconds(10));
                Device d = Device.builder(DeviceId.fromKey(r.key()), r.name(), InetAddress.getByName(r.ip()))
                        .label("device_type", r.key().endsWith("sw") ? "Switch" : "Router").check(check).build();
                devices.put(d.id(), d);
                requests.add(new ProbeRequest(d, check, start));
            }
            for (int poll = 0; poll < POLLS; poll++) {
                for (ProbeRequest q : requests) {
                    ProbeResult r = prober.probe(new ProbeRequest(q.device(), q.check(), clock.instant()));
                    assertTrue(r instanceof ProbeResult.Up, () -> "poll of " + q.device().name() + ": " + r);
                    results.add(r);
                }
                if (poll == POLLS - 4) {
                    // Right after a poll, so no traffic goes uncounted: the counters start again from 0
                    // within the last 5 minutes, and rate() must take the fall as a reset.
                    sim.devices().getFirst().restart();
                }
                clock.advance(POLL);
            }
        }
        Instant last = start.plus(POLL.multipliedBy(POLLS - 1));

        try (VictoriaMetricsServer vm = new VictoriaMetricsServer(tmp)) {
            vm.start();
            try (ResultSink sink = VictoriaMetricsSinks.create(
                    VictoriaMetricsOptions.builder(URI.create(vm.base().toString()))
                            .compat(VictoriaMetricsOptions.Compat.V1).build(),
                    id -> Optional.ofNullable(devices.get(id)), new SimpleMeterRegistry())) {
                sink.write(results);
            }
            vm.forceFlush();

            // The uplink status panel: exactly the four ISP uplinks, with their providers; one down.
            List<Point> uplinks = vm.query("interface_oper_status{isp_provider!=\"\"}", last);
            assertEquals(Set.of("Batumi-1-Router/Gi0/1/Magti=1", "Batumi-1-Router/Gi0/2/Silknet=1",
                    "Kutaisi-2-Router/Gi0/1/magti=1", "Kutaisi-2-Router/Gi0/2/Silknet=2"),
                    uplinks.stream().map(p -> p.labels().get("device_name") + "/" + p.labels().get("if_name") + "/"
                            + p.labels().get("isp_provider") + "=" + (int) p.value()).collect(Collectors.toSet()),
                    uplinks.toString());
            for (Point p : uplinks) {
                assertEquals("uplink", p.labels().get("interface_type"), p.toString());
                assertEquals("Router", p.labels().get("device_type"), p.toString());
                assertTrue(p.labels().get("device_ip").startsWith("127.61.0."), p.toString());
            }
            List<Point> down = vm.query("interface_oper_status{isp_provider!=\"\"} == 2", last);
            assertEquals(1, down.size(), down.toString());
            assertEquals("Silknet", down.getFirst().labels().get("isp_provider"));
            assertEquals("Kutaisi-2-Router", down.getFirst().labels().get("device_name"));
            // The other interfaces are there, with no provider ("" to PromQL): trunk, access port, the switch's.
            List<Point> others = vm.query("interface_oper_status{isp_provider=\"\"}", last);
            assertEquals(4, others.size(), others.toString());
            assertEquals(Set.of("trunk", ""), others.stream().map(p -> p.labels().getOrDefault("interface_type", ""))
                    .collect(Collectors.toSet()));

            // The traffic panels: rates at query time from the raw counters, as the simulated traffic.
            Map<String, Double> in = byInterface(vm.query("rate(interface_if_hc_in_octets{isp_provider!=\"\"}[5m])", last));
            assertEquals(4, in.size(), in.toString());
            assertClose(125_000, in.get("Batumi-1-Router/Gi0/1"));
            assertClose(250_000, in.get("Batumi-1-Router/Gi0/2"));
            assertClose(500_000, in.get("Kutaisi-2-Router/Gi0/1"));
            assertEquals(0.0, in.get("Kutaisi-2-Router/Gi0/2"), 1e-9, "the down uplink moves nothing");
            Map<String, Double> outBits = byInterface(vm.query("rate(interface_if_hc_out_octets[5m]) * 8", last));
            assertEquals(7, outBits.size(), outBits.toString());
            assertClose(125_000 / 2.0 * 8, outBits.get("Batumi-1-Router/Gi0/1"));
            assertClose(75_000 / 2.0 * 8, outBits.get("Kutaisi-2-Switch/Gi0/1"));
            List<Point> perProvider = vm.query(
                    "sum by (isp_provider) (rate(interface_if_hc_in_octets{isp_provider!=\"\"}[5m]))", last);
            Map<String, Double> byProvider = new TreeMap<>();
            perProvider.forEach(p -> byProvider.put(p.labels().get("isp_provider"), p.value()));
            assertEquals(Set.of("Magti", "magti", "Silknet"), byProvider.keySet(), "as the aliases spell them");
            assertClose(125_000, byProvider.get("Magti"));
            assertClose(500_000, byProvider.get("magti"));
            assertClose(250_000, byProvider.get("Silknet"));
            // The restart is in the window: the raw counter fell, and rate() above took it as a reset.
            List<VictoriaMetricsServer.Series> batumi = vm.export(
                    "interface_if_hc_in_octets{device_name=\"Batumi-1-Router\",if_index=\"1\"}");
            List<Double> v = batumi.getFirst().values();
            assertTrue(v.get(POLLS - 3) < v.get(POLLS - 4), "the agent's counters restarted: " + v);
            // An agent with only 32-bit counters: under the ifTable names, not the HC ones.
            assertTrue(vm.query("interface_if_hc_in_octets{device_name=\"Zugdidi-3-Router\"}", last).isEmpty());
            assertClose(60_000, byInterface(vm.query("rate(interface_if_in_octets[5m])", last))
                    .get("Zugdidi-3-Router/GigabitEthernet0/1"));
            Map<String, Double> errors = byInterface(vm.query("rate(interface_if_in_errors{interface_type=\"uplink\"}[5m])", last));
            assertEquals(4, errors.size(), errors.toString());
            assertClose(0.5, errors.get("Batumi-1-Router/Gi0/1"));
            Map<String, Double> pkts = byInterface(vm.query("rate(interface_if_hc_in_ucast_pkts[5m])", last));
            assertClose(125_000 / 800.0, pkts.get("Batumi-1-Router/Gi0/1"));
            // Utilisation in percent: bits per second over ifHighSpeed (Mbit/s).
            List<Point> utilPoints = vm.query("rate(interface_if_hc_in_octets{isp_provider!=\"\"}[5m]) * 8 / 1e6 "
                    + "/ on (device_id, if_index) group_left interface_if_high_speed * 100", last);
            Map<String, Double> util = byInterface(utilPoints);
            assertEquals(4, util.size(), utilPoints.toString());
            assertClose(500_000 * 8 / 1e9 * 100, util.get("Kutaisi-2-Router/Gi0/1"));
            // ward's own rate series carry the same labels, and agree with the raw counters' rate.
            Map<String, Double> own = byInterface(vm.query("interface_in_bps{isp_provider=\"Magti\"}", last));
            assertEquals(1, own.size(), own.toString());
            assertClose(125_000 * 8, own.get("Batumi-1-Router/Gi0/1"));
        }
    }

    private static SimulatedInterface down(SimulatedInterface i) {
        return new SimulatedInterface(i.index(), i.name(), i.descr(), i.alias(), i.type(), i.speedBps(), 1, 2,
                0, 0, 0, 0.5, 0);
    }

    private static Map<String, Double> byInterface(List<Point> points) {
        Map<String, Double> m = new TreeMap<>();
        for (Point p : points) {
            m.put(p.labels().get("device_name") + "/" + p.labels().get("if_name"), p.value());
        }
        return m;
    }

    private static void assertClose(double expected, Double actual) {
        assertTrue(actual != null, "no value");
        assertEquals(expected, actual, expected * 0.01, () -> "within 1% of " + expected + ": " + actual);
    }
}
