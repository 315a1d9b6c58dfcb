package io.github.wardops.ward;

import io.github.wardops.ward.internal.engine.WardEngine;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.probe.ResultListener;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The monitoring engine: it probes every check of every enabled device on its interval, with
 * bounded concurrency, and hands results to listeners and sinks.
 *
 * <pre>{@code
 * try (Ward ward = Ward.builder()
 *         .sink(batch -> batch.forEach(System.out::println))
 *         .build()) {
 *     ward.inventory().replaceAll(devices);
 *     ward.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent: it stops scheduling, waits a bounded time for
 * probes in flight, drains sink queues within the drain timeout, and closes only what the engine
 * created (never a prober, sink or registry handed to the builder).
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public interface Ward extends AutoCloseable {
    /**
     * The most probes running at once when {@link Builder#maxProbesInFlight} is not called: 4,096.
     * Further due checks wait for a slot rather than pile up.
     */
    int DEFAULT_MAX_PROBES_IN_FLIGHT = 4_096;

    /**
     * The time from a failed probe to its re-check when {@link Builder#recheckInterval} is not
     * called: 2 s. Like Nagios's {@code retry_interval}: a change is confirmed in seconds, not in
     * whole intervals.
     */
    Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(2);


    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The live inventory; changes apply without a restart.
     *
     * @return the inventory
     */
    Inventory inventory();

    /**
     * Starts scheduling. Calling it twice does nothing.
     *
     * @throws IllegalStateException when the engine was closed
     */
    void start();

    /**
     * Probes one check now, outside its schedule, within the global limit on probes in flight.
     * When the check is being probed already, the future completes with that probe's result.
     *
     * @param device the device
     * @param check the check name
     * @return the result; fails with {@link WardException} for an unknown device or check
     */
    CompletableFuture<ProbeResult> probeNow(DeviceId device, String check);

    /**
     * The latest result per device and check.
     *
     * @return the view
     */
    LatestResults latest();

    /**
     * A device's status from the latest result of its reachability check: the {@code icmp} check
     * when it has one, else its first check. {@link DeviceStatus#UNKNOWN} before the first result
     * and for unknown devices.
     *
     * @param device the device
     * @return the status
     */
    DeviceStatus status(DeviceId device);

    /**
     * The number of probes running now.
     *
     * @return the count
     */
    int probesInFlight();

    /** Stops the engine; see the class description. Idempotent. */
    @Override
    void close();

    /**
     * Builds a {@link Ward}. {@link #build()} reports every invalid setting at once. Not
     * thread-safe.
     */
    final class Builder {
        private final Map<String, Prober> probers = new LinkedHashMap<>();
        private final List<Map.Entry<ResultSink, SinkOptions>> sinks = new ArrayList<>();
        private final List<ResultListener> listeners = new ArrayList<>();
        private final List<Device> devices = new ArrayList<>();
        private int maxProbesInFlight = DEFAULT_MAX_PROBES_IN_FLIGHT;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private MeterRegistry meterRegistry;
        private InstantSource clock = InstantSource.system();
        private Ticker ticker;
        private boolean tickerSet;
        private IcmpOptions icmpOptions = IcmpOptions.defaults();
        private boolean allowLinkLocal;
        private Duration recheckInterval = DEFAULT_RECHECK_INTERVAL;
        private int recheckFailures = io.github.wardops.ward.state.StateTracker.DEFAULT_DOWN_AFTER;
        private int recheckSuccesses = io.github.wardops.ward.state.StateTracker.DEFAULT_UP_AFTER;
        private java.util.Set<String> recheckTypes = new java.util.LinkedHashSet<>(List.of("icmp"));
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a prober; it serves checks whose type equals its {@link Prober#type()}. The
         * engine does not close it. Without an {@code icmp} or {@code tcp} prober, the engine
         * creates the built-in one when a check needs it, and closes it.
         *
         * @param prober the prober
         * @return this builder
         */
        public Builder prober(Prober prober) {
            if (prober == null) {
                problems.add("prober must not be null");
            } else if (probers.putIfAbsent(prober.type(), prober) != null) {
                problems.add("prober type '" + prober.type() + "' is registered twice");
            }
            return this;
        }

        /**
         * Sets the options of the ICMP prober the engine creates when none is given.
         *
         * @param options the options
         * @return this builder
         */
        public Builder icmpOptions(IcmpOptions options) {
            this.icmpOptions = options;
            return this;
        }

        /**
         * Adds a sink with the default {@link SinkOptions}.
         *
         * @param sink the sink; the engine does not close it
         * @return this builder
         */
        public Builder sink(ResultSink sink) {
            return sink(sink, SinkOptions.defaults());
        }

        /**
         * Adds a sink.
         *
         * @param sink the sink; the engine does not close it
         * @param options its queue and batch options
         * @return this builder
         */
        public Builder sink(ResultSink sink, SinkOptions options) {
            if (sink == null || options == null) {
                problems.add("sink and sink options must not be null");
            } else {
                sinks.add(Map.entry(sink, options));
            }
            return this;
        }

        /**
         * Adds a listener called with every result on the probing thread.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ResultListener listener) {
            if (listener == null) {
                problems.add("listener must not be null");
            } else {
                listeners.add(listener);
            }
            return this;
        }

        /**
         * Adds devices to the initial inventory.
         *
         * @param initial the devices
         * @return this builder
         */
        public Builder devices(java.util.Collection<Device> initial) {
            devices.addAll(initial);
            return this;
        }

        /**
         * Sets the most probes running at once (1-1,000,000; default 4,096): the number of
         * probing threads. A due probe over the limit waits, without a thread of its own, for the
         * next free one (gauge {@code ward.probes.waiting}); its wait shows in the schedule lag.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxProbesInFlight(int max) {
            this.maxProbesInFlight = max;
            return this;
        }

        /**
         * Sets how long {@link Ward#close()} waits for probes in flight and for sink queues to
         * drain (default 10 s).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * Sets the registry ward's meters are registered in. The engine does not close it.
         * Without one, meters go to a private registry.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Sets whether devices with link-local addresses ({@code 169.254.0.0/16},
         * {@code fe80::/10}) are accepted (default {@code false}: an inventory change holding one
         * is rejected whole, naming the device). A link-local address names a different host on
         * every network segment, so probing one is a deliberate choice. Multicast, broadcast and
         * unspecified addresses are never accepted ({@link Device}).
         *
         * @param allow whether link-local addresses are accepted
         * @return this builder
         */
        public Builder allowLinkLocal(boolean allow) {
            this.allowLinkLocal = allow;
            return this;
        }

        /**
         * Sets the wall clock that stamps results and sets the phase of each check on its
         * interval grid (default: the system clock). A {@link java.time.Clock} is an
         * {@code InstantSource}, so code that passed one still compiles.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /**
         * Sets the monotonic time the scheduler runs on and probe durations and schedule lag are
         * measured with (default: the clock when it is also a {@link Ticker}, such as
         * ward-testkit's {@code ManualClock}, otherwise {@link Ticker#system()}). With a fake
         * ticker the engine starts a check only when the fake time reaches it.
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
         * Sets the time from a probe whose outcome is a change (a failure of a device that was
         * up, a success of one that was down) to its re-check (100 ms - 1 min; default 2 s), or
         * {@link Duration#ZERO} for no re-checks. The engine re-checks at this pace until
         * {@link #recheckUntil the confirming count} of probes in a row agree or the outcome
         * flips back; then the check returns to its interval. Only checks of the
         * {@link #recheckTypes re-checked types} are re-checked.
         *
         * @param interval the time to the re-check
         * @return this builder
         */
        public Builder recheckInterval(Duration interval) {
            this.recheckInterval = interval;
            return this;
        }

        /**
         * Sets how many probes in a row settle a change: {@code failures} to settle a failure,
         * {@code successes} to settle a recovery (each 1-100; default 3 and 2, the state tracker's
         * defaults). Set them to the {@code StateTracker}'s {@code downAfter} and {@code upAfter},
         * so that the re-checks last exactly as long as the confirmation.
         *
         * @param failures failed probes in a row that end the re-checks of a failure
         * @param successes successful probes in a row that end the re-checks of a recovery
         * @return this builder
         */
        public Builder recheckUntil(int failures, int successes) {
            this.recheckFailures = failures;
            this.recheckSuccesses = successes;
            return this;
        }

        /**
         * Sets which check types are re-checked (default {@code icmp}, the state tracker's
         * reachability type).
         *
         * @param types the check types; may be empty for none
         * @return this builder
         */
        public Builder recheckTypes(java.util.Collection<String> types) {
            if (types == null || types.stream().anyMatch(java.util.Objects::isNull)) {
                problems.add("recheckTypes must be a set of check types");
            } else {
                this.recheckTypes = new java.util.LinkedHashSet<>(types);
            }
            return this;
        }

        /**
         * Builds the engine, not yet started.
         *
         * @return the engine
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public Ward build() {
            List<String> p = new ArrayList<>(problems);
            if (maxProbesInFlight < 1 || maxProbesInFlight > 1_000_000) {
                p.add("maxProbesInFlight = " + maxProbesInFlight + ": must be 1-1000000");
            }
            if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                p.add("drainTimeout = " + drainTimeout + ": must be 0-10 min");
            }
            if (clock == null) {
                p.add("clock must not be null");
            }
            if (tickerSet && ticker == null) {
                p.add("ticker must not be null");
            }
            if (icmpOptions == null) {
                p.add("icmpOptions must not be null");
            }
            if (recheckInterval == null || (!recheckInterval.isZero() && (recheckInterval.compareTo(Duration.ofMillis(100)) < 0
                    || recheckInterval.compareTo(Duration.ofMinutes(1)) > 0))) {
                p.add("recheckInterval = " + recheckInterval + ": must be zero or 100 ms - 1 min");
            }
            if (recheckFailures < 1 || recheckFailures > 100 || recheckSuccesses < 1 || recheckSuccesses > 100) {
                p.add("recheckUntil = " + recheckFailures + " failures, " + recheckSuccesses + " successes: each must be 1-100");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("Ward", p);
            }
            return new WardEngine(new WardEngine.Config(Map.copyOf(probers), List.copyOf(sinks), List.copyOf(listeners),
                    List.copyOf(devices), maxProbesInFlight, drainTimeout, meterRegistry, clock,
                    tickerSet ? ticker : Time.defaultTicker(clock), icmpOptions, allowLinkLocal, recheckInterval,
                    recheckFailures, recheckSuccesses, java.util.Set.copyOf(recheckTypes)));
        }
    }
}
