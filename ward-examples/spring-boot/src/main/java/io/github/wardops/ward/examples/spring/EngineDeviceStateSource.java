package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads device state from this process's engine: the inventory, {@link Ward#status} and
 * {@link Ward#latest()}. The answer is as fresh as the last probe and costs one map lookup per
 * check. Thread-safe (the engine's views are).
 */
public final class EngineDeviceStateSource implements DeviceStateSource {
    private final Ward ward;

    /**
     * Reads from the given engine.
     *
     * @param ward the engine; never {@code null}
     */
    public EngineDeviceStateSource(Ward ward) {
        this.ward = ward;
    }

    @Override
    public List<DeviceView> devices() {
        return ward.inventory().devices().stream().map(this::view).toList();
    }

    @Override
    public Optional<DeviceView> device(DeviceId id) {
        return ward.inventory().get(id).map(this::view);
    }

    private DeviceView view(Device d) {
        Map<String, DeviceView.CheckView> checks = new TreeMap<>();
        ward.latest().all(d.id()).forEach((name, r) -> checks.put(name, check(r)));
        return new DeviceView(d.id().toString(), d.name(), d.address().getHostAddress(), new LinkedHashMap<>(d.labels()),
                ward.status(d.id()).name(), checks);
    }

    private static DeviceView.CheckView check(ProbeResult r) {
        Map<String, Double> values = new TreeMap<>(r.measurement().values());
        return switch (r) {
            case ProbeResult.Up up -> new DeviceView.CheckView("up", r.at(), PingStats.millis(up.latency()), null, null, values);
            case ProbeResult.Down down -> new DeviceView.CheckView("down", r.at(), null, down.reason().name(), down.detail(), values);
            case ProbeResult.Unknown unknown -> new DeviceView.CheckView("unknown", r.at(), null, null, unknown.detail(), values);
        };
    }
}
