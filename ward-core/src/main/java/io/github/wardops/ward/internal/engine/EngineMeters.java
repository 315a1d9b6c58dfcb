package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's meters. No per-device meters: tags are check types, outcomes and sink names, a
 * set fixed by configuration.
 */
final class EngineMeters {
    /** How long the device counts by status are reused, measured on the engine's ticker. */
    private static final long STATUS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final MeterRegistry registry;
    private final WardEngine engine;
    private final Ticker ticker;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> probeTimers = new ConcurrentHashMap<>();
    /** Per check type, the {@code ward.probes} counters by outcome (up, down, unknown): one lookup a probe, no key built. */
    private final Map<String, Counter[]> probeCounters = new ConcurrentHashMap<>();
    private final Timer lag;
    /** Probes that started more than 50 ms, and more than 1 s, after their planned start. */
    private final Counter late50ms;
    private final Counter late1s;
    private final Counter missed;
    private final Counter listenerFailures;
    private volatile long statusAt;
    private volatile Map<DeviceStatus, Integer> statusCounts = new EnumMap<>(DeviceStatus.class);

    EngineMeters(MeterRegistry registry, WardEngine engine, Ticker ticker) {
        this.registry = registry;
        this.engine = engine;
        this.ticker = ticker;
        // stale from the start, so the first read counts
        this.statusAt = ticker.read() - 2 * STATUS_REFRESH_NANOS;
        this.lag = Timer.builder("ward.schedule.lag")
                .description("Actual probe start minus planned start")
                .publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry);
        // The lag's percentiles decay over two minutes, so a sampler sees each minute's p99 but no
        // p99 over an hour or a day. These counters, against ward.probes, give the share of late
        // starts over any window (a histogram with SLO buckets would replace the quantiles that
        // dashboards read, so it is not one).
        this.late50ms = Counter.builder("ward.schedule.late").tag("over", "50ms")
                .description("Probes that started more than the tag's time after their planned start").register(registry);
        this.late1s = Counter.builder("ward.schedule.late").tag("over", "1s")
                .description("Probes that started more than the tag's time after their planned start").register(registry);
        this.missed = Counter.builder("ward.schedule.missed")
                .description("Planned slots skipped because the scheduler fell a whole interval behind").register(registry);
        this.listenerFailures = Counter.builder("ward.listener.failures")
                .description("Result listener calls that threw").register(registry);
        Gauge.builder("ward.probes.in.flight", engine, WardEngine::probesInFlight)
                .description("Probes running now (at most maxProbesInFlight)").register(registry);
        Gauge.builder("ward.probes.waiting", engine, WardEngine::probesWaiting)
                .description("Probes due and waiting for one of the maxProbesInFlight probing threads; "
                        + "their wait is part of ward.schedule.lag").register(registry);
        Gauge.builder("ward.inventory.devices", engine, WardEngine::size)
                .description("Devices in the inventory").register(registry);
        // Named apart from the state tracker's ward.state.devices (the confirmed status, the one
        // truth the API, the status page and the alerts use): this is only the latest probe.
        for (DeviceStatus s : List.of(DeviceStatus.UP, DeviceStatus.DOWN, DeviceStatus.UNKNOWN)) {
            Gauge.builder("ward.devices.latest", this, m -> m.statusCount(s))
                    .tag("outcome", s.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Devices by the outcome of their latest probe, unconfirmed; the confirmed status is "
                            + "ward.state.devices").register(registry);
        }
    }

    private double statusCount(DeviceStatus s) {
        long now = ticker.read();
        if (now - statusAt > STATUS_REFRESH_NANOS) {
            Map<DeviceStatus, Integer> m = new EnumMap<>(DeviceStatus.class);
            m.putAll(engine.countByStatus());
            statusCounts = m;
            statusAt = now;
        }
        return statusCounts.getOrDefault(s, 0);
    }

    int scheduledChecks() {
        return engine.scheduleSize();
    }

    private Counter counter(String name, String desc, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).description(desc).register(registry));
    }

    void result(ProbeResult r) {
        int outcome = switch (r) {
            case ProbeResult.Up u -> 0;
            case ProbeResult.Down d -> 1;
            case ProbeResult.Unknown u -> 2;
        };
        probeCounters.computeIfAbsent(r.type(), type -> new Counter[] {
                counter("ward.probes", "Probes completed", "type", type, "outcome", "up"),
                counter("ward.probes", "Probes completed", "type", type, "outcome", "down"),
                counter("ward.probes", "Probes completed", "type", type, "outcome", "unknown")})[outcome].increment();
    }

    void overrun(String type) {
        counter("ward.probes.skipped", "Probes skipped because the previous run of the check had not finished",
                "type", type, "reason", "overrun").increment();
    }

    void recheck(String type) {
        counter("ward.probes.rechecks", "Probes started early to confirm a change (the re-check interval)",
                "type", type).increment();
    }

    void failed(String type) {
        counter("ward.probes.failed", "Probes whose prober threw or misbehaved", "type", type).increment();
    }

    void missed(long n) {
        missed.increment(n);
    }

    void listenerFailed() {
        listenerFailures.increment();
    }

    void lag(long nanos) {
        lag.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        if (nanos > 50_000_000L) {
            late50ms.increment();
            if (nanos > 1_000_000_000L) {
                late1s.increment();
            }
        }
    }

    void probeTime(String type, long nanos) {
        probeTimers.computeIfAbsent(type, t -> Timer.builder("ward.probe.duration").tag("type", t)
                .description("Time one probe took").register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
