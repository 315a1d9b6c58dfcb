package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.probe.TcpSettings;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.github.wardops.ward.sink.SinkOptions;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink as users wire it, through the public API: the engine probes a real TCP port (the
 * VictoriaMetrics server's own) and its results arrive in VictoriaMetrics with the device's
 * metadata, looked up in the engine's inventory.
 */
class VictoriaMetricsEngineIT {
    @TempDir
    Path tmp;

    @Test
    void engineResultsArriveWithTheInventorysMetadata() throws Exception {
        try (VictoriaMetricsServer vm = new VictoriaMetricsServer(tmp)) {
            vm.start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            AtomicReference<Ward> engine = new AtomicReference<>();
            ResultSink sink = VictoriaMetricsSinks.create(
                    VictoriaMetricsOptions.builder(vm.base()).label("ward_instance", "it").build(),
                    id -> Optional.ofNullable(engine.get()).flatMap(w -> w.inventory().get(id)), registry);
            Device d = Device.builder(DeviceId.fromKey("engine-it"), "Tbilisi \"HQ\" router", InetAddress.getLoopbackAddress())
                    .label("device_type", "Router")
                    .check(new Check("vm-port", new TcpSettings(vm.base().getPort()), Duration.ofMillis(200), Duration.ofMillis(200)))
                    .build();
            try (sink; Ward ward = Ward.builder().prober(Probers.tcp()).meterRegistry(registry)
                    .sink(sink, new SinkOptions(1_000, 100, Duration.ofMillis(50))).build()) {
                engine.set(ward);
                ward.inventory().replaceAll(List.of(d));
                ward.start();
                List<VictoriaMetricsServer.Series> series = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (series.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    vm.forceFlush();
                    series = vm.export("ward_tcp_status{device_id=\"" + d.id() + "\"}");
                }
                assertEquals(1, series.size(), "ward_tcp_status did not arrive: " + vm.logTail());
                assertEquals(Map.of("device_id", d.id().toString(), "device_ip", "127.0.0.1",
                        "device_name", "Tbilisi \"HQ\" router", "device_type", "Router", "ward_instance", "it",
                        "check", "vm-port"), series.getFirst().labels());
                assertTrue(series.getFirst().values().stream().allMatch(v -> v == 1.0), "the port is open: up");
            }
            assertTrue(registry.get("ward.export.samples.sent").counter().count() >= 1);
        }
    }
}
