package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.LatestResults;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.probe.ResultListener;
import io.github.wardops.ward.probe.TcpSettings;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Ward}. Not part of the API: reach it through {@link Ward#builder()}.
 */
public final class WardEngine implements Ward, Inventory, LatestResults {
    private static final Logger LOG = LoggerFactory.getLogger(WardEngine.class);
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    /**
     * Everything the builder checked.
     *
     * @param probers user probers by type
     * @param sinks sinks and their options
     * @param listeners result listeners
     * @param devices the initial inventory
     * @param maxProbesInFlight the most probing threads
     * @param drainTimeout the close bound
     * @param meterRegistry the user's registry, or {@code null}
     * @param clock the wall clock that stamps results and sets the schedule's phase
     * @param ticker the monotonic time the schedule runs on and durations are measured with
     * @param icmpOptions options for an engine-created ICMP prober
     * @param allowLinkLocal whether devices with link-local addresses are accepted
     * @param recheckInterval the time from a changed outcome to its re-check; zero for none
     * @param recheckFailures failed probes in a row that settle a failure
     * @param recheckSuccesses successful probes in a row that settle a recovery
     * @param recheckTypes the check types that are re-checked
     */
    public record Config(Map<String, Prober> probers, List<Map.Entry<ResultSink, SinkOptions>> sinks,
                         List<ResultListener> listeners, List<Device> devices, int maxProbesInFlight,
                         Duration drainTimeout, MeterRegistry meterRegistry, InstantSource clock, Ticker ticker,
                         IcmpOptions icmpOptions,
                         boolean allowLinkLocal, Duration recheckInterval, int recheckFailures, int recheckSuccesses,
                         Set<String> recheckTypes) {
    }

    /** A device and its checks' slots: an array, not a map, since a device has a handful of checks. */
    private static final class DeviceEntry {
        final Device device;
        final CheckSlot[] slots;

        DeviceEntry(Device device, CheckSlot[] slots) {
            this.device = device;
            this.slots = slots;
        }

        CheckSlot slot(String check) {
            for (CheckSlot s : slots) {
                if (s.checkName.equals(check)) {
                    return s;
                }
            }
            return null;
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final Ticker ticker;
    private final LogLimiter logLimit;
    private final MeterRegistry registry;
    private final EngineMeters meters;
    /**
     * Admission: at most {@code maxProbesInFlight} probing threads. A due probe with no free
     * thread waits in an intrusive FIFO of slots (no thread, no allocation), and a thread that
     * ends a probe takes the next waiting one. Starting a thread per due probe and parking it on
     * a semaphore held one virtual thread and its stack (about 1 KB) per waiting probe, so a
     * fleet the permits could not keep up with ran the heap out (200,000 devices in 512 MB).
     */
    private final Object admission = new Object();
    private final int maxProbing;
    private int probing;
    private int waiting;
    private CheckSlot waitHead;
    private CheckSlot waitTail;
    /** Probes dispatched and not yet ended: probing plus waiting. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Notified when the last probe in flight ends, for {@link #awaitSettled}. */
    private final Object settled = new Object();
    private final ConcurrentHashMap<DeviceId, DeviceEntry> devices = new ConcurrentHashMap<>();
    private final Object inventoryLock = new Object();
    private final Map<String, Prober> userProbers;
    private final ConcurrentHashMap<String, Prober> ownedProbers = new ConcurrentHashMap<>();
    /** The echoes per second the enabled ICMP checks plan, from the last inventory change. */
    private volatile double plannedIcmpRate;
    private final List<SinkDispatcher> dispatchers = new ArrayList<>();
    private final List<ResultListener> listeners;
    private final Schedule schedule;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final long recheckNanos;

    /**
     * Creates the engine, not started.
     *
     * @param config the checked configuration
     */
    public WardEngine(Config config) {
        this.config = config;
        this.clock = config.clock();
        this.ticker = config.ticker();
        this.logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker);
        this.registry = config.meterRegistry() != null ? config.meterRegistry() : new SimpleMeterRegistry();
        this.maxProbing = config.maxProbesInFlight();
        this.userProbers = config.probers();
        this.listeners = config.listeners();
        this.meters = new EngineMeters(registry, this, ticker);
        this.schedule = new Schedule(clock, ticker, this::dispatch, meters::missed);
        this.recheckNanos = config.recheckInterval().toNanos();
        int i = 0;
        for (Map.Entry<ResultSink, SinkOptions> e : config.sinks()) {
            // the sink queue lingers and backs off in real time: it paces I/O with another system
            // (embedding.md, "Time"), and a fake ticker that never moves must not hold results back
            dispatchers.add(new SinkDispatcher(e.getKey(), e.getValue(), registry, i++));
        }
        for (Prober p : userProbers.values()) {
            bindMeters(p);
        }
        if (!config.devices().isEmpty()) {
            replaceAll(config.devices());
        }
    }

    private void bindMeters(Object o) {
        if (o instanceof MeterBinder b) {
            try {
                b.bindTo(registry);
            } catch (RuntimeException e) {
                LOG.warn("could not bind the meters of {}: {}", o.getClass().getName(), e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        if (state.get() == CLOSED) {
            throw new IllegalStateException("this Ward is closed");
        }
        if (state.compareAndSet(NEW, STARTED)) {
            for (SinkDispatcher d : dispatchers) {
                d.start();
            }
            schedule.start();
            LOG.info("ward started: {} devices, {} scheduled checks, {} probes in flight at most",
                    devices.size(), meters.scheduledChecks(), config.maxProbesInFlight());
        }
    }

    @Override
    public void close() {
        int prev = state.getAndSet(CLOSED);
        if (prev == CLOSED) {
            return;
        }
        // The drain bound is real time on purpose: it bounds how long close() blocks its caller,
        // and a fake ticker does not move while the caller waits here.
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        schedule.stop();
        abandonWaiting();
        // Wait for probes in flight, within the bound.
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (SinkDispatcher d : dispatchers) {
            d.close(deadline);
        }
        for (Prober p : ownedProbers.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the {} prober failed: {}", p.type(), e.toString());
            }
        }
        ownedProbers.clear();
        LOG.info("ward stopped");
    }

    // ---------------------------------------------------------------- inventory

    @Override
    public Inventory inventory() {
        return this;
    }

    @Override
    public void apply(List<? extends InventoryChange> changes) {
        synchronized (inventoryLock) {
            if (state.get() == CLOSED) {
                throw new IllegalStateException("this Ward is closed");
            }
            List<String> problems = new ArrayList<>();
            for (InventoryChange c : changes) {
                if (c instanceof InventoryChange.Upsert u) {
                    if (!config.allowLinkLocal() && Addresses.isLinkLocal(u.device().address())) {
                        problems.add("device " + u.device().id() + ": address " + u.device().address().getHostAddress()
                                + " is link-local; allow it with Ward.Builder.allowLinkLocal(true)");
                    }
                    for (Check ch : u.device().checks()) {
                        if (!userProbers.containsKey(ch.type()) && !isBuiltIn(ch.type())) {
                            problems.add("device " + u.device().id() + " check '" + ch.name()
                                    + "': no prober for type '" + ch.type() + "'");
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new WardException("inventory change rejected, nothing applied:" + System.lineSeparator()
                        + "  - " + String.join(System.lineSeparator() + "  - ", problems));
            }
            for (InventoryChange c : changes) {
                switch (c) {
                    case InventoryChange.Upsert u -> upsert(u.device());
                    case InventoryChange.Remove r -> removeDevice(r.id());
                }
            }
            planIcmpRate();
        }
    }

    /**
     * Sums the echoes per second the enabled ICMP checks plan and tells the ICMP prober, so its
     * pace follows the fleet. Under the inventory lock.
     */
    private void planIcmpRate() {
        double need = 0;
        for (DeviceEntry e : devices.values()) {
            if (!e.device.enabled()) {
                continue;
            }
            for (CheckSlot s : e.slots) {
                if (s.check.settings() instanceof IcmpSettings st) {
                    need += st.count() * 1e9 / s.check.interval().toNanos();
                }
            }
        }
        plannedIcmpRate = need;
        Prober p = userProbers.get(IcmpSettings.TYPE);
        if (p == null) {
            p = ownedProbers.get(IcmpSettings.TYPE);
        }
        tellPlan(p, need);
    }

    private void tellPlan(Prober p, double need) {
        if (p instanceof IcmpProber ip) {
            try {
                ip.planRate(need);
            } catch (RuntimeException e) {
                LOG.warn("the ICMP prober refused the planned rate of {} echoes/s: {}", Math.round(need), e.toString());
            }
        }
    }

    private static boolean isBuiltIn(String type) {
        return type.equals(IcmpSettings.TYPE) || type.equals(TcpSettings.TYPE);
    }

    @Override
    public void replaceAll(Collection<Device> all) {
        Map<DeviceId, Device> wanted = new LinkedHashMap<>();
        for (Device d : all) {
            if (wanted.put(d.id(), d) != null) {
                throw new WardException("inventory has device id " + d.id() + " twice; nothing applied");
            }
        }
        List<InventoryChange> changes = new ArrayList<>(wanted.size());
        synchronized (inventoryLock) {
            for (DeviceId id : devices.keySet()) {
                if (!wanted.containsKey(id)) {
                    changes.add(InventoryChange.remove(id));
                }
            }
            for (Device d : wanted.values()) {
                DeviceEntry e = devices.get(d.id());
                if (e == null || !e.device.equals(d)) {
                    changes.add(InventoryChange.upsert(d));
                }
            }
            apply(changes);
        }
    }

    private void upsert(Device d) {
        DeviceEntry old = devices.get(d.id());
        List<CheckSlot> slots = new ArrayList<>(d.checks().size());
        Set<String> kept = new HashSet<>();
        boolean wasEnabled = old != null && old.device.enabled();
        for (Check c : d.checks()) {
            CheckSlot s = old == null ? null : old.slot(c.name());
            if (s != null) {
                kept.add(c.name());
                Check before = s.check;
                s.device = d;
                s.check = c;
                slots.add(s);
                if (d.enabled() && !wasEnabled) {
                    schedule.add(s);
                } else if (!d.enabled() && wasEnabled) {
                    schedule.remove(s);
                } else if (d.enabled() && !before.interval().equals(c.interval())) {
                    schedule.reschedule(s);
                }
            } else {
                s = new CheckSlot(d, c);
                slots.add(s);
                if (d.enabled()) {
                    schedule.add(s);
                }
            }
        }
        if (old != null) {
            for (CheckSlot e : old.slots) {
                if (!kept.contains(e.checkName)) {
                    retire(e, wasEnabled);
                }
            }
        }
        devices.put(d.id(), new DeviceEntry(d, slots.toArray(new CheckSlot[0])));
    }

    private void retire(CheckSlot s, boolean scheduled) {
        s.removed = true;
        s.latest = null;
        if (scheduled) {
            schedule.remove(s);
        }
    }

    private void removeDevice(DeviceId id) {
        DeviceEntry e = devices.remove(id);
        if (e != null) {
            for (CheckSlot s : e.slots) {
                retire(s, e.device.enabled());
            }
        }
    }

    @Override
    public Optional<Device> get(DeviceId id) {
        DeviceEntry e = devices.get(id);
        return e == null ? Optional.empty() : Optional.of(e.device);
    }

    @Override
    public List<Device> devices() {
        List<Device> out = new ArrayList<>(devices.size());
        for (DeviceEntry e : devices.values()) {
            out.add(e.device);
        }
        return List.copyOf(out);
    }

    @Override
    public int size() {
        return devices.size();
    }

    // ---------------------------------------------------------------- results view

    @Override
    public LatestResults latest() {
        return this;
    }

    @Override
    public Optional<ProbeResult> get(DeviceId device, String check) {
        DeviceEntry e = devices.get(device);
        CheckSlot s = e == null ? null : e.slot(check);
        return s == null ? Optional.empty() : Optional.ofNullable(s.latest);
    }

    @Override
    public Map<String, ProbeResult> all(DeviceId device) {
        DeviceEntry e = devices.get(device);
        if (e == null) {
            return Map.of();
        }
        Map<String, ProbeResult> out = new LinkedHashMap<>();
        for (CheckSlot s : e.slots) {
            ProbeResult r = s.latest;
            if (r != null) {
                out.put(s.checkName, r);
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public int entries() {
        int n = 0;
        for (DeviceEntry e : devices.values()) {
            for (CheckSlot s : e.slots) {
                if (s.latest != null) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public DeviceStatus status(DeviceId id) {
        DeviceEntry e = devices.get(id);
        if (e == null || e.slots.length == 0) {
            return DeviceStatus.UNKNOWN;
        }
        CheckSlot s = e.slot(IcmpSettings.TYPE);
        if (s == null) {
            s = e.slot(e.device.checks().getFirst().name());
        }
        ProbeResult r = s == null ? null : s.latest;
        return switch (r) {
            case ProbeResult.Up u -> DeviceStatus.UP;
            case ProbeResult.Down d -> DeviceStatus.DOWN;
            case null, default -> DeviceStatus.UNKNOWN;
        };
    }

    Collection<DeviceId> deviceIds() {
        return devices.keySet();
    }

    @Override
    public int probesInFlight() {
        synchronized (admission) {
            return probing;
        }
    }

    int scheduleSize() {
        return schedule.size();
    }

    /**
     * Waits until the scheduler has started every check due at the current reading of the
     * engine's ticker and waits for a later reading. Not part of the API; a hook for tests that
     * drive the engine on a fake ticker: advance it, call this, then look at what was started.
     * Probes it started may still run; see {@link #awaitSettled}. Returns at once when the engine
     * is not started.
     *
     * @param timeout how long to wait in real time
     * @return whether the scheduler went idle in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitScheduleIdle(Duration timeout) throws InterruptedException {
        return schedule.awaitIdle(timeout);
    }

    /**
     * Waits until the engine has settled at the current reading of its ticker: the scheduler is
     * idle as in {@link #awaitScheduleIdle} and no probe is in flight, so every result has reached
     * the listeners and the sink queues. A test hook like {@link #awaitScheduleIdle}; a probe that
     * waits for the fake time to move never settles.
     *
     * @param timeout how long to wait in real time
     * @return whether the engine settled in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        if (!schedule.awaitIdle(timeout)) {
            return false;
        }
        synchronized (settled) {
            while (inFlight.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(settled, left);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- probing

    @Override
    public CompletableFuture<ProbeResult> probeNow(DeviceId id, String check) {
        if (state.get() == CLOSED) {
            return CompletableFuture.failedFuture(new IllegalStateException("this Ward is closed"));
        }
        DeviceEntry e = devices.get(id);
        CheckSlot s = e == null ? null : e.slot(check);
        if (s == null) {
            return CompletableFuture.failedFuture(new WardException("no device " + id + " with a check '" + check + "'"));
        }
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        CompletableFuture<ProbeResult> existing = s.claim(f);
        if (existing != null) {
            return existing.copy();
        }
        startProbe(s, ticker.read(), f);
        return f.copy();
    }

    private void dispatch(CheckSlot slot, long plannedNanos, boolean recheck) {
        if (slot.removed || state.get() != STARTED) {
            return;
        }
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        if (slot.claim(f) != null) {
            if (!recheck) {
                meters.overrun(slot.check.type());
            }
            // a re-check that finds the check running leaves it be: that probe's result decides
            return;
        }
        if (recheck) {
            meters.recheck(slot.check.type());
        }
        startProbe(slot, plannedNanos, f);
    }

    private void startProbe(CheckSlot slot, long plannedNanos, CompletableFuture<ProbeResult> f) {
        inFlight.incrementAndGet();
        synchronized (admission) {
            if (probing >= maxProbing) {
                slot.waitingPlannedNanos = plannedNanos;
                slot.nextWaiting = null;
                if (waitTail == null) {
                    waitHead = slot;
                } else {
                    waitTail.nextWaiting = slot;
                }
                waitTail = slot;
                waiting++;
                return;
            }
            probing++;
        }
        try {
            Thread.ofVirtual().name("ward-probe").start(() -> runProbes(slot, plannedNanos, f));
        } catch (RuntimeException | OutOfMemoryError e) {
            releaseProbingThread();
            slot.running = null;
            endFlight();
            f.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * The body of a probing thread: its own probe, then waiting ones until none is left. A slot
     * removed while it waited is passed over, unprobed.
     */
    private void runProbes(CheckSlot first, long firstPlanned, CompletableFuture<ProbeResult> firstFuture) {
        CheckSlot slot = first;
        long planned = firstPlanned;
        CompletableFuture<ProbeResult> f = firstFuture;
        boolean handedOver = false;
        try {
            while (true) {
                if (slot.removed) {
                    slot.running = null;
                    endFlight();
                    Check check = slot.check;
                    f.complete(new ProbeResult.Unknown(slot.device.id(), check.name(), check.type(), clock.instant(),
                            "not probed: the check was removed while it waited for a free thread"));
                } else {
                    runProbe(slot, planned, f);
                }
                // a probe that was interrupted (only a prober can do that: the engine never
                // interrupts) must not make every later probe on this thread fail at once
                Thread.interrupted();
                synchronized (admission) {
                    slot = waitHead;
                    if (slot == null) {
                        probing--;
                        handedOver = true;
                        return;
                    }
                    waitHead = slot.nextWaiting;
                    if (waitHead == null) {
                        waitTail = null;
                    }
                    slot.nextWaiting = null;
                    waiting--;
                    planned = slot.waitingPlannedNanos;
                }
                f = slot.running;
                if (f == null) {
                    f = new CompletableFuture<>(); // not expected: a waiting slot keeps its claim
                }
            }
        } finally {
            if (!handedOver) {
                // ended by a Throwable that escaped a probe (the process is ending as a rule)
                releaseProbingThread();
            }
        }
    }

    /**
     * Gives up a probing thread that ends abnormally. Probes waiting behind it get a thread of
     * their own, so none is stranded with no thread to run it.
     */
    private void releaseProbingThread() {
        CheckSlot next;
        long planned;
        synchronized (admission) {
            next = waitHead;
            if (next == null) {
                probing--;
                return;
            }
            waitHead = next.nextWaiting;
            if (waitHead == null) {
                waitTail = null;
            }
            next.nextWaiting = null;
            waiting--;
            planned = next.waitingPlannedNanos;
        }
        CompletableFuture<ProbeResult> f = next.running != null ? next.running : new CompletableFuture<>();
        try {
            Thread.ofVirtual().name("ward-probe").start(() -> runProbes(next, planned, f));
        } catch (RuntimeException | OutOfMemoryError e) {
            synchronized (admission) {
                probing--;
            }
            next.running = null;
            endFlight();
            f.completeExceptionally(e);
        }
    }

    /** Ends the probes still waiting at close, unprobed and unrecorded. */
    private void abandonWaiting() {
        CheckSlot slot;
        synchronized (admission) {
            slot = waitHead;
            waitHead = null;
            waitTail = null;
            waiting = 0;
        }
        while (slot != null) {
            CheckSlot next = slot.nextWaiting;
            slot.nextWaiting = null;
            CompletableFuture<ProbeResult> f = slot.running;
            slot.running = null;
            endFlight();
            if (f != null) {
                Check check = slot.check;
                f.complete(new ProbeResult.Unknown(slot.device.id(), check.name(), check.type(), clock.instant(),
                        "not probed: the engine closed while the probe waited for a free thread"));
            }
            slot = next;
        }
    }

    private void endFlight() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (settled) {
                settled.notifyAll();
            }
        }
    }

    /** Probes due and waiting for a free probing thread (gauge {@code ward.probes.waiting}). */
    int probesWaiting() {
        synchronized (admission) {
            return waiting;
        }
    }

    private void runProbe(CheckSlot slot, long plannedNanos, CompletableFuture<ProbeResult> f) {
        ProbeResult result = null;
        Check check = slot.check;
        Device device = slot.device;
        try {
            long start = ticker.read();
            meters.lag(start - plannedNanos);
            Instant now = clock.instant();
            Instant planned = now.minusNanos(Math.max(0, start - plannedNanos));
            result = probeOnce(device, check, planned, now);
            meters.probeTime(check.type(), ticker.read() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new ProbeResult.Unknown(device.id(), check.name(), check.type(), clock.instant(), "interrupted: the engine is stopping");
        } finally {
            if (result != null) {
                handle(slot, result);
            }
            slot.running = null;
            endFlight();
            if (result != null) {
                f.complete(result);
            } else {
                f.completeExceptionally(new WardException("probe did not complete"));
            }
        }
    }

    private ProbeResult probeOnce(Device device, Check check, Instant planned, Instant now) throws InterruptedException {
        Prober prober;
        try {
            prober = proberFor(check.type());
        } catch (RuntimeException e) {
            meters.failed(check.type());
            if (logLimit.allow("prober-create-" + check.type())) {
                LOG.error("cannot create the {} prober: {}", check.type(), e.getMessage());
            }
            return new ProbeResult.Unknown(device.id(), check.name(), check.type(), now, "no usable " + check.type() + " prober: " + e.getMessage());
        }
        try {
            ProbeResult r = prober.probe(new ProbeRequest(device, check, planned));
            if (r == null || !r.device().equals(device.id()) || !r.check().equals(check.name())) {
                meters.failed(check.type());
                return new ProbeResult.Unknown(device.id(), check.name(), check.type(), now,
                        "the " + check.type() + " prober returned " + (r == null ? "null" : "a result for another check"));
            }
            return r;
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            meters.failed(check.type());
            if (t instanceof Error) {
                // ward itself (or the prober) is broken, not the device: the result is UNKNOWN,
                // and the error goes to the uncaught-exception handler (the runner exits)
                Guard.fatal("the " + check.type() + " prober", t);
            }
            if (logLimit.allow("prober-" + check.type())) {
                LOG.warn("the {} prober threw {} (device {}); counted in ward.probes.failed; this message repeats at most once a minute",
                        check.type(), t.getClass().getName(), device.id());
            }
            return new ProbeResult.Unknown(device.id(), check.name(), check.type(), now, "prober error: " + t.getClass().getSimpleName());
        }
    }

    private Prober proberFor(String type) {
        Prober p = userProbers.get(type);
        if (p != null) {
            return p;
        }
        return ownedProbers.computeIfAbsent(type, t -> {
            Prober created = switch (t) {
                case IcmpSettings.TYPE -> Probers.icmp(config.icmpOptions());
                case TcpSettings.TYPE -> Probers.tcp();
                default -> throw new WardException("no prober for type '" + t + "'");
            };
            bindMeters(created);
            tellPlan(created, plannedIcmpRate);
            return created;
        });
    }

    private void handle(CheckSlot slot, ProbeResult r) {
        if (slot.removed) {
            return;
        }
        slot.latest = r;
        meters.result(r);
        try {
            planRecheck(slot, r);
        } catch (RuntimeException e) {
            // the regular schedule still probes the check; only the fast confirmation is lost
            if (logLimit.allow("recheck")) {
                LOG.warn("could not plan a re-check ({}); the check stays on its interval; this message repeats at most "
                        + "once a minute", e.toString());
            }
        }
        for (ResultListener l : listeners) {
            try {
                l.onResult(r);
            } catch (Throwable t) {
                meters.listenerFailed();
                if (t instanceof Error) {
                    Guard.fatal("result listener " + l.getClass().getName(), t);
                }
                if (logLimit.allow("listener-" + l.getClass().getName())) {
                    LOG.warn("result listener {} threw {}; counted in ward.listener.failures; this message repeats at most once a minute",
                            l.getClass().getName(), t.toString());
                }
            }
        }
        for (SinkDispatcher d : dispatchers) {
            d.offer(r);
        }
    }

    /**
     * Re-checks a check at the short re-check interval while its outcome is a change not yet
     * settled by enough probes in a row (Nagios's soft state). Results of one check arrive one at
     * a time (a check never runs twice at once), so the slot's counters need no lock.
     */
    private void planRecheck(CheckSlot slot, ProbeResult r) {
        if (recheckNanos == 0 || r instanceof ProbeResult.Unknown || state.get() != STARTED
                || !config.recheckTypes().contains(slot.check.type())) {
            return;   // UNKNOWN is ward's own trouble: hammering the check would not help
        }
        boolean ok = r instanceof ProbeResult.Up;
        Boolean settled = slot.settledOk;
        if (settled != null && settled == ok) {
            slot.streak = 0;
            return;
        }
        if (slot.streak > 0 && slot.streakOk == ok) {
            slot.streak++;
        } else {
            slot.streak = 1;
            slot.streakOk = ok;
        }
        int needed = ok ? (settled == null ? 1 : config.recheckSuccesses()) : config.recheckFailures();
        if (slot.streak >= needed) {
            slot.settledOk = ok;
            slot.streak = 0;
        } else {
            schedule.recheck(slot, ticker.read() + recheckNanos);
        }
    }

    /** Counts devices by status, for the gauges. */
    Map<DeviceStatus, Integer> countByStatus() {
        Map<DeviceStatus, Integer> m = new HashMap<>();
        for (DeviceId id : devices.keySet()) {
            m.merge(status(id), 1, Integer::sum);
        }
        return m;
    }
}
