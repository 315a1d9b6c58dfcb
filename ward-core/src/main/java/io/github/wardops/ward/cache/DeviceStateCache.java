package io.github.wardops.ward.cache;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.cache.DeviceStatePublisher;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.ResultListener;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateListener;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The latest state of every device (and of its interfaces) in a {@link TieredCache}, so that an
 * application (a REST API behind a dashboard, say) reads the state of thousands of devices from
 * L1 or Redis without touching PostgreSQL, and several ward or API instances share it.
 *
 * <p>Writer side: register it with {@code Ward.builder().listener(cache)}; each result of the
 * reachability check updates the device's state in memory (no I/O on the probing thread), and a
 * background thread writes changed states every flush interval, and rewrites every state once per
 * half TTL so that entries of quiet devices do not expire.
 *
 * <p>With the state machine: build with {@code statusFromResults(false)}, and register the cache
 * both with the engine (for RTT and loss) and with the tracker, whose views then give status,
 * {@code downSince} (the state's {@code since} while DOWN or UNREACHABLE), flapping and interface
 * states, and whose removals remove:
 * <pre>{@code
 * DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(5)).shared(redis)
 *         .statusFromResults(false).build();
 * StateTracker tracker = StateTracker.builder().listener(states).build();
 * Ward ward = Ward.builder().listener(tracker).listener(states).build();
 * }</pre>
 * Other sources call {@link #publishState} and {@link #publishInterfaces} directly.
 *
 * <p>Reader side: {@link #get}, {@link #getAll} (one {@code MGET} per batch of ids) and
 * {@link #interfaces}; an instance that only reads never receives results and writes nothing.
 *
 * <p>Bounded by the inventory: {@link #remove}, {@link #retainOnly} or
 * {@link #followInventory(Inventory)} drop devices and invalidate their entries everywhere; at most
 * {@code maxDevices} devices are tracked (more are dropped and counted in
 * {@code ward.cache.state.dropped}).
 *
 * <p>Thread-safe. Arguments are never {@code null} unless stated.
 */
public interface DeviceStateCache extends ResultListener, StateListener, AutoCloseable {

    /**
     * Starts a builder.
     *
     * @param ttl how long an entry lives in the cache without being rewritten (10 s - 1 day): the
     *     most a reader can see a state whose writer died
     * @return the builder
     */
    static Builder builder(Duration ttl) {
        return new Builder(ttl);
    }

    /**
     * The latest state of one device.
     *
     * @param device the device
     * @return the state, empty when none is cached
     */
    Optional<DeviceSnapshot> get(DeviceId device);

    /**
     * The latest state of many devices: L1 first, then L2 in batches.
     *
     * @param devices the devices
     * @return the states found; devices without one are left out
     */
    Map<DeviceId, DeviceSnapshot> getAll(Collection<DeviceId> devices);

    /**
     * The latest interface states of one device.
     *
     * @param device the device
     * @return the states, empty when none are cached
     */
    Optional<InterfaceSnapshots> interfaces(DeviceId device);

    /**
     * Takes a probe result (called by the engine on the probing thread; no I/O). Only results of
     * the reachability check count; others are ignored.
     *
     * @param result the result
     */
    @Override
    void onResult(ProbeResult result);

    /**
     * Sets a device's status as the state machine decided it; measurements (last probe, RTT,
     * loss) stay as the results set them. No I/O: the state is written at the next flush.
     *
     * @param device the device
     * @param status the status
     * @param downSince the start of the outage when {@code status} is DOWN or UNREACHABLE, else
     *     {@code null}
     * @param flapping whether the device is flapping
     * @param at when the state machine decided it
     */
    void publishState(DeviceId device, DeviceStatus status, Instant downSince, boolean flapping, Instant at);

    /**
     * Takes the state machine's view of a device (called by a
     * {@link io.github.wardops.ward.state.StateTracker} this cache is a listener of): status,
     * {@code downSince} (the state's {@code since} while DOWN or UNREACHABLE) and flapping as by
     * {@link #publishState}, and, when the view has interfaces, their confirmed oper status with
     * rates from the interface values {@code if_in_bps}, {@code if_out_bps},
     * {@code if_in_errors_per_s}, {@code if_out_errors_per_s} and speed from {@code if_speed_bps}
     * where present. No I/O.
     *
     * @param view the view
     */
    @Override
    void onUpdate(DeviceView view);

    /**
     * Does nothing: {@link #onUpdate} carries every change.
     *
     * @param transition the transition
     */
    @Override
    default void onTransition(StateTransition transition) {
    }

    /**
     * Forgets a device the state machine removed, as {@link #remove}.
     *
     * @param device the device
     */
    @Override
    default void onRemoved(DeviceId device) {
        remove(device);
    }

    /**
     * Sets a device's interface states. No I/O: they are written at the next flush.
     *
     * @param states the states
     */
    void publishInterfaces(InterfaceSnapshots states);

    /**
     * Forgets a device: at once here (readers of this instance no longer see it), and in L2 and
     * on the other instances when the flush thread invalidates its entries, which this call
     * triggers without waiting for it. No I/O on the calling thread.
     *
     * @param device the device
     */
    void remove(DeviceId device);

    /**
     * Forgets every device not in the collection, as {@link #remove} does.
     *
     * @param devices the devices to keep
     */
    void retainOnly(Collection<DeviceId> devices);

    /**
     * Follows an inventory: at each flush, devices no longer in it are removed as by
     * {@link #remove}. Replaces an inventory followed before.
     *
     * @param inventory the inventory (typically {@code ward.inventory()})
     */
    void followInventory(Inventory inventory);

    /**
     * The number of devices whose state this instance publishes.
     *
     * @return the count
     */
    int trackedDevices();

    /** Writes pending states now, on the calling thread (bounded by the L2 command timeout per batch). */
    void flush();

    /**
     * Flushes once, stops the flush thread and closes the underlying caches (not the shared tier
     * nor the registry). Idempotent.
     */
    @Override
    void close();

    /** Builds a {@link DeviceStateCache}; {@link #build()} reports every invalid setting at once. Not thread-safe. */
    final class Builder {
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,40}");
        private final Duration ttl;
        private SharedTier shared;
        private int maxDevices = 100_000;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration l1Ttl;
        private String reachabilityCheck = "icmp";
        private boolean statusFromResults = true;
        private String name = "devices";
        private MeterRegistry registry;
        private InstantSource clock = InstantSource.system();
        private Ticker ticker;
        private boolean tickerSet;

        private Builder(Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * Adds the shared tier; without it, the states live in this process only.
         *
         * @param tier the tier (not closed by the cache)
         * @return this builder
         */
        public Builder shared(SharedTier tier) {
            this.shared = tier;
            return this;
        }

        /**
         * Sets the most devices tracked and held in L1 (1-10,000,000; default 100,000).
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxDevices(int max) {
            this.maxDevices = max;
            return this;
        }

        /**
         * Sets how often changed states are written (10 ms - 1 min; default 1 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = interval;
            return this;
        }

        /**
         * Caps how long a state stays in L1 (default: the TTL); see {@link TieredCache.Builder#l1Ttl}.
         *
         * @param l1 the cap, at most the TTL
         * @return this builder
         */
        public Builder l1Ttl(Duration l1) {
            this.l1Ttl = l1;
            return this;
        }

        /**
         * Sets the name of the check whose results give a device's status and RTT (default
         * {@code icmp}).
         *
         * @param checkName the check name
         * @return this builder
         */
        public Builder reachabilityCheck(String checkName) {
            this.reachabilityCheck = checkName;
            return this;
        }

        /**
         * Whether results set the status (default {@code true}: up on success, down from the first
         * failure with {@code downSince} at its time; an unknown result keeps what was known). Set
         * {@code false} when a state machine calls {@link DeviceStateCache#publishState}.
         *
         * @param on whether results set the status
         * @return this builder
         */
        public Builder statusFromResults(boolean on) {
            this.statusFromResults = on;
            return this;
        }

        /**
         * Sets the cache name (default {@code devices}; interfaces go to {@code <name>.ifaces}),
         * for deployments that share one Redis between several ward installations.
         *
         * @param cacheName 1-41 characters of {@code a-z 0-9 . _ -}
         * @return this builder
         */
        public Builder name(String cacheName) {
            this.name = cacheName;
            return this;
        }

        /**
         * Sets the registry for meters (not closed by the cache).
         *
         * @param meterRegistry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.registry = meterRegistry;
            return this;
        }

        /**
         * Sets the wall clock that stamps snapshots and the expiry of shared entries (default:
         * the system clock).
         *
         * @param source the source
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        /**
         * Sets the monotonic time for the local tier's expiry and the shared tier's breaker.
         * Default: as {@link TieredCache.Builder#ticker}, the clock when it is also a
         * {@link Ticker} (ward-testkit's {@code ManualClock}).
         *
         * @param t the ticker
         * @return this builder
         */
        public Builder ticker(Ticker t) {
            this.ticker = t;
            this.tickerSet = true;
            return this;
        }

        /**
         * Builds the cache and starts its flush thread.
         *
         * @return the cache
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public DeviceStateCache build() {
            List<String> p = new ArrayList<>();
            boolean ttlOk = ttl != null && ttl.compareTo(Duration.ofSeconds(10)) >= 0 && ttl.compareTo(Duration.ofDays(1)) <= 0;
            if (!ttlOk) {
                p.add("ttl = " + ttl + ": must be 10 s - 1 day");
            }
            if (maxDevices < 1 || maxDevices > 10_000_000) {
                p.add("maxDevices = " + maxDevices + ": must be 1-10000000");
            }
            if (flushInterval == null || flushInterval.compareTo(Duration.ofMillis(10)) < 0
                    || flushInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                p.add("flushInterval = " + flushInterval + ": must be 10 ms - 1 min");
            }
            if (l1Ttl != null && (l1Ttl.compareTo(Duration.ofMillis(1)) < 0 || (ttlOk && l1Ttl.compareTo(ttl) > 0))) {
                p.add("l1Ttl = " + l1Ttl + ": must be 1 ms - ttl (" + ttl + ")");
            }
            if (reachabilityCheck == null || reachabilityCheck.isBlank()) {
                p.add("reachabilityCheck must not be blank");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                p.add("name = '" + name + "': must be 1-41 characters of a-z 0-9 . _ -, starting with a letter or digit");
            }
            if (clock == null) {
                p.add("clock must not be null");
            }
            if (tickerSet && ticker == null) {
                p.add("ticker must not be null");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("DeviceStateCache", p);
            }
            // the clock and the ticker travel to the publisher as one InstantSource that is also the
            // Ticker (Time.both); the TieredCache builders inside it take the ticker from there
            InstantSource time = tickerSet ? Time.both(clock, ticker) : clock;
            return new DeviceStatePublisher(new DeviceStatePublisher.Config(name, ttl, l1Ttl == null ? ttl : l1Ttl, shared,
                    maxDevices, flushInterval, reachabilityCheck, statusFromResults, registry, time));
        }
    }
}
