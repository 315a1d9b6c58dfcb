package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vm-url}: the runner pushes every result to a real VictoriaMetrics (started by the test)
 * beside answering its API, as the replaced system's series with the devices' region and branch;
 * bad settings are refused naming the setting, never a credential.
 */
class VictoriaMetricsIT {
    @TempDir
    Path dir;

    @Test
    void everyResultAlsoReachesVictoriaMetricsWithTheDevicesLabels() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        StringBuilder sb = new StringBuilder("id,name,address,region,branch,enabled\n");
        for (int i = 1; i <= 3; i++) {
            sb.append(DeviceId.fromKey("vm-" + i)).append(",vm-").append(i).append(",127.43.0.").append(i)
                    .append(",Imereti,Kutaisi-").append(i).append(",true\n");
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        try (VictoriaMetricsServer vm = new VictoriaMetricsServer(dir)) {
            vm.start();
            try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv.toString(), "--interval", "1s",
                    "--http", "127.0.0.1:0", "--vm-url", vm.base().toString())) {
                r.awaitDevices(Duration.ofSeconds(15), d -> InProcessRunner.count(d, "UP") == 3);
                List<VictoriaMetricsServer.Series> status = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    vm.forceFlush();
                    status = vm.export("device_ping_status");
                    if (status.size() == 3 && status.stream().allMatch(s -> s.values().size() >= 2)) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(3, status.size(), "one series a device: " + status);
                Set<String> ids = status.stream().map(s -> s.labels().get("device_id")).collect(Collectors.toSet());
                assertEquals(Set.of(DeviceId.fromKey("vm-1").toString(), DeviceId.fromKey("vm-2").toString(),
                        DeviceId.fromKey("vm-3").toString()), ids);
                for (VictoriaMetricsServer.Series s : status) {
                    assertEquals("Imereti", s.labels().get("region"), s.toString());
                    assertTrue(s.labels().get("branch").startsWith("Kutaisi-"), s.toString());
                    assertTrue(s.labels().get("device_ip").startsWith("127.43.0."), s.toString());
                    assertTrue(s.values().stream().allMatch(v -> v == 1.0), "up: " + s);
                    assertFalse(s.labels().containsKey("ward_runner"), "no runner label: " + s);
                }
                assertEquals(3, vm.export("device_ping_rtt_ms").size());
                String metrics = r.get("/metrics").body();
                assertTrue(metrics.contains("ward_export_samples_sent_total"), "the sink's meters are exported");
            }
        }
    }

    @Test
    void vmCompatV1WritesTheReplacedSystemsInterfaceCountersFromRealPolls() throws Exception {
        String community = "ward-vm-compat";
        String id = DeviceId.fromKey("vm-compat-1").toString();
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.43.1.1")).community(community)
                .interfaces(List.of(SimulatedInterface.ethernet(1, 125_000).withAlias("ISP-Magti"),
                        SimulatedInterface.ethernet(2, 40_000)));
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start();
             VictoriaMetricsServer vm = new VictoriaMetricsServer(dir)) {
            vm.start();
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,device_type,snmp_version\n"
                    + id + ",Batumi-1-Router,127.43.1.1,Router,2c\n");
            Path roles = Files.writeString(dir.resolve("roles.rules"), "uplink alias (?i)^isp[-_ ]?(?<provider>\\w+)\n");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_SNMP_COMMUNITY", community), "run", "--inventory",
                    csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--snmp-port",
                    String.valueOf(sim.port(sim.devices().get(0))), "--snmp-interval", "1s",
                    "--vm-url", vm.base().toString(), "--vm-compat", "v1", "--snmp-interface-rules", roles.toString())) {
                List<VictoriaMetricsServer.Series> in = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (System.nanoTime() < deadline) {
                    vm.forceFlush();
                    in = vm.export("interface_if_hc_in_octets");
                    if (in.size() == 2 && in.stream().allMatch(s -> s.values().size() >= 6)) {
                        break;
                    }
                    Thread.sleep(300);
                }
                assertEquals(2, in.size(), "one counter series an interface: " + in);
                for (VictoriaMetricsServer.Series s : in) {
                    assertEquals(id, s.labels().get("device_id"), s.toString());
                    assertEquals("Batumi-1-Router", s.labels().get("device_name"), s.toString());
                    assertEquals("Router", s.labels().get("device_type"), s.toString());
                    assertEquals("127.43.1.1", s.labels().get("device_ip"), s.toString());
                    boolean uplink = s.labels().get("if_index").equals("1");
                    // snmp-interface-rules gives the replaced system's labels: the ISP link, and no label on the other
                    assertEquals(uplink ? "Magti" : null, s.labels().get("isp_provider"), s.toString());
                    assertEquals(uplink ? "uplink" : null, s.labels().get("interface_type"), s.toString());
                    double expected = uplink ? 125_000 : 40_000;
                    int n = s.values().size() - 1;
                    double perSecond = (s.values().get(n) - s.values().get(0))
                            / ((s.timestamps().get(n) - s.timestamps().get(0)) / 1000.0);
                    assertEquals(expected, perSecond, expected * 0.1, "the counter grows as the simulated traffic: " + s);
                }
                // the old dashboards' expression, at the time of the last sample
                long lastMillis = in.stream().mapToLong(s -> s.timestamps().getLast()).min().orElseThrow();
                List<VictoriaMetricsServer.Point> rate = vm.query(
                        "rate(interface_if_hc_in_octets{device_name=\"Batumi-1-Router\",if_index=\"1\"}[1m])",
                        java.time.Instant.ofEpochMilli(lastMillis));
                assertEquals(1, rate.size(), rate.toString());
                assertEquals(125_000, rate.getFirst().value(), 12_500, rate.toString());
                assertEquals(2, vm.export("interface_oper_status").size(), "written once an interface");
                List<VictoriaMetricsServer.Point> isp = vm.query("interface_oper_status{isp_provider!=\"\"}",
                        java.time.Instant.ofEpochMilli(lastMillis));
                assertEquals(1, isp.size(), "the old provider panels' filter: the uplink only: " + isp);
                assertEquals(2, vm.export("interface_if_in_errors").size());
                assertEquals(2, vm.export("interface_if_high_speed").size());
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSettingNeverTheCredential() throws Exception {
        Path pw = dir.resolve("vm-password");
        Files.writeString(pw, "vm-s3cret-pass\n");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        record Case(Map<String, String> env, List<String> args, String says) {
        }
        List<Case> cases = List.of(
                new Case(Map.of(), List.of("--vm-url", "http://ward:vm-s3cret-pass@127.0.0.1:8428"), "vm-url"),
                new Case(Map.of(), List.of("--vm-url", "ftp://127.0.0.1:8428"), "must be an absolute http:// or https:// URL"),
                new Case(Map.of("WARD_VM_PASSWORD_FILE", pw.toString()), List.of("--vm-url", "http://127.0.0.1:8428"),
                        "vm-password is set but vm-user is not"),
                new Case(Map.of(), List.of("--vm-url", "http://127.0.0.1:8428", "--vm-user", "ward"),
                        "vm-user is set but vm-password is not"),
                new Case(Map.of("WARD_VM_PASSWORD_FILE", pw.toString(), "WARD_VM_TOKEN_FILE", pw.toString()),
                        List.of("--vm-url", "http://127.0.0.1:8428", "--vm-user", "ward"),
                        "vm-user and vm-token are both set"),
                new Case(Map.of("WARD_VM_TOKEN_FILE", pw.toString()), List.of(), "but vm-url is not"),
                new Case(Map.of(), List.of("--vm-compat", "v1"), "vm-compat is set but vm-url is not"),
                new Case(Map.of(), List.of("--vm-url", "http://127.0.0.1:8428", "--vm-compat", "v2"),
                        "must be none or v1"));
        for (Case c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--inventory", dir.resolve("none.csv").toString()));
            args.addAll(c.args());
            InProcessRunner.Failed f = InProcessRunner.runToExit(c.env(), args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, f.exitCode(), c + ": " + f.err());
            assertTrue(f.err().contains(c.says()), c + ": " + f.err());
            assertFalse((f.out() + f.err()).contains("vm-s3cret-pass"), "the credential never shows: " + f.err());
        }
    }
}
