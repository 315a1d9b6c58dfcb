package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.testkit.VictoriaMetricsServer;
import io.github.wardops.ward.testkit.contract.ResultSinkContract;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped VictoriaMetrics sink against the {@link ResultSinkContract}, through a real
 * VictoriaMetrics on loopback (a fresh one per test), reading back {@code device_ping_status}
 * from {@code /api/v1/export}: one point per up (1) or down (0) result.
 *
 * <p>The sink writes no sample for an {@link ProbeResult.Unknown Unknown} result by design
 * (there is no status to write; it is counted as {@code ward.export.samples.skipped}, reason
 * {@code unknown_result}), and says so through {@link #stores}: the contract then requires every
 * up and down result, once each, and nothing else.
 */
class VictoriaMetricsResultSinkContractIT extends ResultSinkContract {
    @TempDir
    Path tmp;
    private VictoriaMetricsServer vm;
    private ResultSink sink;

    @Override
    protected ResultSink createSink() throws Exception {
        // the contract's samples are stamped early in 2026; VictoriaMetrics refuses samples older than its retention
        vm = new VictoriaMetricsServer(tmp, "100y");
        vm.start();
        sink = VictoriaMetricsSinks.create(VictoriaMetricsOptions.builder(vm.base()).build(), id -> Optional.empty(),
                new SimpleMeterRegistry());
        return sink;
    }

    @Override
    protected List<ProbeResult> stored() throws Exception {
        vm.forceFlush();
        // an icmp result's samples carry no check label (the replaced system's names); the contract writes check "icmp"
        List<ProbeResult> out = new ArrayList<>();
        for (VictoriaMetricsServer.Series s : vm.export("{__name__=\"device_ping_status\"}")) {
            DeviceId id = DeviceId.parse(s.labels().get("device_id"));
            for (int i = 0; i < s.values().size(); i++) {
                Instant at = Instant.ofEpochMilli(s.timestamps().get(i));
                double v = s.values().get(i);
                if (v == 1.0) {
                    out.add(new ProbeResult.Up(id, "icmp", "icmp", at, Duration.ZERO, PingStats.of(1, new long[] {0}, 1)));
                } else if (v == 0.0) {
                    out.add(new ProbeResult.Down(id, "icmp", "icmp", at, DownReason.TIMEOUT, "",
                            new PingStats(1, 0, null, null, null, null)));
                } else {
                    fail("device_ping_status " + v + " in " + s);
                }
            }
        }
        return out;
    }

    @AfterEach
    void stopServer() throws Exception {
        // runs before the contract's own close: close the sink while the server still listens (close is idempotent)
        if (sink != null) {
            sink.close();
        }
        if (vm != null) {
            vm.close();
        }
    }

    @Override
    protected boolean stores(ProbeResult result) {
        return !(result instanceof ProbeResult.Unknown);
    }
}
