package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.postgres.cluster.ClusterMember;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.ShardListener;
import io.github.wardops.ward.runner.http.ReadinessCheck;
import io.github.wardops.ward.runner.http.ShardOf;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner in cluster mode: several runners on one external PostgreSQL share the fleet through a
 * {@link ClusterMember} (see {@code docs/cluster.md}). The runner reads the whole inventory as
 * before; this class keeps the engine, the state tracker and alerting on the devices of the shards
 * this runner owns, and nothing else.
 *
 * <p>A device's shard key ({@link ShardOf#key}) is its {@code zone} label ({@code ""} without one) and
 * {@code Shards.of} of its <em>root</em>: the id of its top-most ancestor in the inventory, so a
 * parent and the devices behind it are polled by one runner and the tracker sees their topology
 * whole (a device whose zone differs from its parent's is still polled in its own zone, without
 * that topology).
 *
 * <ul>
 *   <li>{@link #gained} records the shard and wakes the applier thread, which adopts the shard's
 *       devices ({@link StateTracker#adopt}: their stored states, open alerts and {@code for}
 *       timers carry on, nothing is re-notified), then adds them to the engine, at most
 *       {@value #ADOPT_CHUNK} devices at a time.</li>
 *   <li>{@link #lost} runs on the member's thread before the shard is given up in the database:
 *       it removes the shard's devices from the engine (their probes stop), releases them from the
 *       tracker (alerting forgets them without resolving anything), and, unless the member fenced
 *       itself, flushes their last state and alert writes (at most {@value #LOST_FLUSH_MILLIS} ms)
 *       while the fence still admits them.</li>
 *   <li>Every state and alert write goes through the member's write fence
 *       ({@link PostgresStorage#fenceWrites}).</li>
 * </ul>
 * Thread-safe.
 */
final class Cluster implements ShardListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /**
     * The shard whose owner raises the fleet's zone alerts: each zone's alert device is keyed to it,
     * so its alerts are written only by that owner and carried on by the next one.
     */
    static final ShardKey ZONE_ALERTS_SHARD = new ShardKey("", 0);
    /** The rule (and group) of a zone's alert. */
    static final String ZONE_RULE = "ward_zone_without_runner";
    /** How long a zone may be without a live runner before its alert opens (a restart is not an outage). */
    static final Duration ZONE_GRACE = Duration.ofSeconds(30);
    /** The most devices adopted in one step (one read of their states and alerts). */
    static final int ADOPT_CHUNK = 5_000;
    /** The longest a handover waits for the shard's last writes. */
    static final long LOST_FLUSH_MILLIS = 2_000;

    private final Ward ward;
    private final StateTracker tracker;
    private final Alerting alerting;
    private final PostgresStorage storage;
    private final String zone;
    private final Object applyLock = new Object();
    /** The shards owned, as the member told us. */
    private final Set<ShardKey> owned = ConcurrentHashMap.newKeySet();
    /** The whole inventory, by id, as last read. */
    private volatile Map<DeviceId, Device> fleet = Map.of();
    /** The same devices in the inventory's order; one instance per inventory (the API's view indexes it once). */
    private volatile List<Device> fleetList = List.of();
    /** Each fleet device's shard key (bounded by the inventory). */
    private volatile Map<DeviceId, ShardKey> keys = Map.of();
    /** Devices per zone of the fleet (zones named by a device's label; bounded by the inventory). */
    private volatile Map<String, Integer> zones = Map.of();
    /**
     * The devices the engine polls, by their shard key: what {@link #lost} hands over without
     * scanning the engine's whole inventory. Rebuilt by {@link #reconcile} when devices left the
     * engine or the keys changed, added to by {@link #adopt}, taken from by {@link #lost}; it may
     * hold more than the engine (an apply that failed), and is not used while it is not of the
     * current {@link #keys}. Under applyLock; bounded by the inventory.
     */
    private final Map<ShardKey, Set<DeviceId>> polledByShard = new HashMap<>();
    /** The {@link #keys} that {@link #polledByShard} was built with; under applyLock. */
    private Map<DeviceId, ShardKey> polledKeys;
    /** The zone alert devices this runner took up with {@link #ZONE_ALERTS_SHARD}; under applyLock. */
    private final Set<DeviceId> zoneAlertsHeld = new HashSet<>();
    /** Since when each zone has had no live runner, as this runner saw it; touched by {@link #checkZones} only. */
    private final Map<String, java.time.Instant> zoneWithoutRunnerSince = new HashMap<>();
    private final Semaphore wake = new Semaphore(0);
    /** Shards per runner of the cluster, as this runner saw it last (one row per runner: bounded by the cluster). */
    private final io.micrometer.core.instrument.MultiGauge runnerShards;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread applier;
    private volatile ClusterMember member;
    /** The device of this runner's own health alert. */
    private final DeviceId healthDevice;

    /**
     * The runner's parts in cluster mode; the engine and the tracker start empty.
     *
     * @param ward the engine
     * @param tracker the state tracker
     * @param alerting alerting
     * @param storage the shared database
     * @param zone this runner's zone, or {@code null}
     * @param registry where the per-runner gauges go
     * @param healthDevice the device of this runner's own health alert ({@link #runnerHealthDevice})
     */
    Cluster(Ward ward, StateTracker tracker, Alerting alerting, PostgresStorage storage, String zone,
            MeterRegistry registry, DeviceId healthDevice) {
        this.healthDevice = healthDevice;
        this.ward = ward;
        this.tracker = tracker;
        this.alerting = alerting;
        this.storage = storage;
        this.zone = zone == null ? "" : zone;
        this.applier = Thread.ofPlatform().name("ward-cluster-apply").daemon(true).unstarted(this::applyLoop);
        Gauge.builder("ward.runner.cluster.devices", ward, w -> w.inventory().size())
                .description("Devices of the shards this runner owns (it probes them)").register(registry);
        Gauge.builder("ward.runner.cluster.fleet", this, c -> c.fleet.size())
                .description("Devices of the whole fleet (all runners)").register(registry);
        this.runnerShards = io.micrometer.core.instrument.MultiGauge.builder("ward.cluster.runner.shards")
                .description("Shards each live runner of the cluster owns, as this runner saw it at its last tick")
                .register(registry);
    }

    /**
     * A device's shard key, for the write fence.
     *
     * @param id the device
     * @return its key; {@code null} for a device outside the fleet (ward's own self-health device)
     */
    ShardKey keyOf(DeviceId id) {
        return keys.get(id);
    }

    /**
     * Joins the cluster: from now on the member tells this runner which shards it owns.
     *
     * @param connector opens the member's own session
     * @param name how the runner names itself
     * @param address where its HTTP API answers, or {@code null}
     * @param registry where the member's meters go
     */
    void join(ClusterMember.Connector connector, String name, String address, MeterRegistry registry) {
        alerting.onAdopted(List.of(healthDevice));   // this installation's health alert, if open: carried on
        ClusterOptions.Builder b = ClusterOptions.builder().name(name).zone(zone).meterRegistry(registry);
        if (address != null) {
            b.address(address);
        }
        applier.start();
        ClusterMember m = ClusterMember.join(connector, b.build(), this);
        member = m;
        storage.fenceWrites(m.writeFence(this::keyOf));
        LOG.info("cluster: joining the runners on this database as {} (id {}, zone {}); the fleet's {} devices are "
                + "shared between them", name, m.id(), zone.isEmpty() ? "none" : "'" + zone + "'", fleet.size());
    }

    /**
     * The whole inventory changed (a reload): the owned part of it is applied now.
     *
     * @param devices the whole inventory
     */
    void inventoryChanged(Collection<Device> devices) {
        Map<DeviceId, Device> f = new LinkedHashMap<>();
        for (Device d : devices) {
            f.put(d.id(), d);
        }
        Map<DeviceId, ShardKey> k = new HashMap<>();
        Map<String, Integer> z = new java.util.TreeMap<>();
        for (Device d : f.values()) {
            k.put(d.id(), ShardOf.key(d, id -> java.util.Optional.ofNullable(f.get(id))));
            String zn = d.labels().get(ShardOf.ZONE_LABEL);
            if (zn != null && !zn.isEmpty()) {
                z.merge(zn, 1, Integer::sum);
            }
        }
        for (String zn : z.keySet()) {
            k.putIfAbsent(zoneAlertDevice(zn), ZONE_ALERTS_SHARD);
        }
        List<Device> adopt;
        synchronized (applyLock) {
            fleet = Map.copyOf(f);
            fleetList = List.copyOf(f.values());
            zones = Map.copyOf(z);
            keys = Map.copyOf(k);
            adopt = reconcile();
        }
        adopt(adopt);
    }

    /**
     * The whole inventory as last read.
     *
     * @return the devices, in the inventory's order
     */
    List<Device> fleet() {
        return fleetList;
    }

    @Override
    public void gained(ShardKey shard, long epoch) {
        owned.add(shard);
        wake.release();
    }

    @Override
    public void lost(ShardKey shard) {
        owned.remove(shard);
        List<DeviceId> ids = new ArrayList<>();
        synchronized (applyLock) {
            if (shard.equals(ZONE_ALERTS_SHARD)) {
                holdZoneAlerts(false);
            }
            Set<DeviceId> polled = polledByShard.remove(shard);
            if (polledKeys == keys) {   // in proportion to the shard's devices
                if (polled != null) {
                    for (DeviceId id : polled) {
                        if (ward.inventory().get(id).isPresent()) {
                            ids.add(id);
                        }
                    }
                }
            } else {   // the index is not of these keys yet (a reconcile failed, tried again in 1 s): the whole engine
                for (Device d : ward.inventory().devices()) {
                    if (shard.equals(keys.get(d.id()))) {
                        ids.add(d.id());
                    }
                }
            }
            if (ids.isEmpty() && !shard.equals(ZONE_ALERTS_SHARD)) {
                return;
            }
            if (!ids.isEmpty()) {
                try {
                    ward.inventory().apply(ids.stream().map(InventoryChange::remove).toList());
                } catch (RuntimeException e) {
                    LOG.error("cluster: removing shard {}'s devices from the engine failed: {}", shard, e.toString());
                }
                tracker.release(ids);
            }
        }
        ClusterMember m = member;
        if (m != null && !m.fenced()) {
            flushBounded();
        }
        LOG.debug("cluster: shard {} handed over: {} devices", shard, ids.size());
    }

    /** Writes what is pending for the devices just released, while the fence still admits them; bounded. */
    private void flushBounded() {
        Thread t = Thread.ofVirtual().name("ward-cluster-flush").start(() -> {
            try {
                storage.flushStateWrites();
            } catch (RuntimeException e) {
                LOG.warn("cluster: the last writes of a shard handed over could not be made: {}", e.getMessage());
            }
        });
        try {
            if (!t.join(Duration.ofMillis(LOST_FLUSH_MILLIS))) {
                LOG.warn("cluster: the last writes of a shard handed over took more than {} ms; the shard is released "
                        + "anyway (writes for it are refused from now on)", LOST_FLUSH_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void applyLoop() {
        while (!closed.get()) {
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                if (closed.get()) {
                    return;
                }
                List<Device> adopt;
                synchronized (applyLock) {
                    adopt = reconcile();
                }
                adopt(adopt);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("cluster: applying the shards owned failed (tried again in 1 s): {}", e.toString());
            } catch (Error e) {
                io.github.wardops.ward.internal.support.Guard.fatal("the cluster applier", e);
                return;
            }
        }
    }

    /**
     * Adopts devices of owned shards, {@value #ADOPT_CHUNK} at a time, each step under the lock and
     * only for devices whose shard is still owned then: a handover ({@link #lost}, on the member's
     * thread) waits for one step at most, never for a whole start-up.
     */
    private void adopt(List<Device> devices) {
        for (int i = 0; i < devices.size(); i += ADOPT_CHUNK) {
            List<Device> chunk = devices.subList(i, Math.min(devices.size(), i + ADOPT_CHUNK));
            synchronized (applyLock) {
                Map<DeviceId, ShardKey> k = keys;
                Map<DeviceId, Device> f = fleet;
                List<Device> now = new ArrayList<>(chunk.size());
                for (Device d : chunk) {
                    if (f.get(d.id()) == d && owned.contains(k.get(d.id())) && ward.inventory().get(d.id()).isEmpty()) {
                        now.add(d);
                    }
                }
                if (now.isEmpty()) {
                    continue;
                }
                for (Device d : now) {   // before the engine has them: the index never holds less than it
                    polledByShard.computeIfAbsent(k.get(d.id()), x -> new HashSet<>()).add(d.id());
                }
                tracker.adopt(now);   // states, open alerts and timers first: nothing is opened or notified again
                ward.inventory().apply(now.stream().map(InventoryChange::upsert).toList());
            }
        }
        if (!devices.isEmpty()) {
            LOG.info("cluster: {} shard(s) owned, {} devices polled here", owned.size(), ward.inventory().size());
        }
    }

    /**
     * Makes the engine and the tracker hold the fleet's devices of the owned shards and nothing
     * else: devices that left the fleet are removed (their states deleted, their alerts resolved
     * as for any removed device), devices now in a shard not owned are released, changed ones
     * updated; {@link #polledByShard} is rebuilt from what stays when devices left the engine or
     * the keys changed with the inventory. Under applyLock.
     *
     * @return the devices to adopt (see {@link #adopt})
     */
    private List<Device> reconcile() {
        Map<DeviceId, Device> f = fleet;
        Map<DeviceId, ShardKey> k = keys;
        Set<ShardKey> mine = Set.copyOf(owned);
        Map<DeviceId, Device> current = new HashMap<>();
        for (Device d : ward.inventory().devices()) {
            current.put(d.id(), d);
        }
        List<InventoryChange> engineOut = new ArrayList<>();
        List<DeviceId> released = new ArrayList<>();
        List<DeviceId> gone = new ArrayList<>();
        for (DeviceId id : current.keySet()) {
            if (!f.containsKey(id)) {
                gone.add(id);
                engineOut.add(InventoryChange.remove(id));
            } else if (!mine.contains(k.get(id))) {
                released.add(id);
                engineOut.add(InventoryChange.remove(id));
            }
        }
        List<InventoryChange> changed = new ArrayList<>();
        List<Device> adopt = new ArrayList<>();
        for (Device d : f.values()) {
            if (!mine.contains(k.get(d.id()))) {
                continue;
            }
            Device was = current.get(d.id());
            if (was == null) {
                adopt.add(d);
            } else if (!was.equals(d)) {
                changed.add(InventoryChange.upsert(d));
            }
        }
        if (!engineOut.isEmpty()) {
            ward.inventory().apply(engineOut);    // their probes stop first
            tracker.release(released);
            if (!gone.isEmpty()) {
                tracker.apply(gone.stream().map(InventoryChange::remove).toList());   // left the fleet: forgotten
            }
        }
        if (!changed.isEmpty()) {
            tracker.apply(changed);
            ward.inventory().apply(changed);
        }
        if (!released.isEmpty() || !gone.isEmpty()) {
            LOG.info("cluster: {} shard(s) owned; {} devices handed over, {} left the fleet", mine.size(), released.size(),
                    gone.size());
        }
        if (!engineOut.isEmpty() || k != polledKeys) {
            // the engine now holds the fleet's devices of the shards owned (and those adopted next), by their keys now
            polledByShard.clear();
            for (DeviceId id : current.keySet()) {
                if (f.containsKey(id) && mine.contains(k.get(id))) {
                    polledByShard.computeIfAbsent(k.get(id), x -> new HashSet<>()).add(id);
                }
            }
            polledKeys = k;
        }
        holdZoneAlerts(mine.contains(ZONE_ALERTS_SHARD));
        return adopt;
    }

    /** The rule of a runner's own health alert in cluster mode (beside the fleet's {@code ward_impaired}). */
    static final String RUNNER_HEALTH_RULE = "ward_runner_impaired";

    /**
     * The device of this runner's own health alert in cluster mode: one per runner installation
     * (its host and data directory), so two runners impaired at once do not supersede each other's
     * alert, and a runner restarted on the same data directory carries its open alert on.
     *
     * @param host the host's name
     * @param dataDir the runner's data directory
     * @return the id
     */
    static DeviceId runnerHealthDevice(String host, java.nio.file.Path dataDir) {
        return DeviceId.fromKey("ward-runner:" + host + ":" + dataDir.toAbsolutePath().normalize());
    }

    /**
     * What the state tracker tells alerting, in cluster mode: everything as is, but the tracker's
     * "ward is impaired" goes to this runner's own health alert ({@link #runnerHealthDevice}, rule
     * {@value #RUNNER_HEALTH_RULE}) instead of the one {@code ward-self} alert all runners would share.
     *
     * @param alerting alerting
     * @param device this runner's health device
     * @param name its name, {@code ward-runner on HOST}
     * @return the listener
     */
    static io.github.wardops.ward.state.StateListener healthPerRunner(Alerting alerting, DeviceId device, String name) {
        return new io.github.wardops.ward.state.StateListener() {
            @Override
            public void onTransition(io.github.wardops.ward.state.StateTransition t) {
                alerting.onTransition(t);
            }

            @Override
            public void onUpdate(io.github.wardops.ward.state.DeviceView view) {
                alerting.onUpdate(view);
            }

            @Override
            public void onRemoved(DeviceId id) {
                alerting.onRemoved(id);
            }

            @Override
            public void onAdopted(Collection<DeviceId> devices) {
                alerting.onAdopted(devices);
            }

            @Override
            public void onReleased(Collection<DeviceId> devices) {
                alerting.onReleased(devices);
            }

            @Override
            public void onHealth(String problem) {
                alerting.systemProblem(device, name, RUNNER_HEALTH_RULE, io.github.wardops.ward.alert.Severity.CRITICAL,
                        problem);
            }
        };
    }

    /** Refreshes {@code ward.cluster.runner.shards{runner, zone}}: one row per live runner. */
    private void publishRunners() {
        ClusterMember m = member;
        if (m == null) {
            return;
        }
        List<io.micrometer.core.instrument.MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ClusterView.Runner r : m.view().runners()) {
            if (r.live()) {
                rows.add(io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of(
                        "runner", r.id().toString(), "zone", r.zone()), r.shards()));
            }
        }
        runnerShards.register(rows, true);
    }

    /** The device id of a zone's alert (outside the inventory). */
    static DeviceId zoneAlertDevice(String zone) {
        return DeviceId.fromKey("ward-zone:" + zone);
    }

    /**
     * Takes up (open alerts read from the store, so none opens twice) or hands over the zones'
     * alert devices with {@link #ZONE_ALERTS_SHARD}. Under applyLock.
     */
    private void holdZoneAlerts(boolean owner) {
        Set<DeviceId> want = new HashSet<>();
        if (owner) {
            for (String z : zones.keySet()) {
                want.add(zoneAlertDevice(z));
            }
        }
        List<DeviceId> drop = zoneAlertsHeld.stream().filter(id -> !want.contains(id)).toList();
        if (!drop.isEmpty()) {
            alerting.onReleased(drop);
            drop.forEach(zoneAlertsHeld::remove);
        }
        List<DeviceId> take = want.stream().filter(id -> !zoneAlertsHeld.contains(id)).toList();
        if (!take.isEmpty()) {
            alerting.onAdopted(take);
            zoneAlertsHeld.addAll(take);
        }
    }

    /**
     * Whether this runner leads the cluster's fleet-wide duties now (notification dispatch): it
     * owns {@link #ZONE_ALERTS_SHARD} and is not fenced. One runner at a time, bar a handover.
     *
     * @return {@code true} while it leads
     */
    public boolean leads() {
        ClusterMember m = member;
        return m != null && !m.fenced() && owned.contains(ZONE_ALERTS_SHARD);
    }

    /**
     * The zone alerts, on the runner that owns {@link #ZONE_ALERTS_SHARD}: a zone of the fleet
     * with no live runner for {@link #ZONE_GRACE} is ONE alert (its devices are polled by nobody,
     * and shown UNKNOWN/stale, not DOWN one by one); it resolves when a runner of the zone is live
     * again, or when the zone leaves the inventory. Runs on the runner's database thread.
     */
    void checkZones() {
        publishRunners();
        ClusterMember m = member;
        if (m == null || m.fenced() || !owned.contains(ZONE_ALERTS_SHARD)) {
            zoneWithoutRunnerSince.clear();
            return;
        }
        ClusterView v = m.view();
        Set<String> live = new HashSet<>();
        for (ClusterView.Runner r : v.runners()) {
            if (r.live()) {
                live.add(r.zone());
            }
        }
        java.time.Instant now = java.time.Instant.now();
        Map<String, Integer> z = zones;
        for (Map.Entry<String, Integer> e : z.entrySet()) {
            String zone = e.getKey();
            DeviceId id = zoneAlertDevice(zone);
            if (live.contains(zone)) {
                zoneWithoutRunnerSince.remove(zone);
                alerting.systemProblem(id, "zone " + zone, ZONE_RULE, io.github.wardops.ward.alert.Severity.HIGH, null);
                continue;
            }
            java.time.Instant since = zoneWithoutRunnerSince.computeIfAbsent(zone, k -> now);
            if (Duration.between(since, now).compareTo(ZONE_GRACE) >= 0) {
                alerting.systemProblem(id, "zone " + zone, ZONE_RULE, io.github.wardops.ward.alert.Severity.HIGH,
                        "zone " + zone + " has no live ward runner: its " + e.getValue() + " devices are not polled "
                                + "(start a runner with zone: " + zone + ")");
            }
        }
        zoneWithoutRunnerSince.keySet().retainAll(z.keySet());
        for (io.github.wardops.ward.alert.Alert a : zoneAlertsOfZonesGone(alerting.openAlerts(), z.keySet())) {
            alerting.systemProblem(a.device(), a.deviceName(), ZONE_RULE, a.severity(), null);   // zone left the fleet
        }
    }

    /**
     * The open zone alerts whose zone left the inventory: those of rule {@value #ZONE_RULE} whose
     * device is not {@link #zoneAlertDevice} of a zone still known (the device id decides, not
     * the alert's device name).
     *
     * @param open the open alerts
     * @param zones the zones of the fleet
     * @return the alerts to resolve; bounded by {@code open}
     */
    static List<io.github.wardops.ward.alert.Alert> zoneAlertsOfZonesGone(
            Collection<io.github.wardops.ward.alert.Alert> open, Collection<String> zones) {
        Set<DeviceId> known = HashSet.newHashSet(zones.size());
        for (String z : zones) {
            known.add(zoneAlertDevice(z));
        }
        List<io.github.wardops.ward.alert.Alert> gone = new ArrayList<>();
        for (io.github.wardops.ward.alert.Alert a : open) {
            if (ZONE_RULE.equals(a.rule()) && !known.contains(a.device())) {
                gone.add(a);
            }
        }
        return gone;
    }

    /**
     * Takes up acknowledgements made through other runners (of alerts this runner holds).
     */
    void syncAcknowledgements() {
        alerting.syncAcknowledgements();
    }

    /**
     * The member, once joined.
     *
     * @return the member, or {@code null} before {@link #join}
     */
    ClusterMember member() {
        return member;
    }

    /**
     * The cluster as this runner saw it last.
     *
     * @return the view, or {@code null} before {@link #join}
     */
    ClusterView view() {
        ClusterMember m = member;
        return m == null ? null : m.view();
    }

    /** The shards with a live owner, from one view: rebuilt when the member's view changes. */
    private record LiveIndex(java.time.Instant readAt, Set<ShardKey> live) {
    }

    private volatile LiveIndex liveIndex = new LiveIndex(null, Set.of());

    /**
     * Whether a live runner owns the device's shard now, as this runner saw it at the member's
     * last tick (at most a tick old): a device polled by nobody is shown {@code UNKNOWN}/stale by
     * the API, never UP from its last stored row.
     *
     * @param id the device
     * @return whether some live runner polls it; {@code true} for a device outside the fleet and
     *     before this runner has joined
     */
    boolean polledSomewhere(DeviceId id) {
        ShardKey k = keys.get(id);
        ClusterMember m = member;
        if (k == null || m == null) {
            return true;
        }
        ClusterView v = m.view();
        if (v.readAt() == null) {
            return true;
        }
        LiveIndex ix = liveIndex;
        if (ix.readAt() == null || !ix.readAt().equals(v.readAt())) {
            Set<ShardKey> live = new HashSet<>();
            for (ClusterView.Shard sh : v.shards()) {
                if (sh.owner() != null && sh.ownerLive()) {
                    live.add(sh.key());
                }
            }
            ix = new LiveIndex(v.readAt(), Set.copyOf(live));
            liveIndex = ix;
        }
        return ix.readAt() == null || ix.live().contains(k);
    }

    /**
     * The readiness check {@code cluster}: not ready while the member is fenced (it probes nothing).
     *
     * @return the check
     */
    ReadinessCheck readiness() {
        return ReadinessCheck.of("cluster", () -> {
            ClusterMember m = member;
            if (m == null) {
                return new ReadinessCheck.Result(false, "not joined yet");
            }
            if (m.fenced()) {
                return new ReadinessCheck.Result(false, "FENCED: no confirmed contact with the database; this runner "
                        + "probes and alerts for nothing until it rejoins (" + fleet.size() + " devices in the fleet)");
            }
            ClusterView v = m.view();
            long live = v.runners().stream().filter(ClusterView.Runner::live).count();
            return new ReadinessCheck.Result(true, "member " + m.id() + (zone.isEmpty() ? "" : " of zone '" + zone + "'")
                    + ": owns " + m.leases().size() + " shard(s), polls " + ward.inventory().size() + " of "
                    + fleet.size() + " devices; " + live + " live runner(s)");
        });
    }

    /** Leaves the cluster: every shard is handed over (its last writes flushed) and released. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        wake.release();
        ClusterMember m = member;
        if (m != null) {
            m.close();
        }
        applier.interrupt();
    }
}
