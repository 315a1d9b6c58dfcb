package io.github.wardops.ward.state;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.state.Tracker;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.probe.ResultListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The single source of truth for device and interface state.
 *
 * <p>It is a {@link ResultListener}: register it with {@code Ward.builder().listener(tracker)};
 * it then processes every result inline, on the probing thread (never in a queue behind
 * probes). Results of the reachability check types (default {@code icmp}) drive a device's
 * status: DOWN after {@link Builder#downAfter N} failed probes in a row, UP after
 * {@link Builder#upAfter M} successes; a device whose parent is down (or failing) becomes
 * {@link DeviceStatus#UNREACHABLE} instead of DOWN. The engine re-checks a failing device at
 * its short re-check interval ({@code Ward.Builder.recheck}), so confirmation takes seconds, not
 * intervals. Flapping is detected with Icinga's weighted state-change percentage. Interfaces are
 * fed through {@link #onInterfaceStatus}.
 *
 * <p>A device whose last completed probe is older than {@link Builder#staleAfter three}
 * intervals is never shown UP: a periodic {@link #sweep} makes it {@link DeviceStatus#UNKNOWN}
 * with the detail {@link DeviceState#STALE "stale"}, and when more than
 * {@link Builder#impairedAbove 10 %} of the devices are stale it tells the listeners once that
 * ward itself is impaired ({@link StateListener#onHealth}).
 *
 * <p>The tracker only knows devices it was told about through {@link #replaceInventory} or
 * {@link #apply}; results for other devices are ignored and counted
 * ({@code ward.state.results.ignored}), so its memory is bounded by the inventory.
 *
 * <p>Thread-safe: results for different devices are processed concurrently, results for one
 * device one at a time.
 */
public interface StateTracker extends ResultListener, AutoCloseable {
    /** Failed probes in a row that confirm DOWN when {@link Builder#downAfter} is not called: 3. */
    int DEFAULT_DOWN_AFTER = 3;
    /** Intervals without a completed probe that make a device stale when {@link Builder#staleAfter} is not called: 3. */
    int DEFAULT_STALE_AFTER = 3;
    /** The percentage of stale devices above which ward reports itself impaired: 10. */
    double DEFAULT_IMPAIRED_ABOVE_PCT = 10;
    /** How often the sweep for stale devices runs when {@link Builder#sweepEvery} is not called: 5 s. */
    java.time.Duration DEFAULT_SWEEP_EVERY = java.time.Duration.ofSeconds(5);
    /**
     * Successful cycles in a row that confirm UP after DOWN when {@link Builder#upAfter} is not
     * called: 2.
     */
    int DEFAULT_UP_AFTER = 2;


    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Loads persisted states from the {@link StateStore}, then calls
     * {@link StateListener#onUpdate} once for every restored device in the inventory, so a
     * device that is down at start-up and has no open alert gets one. Call it after the first
     * {@link #replaceInventory}. Calling it twice does nothing.
     */
    void start();

    /**
     * Runs the sweep now: marks devices whose last completed probe is older than the stale bound
     * {@link DeviceStatus#UNKNOWN} with the detail {@link DeviceState#STALE}, hands the listeners
     * fresh views of devices that are down or failing (so an outage's minutes and the rules'
     * timers move on between results), and reports ward impaired or healthy on a change. The
     * tracker runs it every {@link Builder#sweepEvery} after {@link #start}; tests on fake time
     * call it after moving the clock.
     */
    void sweep();

    /**
     * Makes the tracked inventory exactly these devices (labels and parents are read from them).
     * States of removed devices are freed and deleted from the store.
     *
     * @param devices the whole inventory; never {@code null}
     */
    void replaceInventory(Collection<Device> devices);

    /**
     * Applies inventory changes in order.
     *
     * @param changes the changes; never {@code null}
     */
    void apply(List<? extends InventoryChange> changes);

    /**
     * Takes over devices that another instance watched until now, as when several runners share
     * a fleet and a shard of it moves here: adds them with the states the {@link StateStore}
     * holds for them (as {@link #start()} restores them, {@link DeviceState#since()} included),
     * then calls {@link StateListener#onAdopted} once with their ids, then
     * {@link StateListener#onUpdate} once per restored device. No transition is reported: the
     * devices carry on from where the previous instance left them. A device already tracked here is
     * updated as by {@link #apply} and keeps its state. Call it before their probes start.
     *
     * @param devices the devices; never {@code null}
     */
    void adopt(Collection<Device> devices);

    /**
     * Hands devices over to another instance: forgets them here (probes of theirs still arriving
     * are ignored) without deleting their stored states, which the next owner
     * {@link #adopt adopts}. Listeners get one {@link StateListener#onReleased} with the ids that were
     * tracked, never {@link StateListener#onRemoved}. Unknown ids are skipped. Stop their probes first.
     *
     * @param devices the device ids; never {@code null}
     */
    void release(Collection<DeviceId> devices);

    /**
     * Feeds one observation of an interface's oper status (from SNMP, say). The interface gets
     * the same confirmation and flapping logic as a device.
     *
     * @param device the device; never {@code null}; ignored when not in the inventory
     * @param ifIndex the interface index, 1 or more
     * @param up whether the oper status is up
     * @param at when it was observed; never {@code null}
     */
    void onInterfaceStatus(DeviceId device, int ifIndex, boolean up, Instant at);

    /**
     * Feeds numeric values of an interface (such as {@code if_util_in_pct}) for rules. At most
     * {@link Builder#maxValuesPerSubject} names are kept per interface; more are dropped and
     * counted.
     *
     * @param device the device; never {@code null}
     * @param ifIndex the interface index, 1 or more
     * @param values the values; never {@code null}
     * @param at when they were measured; never {@code null}
     */
    void onInterfaceValues(DeviceId device, int ifIndex, Map<String, Double> values, Instant at);

    /**
     * Feeds the text values of an interface (such as {@code if_role}, {@code if_provider},
     * {@code if_name}), which interface rules compare as words ({@code if_role == uplink}) and
     * which name the interface in alert messages. They replace the interface's earlier labels. At
     * most {@link Builder#maxValuesPerSubject} names are kept per interface and 256 characters of
     * a value; more are dropped and counted. The default implementation keeps nothing.
     *
     * @param device the device; never {@code null}; ignored when not in the inventory
     * @param ifIndex the interface index, 1 or more
     * @param labels the labels; never {@code null}
     * @param at when they were read; never {@code null}
     */
    default void onInterfaceLabels(DeviceId device, int ifIndex, Map<String, String> labels, Instant at) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(at, "at");
    }

    /**
     * A device's reachability state.
     *
     * @param device the device
     * @return its state, empty when the device is not in the inventory
     */
    Optional<DeviceState> state(DeviceId device);

    /**
     * A device's status: {@link DeviceStatus#UNKNOWN} for a device not in the inventory.
     *
     * @param device the device
     * @return the status
     */
    default DeviceStatus status(DeviceId device) {
        return state(device).map(DeviceState::status).orElse(DeviceStatus.UNKNOWN);
    }

    /**
     * An interface's state.
     *
     * @param device the device
     * @param ifIndex the interface index
     * @return its state, empty when never observed
     */
    Optional<DeviceState> interfaceState(DeviceId device, int ifIndex);

    /**
     * A device's full view (state, interfaces, values), as listeners see it.
     *
     * @param device the device
     * @return the view, empty when the device is not in the inventory
     */
    Optional<DeviceView> view(DeviceId device);

    /**
     * Counts devices by status (every status present, zero included).
     *
     * @return an immutable map
     */
    Map<DeviceStatus, Integer> countByStatus();

    /**
     * The number of flapping devices and interfaces.
     *
     * @return the count
     */
    int flappingCount();

    /** Removes the meters; idempotent. Closes nothing handed in. */
    @Override
    void close();

    /**
     * Configures a {@link StateTracker}. {@link #build()} reports every invalid setting at once.
     * Not thread-safe. Defaults are documented in {@code docs/state-and-alerts.md}.
     */
    final class Builder {
        int downAfter = DEFAULT_DOWN_AFTER;
        int upAfter = DEFAULT_UP_AFTER;
        int flapWindow = 21;
        double flapLowPct = 25;
        double flapHighPct = 30;
        int maxValuesPerSubject = 64;
        int maxInterfacesPerDevice = 512;
        Set<String> reachabilityTypes = new LinkedHashSet<>(List.of("icmp"));
        int staleAfter = DEFAULT_STALE_AFTER;
        double impairedPct = DEFAULT_IMPAIRED_ABOVE_PCT;
        java.time.Duration sweepEvery = DEFAULT_SWEEP_EVERY;
        InstantSource clock = InstantSource.system();
        Ticker ticker;
        boolean tickerSet;
        MeterRegistry meterRegistry;
        StateStore store;
        final List<StateListener> listeners = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets how many failed probes in a row (re-checks included) confirm DOWN (1-100; default 3).
         *
         * @param n the count
         * @return this builder
         */
        public Builder downAfter(int n) {
            this.downAfter = n;
            return this;
        }

        /**
         * Sets how many successful probes in a row confirm UP after DOWN (1-100; default 2).
         * From UNKNOWN, one success is enough.
         *
         * @param m the count
         * @return this builder
         */
        public Builder upAfter(int m) {
            this.upAfter = m;
            return this;
        }

        /**
         * Sets the flap detection: the number of recent results considered (3-100; default 21,
         * Icinga's), and the thresholds in percent: flapping starts above {@code highPct}
         * and ends below {@code lowPct} (0 &lt; low &lt;= high &lt; 100; default 25 and 30,
         * Icinga 2's).
         *
         * @param window the number of results
         * @param lowPct the low threshold
         * @param highPct the high threshold
         * @return this builder
         */
        public Builder flapping(int window, double lowPct, double highPct) {
            this.flapWindow = window;
            this.flapLowPct = lowPct;
            this.flapHighPct = highPct;
            return this;
        }

        /**
         * Sets which check types decide reachability (default {@code icmp}). A result of
         * another type only contributes values for rules.
         *
         * @param types the check types, not empty
         * @return this builder
         */
        public Builder reachabilityTypes(Collection<String> types) {
            if (types == null || types.isEmpty() || types.stream().anyMatch(java.util.Objects::isNull)) {
                problems.add("reachabilityTypes must be a non-empty set of check types");
            } else {
                this.reachabilityTypes = new LinkedHashSet<>(types);
            }
            return this;
        }

        /**
         * Sets after how many of its intervals without a completed probe a device is stale:
         * {@link DeviceStatus#UNKNOWN} with the detail {@link DeviceState#STALE} (2-100; default 3).
         * The interval is the shortest of the device's reachability checks.
         *
         * @param intervals the count
         * @return this builder
         */
        public Builder staleAfter(int intervals) {
            this.staleAfter = intervals;
            return this;
        }

        /**
         * Sets the percentage of stale devices above which ward reports itself impaired to the
         * listeners (0-100; default 10): one self-health alert rather than one per device.
         *
         * @param pct the percentage
         * @return this builder
         */
        public Builder impairedAbove(double pct) {
            this.impairedPct = pct;
            return this;
        }

        /**
         * Sets how often the tracker's own thread runs {@link StateTracker#sweep} in real time
         * (100 ms - 1 h; default 5 s), or {@link java.time.Duration#ZERO} for never (a test that
         * calls it itself).
         *
         * @param every the period
         * @return this builder
         */
        public Builder sweepEvery(java.time.Duration every) {
            this.sweepEvery = every;
            return this;
        }

        /**
         * Sets the most value names kept per device or interface (1-10,000; default 64).
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxValuesPerSubject(int max) {
            this.maxValuesPerSubject = max;
            return this;
        }

        /**
         * Sets the most interfaces watched per device (1-100,000; default 512); observations of
         * more are dropped and counted.
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxInterfacesPerDevice(int max) {
            this.maxInterfacesPerDevice = max;
            return this;
        }

        /**
         * Sets the wall clock that stamps states and transitions (default: the system clock). A
         * {@link java.time.Clock} is an {@code InstantSource}, so code that passed one still
         * compiles.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /**
         * Sets the monotonic time for the tracker's durations, such as how often a failing store
         * is logged (default: the clock when it is also a {@link Ticker}, such as ward-testkit's
         * {@code ManualClock}, otherwise {@link Ticker#system()}).
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
         * Sets the meter registry (default: a private one). Not closed by the tracker.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Sets the store (default: {@link StateStore#inMemory()}). Not closed by the tracker.
         *
         * @param s the store
         * @return this builder
         */
        public Builder store(StateStore s) {
            this.store = s;
            if (s == null) {
                problems.add("store must not be null");
            }
            return this;
        }

        /**
         * Adds a listener; listeners are called in the order added.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(StateListener listener) {
            if (listener == null) {
                problems.add("listener must not be null");
            } else {
                listeners.add(listener);
            }
            return this;
        }

        /**
         * Builds the tracker.
         *
         * @return the tracker, not yet started
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public StateTracker build() {
            List<String> p = new ArrayList<>(problems);
            if (downAfter < 1 || downAfter > 100) {
                p.add("downAfter = " + downAfter + ": must be 1-100");
            }
            if (upAfter < 1 || upAfter > 100) {
                p.add("upAfter = " + upAfter + ": must be 1-100");
            }
            if (flapWindow < 3 || flapWindow > 100) {
                p.add("flapping window = " + flapWindow + ": must be 3-100");
            }
            if (!(flapLowPct > 0 && flapLowPct <= flapHighPct && flapHighPct < 100)) {
                p.add("flapping thresholds low = " + flapLowPct + ", high = " + flapHighPct
                        + ": must be 0 < low <= high < 100");
            }
            if (maxValuesPerSubject < 1 || maxValuesPerSubject > 10_000) {
                p.add("maxValuesPerSubject = " + maxValuesPerSubject + ": must be 1-10000");
            }
            if (maxInterfacesPerDevice < 1 || maxInterfacesPerDevice > 100_000) {
                p.add("maxInterfacesPerDevice = " + maxInterfacesPerDevice + ": must be 1-100000");
            }
            if (staleAfter < 2 || staleAfter > 100) {
                p.add("staleAfter = " + staleAfter + ": must be 2-100 intervals");
            }
            if (!(impairedPct >= 0 && impairedPct <= 100)) {
                p.add("impairedAbove = " + impairedPct + ": must be 0-100 percent");
            }
            if (sweepEvery == null || (!sweepEvery.isZero() && (sweepEvery.compareTo(java.time.Duration.ofMillis(100)) < 0
                    || sweepEvery.compareTo(java.time.Duration.ofHours(1)) > 0))) {
                p.add("sweepEvery = " + sweepEvery + ": must be zero or 100 ms - 1 h");
            }
            if (clock == null) {
                p.add("clock must not be null");
            }
            if (tickerSet && ticker == null) {
                p.add("ticker must not be null");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("StateTracker", p);
            }
            return new Tracker(new Tracker.Config(downAfter, upAfter, flapWindow, flapLowPct, flapHighPct,
                    maxValuesPerSubject, maxInterfacesPerDevice, Set.copyOf(reachabilityTypes), staleAfter,
                    impairedPct, sweepEvery, Time.micros(clock),
                    tickerSet ? ticker : Time.defaultTicker(clock), meterRegistry,
                    store == null ? StateStore.inMemory() : store, List.copyOf(listeners)));
        }
    }
}
