package io.github.wardops.ward.alert;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.alert.AlertEngine;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.state.StateListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Evaluates alert rules against device views and opens, resolves and notifies alerts.
 *
 * <p>It is a {@link StateListener}: register it with
 * {@code StateTracker.builder().listener(alerting)}; rules then run inline with result
 * processing. Up/down rules are held while a device flaps (one flapping alert stands instead)
 * and never fire for an {@link io.github.wardops.ward.DeviceStatus#UNREACHABLE unreachable}
 * device. Maintenance windows silence matching devices and the silence is recorded. Notifiers
 * are fed through bounded queues; a flood guard replaces a burst of openings by one summary.
 *
 * <p>Thread-safe. {@link #close()} stops the delivery threads after draining their queues for
 * at most the drain timeout; it closes nothing handed in.
 */
public interface Alerting extends StateListener, AutoCloseable {

    /** The rule name of the alert that stands while a device or interface flaps. */
    String FLAPPING_RULE = "Device Flapping";

    /** The rule (and group) name of ward's own self-health alert ({@link #selfHealth}). */
    String SELF_RULE = "ward_impaired";

    /** The device name of ward's own self-health alert. */
    String SELF_NAME = "ward";

    /** The device id of ward's own self-health alert: {@code DeviceId.fromKey("ward-self")}. */
    io.github.wardops.ward.inventory.DeviceId SELF_DEVICE = io.github.wardops.ward.inventory.DeviceId.fromKey("ward-self");

    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the store's open alerts (so none is opened twice); call before the tracker's
     * {@code start()}. Calling it twice does nothing.
     */
    void start();

    /**
     * Says whether ward itself is impaired (many probes could not run, say), so one alert speaks
     * for it instead of one per device. A problem opens ONE alert on {@link #SELF_DEVICE} (named
     * {@link #SELF_NAME}, rule and group {@link #SELF_RULE}, severity
     * {@link Builder#selfHealthSeverity}) whose message is the problem text, and notifies once; a
     * later call with another text updates the message quietly; {@code null} resolves it and
     * notifies once. Calls that change nothing do nothing, so the caller may report every cycle.
     * Maintenance windows and the flood guard do not hold it back. Thread-safe; cheap.
     *
     * @param problem what is wrong, in words for an operator (never a secret; cut at 1,000
     *     characters), or {@code null} when ward is healthy
     */
    void selfHealth(String problem);

    /**
     * Raises or clears a problem of the monitoring system that belongs to no device of the
     * inventory, as {@link #selfHealth} does for ward itself: ONE alert on {@code device} (an id
     * outside the inventory, such as {@code DeviceId.fromKey("ward-zone:branch-west")} for a zone
     * that has no live runner), named {@code name}, with {@code rule} as rule and group. A problem
     * opens it and notifies once; another text updates the message quietly; {@code null} resolves
     * it and notifies once; calls that change nothing do nothing. Maintenance windows and the flood
     * guard do not hold it back. Thread-safe; cheap.
     *
     * @param device the alert's device id; never {@code null}, never {@link #SELF_DEVICE}
     * @param name the name shown for it; never {@code null} or blank
     * @param rule its rule and group: {@code ward_} and then lower-case letters, digits or {@code _}
     * @param severity its severity; never {@code null}
     * @param problem what is wrong, in words for an operator (never a secret; cut at 1,000
     *     characters), or {@code null} when it is over
     * @throws IllegalArgumentException when the rule name is not of that form, or the device is {@link #SELF_DEVICE}
     * @throws UnsupportedOperationException when this implementation does not raise such problems
     *     (ward's own does)
     */
    default void systemProblem(io.github.wardops.ward.inventory.DeviceId device, String name, String rule,
                               Severity severity, String problem) {
        throw new UnsupportedOperationException("this Alerting does not raise system problems");
    }

    /**
     * The alerts open now.
     *
     * @return a snapshot
     */
    List<Alert> openAlerts();

    /**
     * Acknowledges an open alert. An alert this instance does not hold (another instance sharing
     * the store owns its device) is acknowledged in the store ({@link AlertStore#acknowledgeOpen}),
     * and its owner takes the acknowledgement up at its next {@link #syncAcknowledgements()}.
     *
     * @param alertId the alert's id
     * @param user who acknowledges; never {@code null}
     * @return the acknowledged alert, empty when no open alert has this id
     * @throws io.github.wardops.ward.WardException when the alert is not held here and the store
     *     cannot record the acknowledgement
     */
    Optional<Alert> acknowledge(UUID alertId, String user);

    /**
     * Replaces the rules in force (a rule file reloaded), checked first: names unique and not
     * reserved. Rules kept by name keep their state (open alerts, {@code for} timers); an open
     * alert whose rules all left resolves ({@code "its rules were removed or changed"}) and is
     * notified; a removed rule's timers and silences end. A changed rule's new expression and
     * severity apply from the next evaluation. Thread-safe.
     *
     * @param rules the new rules; never {@code null}
     * @throws io.github.wardops.ward.InvalidConfigurationException naming every problem; nothing changes then
     * @throws UnsupportedOperationException when this implementation cannot (ward's own can)
     */
    default void replaceRules(Collection<AlertRule> rules) {
        throw new UnsupportedOperationException("this Alerting does not replace its rules");
    }

    /**
     * The problems of a rule list as {@link Builder#build()} and {@link #replaceRules} see them.
     *
     * @param rules the rules
     * @return the problems, empty when none
     */
    static List<String> ruleProblems(Collection<AlertRule> rules) {
        List<String> p = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AlertRule r : rules) {
            if (r == null) {
                p.add("rules must not be null");
                continue;
            }
            if (!names.add(r.name())) {
                p.add("rule name '" + r.name() + "' is used twice");
            }
            if (r.name().equals(FLAPPING_RULE)) {
                p.add("rule name '" + FLAPPING_RULE + "' is reserved for the flapping alert");
            }
            if (r.name().equals(SELF_RULE) || r.group().filter(g -> g.equals(SELF_RULE) || g.equals(FLAPPING_RULE)).isPresent()) {
                p.add("rule '" + r.name() + "': the names '" + SELF_RULE + "' and '" + FLAPPING_RULE
                        + "' are reserved for ward's own alerts");
            }
        }
        return p;
    }

    /**
     * Resolves an open alert by hand. It is recorded as resolved now, with
     * {@code "resolved by USER"} (and {@code ": COMMENT"}) as its reason, and notified as any
     * resolution. Its rules are not silenced: when they still match at the device's next evaluation,
     * a new alert opens: at once for a rule without {@code for}; a rule with {@code for} that had
     * matched counts its {@code for} afresh, one still counting keeps counting. Only alerts held by this instance; the default resolves none.
     *
     * @param alertId the alert's id; never {@code null}
     * @param user who resolves it; never {@code null}
     * @param comment why, or {@code null}
     * @return the resolved alert, empty when no open alert held here has this id
     */
    default Optional<Alert> resolve(UUID alertId, String user, String comment) {
        return Optional.empty();
    }

    /**
     * The rules in force.
     *
     * @return the rules
     */
    List<AlertRule> rules();

    /**
     * Checks time-based conditions (flood end) without a new result; call it periodically
     * (every few seconds) when results are sparse. Cheap.
     */
    void tick();

    /**
     * Takes up acknowledgements made through other instances that share the store
     * ({@link AlertStore#acknowledgedSince}): an open alert held here that was acknowledged
     * elsewhere gets that acknowledgement (its time and user), quietly. Reads the store, so call it
     * periodically on a thread of its own, never from a listener (a runner of a shared fleet does,
     * every few seconds). One read of the acknowledgements of the last minute or so; nothing when
     * no alert is open here. The default does nothing.
     */
    default void syncAcknowledgements() {
    }

    /**
     * Notifications waiting to be delivered, over all notifiers.
     *
     * @return the count
     */
    int pendingNotifications();

    /** Drains and stops delivery; idempotent. */
    @Override
    void close();

    /** Configures {@link Alerting}; {@link #build()} reports every invalid setting at once. Not thread-safe. */
    final class Builder {
        final List<AlertRule> rules = new ArrayList<>();
        final List<MaintenanceWindow> windows = new ArrayList<>();
        final List<Notifier> notifiers = new ArrayList<>();
        AlertStore store;
        DeliveryOptions delivery = DeliveryOptions.defaults();
        int floodThreshold = 50;
        Duration floodWindow = Duration.ofMinutes(1);
        Severity flappingSeverity = Severity.HIGH;
        Severity selfHealthSeverity = Severity.CRITICAL;
        boolean groupReachabilityRules = true;
        Duration drainTimeout = Duration.ofSeconds(5);
        InstantSource clock = InstantSource.system();
        Ticker ticker;
        boolean tickerSet;
        MeterRegistry meterRegistry;
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds rules (names must be unique).
         *
         * @param all the rules
         * @return this builder
         */
        public Builder rules(Collection<AlertRule> all) {
            if (all == null || all.stream().anyMatch(java.util.Objects::isNull)) {
                problems.add("rules must not be null");
            } else {
                rules.addAll(all);
            }
            return this;
        }

        /**
         * Adds a maintenance window.
         *
         * @param window the window
         * @return this builder
         */
        public Builder maintenance(MaintenanceWindow window) {
            if (window == null) {
                problems.add("maintenance window must not be null");
            } else {
                windows.add(window);
            }
            return this;
        }

        /**
         * Adds a notifier.
         *
         * @param notifier the notifier; not closed by ward
         * @return this builder
         */
        public Builder notifier(Notifier notifier) {
            if (notifier == null) {
                problems.add("notifier must not be null");
            } else {
                notifiers.add(notifier);
            }
            return this;
        }

        /**
         * Sets the store (default: {@link AlertStore#inMemory(int) in memory}, 10,000 kept).
         *
         * @param s the store
         * @return this builder
         */
        public Builder store(AlertStore s) {
            if (s == null) {
                problems.add("store must not be null");
            }
            this.store = s;
            return this;
        }

        /**
         * Sets delivery options.
         *
         * @param options the options
         * @return this builder
         */
        public Builder delivery(DeliveryOptions options) {
            if (options == null) {
                problems.add("delivery options must not be null");
            }
            this.delivery = options;
            return this;
        }

        /**
         * Sets the flood guard: when more than {@code threshold} alerts open within
         * {@code window}, notifiers get one summary instead (default 50 per minute).
         *
         * @param threshold alerts per window, 1-1,000,000
         * @param window the window, 1 s-1 day
         * @return this builder
         */
        public Builder floodGuard(int threshold, Duration window) {
            this.floodThreshold = threshold;
            this.floodWindow = window;
            return this;
        }

        /**
         * Sets the severity of the flapping alert (default {@link Severity#HIGH}).
         *
         * @param severity the severity
         * @return this builder
         */
        public Builder flappingSeverity(Severity severity) {
            this.flappingSeverity = severity;
            return this;
        }

        /**
         * Sets the severity of ward's own self-health alert ({@link Alerting#selfHealth}; default
         * {@link Severity#CRITICAL}).
         *
         * @param severity the severity
         * @return this builder
         */
        public Builder selfHealthSeverity(Severity severity) {
            this.selfHealthSeverity = severity;
            return this;
        }

        /**
         * Sets whether the up/down rules ({@link AlertRule#isReachabilityRule()}) without an
         * explicit group form one problem per device, group {@link AlertRule#REACHABILITY_GROUP}
         * (default {@code true}): one alert per outage that escalates as the rules match in turn.
         * With {@code false} each such rule is a problem of its own, one alert per rule, as before
         * problems. Rules with an explicit {@link AlertRule#group()} keep it either way.
         *
         * @param group whether to group them
         * @return this builder
         */
        public Builder groupReachabilityRules(boolean group) {
            this.groupReachabilityRules = group;
            return this;
        }

        /**
         * Sets how long {@link Alerting#close()} waits for queued notifications (0-10 min, default 5 s).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * Sets the wall clock that stamps alerts, acknowledgements and maintenance-window checks
         * (default: the system clock). A {@link java.time.Clock} is an {@code InstantSource}, so
         * code that passed one still compiles.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /**
         * Sets the monotonic time for the engine's durations, such as how often a failing store
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
         * Sets the meter registry (default: a private one).
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Builds it; delivery threads start at once.
         *
         * @return the alerting
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public Alerting build() {
            List<String> p = new ArrayList<>(problems);
            p.addAll(ruleProblems(rules));
            if (floodThreshold < 1 || floodThreshold > 1_000_000) {
                p.add("floodGuard threshold = " + floodThreshold + ": must be 1-1000000");
            }
            if (floodWindow == null || floodWindow.compareTo(Duration.ofSeconds(1)) < 0
                    || floodWindow.compareTo(Duration.ofDays(1)) > 0) {
                p.add("floodGuard window = " + floodWindow + ": must be 1 s-1 day");
            }
            if (flappingSeverity == null) {
                p.add("flappingSeverity must not be null");
            }
            if (selfHealthSeverity == null) {
                p.add("selfHealthSeverity must not be null");
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
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("Alerting", p);
            }
            return new AlertEngine(new AlertEngine.Config(List.copyOf(rules), List.copyOf(windows), List.copyOf(notifiers),
                    store != null ? store : AlertStore.inMemory(10_000), delivery, floodThreshold, floodWindow,
                    flappingSeverity, drainTimeout, clock, tickerSet ? ticker : Time.defaultTicker(clock), meterRegistry,
                    groupReachabilityRules, selfHealthSeverity));
        }
    }
}
