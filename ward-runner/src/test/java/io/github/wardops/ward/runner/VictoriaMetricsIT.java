package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
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
                new Case(Map.of("WARD_VM_TOKEN_FILE", pw.toString()), List.of(), "but vm-url is not"));
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
