package io.github.wardops.ward.internal.cache;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.cache.DeviceSnapshot;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.cache.InterfaceSnapshot;
import io.github.wardops.ward.cache.InterfaceSnapshots;
import io.github.wardops.ward.cache.KeyCodec;
import io.github.wardops.ward.cache.SharedTier;
import io.github.wardops.ward.cache.TieredCache;
import io.github.wardops.ward.cache.ValueCodec;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceStateCache} implementation. Results update an in-memory map (bounded by
 * {@code maxDevices}) on the probing thread; one daemon thread writes changed entries, and
 * rewrites every entry once per half TTL, through two {@link TieredCache}s.
 *
 * <p>Not a {@link io.github.wardops.ward.internal.support.WriteBehind}: the map is a table of the
 * latest state of every tracked device, not a queue. Each new state is derived from the previous
 * one (status, down-since, RTT), and every entry is written again once per half TTL so that the
 * shared tier never expires a live device; a queue forgets what it has written. The dirty sets
 * only say which rows to write before their refresh is due, and are bounded by the same map.
 */
public final class DeviceStatePublisher implements DeviceStateCache {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStatePublisher.class);
    private static final long NEVER = Long.MIN_VALUE / 4;

    /**
     * The validated settings.
     *
     * @param name the cache name
     * @param ttl the entry TTL
     * @param l1Ttl the L1 cap
     * @param shared the shared tier, or {@code null}
     * @param maxDevices the bound on tracked devices
     * @param flushInterval the flush period
     * @param reachabilityCheck the check that gives status and RTT
     * @param statusFromResults whether results set the status
     * @param registry the registry, or {@code null}
     * @param clock the time source
     */
    public record Config(String name, Duration ttl, Duration l1Ttl, SharedTier shared, int maxDevices,
                         Duration flushInterval, String reachabilityCheck, boolean statusFromResults,
                         MeterRegistry registry, InstantSource clock) {
    }

    /** What this instance publishes for one device; written under the map's per-key compute. */
    private static final class Tracked {
        volatile DeviceSnapshot state;
        volatile InterfaceSnapshots interfaces;
        volatile long stateWrittenAt = NEVER;
        volatile long interfacesWrittenAt = NEVER;
    }

    private final Config config;
    private final TieredCache<DeviceId, DeviceSnapshot> states;
    private final TieredCache<DeviceId, InterfaceSnapshots> interfaces;
    private final ConcurrentHashMap<DeviceId, Tracked> tracked = new ConcurrentHashMap<>();
    private final Set<DeviceId> dirtyStates = ConcurrentHashMap.newKeySet();
    private final Set<DeviceId> dirtyInterfaces = ConcurrentHashMap.newKeySet();
    private final long refreshMillis;
    private final ScheduledExecutorService flusher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LogLimiter logLimiter = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter dropped;
    /** Devices removed whose entries are still to be invalidated; hidden from readers meanwhile. */
    private final Set<DeviceId> removing = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private volatile Inventory inventory;
    /** When the last sweep (refresh and inventory check over every tracked device) ran; flush thread only. */
    private long lastSweep = Long.MIN_VALUE / 2;

    /**
     * Creates the cache and starts its flush thread.
     *
     * @param c the settings
     */
    public DeviceStatePublisher(Config c) {
        this.config = c;
        this.registry = c.registry() != null ? c.registry() : new SimpleMeterRegistry();
        long maxL1 = c.maxDevices();
        this.states = TieredCache.builder(c.name(), c.ttl(), maxL1).keys(KeyCodec.deviceIds())
                .values(ValueCodec.deviceSnapshot()).l1Ttl(c.l1Ttl()).shared(c.shared()).meterRegistry(registry)
                .clock(c.clock()).build();
        this.interfaces = TieredCache.builder(c.name() + ".ifaces", c.ttl(), maxL1).keys(KeyCodec.deviceIds())
                .values(ValueCodec.interfaceSnapshots()).l1Ttl(c.l1Ttl()).shared(c.shared()).meterRegistry(registry)
                .clock(c.clock()).build();
        this.refreshMillis = c.ttl().toMillis() / 2;
        this.dropped = Counter.builder("ward.cache.state.dropped").tag("cache", c.name())
                .description("Devices not tracked because maxDevices was reached").register(registry);
        meters.add(dropped);
        meters.add(Gauge.builder("ward.cache.state.devices", tracked, Map::size).tag("cache", c.name())
                .description("Devices whose state this instance publishes").register(registry));
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ward-state-cache-" + c.name());
            t.setDaemon(true);
            return t;
        });
        long period = c.flushInterval().toNanos();
        flusher.scheduleWithFixedDelay(this::flushGuarded, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public Optional<DeviceSnapshot> get(DeviceId device) {
        return removing.contains(device) ? Optional.empty() : states.get(device);
    }

    @Override
    public Map<DeviceId, DeviceSnapshot> getAll(Collection<DeviceId> devices) {
        // Which devices to hide is decided before reading: a removal whose invalidation finishes
        // during the read must not let an entry read before it through.
        Set<DeviceId> hidden = removing.isEmpty() ? Set.of() : Set.copyOf(removing);
        Map<DeviceId, DeviceSnapshot> found = states.getAll(devices);
        if (hidden.isEmpty()) {
            return found;
        }
        Map<DeviceId, DeviceSnapshot> kept = new LinkedHashMap<>(found);
        kept.keySet().removeAll(hidden);
        return java.util.Collections.unmodifiableMap(kept);
    }

    @Override
    public Optional<InterfaceSnapshots> interfaces(DeviceId device) {
        return removing.contains(device) ? Optional.empty() : interfaces.get(device);
    }

    @Override
    public void onResult(ProbeResult r) {
        if (closed.get() || !r.check().equals(config.reachabilityCheck())) {
            return;
        }
        update(r.device(), prev -> derive(prev, r));
    }

    private DeviceSnapshot derive(DeviceSnapshot prev, ProbeResult r) {
        DeviceStatus status = prev == null ? DeviceStatus.UNKNOWN : prev.status();
        Instant downSince = prev == null ? null : prev.downSince();
        boolean flapping = prev != null && prev.flapping();
        Duration rtt = prev == null ? null : prev.lastRtt();
        Double loss = r.measurement() instanceof PingStats ps ? ps.lossPct() : null;
        switch (r) {
            case ProbeResult.Up u -> {
                rtt = u.latency();
                if (config.statusFromResults()) {
                    status = DeviceStatus.UP;
                    downSince = null;
                }
            }
            case ProbeResult.Down d -> {
                rtt = null;
                if (config.statusFromResults()) {
                    downSince = status == DeviceStatus.DOWN && downSince != null ? downSince : d.at();
                    status = DeviceStatus.DOWN;
                }
            }
            case ProbeResult.Unknown u -> loss = prev == null ? null : prev.lossPct();
        }
        return new DeviceSnapshot(r.device(), status, downSince, flapping, r.at(), rtt, loss, config.clock().instant());
    }

    @Override
    public void publishState(DeviceId device, DeviceStatus status, Instant downSince, boolean flapping, Instant at) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        if (closed.get()) {
            return;
        }
        boolean out = status == DeviceStatus.DOWN || status == DeviceStatus.UNREACHABLE;
        update(device, prev -> new DeviceSnapshot(device, status, out ? downSince : null, flapping,
                prev == null ? null : prev.lastProbeAt(), prev == null ? null : prev.lastRtt(),
                prev == null ? null : prev.lossPct(), at));
    }

    @Override
    public void onUpdate(DeviceView view) {
        if (closed.get()) {
            return;
        }
        DeviceId id = view.device().id();
        DeviceState s = view.state();
        publishState(id, s.status(), s.since(), s.flapping(), view.at());
        if (!view.interfaces().isEmpty()) {
            List<InterfaceSnapshot> list = new ArrayList<>(view.interfaces().size());
            for (Map.Entry<Integer, DeviceState> e : new java.util.TreeMap<>(view.interfaces()).entrySet()) {
                if (e.getKey() < 1) {
                    continue;
                }
                Map<String, Double> v = view.interfaceValues().getOrDefault(e.getKey(), Map.of());
                Double speed = rate(v.get("if_speed_bps"));
                list.add(new InterfaceSnapshot(e.getKey(), "", "", InterfaceSnapshot.Status.UNKNOWN, oper(e.getValue().status()),
                        speed == null ? 0 : speed.longValue(), rate(v.get("if_in_bps")), rate(v.get("if_out_bps")),
                        rate(v.get("if_in_errors_per_s")), rate(v.get("if_out_errors_per_s"))));
            }
            publishInterfaces(new InterfaceSnapshots(id, view.at(), list));
        }
    }

    private static InterfaceSnapshot.Status oper(DeviceStatus s) {
        return switch (s) {
            case UP -> InterfaceSnapshot.Status.UP;
            case DOWN -> InterfaceSnapshot.Status.DOWN;
            case UNREACHABLE -> InterfaceSnapshot.Status.LOWER_LAYER_DOWN;
            case UNKNOWN -> InterfaceSnapshot.Status.UNKNOWN;
        };
    }

    private static Double rate(Double v) {
        return v != null && v >= 0 && v < Double.POSITIVE_INFINITY ? v : null;
    }

    private void update(DeviceId device, java.util.function.UnaryOperator<DeviceSnapshot> change) {
        Objects.requireNonNull(device, "device");
        if (!tracked.containsKey(device) && tracked.size() >= config.maxDevices()) {
            dropped.increment();
            return;
        }
        tracked.compute(device, (id, t) -> {
            Tracked n = t == null ? new Tracked() : t;
            n.state = change.apply(n.state);
            return n;
        });
        dirtyStates.add(device);
        if (!removing.isEmpty()) {
            removing.remove(device);
        }
    }

    @Override
    public void publishInterfaces(InterfaceSnapshots s) {
        Objects.requireNonNull(s, "states");
        if (closed.get()) {
            return;
        }
        if (!tracked.containsKey(s.device()) && tracked.size() >= config.maxDevices()) {
            dropped.increment();
            return;
        }
        tracked.compute(s.device(), (id, t) -> {
            Tracked n = t == null ? new Tracked() : t;
            n.interfaces = s;
            return n;
        });
        dirtyInterfaces.add(s.device());
        if (!removing.isEmpty()) {
            removing.remove(s.device());
        }
    }

    @Override
    public void remove(DeviceId device) {
        Objects.requireNonNull(device, "device");
        forget(List.of(device));
    }

    @Override
    public void retainOnly(Collection<DeviceId> devices) {
        Set<DeviceId> keep = new HashSet<>(devices);
        List<DeviceId> gone = new ArrayList<>();
        for (DeviceId id : tracked.keySet()) {
            if (!keep.contains(id)) {
                gone.add(id);
            }
        }
        forget(gone);
    }

    /**
     * Stops tracking the devices at once and hides them from readers here; their entries are
     * invalidated (L2 and the other instances) by the flush thread, so no caller, such as the
     * state machine's listener thread, waits for Redis.
     */
    private void forget(List<DeviceId> gone) {
        if (gone.isEmpty()) {
            return;
        }
        List<DeviceId> overflow = new ArrayList<>();
        for (DeviceId id : gone) {
            tracked.remove(id);
            dirtyStates.remove(id);
            dirtyInterfaces.remove(id);
            if (removing.size() < config.maxDevices()) {
                removing.add(id);
            } else {
                overflow.add(id);
            }
        }
        if (!overflow.isEmpty()) {
            // The set of pending removals is full (more removals than maxDevices at once): do these now.
            states.invalidateAll(overflow);
            interfaces.invalidateAll(overflow);
        }
        if (!closed.get() && flushQueued.compareAndSet(false, true)) {
            try {
                flusher.execute(this::flushGuarded);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushQueued.set(false);
            }
        }
    }

    private void invalidateRemoved() {
        if (removing.isEmpty()) {
            return;
        }
        List<DeviceId> batch = new ArrayList<>(removing);
        states.invalidateAll(batch);
        interfaces.invalidateAll(batch);
        // A device that came back (a result after its removal) is tracked again: keep it visible.
        batch.forEach(removing::remove);
    }

    @Override
    public void followInventory(Inventory inv) {
        this.inventory = Objects.requireNonNull(inv, "inventory");
    }

    @Override
    public int trackedDevices() {
        return tracked.size();
    }

    private void flushGuarded() {
        try {
            flush(false);
        } catch (RuntimeException e) {
            if (logLimiter.allow("flush")) {
                LOG.warn("device state cache {}: flush failed: {}", config.name(), e.toString());
            }
        } catch (Error e) {
            Guard.fatal("device state cache " + config.name() + " flush", e);
            throw e;
        }
    }

    @Override
    public void flush() {
        flush(true);
    }

    /**
     * Writes the changed devices; with {@code sweep} (or when a sweep is due) also rewrites
     * entries older than half the TTL and forgets devices gone from the inventory. The periodic
     * flush runs every {@code flushInterval} (1 s) and touches only the changed devices: a pass
     * over every tracked device each second cost more CPU at 100,000 devices than the probes.
     * The sweep comes every quarter of the refresh age, so an entry is rewritten at most 5/8 of
     * the TTL after it was written, before it can expire.
     */
    private synchronized void flush(boolean sweep) {
        flushQueued.set(false);
        long now = config.clock().millis();
        sweep |= now - lastSweep >= Math.max(config.flushInterval().toMillis(), refreshMillis / 4);
        Inventory inv = inventory;
        if (inv != null && sweep) {
            List<DeviceId> gone = new ArrayList<>();
            for (DeviceId id : tracked.keySet()) {
                if (inv.get(id).isEmpty()) {
                    gone.add(id);
                }
            }
            forget(gone);
        }
        invalidateRemoved();
        Map<DeviceId, DeviceSnapshot> stateBatch = new LinkedHashMap<>();
        Map<DeviceId, InterfaceSnapshots> ifBatch = new LinkedHashMap<>();
        // An update sets the state, then marks the device dirty: a state read after the mark was
        // taken off is the newest, or the device is marked again and written at the next flush.
        for (java.util.Iterator<DeviceId> it = dirtyStates.iterator(); it.hasNext(); ) {
            DeviceId id = it.next();
            it.remove();
            Tracked t = tracked.get(id);
            if (t != null && t.state != null) {
                stateBatch.put(id, t.state);
                t.stateWrittenAt = now;
            }
        }
        for (java.util.Iterator<DeviceId> it = dirtyInterfaces.iterator(); it.hasNext(); ) {
            DeviceId id = it.next();
            it.remove();
            Tracked t = tracked.get(id);
            if (t != null && t.interfaces != null) {
                ifBatch.put(id, t.interfaces);
                t.interfacesWrittenAt = now;
            }
        }
        if (sweep) {
            lastSweep = now;
            for (Map.Entry<DeviceId, Tracked> e : tracked.entrySet()) {
                DeviceId id = e.getKey();
                Tracked t = e.getValue();
                DeviceSnapshot state = t.state;
                InterfaceSnapshots ifs = t.interfaces;
                if (state != null && now - t.stateWrittenAt >= refreshMillis) {
                    stateBatch.put(id, state);
                    t.stateWrittenAt = now;
                }
                if (ifs != null && now - t.interfacesWrittenAt >= refreshMillis) {
                    ifBatch.put(id, ifs);
                    t.interfacesWrittenAt = now;
                }
            }
        }
        if (!stateBatch.isEmpty()) {
            states.putAll(stateBatch);
        }
        if (!ifBatch.isEmpty()) {
            interfaces.putAll(ifBatch);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        flusher.shutdownNow();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushGuarded();
        states.close();
        interfaces.close();
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
