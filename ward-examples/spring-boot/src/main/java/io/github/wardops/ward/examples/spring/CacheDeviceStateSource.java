package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.cache.DeviceSnapshot;
import io.github.wardops.ward.cache.DeviceStateCache;
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
 * Serves device state from ward's cache: status, down-since, last RTT and loss come from the
 * {@link DeviceStateCache} (in-process here; the same API reads a shared Redis when the cache is
 * built with {@code ward-redis}), names and labels from the inventory, and the per-check detail
 * from the engine's latest results. No database is read. Thread-safe.
 */
public final class CacheDeviceStateSource implements DeviceStateSource {
    private final Ward ward;
    private final DeviceStateCache states;

    /**
     * Creates the source.
     *
     * @param ward the engine (inventory and latest results)
     * @param states the cache the engine's results feed
     */
    public CacheDeviceStateSource(Ward ward, DeviceStateCache states) {
        this.ward = ward;
        this.states = states;
    }

    @Override
    public List<DeviceView> devices() {
        List<Device> devices = ward.inventory().devices();
        Map<DeviceId, DeviceSnapshot> snapshots = states.getAll(devices.stream().map(Device::id).toList());
        return devices.stream().map(d -> view(d, snapshots.get(d.id()))).toList();
    }

    @Override
    public Optional<DeviceView> device(DeviceId id) {
        return ward.inventory().get(id).map(d -> view(d, states.get(id).orElse(null)));
    }

    private DeviceView view(Device d, DeviceSnapshot s) {
        Map<String, DeviceView.CheckView> checks = new TreeMap<>();
        ward.latest().all(d.id()).forEach((name, r) -> checks.put(name, check(r)));
        return new DeviceView(d.id().toString(), d.name(), d.address().getHostAddress(), new LinkedHashMap<>(d.labels()),
                s == null ? "UNKNOWN" : s.status().name(),
                s == null ? null : s.downSince(),
                s == null || s.lastRtt() == null ? null : PingStats.millis(s.lastRtt()),
                s == null ? null : s.lossPct(),
                s == null ? null : s.lastProbeAt(),
                checks);
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
