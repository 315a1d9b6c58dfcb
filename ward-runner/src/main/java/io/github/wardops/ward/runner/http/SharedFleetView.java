package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FleetView} of a runner in cluster mode: the whole fleet, though this runner polls
 * only its shards.
 *
 * <ul>
 *   <li>The inventory is the runner's whole inventory feed, not the engine's (which holds only
 *       the devices of the shards this runner owns).</li>
 *   <li>A device this runner polls ({@code ward.inventory().get(id)} is present) answers from the
 *       local tracker, alerting and latest results: fresh.</li>
 *   <li>Every other device answers from a <b>snapshot</b> of the shared state read from the
 *       database: every device's reachability state and the open alerts. The snapshot is read on
 *       demand: the first request after it is older than {@code maxAge} (5 s by default) reads it
 *       again, and requests arriving meanwhile wait for that one read (at most {@code maxWait},
 *       then they answer from the old snapshot). A read that fails keeps the old snapshot, which
 *       keeps answering (its age grows, {@link #age()}), and is tried again {@code maxAge} later;
 *       the failure is logged at WARN once per episode.</li>
 *   <li>Latest results, measured values and interface states are known only for devices polled
 *       here: for the others they are empty.</li>
 * </ul>
 * Bounded: the snapshot keeps only the device rows (over PostgreSQL only they are read,
 * {@code PostgresStorage.loadDeviceStates()}; interface rows another reader gives are dropped) of
 * devices in the inventory when it is read, each a {@link DeviceState} without its flap history (the API
 * does not show it), keyed by the inventory's own {@link DeviceId} instances; and at most
 * {@link HttpApi#MAX_ALERTS} open alerts (the newest). Thread-safe.
 */
public final class SharedFleetView implements FleetView {
    /** The default most age of the snapshot before a request reads it again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);
    /** The default longest a request waits for another request's read of the snapshot. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Comparator<Alert> NEWEST_FIRST = Comparator.comparing(Alert::openedAt, Comparator.reverseOrder())
            .thenComparing(Alert::id);

    /** The inventory as last supplied, indexed by id; rebuilt when the supplier gives another collection. */
    private record Inventory(Collection<Device> source, List<Device> devices, Map<DeviceId, Device> byId) {
        static Inventory of(Collection<Device> source) {
            List<Device> list = List.copyOf(source);
            Map<DeviceId, Device> byId = HashMap.newHashMap(list.size());
            for (Device d : list) {
                byId.put(d.id(), d);
            }
            return new Inventory(source, list, byId);
        }
    }

    /**
     * One reading of the shared state.
     *
     * @param states device states by id, of devices in the inventory when read
     * @param alerts the open alerts, newest first, at most {@link HttpApi#MAX_ALERTS}
     * @param alertsTotal the open alerts read, before the bound
     * @param readNanos when the last successful read started ({@link Ticker#read()}); meaningless when {@code !read}
     * @param read whether any read has succeeded
     * @param triedNanos when the last read (successful or not) started
     * @param due whether the next request must read (never tried, or {@link #changed()})
     */
    record Snapshot(Map<DeviceId, DeviceState> states, List<Alert> alerts, int alertsTotal, long readNanos, boolean read,
                    long triedNanos, boolean due) {
        static final Snapshot NONE = new Snapshot(Map.of(), List.of(), 0, 0, false, 0, true);
    }

    private final Supplier<? extends Collection<Device>> inventory;
    private final Ward ward;
    private final StateTracker tracker;
    private final Alerting alerting;
    private final Callable<? extends Collection<DeviceState>> readStates;
    private final Callable<? extends Collection<Alert>> readOpenAlerts;
    private final long maxAgeNanos;
    private final long maxWaitNanos;
    private final Ticker ticker;
    /** Whether a live runner owns a device's shard now. */
    private final java.util.function.Predicate<DeviceId> polledSomewhere;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Inventory index;
    private volatile Snapshot current = Snapshot.NONE;
    private volatile boolean failing;
    private volatile long reads;
    private volatile long failures;

    /**
     * A view over any readers of the shared state (tests, another store).
     *
     * @param inventory the whole inventory (the runner's feed); best the same collection instance
     *     while the inventory is unchanged: a new collection is compared device by device (by
     *     instance) and indexed again only when it differs; never {@code null}
     * @param ward this runner's engine: its inventory says which devices are polled here; never {@code null}
     * @param tracker this runner's tracker; never {@code null}
     * @param alerting this runner's alerting; never {@code null}
     * @param readStates reads every device's state from the shared store (interface rows are
     *     dropped); never {@code null}
     * @param readOpenAlerts reads the open alerts from the shared store; never {@code null}
     * @param maxAge the snapshot's most age before a request reads it again, 100 ms to 10 minutes
     * @param maxWait the longest a request waits for another's read, 0 to 1 minute
     * @param ticker the monotonic clock; never {@code null}
     * @throws IllegalArgumentException when {@code maxAge} or {@code maxWait} is out of range
     */
    public SharedFleetView(Supplier<? extends Collection<Device>> inventory, Ward ward, StateTracker tracker,
                           Alerting alerting, Callable<? extends Collection<DeviceState>> readStates,
                           Callable<? extends Collection<Alert>> readOpenAlerts, Duration maxAge, Duration maxWait,
                           Ticker ticker) {
        this(inventory, ward, tracker, alerting, readStates, readOpenAlerts, maxAge, maxWait, ticker, id -> true);
    }

    /**
     * A view over any readers of the shared state, told which devices some live runner polls now
     * (see {@link #state}).
     *
     * @param inventory the whole inventory (the runner's feed); never {@code null}
     * @param ward this runner's engine; never {@code null}
     * @param tracker this runner's tracker; never {@code null}
     * @param alerting this runner's alerting; never {@code null}
     * @param readStates reads every device's state from the shared store; never {@code null}
     * @param readOpenAlerts reads the open alerts from the shared store; never {@code null}
     * @param maxAge the snapshot's most age before a request reads it again, 100 ms to 10 minutes
     * @param maxWait the longest a request waits for another's read, 0 to 1 minute
     * @param ticker the monotonic clock; never {@code null}
     * @param polledSomewhere whether a live runner owns the device's shard now; never {@code null}
     * @throws IllegalArgumentException when {@code maxAge} or {@code maxWait} is out of range
     */
    public SharedFleetView(Supplier<? extends Collection<Device>> inventory, Ward ward, StateTracker tracker,
                           Alerting alerting, Callable<? extends Collection<DeviceState>> readStates,
                           Callable<? extends Collection<Alert>> readOpenAlerts, Duration maxAge, Duration maxWait,
                           Ticker ticker, java.util.function.Predicate<DeviceId> polledSomewhere) {
        this.polledSomewhere = Objects.requireNonNull(polledSomewhere, "polledSomewhere");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.ward = Objects.requireNonNull(ward, "ward");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.alerting = Objects.requireNonNull(alerting, "alerting");
        this.readStates = Objects.requireNonNull(readStates, "readStates");
        this.readOpenAlerts = Objects.requireNonNull(readOpenAlerts, "readOpenAlerts");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxAge.compareTo(Duration.ofMillis(100)) < 0 || maxAge.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("maxAge " + maxAge + " must be 100 ms to 10 minutes");
        }
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("maxWait " + maxWait + " must be 0 to 1 minute");
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * The view of a runner in cluster mode over its PostgreSQL storage: states from
     * {@code storage.loadDeviceStates()} (device rows only, as stored: this runner's queued writes
     * are not forced out by a read), open alerts from {@code storage.alertStore().loadOpen()},
     * the snapshot read again at most every {@code maxAge}.
     *
     * @param inventory the whole inventory (the runner's feed, see the constructor); never {@code null}
     * @param ward this runner's engine; never {@code null}
     * @param tracker this runner's tracker; never {@code null}
     * @param alerting this runner's alerting; never {@code null}
     * @param storage the shared PostgreSQL storage; never {@code null}
     * @param maxAge the snapshot's most age, 100 ms to 10 minutes ({@link #DEFAULT_MAX_AGE})
     * @return the view
     */
    public static SharedFleetView over(Supplier<? extends Collection<Device>> inventory, Ward ward, StateTracker tracker,
                                       Alerting alerting, PostgresStorage storage, Duration maxAge) {
        Objects.requireNonNull(storage, "storage");
        return new SharedFleetView(inventory, ward, tracker, alerting, storage::loadDeviceStates,
                () -> storage.alertStore().loadOpen(), maxAge, DEFAULT_MAX_WAIT, Ticker.system());
    }

    /**
     * {@link #over(Supplier, Ward, StateTracker, Alerting, PostgresStorage)}, told which devices a
     * live runner polls now: the others are shown {@code UNKNOWN}/{@code stale}.
     *
     * @param inventory the whole inventory (the runner's feed); never {@code null}
     * @param ward this runner's engine; never {@code null}
     * @param tracker this runner's tracker; never {@code null}
     * @param alerting this runner's alerting; never {@code null}
     * @param storage the shared PostgreSQL storage; never {@code null}
     * @param polledSomewhere whether a live runner owns the device's shard now; never {@code null}
     * @return the view
     */
    public static SharedFleetView over(Supplier<? extends Collection<Device>> inventory, Ward ward, StateTracker tracker,
                                       Alerting alerting, PostgresStorage storage,
                                       java.util.function.Predicate<DeviceId> polledSomewhere) {
        Objects.requireNonNull(storage, "storage");
        return new SharedFleetView(inventory, ward, tracker, alerting, storage::loadDeviceStates,
                () -> storage.alertStore().loadOpen(), DEFAULT_MAX_AGE, DEFAULT_MAX_WAIT, Ticker.system(), polledSomewhere);
    }

    /**
     * {@link #over(Supplier, Ward, StateTracker, Alerting, PostgresStorage, Duration)} with the
     * default most age, 5 s.
     *
     * @param inventory the whole inventory (the runner's feed); never {@code null}
     * @param ward this runner's engine; never {@code null}
     * @param tracker this runner's tracker; never {@code null}
     * @param alerting this runner's alerting; never {@code null}
     * @param storage the shared PostgreSQL storage; never {@code null}
     * @return the view
     */
    public static SharedFleetView over(Supplier<? extends Collection<Device>> inventory, Ward ward, StateTracker tracker,
                                       Alerting alerting, PostgresStorage storage) {
        return over(inventory, ward, tracker, alerting, storage, DEFAULT_MAX_AGE);
    }

    private Inventory inventory() {
        Collection<Device> source = Objects.requireNonNull(inventory.get(), "the inventory supplier gave null");
        Inventory ix = index;
        if (ix == null || ix.source() != source) {
            ix = ix != null && sameDevices(ix.devices(), source)
                    ? new Inventory(source, ix.devices(), ix.byId()) : Inventory.of(source);
            index = ix;
        }
        return ix;
    }

    /** Whether a new collection holds the same device instances in the same order (a feed that copies). */
    private static boolean sameDevices(List<Device> known, Collection<Device> source) {
        if (known.size() != source.size()) {
            return false;
        }
        int i = 0;
        for (Device d : source) {
            if (d != known.get(i++)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The snapshot, read again first when it is due (see the class comment).
     *
     * @return the snapshot
     */
    Snapshot snapshot() {
        Snapshot s = current;
        if (!due(s, ticker.read())) {
            return s;
        }
        boolean mine;
        try {
            mine = reading.tryLock(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return current;
        }
        if (!mine) {
            return current;
        }
        try {
            s = current;
            long now = ticker.read();
            if (!due(s, now)) {
                return s;
            }
            current = read(s, now);
            return current;
        } finally {
            reading.unlock();
        }
    }

    private boolean due(Snapshot s, long now) {
        return s.due() || now - s.triedNanos() >= maxAgeNanos;
    }

    private Snapshot read(Snapshot old, long now) {
        try {
            Map<DeviceId, Device> byId = inventory().byId();
            Collection<DeviceState> rows = readStates.call();
            Map<DeviceId, DeviceState> states = HashMap.newHashMap(Math.min(rows.size(), byId.size()));
            for (DeviceState st : rows) {
                if (st.key().ifIndex() != StateKey.DEVICE) {
                    continue;
                }
                Device d = byId.get(st.key().device());
                if (d != null) {
                    states.put(d.id(), slim(st, d.id()));
                }
            }
            rows = null;
            List<Alert> alerts = new ArrayList<>(readOpenAlerts.call());
            int total = alerts.size();
            alerts.sort(NEWEST_FIRST);
            List<Alert> kept = List.copyOf(alerts.subList(0, Math.min(total, HttpApi.MAX_ALERTS)));
            reads++;
            if (failing) {
                failing = false;
                LOG.info("the shared fleet state is read again ({} device states, {} open alerts)", states.size(), total);
            }
            return new Snapshot(states, kept, total, now, true, now, false);
        } catch (Exception e) {
            failures++;
            if (!failing) {
                failing = true;
                LOG.warn("reading the shared fleet state failed ({}); answering from {}", e.getClass().getSimpleName(),
                        old.read() ? "the snapshot read " + Duration.ofNanos(now - old.readNanos()) + " ago"
                                : "no snapshot (devices polled elsewhere show UNKNOWN)");
            }
            return new Snapshot(old.states(), old.alerts(), old.alertsTotal(), old.readNanos(), old.read(), now, false);
        }
    }

    /** The state without its flap history (not shown by the API), keyed by the inventory's id instance. */
    private static DeviceState slim(DeviceState s, DeviceId id) {
        String detail = DeviceState.STALE.equals(s.detail()) ? DeviceState.STALE : s.detail();
        return new DeviceState(new StateKey(id, StateKey.DEVICE), s.status(), s.since(), s.flapping(), s.flapPercent(),
                s.consecutiveFailures(), s.consecutiveSuccesses(), s.updatedAt(), s.failingSince(), detail, "");
    }

    @Override
    public List<Device> devices() {
        return inventory().devices();
    }

    @Override
    public Optional<Device> device(DeviceId id) {
        return Optional.ofNullable(inventory().byId().get(id));
    }

    @Override
    public boolean polledHere(DeviceId id) {
        return ward.inventory().get(id).isPresent();
    }

    @Override
    public Optional<DeviceState> state(DeviceId id) {
        if (polledHere(id)) {
            return tracker.state(id);
        }
        return Optional.ofNullable(shared(snapshot().states(), id));
    }

    /**
     * The stored state of a device polled elsewhere, as the API shows it: when no live runner owns
     * the device's shard now (its runner died and none took over yet, or its zone has no live
     * runner), nobody probes it, so it is shown {@code UNKNOWN} with detail {@code stale}, never UP
     * (or DOWN) from an old row. (A stored row's age says nothing by itself: a steady device's state
     * is written only when it changes.)
     */
    private DeviceState shared(Map<DeviceId, DeviceState> states, DeviceId id) {
        DeviceState s = states.get(id);
        if (s == null || s.status() == io.github.wardops.ward.DeviceStatus.UNKNOWN || polledSomewhere.test(id)) {
            return s;
        }
        return new DeviceState(s.key(), io.github.wardops.ward.DeviceStatus.UNKNOWN, s.updatedAt(), false, 0, 0, 0,
                s.updatedAt(), null, DeviceState.STALE, "");
    }

    @Override
    public ToIntFunction<DeviceId> statusBits() {
        ToIntFunction<DeviceId> local = SummaryResource.statusOf(tracker);
        Map<DeviceId, DeviceState> shared = snapshot().states();
        ToIntFunction<DeviceId> remote = SummaryResource.bits(id -> shared(shared, id));
        return id -> polledHere(id) ? local.applyAsInt(id) : remote.applyAsInt(id);
    }

    @Override
    public Optional<io.github.wardops.ward.state.DeviceView> view(DeviceId id) {
        return polledHere(id) ? tracker.view(id) : Optional.empty();
    }

    @Override
    public Optional<DeviceState> interfaceState(DeviceId id, int ifIndex) {
        return polledHere(id) ? tracker.interfaceState(id, ifIndex) : Optional.empty();
    }

    /**
     * This runner's open alerts, then the snapshot's alerts of devices not polled here (an alert
     * of a device polled here comes from alerting only, the fresher).
     */
    @Override
    public List<Alert> openAlerts() {
        List<Alert> local = alerting.openAlerts();
        List<Alert> shared = snapshot().alerts();
        List<Alert> out = new ArrayList<>(local.size() + shared.size());
        Set<java.util.UUID> ids = new HashSet<>();
        for (Alert a : local) {
            if (ids.add(a.id())) {
                out.add(a);
            }
        }
        for (Alert a : shared) {
            if (!polledHere(a.device()) && ids.add(a.id())) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public Optional<ProbeResult> latest(DeviceId id, String check) {
        return polledHere(id) ? ward.latest().get(id, check) : Optional.empty();
    }

    @Override
    public Map<String, ProbeResult> latestAll(DeviceId id) {
        return polledHere(id) ? ward.latest().all(id) : Map.of();
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** Since the last successful read of the shared state; empty before the first. */
    @Override
    public Optional<Duration> age() {
        Snapshot s = snapshot();
        return s.read() ? Optional.of(Duration.ofNanos(Math.max(0, ticker.read() - s.readNanos()))) : Optional.empty();
    }

    /** The next request reads the shared state again. */
    @Override
    public void changed() {
        Snapshot s = current;
        current = new Snapshot(s.states(), s.alerts(), s.alertsTotal(), s.readNanos(), s.read(), s.triedNanos(), true);
    }

    /**
     * Reads of the shared state that succeeded, since start.
     *
     * @return the count
     */
    public long reads() {
        return reads;
    }

    /**
     * Reads of the shared state that failed, since start.
     *
     * @return the count
     */
    public long failures() {
        return failures;
    }

    @Override
    public String toString() {
        return "SharedFleetView[maxAge=" + Duration.ofNanos(maxAgeNanos) + "]";
    }
}
