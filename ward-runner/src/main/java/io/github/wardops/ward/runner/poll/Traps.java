package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.postgres.TrapStore;
import io.github.wardops.ward.runner.http.TrapLog;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.poller.SnmpTrapOptions;
import io.github.wardops.ward.snmp.poller.SnmpTrapReceiver;
import io.github.wardops.ward.snmp.poller.TrapEvent;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's SNMP trap receiver ({@code snmp-trap-port}): the library's {@link SnmpTrapReceiver}
 * with the runner's credentials, matching a trap's agent address, then its source address, to the
 * device with that address in the inventory (a map rebuilt when the inventory changes), storing
 * each matched trap (PostgreSQL's {@code traps}, or memory when storage is off) and probing the device at once for linkDown, linkUp,
 * coldStart and warmStart, at most once per {@code snmp-trap-probe-gap} per device. Traps of
 * unknown sources are counted by the library ({@code ward_snmp_traps_total{outcome="unknown_source"}}),
 * logged at most once a second, and never kept. Thread-safe.
 */
final class Traps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Traps.class);
    /** The traps that probe their device at once. */
    static final Set<String> PROBING = Set.of("linkDown", "linkUp", "coldStart", "warmStart");
    /** Unknown-source traps logged per second, all sources together; the rest are only counted. */
    static final int UNKNOWN_LOGGED_PER_SECOND = 1;

    private final AtomicReference<Map<InetAddress, DeviceId>> byAddress = new AtomicReference<>(Map.of());
    private final Map<DeviceId, Long> lastProbe = new ConcurrentHashMap<>();
    /** The latest traps per device in memory when storage is off, else {@code null}. */
    private final TrapLog.InMemory memory;
    /** PostgreSQL's traps when storage is on, else {@code null}. */
    private final TrapStore store;
    private final Counter storeFailures;
    private final AtomicLong lastStoreWarning = new AtomicLong(Long.MIN_VALUE);
    private final Ward ward;
    private final long gapNanos;
    private final LongSupplier nanos;
    private final Counter probed;
    private final Counter limited;
    private final Counter notPolled;
    private volatile SnmpTrapReceiver receiver;
    /** The rules' side: the state tracker, told each device's latest trap as the value {@code trap:NAME}. */
    private final Consumer<ProbeResult> rules;
    private final long holdNanos;
    /** Devices whose latest trap is held for the rules, and until when (nanos); at most one entry per device. */
    private final Map<DeviceId, Long> heldUntil = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry;
    /** Vendor trap names by snmpTrapOID, from the templates in force ({@code trap} lines). */
    private volatile Map<SnmpOid, String> vendorTraps = Map.of();

    Traps(TrapLog.InMemory memory, TrapStore store, Ward ward, Duration gap, LongSupplier nanos, MeterRegistry registry) {
        this(memory, store, ward, gap, nanos, registry, r -> { }, Duration.ofMinutes(15));
    }

    Traps(TrapLog.InMemory memory, TrapStore store, Ward ward, Duration gap, LongSupplier nanos, MeterRegistry registry,
          Consumer<ProbeResult> rules, Duration hold) {
        if ((memory == null) == (store == null)) {
            throw new IllegalArgumentException("one of memory and store");
        }
        this.rules = rules;
        this.holdNanos = hold.toNanos();
        this.expiry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ward-trap-hold").daemon().factory());
        // survives its exceptions; an Error ends the process (the runner's handler), never lost
        this.expiry.scheduleWithFixedDelay(io.github.wardops.ward.internal.support.Guard.periodic("trap hold expiry", LOG,
                this::expireHeld), 1, 1, TimeUnit.SECONDS);
        this.memory = memory;
        this.store = store;
        this.ward = ward;
        this.gapNanos = gap.toNanos();
        this.nanos = nanos;
        this.probed = probes(registry, "probed", "a probe of every check of the device started");
        this.limited = probes(registry, "limited", "the device was probed for a trap less than snmp-trap-probe-gap ago");
        this.notPolled = probes(registry, "not_polled", "the device is not polled by this runner (cluster mode)");
        this.storeFailures = Counter.builder("ward.runner.traps.store.failures")
                .description("Traps that could not be written to PostgreSQL (the database was unreachable)").register(registry);
        if (memory != null) {
            Gauge.builder("ward.runner.traps.kept", memory, TrapLog.InMemory::size)
                    .description("SNMP traps kept in memory for the API (storage off)").register(registry);
        }
    }

    private static Counter probes(MeterRegistry registry, String outcome, String what) {
        return Counter.builder("ward.runner.trap.probes").tag("outcome", outcome)
                .description("linkDown/linkUp/coldStart/warmStart traps of known devices: " + what).register(registry);
    }

    /**
     * Starts the receiver when {@code snmp-trap-port} is set.
     *
     * @param settings the settings
     * @param ward the engine, whose devices are probed
     * @param devices the whole inventory
     * @param registry where the meters go
     * @param store PostgreSQL's traps, or {@code null} when storage is off (then they are kept in memory)
     * @param rules the state tracker, told each device's latest trap for the rules' variable {@code trap}
     * @param vendorTraps vendor trap names by snmpTrapOID ({@link #vendorTrapNames})
     * @return the receiver, or {@code null} when it is off
     * @throws io.github.wardops.ward.WardException when the port cannot be bound (the message says why)
     */
    static Traps start(RunSettings settings, Ward ward, Collection<Device> devices, MeterRegistry registry,
                       TrapStore store, Consumer<ProbeResult> rules, Map<SnmpOid, String> vendorTraps) {
        RunSettings.SnmpTraps t = settings.snmpTraps();
        if (!t.on()) {
            LOG.debug("snmp traps: off (snmp-trap-port 0)");
            return null;
        }
        SnmpTrapOptions.Builder b = SnmpTrapOptions.builder().bindAddress(t.address()).port(t.port())
                .unknownSourcesPerSecond(UNKNOWN_LOGGED_PER_SECOND).queueCapacity(t.queue())
                .receiveBufferBytes(t.receiveBufferBytes()).meterRegistry(registry);
        settings.snmpTrapCommunity().ifPresent(b::community);
        String v3 = "no v3 user";
        if (settings.snmpV3() instanceof SnmpCredentials.Usm u) {
            b.user(u);
            v3 = "v3 user " + u.user();
        }
        Traps traps = new Traps(store == null ? new TrapLog.InMemory(t.keep()) : null, store, ward, t.probeGap(),
                System::nanoTime, registry, rules, t.hold());
        traps.vendorTraps = Map.copyOf(vendorTraps);
        traps.inventoryChanged(devices);
        traps.receiver = SnmpTrapReceiver.start(b.build(), traps::resolve, traps::onTrap);
        String where = Poller.hostPort(traps.receiver.localAddress());
        if (!t.address().isLoopbackAddress()) {
            LOG.warn("snmp traps: the receiver listens on UDP {}, beyond loopback: anyone who reaches it and knows a "
                    + "community can send traps (snmp-trap-address)", where);
        }
        LOG.info("snmp traps: listening on UDP {} ({}, {}); kept {}; a device is probed for a trap at most every {}",
                where, settings.snmpTrapCommunity().isPresent() ? "v1/v2c community set" : "no v1/v2c community", v3,
                store != null ? "in PostgreSQL (traps)" : "in memory, the latest " + t.keep() + " per device",
                io.github.wardops.ward.runner.config.Durations.format(t.probeGap()));
        return traps;
    }

    /**
     * The devices by address: every device of the inventory, the first one in inventory order when
     * two share an address (the others are logged). Bounded by the inventory.
     *
     * @param devices the inventory
     * @return the map; immutable
     */
    static Map<InetAddress, DeviceId> byAddress(Collection<Device> devices) {
        Map<InetAddress, DeviceId> m = new HashMap<>();
        int shared = 0;
        for (Device d : devices) {
            if (m.putIfAbsent(d.address(), d.id()) != null) {
                shared++;
            }
        }
        if (shared > 0) {
            LOG.warn("snmp traps: {} devices share an address with an earlier device; their traps go to the first one",
                    shared);
        }
        return Map.copyOf(m);
    }

    /**
     * Rebuilds the address map, and forgets the traps and probe times of devices that left.
     *
     * @param devices the whole new inventory
     */
    void inventoryChanged(Collection<Device> devices) {
        Map<InetAddress, DeviceId> m = byAddress(devices);
        byAddress.set(m);
        List<DeviceId> ids = devices.stream().map(Device::id).toList();
        if (memory != null) {
            memory.retain(ids);
        }
        Set<DeviceId> keep = Set.copyOf(ids);
        lastProbe.keySet().removeIf(d -> !keep.contains(d));
    }

    /** The resolver: a map lookup on the socket thread. */
    Optional<DeviceId> resolve(InetAddress address) {
        return Optional.ofNullable(byAddress.get().get(address));
    }

    /** The listener, on the receiver's delivery thread. */
    void onTrap(DeviceId device, TrapEvent event) {
        TrapStore.Trap trap = stored(device, event, vendorTraps);
        if (memory != null) {
            memory.add(device, trap);
        } else {
            try {
                store.add(trap);
            } catch (RuntimeException e) {
                storeFailures.increment();
                long now = nanos.getAsLong();
                long last = lastStoreWarning.get();
                if ((last == Long.MIN_VALUE || now - last >= 60_000_000_000L) && lastStoreWarning.compareAndSet(last, now)) {
                    LOG.warn("snmp traps: a trap of {} could not be stored ({}); counted in "
                            + "ward_runner_traps_store_failures_total, logged at most once a minute", device,
                            e.getClass().getSimpleName());
                }
            }
        }
        holdForRules(device, event);
        if (event.wellKnownName() == null || !PROBING.contains(event.wellKnownName())) {
            return;
        }
        Optional<Device> d = ward.inventory().get(device);
        if (d.isEmpty()) {
            notPolled.increment();
            return;
        }
        long now = nanos.getAsLong();
        Long last = lastProbe.get(device);
        if (last != null && now - last < gapNanos) {
            limited.increment();
            return;
        }
        lastProbe.put(device, now);
        probed.increment();
        for (Check c : d.get().checks()) {
            ward.probeNow(device, c.name()).exceptionally(e -> null);
        }
        LOG.debug("snmp traps: {} from {}: probing it now", event.wellKnownName(), device);
    }

    /** The check name (and type) under which a device's latest trap reaches the state tracker. */
    static final String TRAP_CHECK = "trap";

    /**
     * Tells the rules the device's latest trap, {@code trap:NAME = 1} (the well-known name, else the
     * trap's OID), held for {@code snmp-trap-hold} unless a newer trap replaces it.
     */
    private void holdForRules(DeviceId device, TrapEvent event) {
        if (ward.inventory().get(device).isEmpty()) {
            return;   // not this runner's device (cluster mode): its tracker has no state for it
        }
        String name = name(event, vendorTraps);
        if (name == null) {
            name = event.trapOid().toString();
        }
        Map<String, Double> value = Map.of("trap:" + name, 1.0);
        heldUntil.put(device, nanos.getAsLong() + holdNanos);
        tell(new ProbeResult.Up(device, TRAP_CHECK, TRAP_CHECK, event.receivedAt(), Duration.ZERO, () -> value));
    }

    /** Ends the holds that are over: the device's rules then read {@code trap} as {@code none}. */
    void expireHeld() {
        long now = nanos.getAsLong();
        for (Map.Entry<DeviceId, Long> e : heldUntil.entrySet()) {
            if (now - e.getValue() >= 0 && heldUntil.remove(e.getKey(), e.getValue())) {
                tell(new ProbeResult.Up(e.getKey(), TRAP_CHECK, TRAP_CHECK, java.time.Instant.now(), Duration.ZERO,
                        io.github.wardops.ward.probe.Measurement.NONE));
            }
        }
    }

    private void tell(ProbeResult r) {
        try {
            rules.accept(r);
        } catch (RuntimeException e) {
            LOG.warn("snmp traps: the state tracker refused a trap of {} ({})", r.device(), e.getClass().getSimpleName());
        }
    }

    /** @return devices whose latest trap is held for the rules now */
    int held() {
        return heldUntil.size();
    }

    /**
     * A trap as stored: kind, addresses as text, bindings as net-snmp prints them.
     *
     * @param device the device it was matched to
     * @param e the trap
     * @return the row
     */
    static TrapStore.Trap stored(DeviceId device, TrapEvent e) {
        return stored(device, e, Map.of());
    }

    /**
     * The names of vendor traps in the templates in force: the user's (which replace built-ins of the
     * same vendor name) first, then the built-ins; an OID named twice keeps its first name.
     *
     * @param builtIn the built-in templates
     * @param user the templates of {@code snmp-templates}
     * @return names by snmpTrapOID
     */
    static Map<SnmpOid, String> vendorTrapNames(List<VendorTemplate> builtIn, List<VendorTemplate> user) {
        Map<SnmpOid, String> out = new HashMap<>();
        Set<String> replaced = new java.util.HashSet<>();
        for (VendorTemplate t : user) {
            replaced.add(t.vendor());
            t.traps().forEach(out::putIfAbsent);
        }
        for (VendorTemplate t : builtIn) {
            if (!replaced.contains(t.vendor())) {
                t.traps().forEach(out::putIfAbsent);
            }
        }
        return Map.copyOf(out);
    }

    /** A trap's name: its well-known name, else a template's name for its OID, else {@code null}. */
    static String name(TrapEvent e, Map<SnmpOid, String> vendorTraps) {
        return e.wellKnownName() != null ? e.wellKnownName() : vendorTraps.get(e.trapOid());
    }

    /**
     * A trap as stored, its kind named by the templates' {@code trap} lines when they name it.
     *
     * @param device the device it was matched to
     * @param e the trap
     * @param vendorTraps vendor trap names by snmpTrapOID
     * @return the row
     */
    static TrapStore.Trap stored(DeviceId device, TrapEvent e, Map<SnmpOid, String> vendorTraps) {
        String kind = name(e, vendorTraps);
        List<TrapStore.Binding> vbs = new java.util.ArrayList<>(e.varbinds().size());
        for (SnmpVarBind vb : e.varbinds()) {
            vbs.add(new TrapStore.Binding(vb.oid().toString(), vb.value().typeName(), vb.value().formatValue()));
        }
        return new TrapStore.Trap(device.value(), e.receivedAt(), kind == null ? "other" : kind,
                e.trapOid().toString(), e.ifIndex(), e.version().name().toLowerCase(java.util.Locale.ROOT), e.inform(),
                e.source().getAddress().getHostAddress(), e.agentAddress() == null ? null : e.agentAddress().getHostAddress(),
                e.user(), e.sysUpTime() < 0 ? null : e.sysUpTime(), vbs, e.varbindsDropped(), e.valuesTruncated());
    }

    /**
     * Where the API reads the latest traps per device.
     *
     * @return PostgreSQL's traps when storage is on, else the memory
     */
    TrapLog log() {
        return memory != null ? memory : TrapLog.of(store);
    }

    /**
     * The in-memory log.
     *
     * @return it, or {@code null} when storage is on
     */
    TrapLog.InMemory memory() {
        return memory;
    }

    /**
     * The receiver.
     *
     * @return the receiver; {@code null} before {@link #start} bound it
     */
    SnmpTrapReceiver receiver() {
        return receiver;
    }

    @Override
    public void close() {
        SnmpTrapReceiver r = receiver;
        if (r != null) {
            r.close();
        }
        expiry.shutdownNow();
    }
}
