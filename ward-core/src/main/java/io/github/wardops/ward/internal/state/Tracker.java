package io.github.wardops.ward.internal.state;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.internal.support.NumberMap;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateListener;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateTracker} implementation. Each device has an {@link Entry} guarded by its own
 * monitor; a child reads its parent's volatile status without the parent's lock, and a parent's
 * change reaches its children after the parent's lock is released, one child lock at a time, so
 * no thread ever holds two device locks.
 */
public final class Tracker implements StateTracker {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private final LogLimiter warnLimit;

    /** Logs a store failure at most once a minute; every failure is counted in a meter. */
    private void warnLimited(String format, Object... args) {
        if (warnLimit.allow("store")) {
            LOG.warn(format + " (logged at most once a minute; see the failure meter)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    /**
     * The validated settings.
     *
     * @param downAfter failures to confirm DOWN
     * @param upAfter successes to confirm UP
     * @param flapWindow results in the flap window
     * @param flapLowPct leave flapping below
     * @param flapHighPct enter flapping above
     * @param maxValuesPerSubject value names kept per device/interface
     * @param maxInterfacesPerDevice interfaces per device
     * @param reachabilityTypes check types deciding reachability
     * @param staleAfter intervals without a completed probe that make a device UNKNOWN "stale"
     * @param impairedPct percent of devices stale above which ward reports itself impaired
     * @param sweepEvery how often the sweep runs, in real time; zero for never (tests call sweep)
     * @param clock the wall clock that stamps states and transitions
     * @param ticker the monotonic time for rate limits
     * @param registry the meter registry, or null
     * @param store the store
     * @param listeners the listeners
     */
    public record Config(int downAfter, int upAfter, int flapWindow, double flapLowPct, double flapHighPct,
                         int maxValuesPerSubject, int maxInterfacesPerDevice, Set<String> reachabilityTypes,
                         int staleAfter, double impairedPct, java.time.Duration sweepEvery, InstantSource clock, Ticker ticker, MeterRegistry registry, StateStore store,
                         List<StateListener> listeners) {
    }

    private static final String[] NO_CHECKS = new String[0];
    private static final Measurement[] NO_MEASUREMENTS = new Measurement[0];

    /** Per-device state, guarded by its own monitor. */
    private final class Entry {
        volatile Device device;
        /**
         * How long the device may go without a completed probe before it is stale: the shortest
         * reachability interval times staleAfter, plus the longest probe timeout; null when it has
         * no enabled reachability check.
         */
        volatile java.time.Duration staleBound;
        /** When the tracker last received a completed reachability probe (its clock, not the probe's start), or null. */
        volatile Instant completedAt;
        final Subject reach;
        /** Interface subjects and values: null until the device's first interface (most devices have none). */
        private Map<Integer, Subject> interfaces;
        private Map<Integer, Map<String, Double>> interfaceValues;
        private Map<Integer, Map<String, String>> interfaceLabels;
        /**
         * The latest measurement of each check that reported one, as parallel arrays: the
         * result's own immutable measurement is kept, not a map of boxed copies, so a device
         * costs two references per check here.
         */
        String[] measuredChecks = NO_CHECKS;
        Measurement[] measurements = NO_MEASUREMENTS;
        volatile boolean removed;

        Map<Integer, Subject> interfaces() {
            return interfaces == null ? Map.of() : interfaces;
        }

        Map<Integer, Subject> interfacesForWrite() {
            if (interfaces == null) {
                interfaces = new HashMap<>(4);
            }
            return interfaces;
        }

        Map<Integer, Map<String, Double>> interfaceValues() {
            return interfaceValues == null ? Map.of() : interfaceValues;
        }

        Map<Integer, Map<String, String>> interfaceLabels() {
            return interfaceLabels == null ? Map.of() : interfaceLabels;
        }

        Map<Integer, Map<String, String>> interfaceLabelsForWrite() {
            if (interfaceLabels == null) {
                interfaceLabels = new HashMap<>(4);
            }
            return interfaceLabels;
        }

        Map<Integer, Map<String, Double>> interfaceValuesForWrite() {
            if (interfaceValues == null) {
                interfaceValues = new HashMap<>(4);
            }
            return interfaceValues;
        }

        /**
         * When the tracker began to watch the device (it joined the inventory, or was adopted from
         * another instance): its staleness counts from here at the earliest, so a device added to
         * a tracker that has long been probing gets its first probes' time before it is stale.
         */
        final Instant watchedFrom;

        Entry(Device device, Instant now) {
            this.watchedFrom = now;
            this.device = device;
            this.staleBound = staleBound(device);
            this.reach = new Subject(StateKey.of(device.id()), cfg, now);
        }
    }

    /** The inventory's shape, replaced as a whole on every change. */
    private record Topology(Map<DeviceId, List<DeviceId>> children, Map<DeviceId, Integer> dependents) {
    }

    private final Config cfg;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<DeviceId, Entry> entries = new ConcurrentHashMap<>();
    private volatile Topology topology = new Topology(Map.of(), Map.of());
    private final Object inventoryLock = new Object();
    private final EnumMap<DeviceStatus, AtomicInteger> byStatus = new EnumMap<>(DeviceStatus.class);
    private final AtomicInteger flappingCount = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Meter> meters = new ArrayList<>();
    private final Counter ignored;
    private final Counter transitions;
    private final Counter listenerFailures;
    private final Counter storeFailures;
    private final Counter valuesDropped;
    private final Counter sweepFailures;
    private final AtomicInteger staleCount = new AtomicInteger();
    /**
     * When the first completed probe reached the tracker: no device is stale for lack of probes
     * before ward was probing at all (a runner may start the engine a while after the tracker).
     */
    private volatile Instant probingSince;
    /** Whether the last sweep found ward impaired; changes are announced to the listeners. */
    private volatile boolean impaired;
    private final Object sweepLock = new Object();
    private volatile Thread sweeper;

    /**
     * Creates the tracker.
     *
     * @param cfg validated settings
     */
    public Tracker(Config cfg) {
        this.cfg = cfg;
        this.warnLimit = new LogLimiter(java.util.concurrent.TimeUnit.MINUTES.toNanos(1), cfg.ticker());
        this.registry = cfg.registry() != null ? cfg.registry() : new SimpleMeterRegistry();
        for (DeviceStatus s : DeviceStatus.values()) {
            AtomicInteger n = new AtomicInteger();
            byStatus.put(s, n);
            meters.add(Gauge.builder("ward.state.devices", n, AtomicInteger::get).tag("status", s.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Devices by confirmed status (state tracker)").register(registry));
        }
        meters.add(Gauge.builder("ward.state.flapping", flappingCount, AtomicInteger::get)
                .description("Devices and interfaces flapping now").register(registry));
        ignored = counter("ward.state.results.ignored", "Results for devices not in the tracked inventory");
        transitions = counter("ward.state.transitions", "Status and flapping changes");
        listenerFailures = counter("ward.state.listener.failures", "State listeners that threw");
        storeFailures = counter("ward.state.store.failures", "State store calls that failed");
        valuesDropped = counter("ward.state.values.dropped", "Values or interfaces dropped over their bound");
        sweepFailures = counter("ward.state.sweep.failures", "Sweeps for stale devices that failed");
        meters.add(Gauge.builder("ward.state.stale", staleCount, AtomicInteger::get)
                .description("Devices without a completed probe for the stale bound (UNKNOWN, detail stale)")
                .register(registry));
    }

    private Counter counter(String name, String description) {
        Counter c = Counter.builder(name).description(description).register(registry);
        meters.add(c);
        return c;
    }

    // ---------------------------------------------------------------- inventory

    @Override
    public void replaceInventory(Collection<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        Map<DeviceId, Device> next = new LinkedHashMap<>();
        for (Device d : devices) {
            if (next.put(d.id(), d) != null) {
                throw new IllegalArgumentException("device " + d.id() + " appears twice");
            }
        }
        synchronized (inventoryLock) {
            for (DeviceId id : List.copyOf(entries.keySet())) {
                if (!next.containsKey(id)) {
                    remove(id);
                }
            }
            next.values().forEach(this::upsert);
            rebuildTopology();
        }
    }

    @Override
    public void apply(List<? extends InventoryChange> changes) {
        Objects.requireNonNull(changes, "changes");
        synchronized (inventoryLock) {
            for (InventoryChange c : changes) {
                switch (c) {
                    case InventoryChange.Upsert u -> upsert(u.device());
                    case InventoryChange.Remove r -> remove(r.id());
                }
            }
            rebuildTopology();
        }
    }

    private void upsert(Device d) {
        Entry e = entries.get(d.id());
        if (e == null) {
            entries.put(d.id(), new Entry(d, cfg.clock().instant()));
            byStatus.get(DeviceStatus.UNKNOWN).incrementAndGet();
        } else {
            e.device = d;
            e.staleBound = staleBound(d);
        }
    }

    /**
     * How long a device may go without a completed probe: {@code staleAfter} of its shortest
     * reachability interval, plus the longest timeout (a probe completes up to its timeout after it
     * started, and a probe that overran its interval completes one interval later); null for a
     * device without an enabled reachability check.
     */
    private java.time.Duration staleBound(Device d) {
        if (!d.enabled()) {
            return null;
        }
        java.time.Duration min = null;
        java.time.Duration timeout = java.time.Duration.ZERO;
        for (io.github.wardops.ward.inventory.Check c : d.checks()) {
            if (cfg.reachabilityTypes().contains(c.type())) {
                if (min == null || c.interval().compareTo(min) < 0) {
                    min = c.interval();
                }
                if (c.timeout().compareTo(timeout) > 0) {
                    timeout = c.timeout();
                }
            }
        }
        return min == null ? null : min.multipliedBy(cfg.staleAfter()).plus(timeout);
    }

    private void remove(DeviceId id) {
        remove(id, true);
    }

    /**
     * Frees a device's entry; {@code forget}: it left the inventory (its stored states are deleted,
     * listeners get onRemoved), else it was handed over (stored states kept, listeners get onReleased).
     */
    private boolean remove(DeviceId id, boolean forget) {
        Entry e = entries.remove(id);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            e.removed = true;
            byStatus.get(e.reach.status).decrementAndGet();
            if (e.reach.flapping) {
                flappingCount.decrementAndGet();
            }
            for (Subject s : e.interfaces().values()) {
                if (s.flapping) {
                    flappingCount.decrementAndGet();
                }
            }
        }
        if (!forget) {
            return true; // handed over: release() tells the listeners, once for all
        }
        try {
            cfg.store().delete(id);
        } catch (Exception ex) {
            storeFailures.increment();
            warnLimited("state store failed to delete device {}: {}", id, ex.getClass().getName());
        }
        for (StateListener l : cfg.listeners()) {
            try {
                l.onRemoved(id);
            } catch (RuntimeException ex) {
                listenerFailures.increment();
            }
        }
        return true;
    }

    private void rebuildTopology() {
        Map<DeviceId, List<DeviceId>> children = new HashMap<>();
        for (Entry e : entries.values()) {
            DeviceId p = e.device.parentId();
            if (p != null && entries.containsKey(p)) {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(e.device.id());
            }
        }
        Map<DeviceId, Integer> dependents = new HashMap<>();
        for (DeviceId p : children.keySet()) {
            // Count descendants with a visited set, so a parent cycle cannot loop.
            Set<DeviceId> seen = new HashSet<>();
            ArrayDeque<DeviceId> todo = new ArrayDeque<>(children.get(p));
            while (!todo.isEmpty()) {
                DeviceId c = todo.poll();
                if (!c.equals(p) && seen.add(c)) {
                    todo.addAll(children.getOrDefault(c, List.of()));
                }
            }
            dependents.put(p, seen.size());
        }
        Map<DeviceId, List<DeviceId>> frozen = new HashMap<>();
        children.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        topology = new Topology(Map.copyOf(frozen), Map.copyOf(dependents));
    }

    // ---------------------------------------------------------------- start-up

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Collection<DeviceState> loaded;
        try {
            loaded = cfg.store().loadAll();
        } catch (Exception ex) {
            storeFailures.increment();
            warnLimited("state store failed to load; starting with unknown states: {}", ex.getClass().getName());
            loaded = List.of();
        }
        notifyRestored(restore(loaded));
        if (!cfg.sweepEvery().isZero() && !closed.get()) {
            sweeper = Thread.ofPlatform().name("ward-state-sweep").daemon(true).start(this::sweepLoop);
        }
    }

    /**
     * Restores stored states into the pristine subjects of tracked devices (a subject that already
     * had a result keeps it).
     *
     * @return the devices with a restored state
     */
    private Set<DeviceId> restore(Collection<DeviceState> loaded) {
        Set<DeviceId> restored = new LinkedHashSet<>();
        for (DeviceState s : loaded) {
            Entry e = entries.get(s.key().device());
            if (e == null) {
                continue;
            }
            synchronized (e) {
                if (e.removed) {
                    continue;
                }
                if (!s.key().isInterface()) {
                    if (!e.reach.pristine()) {
                        continue;
                    }
                    moveCount(e.reach.status, s.status());
                    e.reach.restore(s);
                    if (s.flapping()) {
                        flappingCount.incrementAndGet();
                    }
                } else if (e.interfaces().size() < cfg.maxInterfacesPerDevice()) {
                    Subject sub = e.interfacesForWrite().computeIfAbsent(s.key().ifIndex(),
                            i -> new Subject(s.key(), cfg, s.since()));
                    if (sub.pristine()) {
                        sub.restore(s);
                        if (s.flapping()) {
                            flappingCount.incrementAndGet();
                        }
                    }
                }
                restored.add(e.device.id());
            }
        }
        return restored;
    }

    private void notifyRestored(Set<DeviceId> restored) {
        for (DeviceId id : restored) {
            Entry e = entries.get(id);
            if (e != null) {
                synchronized (e) {
                    if (!e.removed) {
                        notifyUpdate(e);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- handover

    @Override
    public void adopt(Collection<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        if (devices.isEmpty()) {
            return;
        }
        List<DeviceId> added = new ArrayList<>();
        synchronized (inventoryLock) {
            for (Device d : devices) {
                if (!entries.containsKey(d.id())) {
                    added.add(d.id());
                }
                upsert(d);
            }
            rebuildTopology();
        }
        if (added.isEmpty()) {
            return;
        }
        Collection<DeviceState> loaded;
        try {
            loaded = cfg.store().load(added);
        } catch (Exception ex) {
            storeFailures.increment();
            warnLimited("state store failed to load adopted devices; they start unknown: {}", ex.getClass().getName());
            loaded = List.of();
        }
        Set<DeviceId> restored = restore(loaded);
        List<DeviceId> ids = List.copyOf(added);
        for (StateListener l : cfg.listeners()) {
            try {
                l.onAdopted(ids);
            } catch (RuntimeException ex) {
                listenerFailures.increment();
            }
        }
        notifyRestored(restored);
    }

    @Override
    public void release(Collection<DeviceId> devices) {
        Objects.requireNonNull(devices, "devices");
        List<DeviceId> released = new ArrayList<>();
        synchronized (inventoryLock) {
            for (DeviceId id : devices) {
                if (remove(id, false)) {
                    released.add(id);
                }
            }
            rebuildTopology();
        }
        if (released.isEmpty()) {
            return;
        }
        List<DeviceId> ids = List.copyOf(released);
        for (StateListener l : cfg.listeners()) {
            try {
                l.onReleased(ids);
            } catch (RuntimeException ex) {
                listenerFailures.increment();
            }
        }
    }

    // ---------------------------------------------------------------- the sweep

    private void sweepLoop() {
        long every = cfg.sweepEvery().toMillis();
        while (!closed.get()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            try {
                sweep();
            } catch (RuntimeException ex) {
                // a periodic task survives: the next sweep tries again
                sweepFailures.increment();
                if (warnLimit.allow("sweep")) {
                    LOG.warn("the stale sweep failed ({}); it runs again in {} ms, this message repeats at most once a "
                            + "minute", ex.toString(), every, ex);
                }
            } catch (Error err) {
                io.github.wardops.ward.internal.support.Guard.fatal("the state sweep", err);
                return;
            }
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    @Override
    public void sweep() {
        synchronized (sweepLock) {
            Instant now = cfg.clock().instant();
            Instant from = probingSince;
            int watched = 0;
            int stale = 0;
            for (Entry e : entries.values()) {
                java.time.Duration bound = e.staleBound;
                if (bound == null) {
                    continue;
                }
                watched++;
                Effect cascade = null;
                synchronized (e) {
                    if (e.removed) {
                        continue;
                    }
                    Subject r = e.reach;
                    Instant done = e.completedAt;
                    Instant last = from == null ? null : latest(latest(from, e.watchedFrom), done);
                    if (last != null && java.time.Duration.between(last, now).compareTo(bound) > 0) {
                        stale++;
                        if (!DeviceState.STALE.equals(r.detail)) {
                            DeviceStatus before = r.status;
                            boolean wasBlocking = r.blocking();
                            Subject.Change c = r.stale(now, "stale: no probe completed for " + cfg.staleAfter()
                                    + " intervals and a timeout (" + bound.toMillis() / 1000.0 + " s)");
                            if (c.any()) {
                                applied(e, r, c);
                            } else {
                                save(r);
                            }
                            notifyUpdate(e);
                            cascade = effectOf(before, wasBlocking, r);
                        }
                    } else if (r.status == DeviceStatus.DOWN || r.status == DeviceStatus.UNREACHABLE
                            || r.consecutiveFailures > 0) {
                        // an outage's minutes and the rules' timers move on between results
                        notifyUpdate(e);
                    }
                }
                if (cascade != null) {
                    cascade(e.device.id(), cascade);
                }
            }
            staleCount.set(stale);
            boolean nowImpaired = watched > 0 && stale * 100.0 / watched > cfg.impairedPct();
            if (nowImpaired != impaired) {
                impaired = nowImpaired;
                String problem = nowImpaired ? String.format(java.util.Locale.ROOT,
                        "ward cannot probe %d of %d devices (%.1f%%): no probe of theirs completed for %d intervals; "
                        + "see ward.probes.results with outcome unknown and the log", stale, watched,
                        stale * 100.0 / watched, cfg.staleAfter()) : null;
                if (nowImpaired) {
                    LOG.error("{}", problem);
                } else {
                    LOG.warn("ward can probe its devices again: {} of {} stale", stale, watched);
                }
                for (StateListener l : cfg.listeners()) {
                    try {
                        l.onHealth(problem);
                    } catch (RuntimeException ex) {
                        listenerFailures.increment();
                        LOG.debug("state listener failed", ex);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- results

    @Override
    public void onResult(ProbeResult result) {
        Entry e = entries.get(result.device());
        if (e == null) {
            ignored.increment();
            return;
        }
        Effect cascade = null;
        synchronized (e) {
            if (e.removed) {
                ignored.increment();
                return;
            }
            putValues(e, result);
            boolean reach = cfg.reachabilityTypes().contains(result.type());
            if (probingSince == null) {
                probingSince = cfg.clock().instant();   // the engine runs: from now on a device can be stale
            }
            if (reach && !(result instanceof ProbeResult.Unknown)) {
                e.completedAt = cfg.clock().instant();
                boolean ok = result instanceof ProbeResult.Up;
                boolean wasBlocking = e.reach.blocking();
                boolean wasSteady = e.reach.steady();
                DeviceStatus before = e.reach.status;
                Subject.Change c = e.reach.observe(ok, result.at(), parentBlocking(e.device));
                if (c.any()) {
                    applied(e, e.reach, c);
                } else if (!wasSteady || !e.reach.steady()) {
                    // a failure run, a recovery or a flap window in motion: every input of the
                    // rules is kept, so a restart resumes it (a healthy device writes nothing)
                    save(e.reach);
                }
                cascade = effectOf(before, wasBlocking, e.reach);
            }
            notifyUpdate(e);
        }
        if (cascade != null) {
            cascade(result.device(), cascade);
        }
    }

    private void putValues(Entry e, ProbeResult r) {
        if (r instanceof ProbeResult.Unknown) {
            return;
        }
        String check = r.check();
        for (int i = 0; i < e.measuredChecks.length; i++) {
            if (e.measuredChecks[i].equals(check)) {
                e.measurements[i] = r.measurement();
                return;
            }
        }
        // One measurement per check of the device: bounded by the inventory's checks.
        int n = e.measuredChecks.length;
        if (n >= Math.max(8, e.device.checks().size())) {
            valuesDropped.increment();
            return;
        }
        e.measuredChecks = java.util.Arrays.copyOf(e.measuredChecks, n + 1);
        e.measurements = java.util.Arrays.copyOf(e.measurements, n + 1);
        e.measuredChecks[n] = check;
        e.measurements[n] = r.measurement();
    }

    private boolean parentBlocking(Device d) {
        DeviceId p = d.parentId();
        if (p == null) {
            return false;
        }
        Entry pe = entries.get(p);
        return pe != null && pe.reach.blocking();
    }

    /** How a parent's change reaches its children. */
    private enum Effect {
        /** The parent is confirmed down or unreachable: DOWN children become UNREACHABLE. */
        PARENT_DOWN,
        /** The parent recovered: UNREACHABLE children are reset to UNKNOWN, awaiting a fresh result. */
        PARENT_RECOVERED,
        /** The parent answered after failing unconfirmed: UNREACHABLE children are DOWN on their own. */
        PARENT_ANSWERS
    }

    private static Effect effectOf(DeviceStatus before, boolean wasBlocking, Subject now) {
        boolean downBefore = before == DeviceStatus.DOWN || before == DeviceStatus.UNREACHABLE;
        boolean downNow = now.status == DeviceStatus.DOWN || now.status == DeviceStatus.UNREACHABLE;
        if (downNow && !downBefore) {
            return Effect.PARENT_DOWN;
        }
        if (downBefore && !downNow) {
            return Effect.PARENT_RECOVERED;
        }
        if (!downNow && wasBlocking && !now.blocking()) {
            return Effect.PARENT_ANSWERS;
        }
        return null;
    }

    private record Work(DeviceId parent, DeviceId child, Effect effect) {
    }

    /** Whether the parent is failing, down, unreachable or flapping (for alerting). */
    private boolean parentTrouble(Device d) {
        DeviceId p = d.parentId();
        if (p == null) {
            return false;
        }
        Entry pe = entries.get(p);
        return pe != null && (pe.reach.blocking() || pe.reach.flapping);
    }

    /** Carries a device's change to its children, breadth first, one lock at a time. */
    private void cascade(DeviceId from, Effect effect) {
        ArrayDeque<Work> todo = new ArrayDeque<>();
        for (DeviceId c : topology.children().getOrDefault(from, List.of())) {
            todo.add(new Work(from, c, effect));
        }
        int budget = 4 * entries.size() + 16; // a parent cycle cannot loop forever
        while (!todo.isEmpty() && budget-- > 0) {
            Work w = todo.poll();
            Entry child = entries.get(w.child());
            if (child == null) {
                continue;
            }
            Effect next = null;
            synchronized (child) {
                if (child.removed) {
                    continue;
                }
                DeviceStatus cs = child.reach.status;
                boolean wasBlocking = child.reach.blocking();
                Instant now = cfg.clock().instant();
                Subject.Change c = switch (w.effect()) {
                    case PARENT_DOWN -> cs == DeviceStatus.DOWN
                            ? child.reach.force(DeviceStatus.UNREACHABLE, now, "parent " + w.parent() + " down", false)
                            : null;
                    case PARENT_RECOVERED -> cs == DeviceStatus.UNREACHABLE
                            ? child.reach.force(DeviceStatus.UNKNOWN, now,
                                    "parent " + w.parent() + " no longer down; awaiting a fresh result", true)
                            : null;
                    case PARENT_ANSWERS -> cs == DeviceStatus.UNREACHABLE
                            ? child.reach.force(DeviceStatus.DOWN, now,
                                    "parent " + w.parent() + " answers; still failing", false)
                            : null;
                };
                if (c != null && c.any()) {
                    applied(child, child.reach, c);
                    notifyUpdate(child);
                    next = effectOf(cs, wasBlocking, child.reach);
                }
            }
            if (next != null) {
                for (DeviceId gc : topology.children().getOrDefault(w.child(), List.of())) {
                    todo.add(new Work(w.child(), gc, next));
                }
            }
        }
    }

    /** Counts, persists and announces a change; called under the entry's lock. */
    private void applied(Entry e, Subject s, Subject.Change c) {
        if (!c.any()) {
            return;
        }
        if (!s.key.isInterface() && c.from() != c.to()) {
            moveCount(c.from(), c.to());
        }
        if (c.flappingChanged()) {
            if (s.flapping) {
                flappingCount.incrementAndGet();
            } else {
                flappingCount.decrementAndGet();
            }
        }
        transitions.increment();
        save(s);
        String cause = c.from() != c.to() ? c.cause()
                : (s.flapping ? "flapping started" : "flapping stopped") + String.format(java.util.Locale.ROOT,
                        " (%.1f%% state change)", s.flapPercent);
        StateTransition t = new StateTransition(s.key, c.from(), c.to(), s.since, s.flapping, cause,
                cfg.clock().instant());
        for (StateListener l : cfg.listeners()) {
            try {
                l.onTransition(t);
            } catch (RuntimeException ex) {
                listenerFailures.increment();
                LOG.debug("state listener failed", ex);
            }
        }
    }

    private void save(Subject s) {
        try {
            cfg.store().save(s.snapshot());
        } catch (Exception ex) {
            storeFailures.increment();
            warnLimited("state store failed to save {}: {}", s.key, ex.getClass().getName());
        }
    }

    private void moveCount(DeviceStatus from, DeviceStatus to) {
        byStatus.get(from).decrementAndGet();
        byStatus.get(to).incrementAndGet();
    }

    private void notifyUpdate(Entry e) {
        if (cfg.listeners().isEmpty()) {
            return;
        }
        DeviceView v = viewOf(e);
        for (StateListener l : cfg.listeners()) {
            try {
                l.onUpdate(v);
            } catch (RuntimeException ex) {
                listenerFailures.increment();
                LOG.debug("state listener failed", ex);
            }
        }
    }

    /** Builds a device's view; called under the entry's lock. */
    private DeviceView viewOf(Entry e) {
        NumberMap.Builder values = NumberMap.builder(16);
        Map<String, Double> icmp = null;
        for (int i = 0; i < e.measuredChecks.length; i++) {
            Map<String, Double> m = e.measurements[i].values();
            putFinite(values, m);
            if ("icmp".equals(e.measuredChecks[i])) {
                icmp = m;
            }
        }
        if (icmp != null) {
            // Ping values win over same-named values of other checks.
            putFinite(values, icmp);
        }
        values.remove("avg_ping_ms");
        Double avg = icmp != null ? icmp.get("rtt_avg_ms") : null;
        if (avg != null && Double.isFinite(avg)) {
            values.put("avg_ping_ms", avg);
        }
        Instant now = cfg.clock().instant();
        values.put("ping_unreachable", unreachableMinutes(e.reach, now));
        values.put("failed_cycles", e.reach.consecutiveFailures);
        values.put("flap_pct", e.reach.flapPercent);
        Map<Integer, DeviceState> ifs = Map.of();
        if (!e.interfaces().isEmpty()) {
            ifs = new HashMap<>();
            for (Map.Entry<Integer, Subject> x : e.interfaces().entrySet()) {
                ifs.put(x.getKey(), x.getValue().snapshot());
            }
        }
        Map<Integer, Map<String, Double>> ifv = Map.of();
        if (!e.interfaceValues().isEmpty()) {
            ifv = new HashMap<>();
            for (Map.Entry<Integer, Map<String, Double>> x : e.interfaceValues().entrySet()) {
                ifv.put(x.getKey(), Map.copyOf(x.getValue()));
            }
        }
        // labels are replaced whole (never changed in place), so the view may share them
        Map<Integer, Map<String, String>> ifl = e.interfaceLabels().isEmpty() ? Map.of() : Map.copyOf(e.interfaceLabels());
        return new DeviceView(e.device, e.reach.snapshot(), ifs, values.build(), ifv, ifl,
                topology.dependents().getOrDefault(e.device.id(), 0), parentTrouble(e.device), now);
    }

    /** Copies the finite values, at most {@code maxValuesPerSubject} of one measurement; the rest are counted. */
    private void putFinite(NumberMap.Builder into, Map<String, Double> from) {
        if (from instanceof NumberMap n) {
            int taken = 0;
            for (int i = 0; i < n.size(); i++) {
                double v = n.valueAt(i);
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (taken++ >= cfg.maxValuesPerSubject()) {
                    valuesDropped.increment();
                    return;
                }
                into.put(n.keyAt(i), v);
            }
            return;
        }
        int taken = 0;
        for (Map.Entry<String, Double> x : from.entrySet()) {
            if (x.getKey() == null || x.getValue() == null || !Double.isFinite(x.getValue())) {
                continue;
            }
            if (taken++ >= cfg.maxValuesPerSubject()) {
                valuesDropped.increment();
                return;
            }
            into.put(x.getKey(), x.getValue());
        }
    }

    /**
     * The rule variable {@code ping_unreachable}: whole minutes since the first failed probe of
     * the current outage while the device is confirmed DOWN, as the replaced system counted it,
     * at any interval; 0 otherwise, so an up/down rule never holds while the status says UP.
     */
    static long unreachableMinutes(Subject s, Instant now) {
        if (s.status != DeviceStatus.DOWN) {
            return 0;
        }
        return Math.max(0, java.time.Duration.between(s.since, now).toMinutes());
    }

    // ---------------------------------------------------------------- interfaces

    @Override
    public void onInterfaceStatus(DeviceId device, int ifIndex, boolean up, Instant at) {
        StateKey key = StateKey.ofInterface(device, ifIndex);
        Objects.requireNonNull(at, "at");
        Entry e = entries.get(device);
        if (e == null) {
            ignored.increment();
            return;
        }
        synchronized (e) {
            if (e.removed) {
                ignored.increment();
                return;
            }
            Subject s = e.interfaces().get(ifIndex);
            if (s == null) {
                if (e.interfaces().size() >= cfg.maxInterfacesPerDevice()) {
                    valuesDropped.increment();
                    return;
                }
                s = new Subject(key, cfg, at);
                e.interfacesForWrite().put(ifIndex, s);
            }
            applied(e, s, s.observe(up, at, false));
            notifyUpdate(e);
        }
    }

    @Override
    public void onInterfaceValues(DeviceId device, int ifIndex, Map<String, Double> values, Instant at) {
        StateKey.ofInterface(device, ifIndex);
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(at, "at");
        Entry e = entries.get(device);
        if (e == null) {
            ignored.increment();
            return;
        }
        synchronized (e) {
            if (e.removed) {
                return;
            }
            Map<String, Double> m = e.interfaceValues().get(ifIndex);
            if (m == null) {
                if (e.interfaceValues().size() >= cfg.maxInterfacesPerDevice()) {
                    valuesDropped.increment();
                    return;
                }
                m = new HashMap<>();
                e.interfaceValuesForWrite().put(ifIndex, m);
            }
            for (Map.Entry<String, Double> x : values.entrySet()) {
                if (x.getKey() == null || x.getValue() == null || !Double.isFinite(x.getValue())) {
                    continue;
                }
                if (!m.containsKey(x.getKey()) && m.size() >= cfg.maxValuesPerSubject()) {
                    valuesDropped.increment();
                    continue;
                }
                m.put(x.getKey(), x.getValue());
            }
            notifyUpdate(e);
        }
    }

    /** The most characters of one interface label kept. */
    static final int MAX_LABEL_CHARS = 256;

    @Override
    public void onInterfaceLabels(DeviceId device, int ifIndex, Map<String, String> labels, Instant at) {
        StateKey.ofInterface(device, ifIndex);
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(at, "at");
        Entry e = entries.get(device);
        if (e == null) {
            ignored.increment();
            return;
        }
        Map<String, String> kept = new HashMap<>();
        for (Map.Entry<String, String> x : labels.entrySet()) {
            if (x.getKey() == null || x.getValue() == null) {
                continue;
            }
            if (kept.size() >= cfg.maxValuesPerSubject()) {
                valuesDropped.increment();
                break;
            }
            String v = x.getValue();
            kept.put(x.getKey(), v.length() > MAX_LABEL_CHARS ? v.substring(0, MAX_LABEL_CHARS) : v);
        }
        Map<String, String> frozen = Map.copyOf(kept);
        synchronized (e) {
            if (e.removed) {
                return;
            }
            Map<String, String> before = e.interfaceLabels().get(ifIndex);
            if (frozen.equals(before)) {
                return;
            }
            if (before == null && e.interfaceLabels().size() >= cfg.maxInterfacesPerDevice()) {
                valuesDropped.increment();
                return;
            }
            if (frozen.isEmpty()) {
                e.interfaceLabelsForWrite().remove(ifIndex);
            } else {
                e.interfaceLabelsForWrite().put(ifIndex, frozen);
            }
            notifyUpdate(e);
        }
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<DeviceState> state(DeviceId device) {
        Entry e = entries.get(device);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return Optional.of(e.reach.snapshot());
        }
    }

    /** In {@link #statusBits}: the device is failing (as {@link DeviceState#failing()}). */
    public static final int FAILING_BIT = 1 << 8;
    /** In {@link #statusBits}: the device is flapping. */
    public static final int FLAPPING_BIT = 1 << 9;

    /**
     * A device's status and its two flags, read as {@link #state} reads them (under the device's
     * lock) but without building a {@link DeviceState}: for counting a large fleet (the runner's
     * {@code GET /api/summary}). Not API: ward's own modules only.
     *
     * @param device the device
     * @return the status's ordinal, or'ed with {@link #FAILING_BIT} and {@link #FLAPPING_BIT}; -1
     *     when the device is not tracked
     */
    public int statusBits(DeviceId device) {
        Entry e = entries.get(device);
        if (e == null) {
            return -1;
        }
        synchronized (e) {
            Subject s = e.reach;
            DeviceStatus st = s.status;
            boolean failing = s.consecutiveFailures > 0 && st != DeviceStatus.DOWN && st != DeviceStatus.UNREACHABLE;
            return st.ordinal() | (failing ? FAILING_BIT : 0) | (s.flapping ? FLAPPING_BIT : 0);
        }
    }

    @Override
    public Optional<DeviceState> interfaceState(DeviceId device, int ifIndex) {
        Entry e = entries.get(device);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            Subject s = e.interfaces().get(ifIndex);
            return s == null ? Optional.empty() : Optional.of(s.snapshot());
        }
    }

    @Override
    public Optional<DeviceView> view(DeviceId device) {
        Entry e = entries.get(device);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return Optional.of(viewOf(e));
        }
    }

    @Override
    public Map<DeviceStatus, Integer> countByStatus() {
        Map<DeviceStatus, Integer> m = new EnumMap<>(DeviceStatus.class);
        byStatus.forEach((k, v) -> m.put(k, v.get()));
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public int flappingCount() {
        return flappingCount.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Thread t = sweeper;
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            meters.forEach(registry::remove);
        }
    }
}
