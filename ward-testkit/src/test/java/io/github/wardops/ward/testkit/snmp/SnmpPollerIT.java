package io.github.wardops.ward.testkit.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.simulator.snmp.SimulatedBehaviour;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.snmp.InterfaceFilter;
import io.github.wardops.ward.snmp.poller.InterfaceRule;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Polls simulated agents end to end: real UDP on loopback, real SNMP4J on both sides, fake time. */
class SnmpPollerIT {
    private static final Secret COMMUNITY = Secret.of("public");
    private static final SnmpCredentials V2C = SnmpCredentials.v2c(COMMUNITY);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SnmpSimulator sim;
    private SnmpProber prober;

    @AfterEach
    void tearDown() {
        if (prober != null) {
            prober.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static InetAddress loopback(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    private SimulatedDevice start(SimulatedDevice.Builder d, SnmpOptions.Builder options) {
        sim = SnmpSimulator.builder().clock(clock)
                .user(SnmpCredentials.v3("wardv3", SnmpAuthProtocol.SHA256, Secret.of("authpass123"),
                        SnmpPrivProtocol.AES128, Secret.of("privpass123")))
                .device(d).start();
        prober = SnmpProbers.create(options.clock(clock).meterRegistry(meters)
                .bindAddress(InetAddress.getLoopbackAddress()).build());
        return sim.devices().getFirst();
    }

    private ProbeRequest request(SimulatedDevice d, SnmpSettings.Builder s) {
        SnmpSettings settings = s.port(sim.port(d)).requestTimeout(Duration.ofMillis(200)).retries(0).build();
        Check check = new Check("snmp", settings, Duration.ofSeconds(60), Duration.ofSeconds(10));
        Device device = Device.builder(new DeviceId(new UUID(0, 1)), "r1", d.address()).check(check).build();
        return new ProbeRequest(device, check, clock.instant());
    }

    private static SnmpMeasurement up(ProbeResult r) {
        assertTrue(r instanceof ProbeResult.Up, () -> "expected up, got " + r);
        return (SnmpMeasurement) r.measurement();
    }

    @Test
    void ratesFollowTheSimulatedCountersExactly() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000), SimulatedInterface.ethernet(2, 2_000_000))),
                SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        SnmpMeasurement first = up(prober.probe(req));
        assertTrue(first.interfacesDiscovered());
        assertEquals(2, first.interfaces().size());
        assertTrue(Double.isNaN(first.interfaces().getFirst().rates().inBitsPerSecond()), "no rate from a single sample");
        assertTrue(first.complete(), first.problem());

        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement second = up(prober.probe(req));
        assertFalse(second.interfacesDiscovered());
        SnmpInterface i1 = second.interfaces().getFirst();
        assertTrue(i1.counters().highCapacity());
        assertEquals(8_000_000.0, i1.rates().inBitsPerSecond(), 1.0);
        assertEquals(4_000_000.0, i1.rates().outBitsPerSecond(), 1.0);
        assertEquals(0.8, i1.rates().inUtilizationPct(), 1e-6);
        assertEquals(16_000_000.0, second.interfaces().get(1).rates().inBitsPerSecond(), 1.0);
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void thirtyTwoBitCountersWrapWithoutASpike() throws Exception {
        long nearWrap = 0xFFFF_FFFFL - 30_000_000L;
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")).ifXTable(false)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000).withOctetOffset(nearWrap))),
                SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        up(prober.probe(req));
        clock.advance(Duration.ofSeconds(60));
        SnmpInterface i = up(prober.probe(req)).interfaces().getFirst();
        assertFalse(i.counters().highCapacity());
        assertTrue(i.counters().inOctets() < 60_000_000L, "the counter wrapped");
        assertEquals(8_000_000.0, i.rates().inBitsPerSecond(), 1.0);
    }

    @Test
    void interfacesFallBackTo32BitCountersWhenTheHcColumnsDisappear() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000))), SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        assertTrue(up(prober.probe(req)).interfaces().getFirst().counters().highCapacity());
        d.highCapacityCounters(false);
        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement fallbackPoll = up(prober.probe(req));
        SnmpInterface fallback = fallbackPoll.interfaces().getFirst();
        assertFalse(fallback.counters().highCapacity());
        assertEquals(60_000_000L, fallback.counters().inOctets());
        assertTrue(Double.isNaN(fallback.rates().inBitsPerSecond()), "no rate across a counter width change");
        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement m = up(prober.probe(req));
        assertFalse(m.interfaces().getFirst().counters().highCapacity());
        assertEquals(8_000_000.0, m.interfaces().getFirst().rates().inBitsPerSecond(), 1.0);
        assertEquals(fallbackPoll.requests() - 1, m.requests(), "the fallback is remembered: no extra 32-bit GET");
    }

    @Test
    void agentRestartGivesNoRateAndRediscovers() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000))), SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        up(prober.probe(req));
        clock.advance(Duration.ofSeconds(600));
        up(prober.probe(req));
        clock.advance(Duration.ofSeconds(30));
        d.restart();
        clock.advance(Duration.ofSeconds(30));
        SnmpMeasurement m = up(prober.probe(req));
        assertTrue(m.agentRestarted());
        assertTrue(m.interfacesDiscovered());
        assertEquals(InterfaceRatesNone.NONE, m.interfaces().getFirst().rates());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(8_000_000.0, up(prober.probe(req)).interfaces().getFirst().rates().inBitsPerSecond(), 1.0);
    }

    @Test
    void counterDiscontinuityGivesNoRateForThatInterface() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000_000), SimulatedInterface.ethernet(2, 1_000_000))),
                SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        up(prober.probe(req));
        clock.advance(Duration.ofSeconds(30));
        d.resetCounters(2);
        clock.advance(Duration.ofSeconds(30));
        SnmpMeasurement m = up(prober.probe(req));
        assertFalse(Double.isNaN(m.interfaces().get(0).rates().inBitsPerSecond()));
        assertTrue(Double.isNaN(m.interfaces().get(1).rates().inBitsPerSecond()));
    }

    @Test
    void v3AuthPrivPollWorks() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000))), SnmpOptions.builder());
        SnmpCredentials v3 = SnmpCredentials.v3("wardv3", SnmpAuthProtocol.SHA256, Secret.of("authpass123"),
                SnmpPrivProtocol.AES128, Secret.of("privpass123"));
        SnmpMeasurement m = up(prober.probe(request(d, SnmpSettings.builder().credentials(v3))));
        assertEquals("net-snmp", m.vendor());
        assertEquals(1, m.interfaces().size());

        SnmpCredentials wrong = SnmpCredentials.v3("wardv3", SnmpAuthProtocol.SHA256, Secret.of("wrongpass123"),
                SnmpPrivProtocol.AES128, Secret.of("privpass123"));
        ProbeResult r = prober.probe(request(d, SnmpSettings.builder().credentials(wrong)));
        assertTrue(r instanceof ProbeResult.Down, r::toString);
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void silentGarbageAndTruncatedDevicesAreDownAndLeakNothing() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000))), SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        for (SimulatedBehaviour b : List.of(SimulatedBehaviour.SILENT, SimulatedBehaviour.GARBAGE,
                SimulatedBehaviour.TRUNCATED)) {
            d.behaviour(b);
            ProbeResult r = prober.probe(req);
            assertTrue(r instanceof ProbeResult.Down down && down.reason() == DownReason.TIMEOUT, b + ": " + r);
            assertEquals(0, prober.pendingRequests(), b + " leaked a request");
        }
        d.behaviour(SimulatedBehaviour.NORMAL);
        up(prober.probe(req));
        assertEquals(0.0, meters.get("ward.snmp.requests.pending").gauge().value());
    }

    @Test
    void wrongVarbindsAreMalformedNotTrusted() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        d.behaviour(SimulatedBehaviour.WRONG_VARBINDS);
        SnmpResponse r = prober.get(target(d), V2C, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0")));
        assertEquals(SnmpResponse.Status.MALFORMED, r.status());
    }

    @Test
    void aWalkStopsWhenTheAgentDoesNotMoveForward() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        d.behaviour(SimulatedBehaviour.NON_INCREASING_WALK);
        SnmpResponse r = prober.walk(target(d), V2C, SnmpOid.parse("1.3.6.1.2.1.1"));
        assertEquals(SnmpResponse.Status.MALFORMED, r.status());
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void getSplitsOnTooBigAndV1RetriesWithoutTheMissingOid() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")).maxGetVarbinds(2), SnmpOptions.builder());
        List<SnmpOid> oids = List.of(SnmpOid.parse("1.3.6.1.2.1.1.1.0"), SnmpOid.parse("1.3.6.1.2.1.1.3.0"),
                SnmpOid.parse("1.3.6.1.2.1.1.5.0"), SnmpOid.parse("1.3.6.1.2.1.1.99.0"), SnmpOid.parse("1.3.6.1.2.1.1.6.0"));
        SnmpResponse v2 = prober.get(target(d), V2C, oids);
        assertTrue(v2.ok(), v2.detail());
        assertEquals(5, v2.varBinds().size());
        assertTrue(v2.varBinds().get(3).value() instanceof SnmpValue.NoSuchObject);
        SnmpResponse v1 = prober.get(target(d), SnmpCredentials.v1(COMMUNITY), oids);
        assertTrue(v1.ok(), v1.detail());
        assertEquals("\"sim\"", v1.varBinds().get(2).value().formatValue());
        assertTrue(v1.varBinds().get(3).value() instanceof SnmpValue.NoSuchObject);
        assertEquals("\"loopback\"", v1.varBinds().get(4).value().formatValue());
    }

    @Test
    void v1WalkUsesGetNextAndSkipsCounter64() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000))), SnmpOptions.builder());
        SnmpResponse v1 = prober.walk(target(d), SnmpCredentials.v1(COMMUNITY), SnmpOid.parse("1.3.6.1.2.1.31.1.1.1"));
        SnmpResponse v2 = prober.walk(target(d), V2C, SnmpOid.parse("1.3.6.1.2.1.31.1.1.1"));
        assertTrue(v1.ok() && v2.ok());
        assertTrue(v2.varBinds().stream().anyMatch(vb -> vb.value() instanceof SnmpValue.Counter64));
        assertTrue(v1.varBinds().stream().noneMatch(vb -> vb.value() instanceof SnmpValue.Counter64));
        assertEquals(19, v2.varBinds().size());
    }

    @Test
    void filtersAndClassificationRulesApply() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")).interfaces(List.of(
                SimulatedInterface.ethernet(1, 1_000).withAlias("ISP-Magti uplink"),
                SimulatedInterface.ethernet(2, 1_000).withAlias("trunk to sw1"),
                new SimulatedInterface(3, "lo", "lo", "", 24, 0, 1, 1, 0, 0, 0, 0, 0),
                new SimulatedInterface(4, "Vlan10", "Vlan10", "", 135, 0, 1, 1, 0, 0, 0, 0, 0))),
                SnmpOptions.builder().interfaceRules(InterfaceRule.parseAll("rules",
                        "isp-uplink alias (?i)^ISP[-_ ]?(?<provider>[A-Za-z0-9]+)\ntrunk alias (?i)trunk")));
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C)
                .interfaceFilter(new InterfaceFilter(Set.of(), Set.of(24), List.of(), List.of("Vlan\\d+"))));
        SnmpMeasurement m = up(prober.probe(req));
        assertEquals(List.of(1, 2), m.interfaces().stream().map(SnmpInterface::index).toList());
        assertEquals("isp-uplink", m.interfaces().get(0).role());
        assertEquals("Magti", m.interfaces().get(0).attributes().get("provider"));
        assertEquals("trunk", m.interfaces().get(1).role());
    }

    @Test
    void classificationRulesReadTypeAndSpeedAsTheAgentGivesThem() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")).interfaces(List.of(
                SimulatedInterface.ethernet(1, 1_000),
                new SimulatedInterface(2, "Po1", "Port-channel1", "", 161, 2_000_000_000L, 1, 1, 0, 0, 0, 0, 0),
                new SimulatedInterface(3, "Se0/0", "Serial0/0", "", 22, 2_048_000L, 1, 1, 0, 0, 0, 0, 0),
                new SimulatedInterface(4, "Te0/1", "TenGigabitEthernet0/1", "", 6, 10_000_000_000L, 1, 1, 0, 0, 0, 0, 0))),
                SnmpOptions.builder().interfaceRules(InterfaceRule.parseAll("rules", """
                        lag      type  ieee8023adLag
                        backbone speed >= 10G
                        slow     ifSpeed < 10M
                        """)));
        SnmpMeasurement m = up(prober.probe(request(d, SnmpSettings.builder().credentials(V2C))));
        java.util.Map<Integer, String> roles = new java.util.TreeMap<>();
        m.interfaces().forEach(i -> roles.put(i.index(), String.valueOf(i.role())));
        assertEquals(java.util.Map.of(1, "null", 2, "lag", 3, "slow", 4, "backbone"), roles,
                "ifHighSpeed gives 10G for Te0/1 (ifSpeed caps at 4.29G)");
    }

    @Test
    void vendorTemplateItemsAreReadWhenDue() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .system("Cisco IOS", SnmpOid.parse("1.3.6.1.4.1.9.1.1208"), "r1", "Tbilisi")
                .scalar(SnmpOid.parse("1.3.6.1.4.1.9.9.109.1.1.1.1.8.1"), new SnmpValue.Gauge32(42)),
                SnmpOptions.builder());
        ProbeRequest req = request(d, SnmpSettings.builder().credentials(V2C));
        SnmpMeasurement m = up(prober.probe(req));
        assertEquals("cisco", m.vendor());
        assertEquals(42.0, m.values().get("item.cpu_5min_pct"));
        assertTrue(m.items().stream().filter(i -> i.item().name().equals("temperature_c"))
                .allMatch(i -> i.value().isException()));
        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement next = up(prober.probe(req));
        assertTrue(next.values().containsKey("item.cpu_5min_pct"), "60 s item due again");
        assertTrue(next.items().stream().noneMatch(i -> i.item().name().equals("temperature_c")), "300 s item not due");
    }

    @Test
    void aSimulatedHikvisionNvrGivesItsDiskTableAndTextNumbersAndALabelSelectedTemplateItsIfTable() throws Exception {
        SnmpOid disk = SnmpOid.parse("1.3.6.1.4.1.50001.1.241.1");
        io.github.wardops.ward.snmp.poller.VendorTemplate nvrs = io.github.wardops.ward.snmp.poller.VendorTemplate.parse(
                "nvr-ports.tmpl", """
                vendor nvr-ports
                select device_type=NVR
                table  port 1.3.6.1.2.1.2.2.1 1m
                label  port descr 2
                column port in_octets 10 counter octets
                column port speed_mbps 5 gauge mbps scale=0.000001
                """);
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .system("DS-7608NI-K2", SnmpOid.parse("1.3.6.1.4.1.39165.1.1"), "nvr1", "Batumi")
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000), SimulatedInterface.ethernet(2, 2_000)))
                .scalar(SnmpOid.parse("1.3.6.1.4.1.39165.1.7.0"), SnmpValue.OctetString.of("23"))
                .scalar(SnmpOid.parse("1.3.6.1.4.1.39165.1.1.0"), SnmpValue.OctetString.of("NVR"))
                .scalar(disk.append(2, 1), SnmpValue.OctetString.of("HDD1"))
                .scalar(disk.append(2, 2), SnmpValue.OctetString.of("HDD2"))
                .scalar(disk.append(3, 1), new SnmpValue.Integer32(0))
                .scalar(disk.append(3, 2), new SnmpValue.Integer32(3))
                .scalar(disk.append(4, 1), new SnmpValue.Integer32(1000))
                .scalar(disk.append(4, 2), new SnmpValue.Integer32(0))
                .scalar(disk.append(5, 1), new SnmpValue.Integer32(4000))
                .scalar(disk.append(5, 2), new SnmpValue.Integer32(2000)),
                SnmpOptions.builder().templates(List.of(nvrs)));
        ProbeRequest plain = request(d, SnmpSettings.builder().credentials(V2C));
        Device nvr = Device.builder(plain.device().id(), "nvr1", d.address()).label("device_type", "NVR")
                .check(plain.check()).build();
        ProbeRequest req = new ProbeRequest(nvr, plain.check(), clock.instant());
        SnmpMeasurement m = up(prober.probe(req));
        assertTrue(m.complete(), m.problem());
        assertEquals("hikvision", m.vendor());
        Map<String, Double> v = m.values();
        assertEquals(23.0, v.get("item.cpu_pct"), "cpuPercent is a number sent as text");
        assertEquals(1000.0 * 1048576, v.get("item.disk_free_bytes.1"));
        assertEquals(0.0, v.get("item.disk_free_bytes.2"));
        assertEquals(3.0, v.get("item.disk_status.2"));
        assertEquals(4000.0 * 1048576, v.get("item.disk_capacity_bytes.1"));
        var hdd2 = m.items().stream().filter(i -> i.item().name().equals("disk_status.2")).findFirst().orElseThrow();
        assertEquals(Map.of("table", "disk", "column", "status", "index", "2", "volume", "HDD2"), hdd2.labels());
        assertEquals("template:hikvision", hdd2.source());
        assertFalse(v.containsKey("item.device_type"), "a text item is no number");
        var port1 = m.items().stream().filter(i -> i.item().name().equals("port_in_octets.1")).findFirst().orElseThrow();
        assertEquals("template:nvr-ports", port1.source(), "the label-selected template applies beside the vendor's");
        assertEquals(m.interfaces().getFirst().descr(), port1.labels().get("descr"));
        assertTrue(v.containsKey("item.port_in_octets.2"));
        assertEquals(m.interfaces().get(1).speedBitsPerSecond() * 0.000001, v.get("item.port_speed_mbps.2"), 1e-9);

        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement next = up(prober.probe(req));
        assertTrue(next.values().containsKey("item.cpu_pct"), "60 s item due again");
        assertTrue(next.values().containsKey("item.port_in_octets.1"), "1 min table due again");
        assertFalse(next.values().containsKey("item.disk_free_bytes.1"), "300 s table not due");

        Device router = Device.builder(new DeviceId(new UUID(0, 2)), "r2", d.address()).label("device_type", "Router")
                .check(plain.check()).build();
        SnmpMeasurement other = up(prober.probe(new ProbeRequest(router, plain.check(), clock.instant())));
        assertTrue(other.items().stream().noneMatch(i -> i.source().equals("template:nvr-ports")),
                "a device without the label gets no label-selected template");
    }

    @Test
    void slowDevicesAnswerOrTimeOutAndLateAnswersLeakNothing() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        d.behaviour(SimulatedBehaviour.SLOW);
        d.delay(Duration.ofMillis(30));
        SnmpTarget patient = new SnmpTarget(d.address(), sim.port(d), Duration.ofSeconds(2), 0, 10, 50);
        assertTrue(prober.get(patient, V2C, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0"))).ok());
        d.delay(Duration.ofMillis(400));
        SnmpTarget hasty = new SnmpTarget(d.address(), sim.port(d), Duration.ofMillis(100), 0, 10, 50);
        assertEquals(SnmpResponse.Status.TIMEOUT,
                prober.get(hasty, V2C, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0"))).status());
        Thread.sleep(500); // the late answer arrives after ward gave up
        assertEquals(0, prober.pendingRequests());
    }

    @Test
    void ifNumberChangeTriggersRediscoveryAndLabelItemsAreRead() throws Exception {
        SnmpOid custom = SnmpOid.parse("1.3.6.1.4.1.99999.1.0");
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1"))
                .interfaces(List.of(SimulatedInterface.ethernet(1, 1_000)))
                .scalar(custom, new SnmpValue.Integer32(17)),
                SnmpOptions.builder().itemsForLabels(java.util.Map.of("role", "edge"), List.of(new io.github.wardops.ward.snmp.SnmpItem(
                        "queue_depth", custom, io.github.wardops.ward.snmp.SnmpItem.Kind.GAUGE, "", Duration.ofSeconds(60)))));
        ProbeRequest plain = request(d, SnmpSettings.builder().credentials(V2C));
        Device labelled = Device.builder(plain.device().id(), "r1", d.address()).label("role", "edge")
                .check(plain.check()).build();
        ProbeRequest req = new ProbeRequest(labelled, plain.check(), clock.instant());
        SnmpMeasurement first = up(prober.probe(req));
        assertEquals(17.0, first.values().get("item.queue_depth"));
        clock.advance(Duration.ofSeconds(60));
        assertFalse(up(prober.probe(req)).interfacesDiscovered());
        d.set(SnmpOid.parse("1.3.6.1.2.1.2.1.0"), new SnmpValue.Integer32(2));
        clock.advance(Duration.ofSeconds(60));
        SnmpMeasurement changed = up(prober.probe(req));
        assertTrue(changed.interfacesDiscovered());
        assertTrue(Double.isNaN(changed.interfaces().getFirst().rates().inBitsPerSecond()), "no rate across a renumbering");
    }

    @Test
    void missingCredentialsReferenceIsUnknownNotAnException() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        ProbeResult r = prober.probe(request(d, SnmpSettings.builder().credentialsRef("nope")));
        assertTrue(r instanceof ProbeResult.Unknown u && u.detail().contains("nope"), r::toString);
    }

    @Test
    void theSimulatorSurvivesGarbageRequests() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            java.util.Random r = new java.util.Random(42);
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                if (i % 2 == 0) {
                    junk[0] = 0x30; // looks like a BER sequence
                }
                s.send(new java.net.DatagramPacket(junk, junk.length, d.address(), sim.port(d)));
            }
        }
        assertTrue(prober.get(target(d), V2C, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0"))).ok());
        SnmpResponse wrongCommunity = prober.get(new SnmpTarget(d.address(), sim.port(d), Duration.ofMillis(100), 0, 10, 50),
                SnmpCredentials.v2c(Secret.of("private")), List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0")));
        assertEquals(SnmpResponse.Status.TIMEOUT, wrongCommunity.status(), "agents drop bad communities");
    }

    @Test
    void theSimulatedMibWalksInOrderFromTheTop() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")).interfaces(List.of(
                SimulatedInterface.ethernet(1, 1), SimulatedInterface.ethernet(2, 1), SimulatedInterface.ethernet(10, 1))),
                SnmpOptions.builder());
        SnmpResponse all = prober.walk(target(d), V2C, SnmpOid.parse("1.3"));
        assertTrue(all.ok(), all.detail());
        assertEquals(7 + 1 + 22 * 3 + 19 * 3, all.varBinds().size());
        assertEquals("1.3.6.1.2.1.2.2.1.1.10", all.varBinds().get(10).oid().toString());
        SnmpResponse v1 = prober.walk(target(d), SnmpCredentials.v1(COMMUNITY), SnmpOid.parse("1.3"));
        assertEquals(7 + 1 + 22 * 3 + 11 * 3, v1.varBinds().size(), "v1 never sees the 8 Counter64 columns");
    }

    @Test
    void twoDevicesOnOneAddressAndPortAreRefusedWithTheAddress() throws Exception {
        InetAddress a = loopback("127.0.0.1");
        try (SnmpSimulator first = SnmpSimulator.builder().device(SimulatedDevice.builder(a)).start()) {
            int port = first.port(first.devices().getFirst());
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> SnmpSimulator.builder().device(SimulatedDevice.builder(a).port(port)).start());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void aClosedProberAnswersLocalErrorNotAnException() throws Exception {
        SimulatedDevice d = start(SimulatedDevice.builder(loopback("127.0.0.1")), SnmpOptions.builder());
        prober.close();
        SnmpResponse r = prober.get(target(d), V2C, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0")));
        assertEquals(SnmpResponse.Status.LOCAL_ERROR, r.status());
        assertEquals(0, prober.pendingRequests());
        prober.close();
    }

    private SnmpTarget target(SimulatedDevice d) {
        return new SnmpTarget(d.address(), sim.port(d), Duration.ofMillis(300), 0, 10, 50);
    }

    /** Names the expected "no rates" value. */
    private static final class InterfaceRatesNone {
        static final io.github.wardops.ward.snmp.InterfaceRates NONE = io.github.wardops.ward.snmp.InterfaceRates.NONE;
    }
}
