package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Notifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Routes alerts to receivers: groups them, holds back what silences and maintenance windows
 * cover, escalates what stays unacknowledged, and remembers in a {@link NotificationLog} what each
 * receiver was told. Alertmanager's model, on ward's alerts.
 *
 * <p>The dispatcher reads the open alerts from its {@link AlertSource} at every {@link #tick()}
 * and compares each group with what its receivers were last told; it keeps no other state worth
 * keeping, so a restart (or another runner taking over) loses nothing that is still true and
 * repeats nothing already delivered: at its first tick it also reads the groups receivers were last
 * told are firing ({@link NotificationLog#stillFiring}), so alerts resolved while no dispatcher ran
 * are told as resolved. Messages go through one bounded queue per receiver, are
 * retried with backoff ({@link DeliveryOptions}), and are logged once delivered (a crash between
 * delivery and the log entry may repeat that one message: delivery is at least once).
 *
 * <p>Metrics: {@code ward.notify.messages{receiver,outcome=sent|failed|dropped}},
 * {@code ward.notify.held} (alerts held by silences or maintenance), {@code ward.notify.groups},
 * {@code ward.notify.groups.dropped}, {@code ward.notify.errors{stage}}.
 *
 * <p>Thread-safe: {@link #tick()} may be called from any one thread at a time (the dispatcher's own
 * when {@link #start() started}); {@link #configure} and the readers from any thread. Arguments
 * must not be {@code null}, and no method returns {@code null}.
 */
public interface Dispatcher extends AutoCloseable {

    /** The rule of the alert raised for a receiver whose messages keep failing. */
    String RECEIVER_FAILING_RULE = "ward_receiver_failing";

    /**
     * A new builder.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Ticks on a thread of its own, every {@link Builder#tickInterval}. Idempotent.
     */
    void start();

    /**
     * Evaluates every group once, now: sends what is due. Never throws for a failing source,
     * store or receiver (each is counted and tried again at the next tick).
     */
    void tick();

    /**
     * Says ticks resume after a pause (a runner that leads again after another did): the next tick
     * reads what receivers were last told, as at start, so alerts resolved meanwhile are told.
     */
    void resume();

    /**
     * Replaces the routing tree, the receivers and the maintenance windows at once, after checking
     * them: every receiver a route names must be given. Groups keep their timing and the
     * notification log keeps what receivers were told, so a reload does not resend.
     *
     * @param root the routing tree
     * @param receivers the receivers, by {@link Notifier#name()}; the caller closes the old ones it
     *     replaced once this returns (their queued messages are delivered first, for a bounded time)
     * @param windows the maintenance windows
     * @throws InvalidConfigurationException naming every problem; nothing changes then
     */
    void configure(Route root, List<Notifier> receivers, List<MaintenanceWindow> windows);

    /**
     * The alerts held back at the last tick and what holds each ({@code silence <id>} or
     * {@code maintenance <name>}).
     *
     * @return an unmodifiable snapshot
     */
    Map<UUID, String> held();

    /**
     * The silences this dispatcher obeys.
     *
     * @return the store
     */
    SilenceStore silences();

    /**
     * What receivers were told.
     *
     * @return the log
     */
    NotificationLog log();

    /**
     * Messages queued or being delivered.
     *
     * @return the count
     */
    int pending();

    /**
     * Waits until every queued message was delivered or given up, for at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return {@code true} when nothing is pending
     * @throws InterruptedException when interrupted
     */
    boolean awaitDelivered(Duration timeout) throws InterruptedException;

    /**
     * Stops ticking and delivers what is queued for at most the drain timeout. Idempotent; does
     * not close the receivers (the caller's).
     */
    @Override
    void close();

    /** Builds a {@link Dispatcher}; not thread-safe. */
    final class Builder {
        Route root = Route.builder().build();
        final List<Notifier> receivers = new ArrayList<>();
        final List<MaintenanceWindow> windows = new ArrayList<>();
        AlertSource source;
        SilenceStore silences;
        NotificationLog log;
        DeliveryOptions delivery = DeliveryOptions.defaults();
        InstantSource clock = InstantSource.system();
        MeterRegistry meterRegistry;
        Alerting alerting;
        Duration tickInterval = Duration.ofSeconds(1);
        Duration drainTimeout = Duration.ofSeconds(5);
        int maxGroups = 10_000;
        int maxAlerts = 200_000;
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * The routing tree (default: a root that takes every alert and tells nobody).
         *
         * @param r the root
         * @return this builder
         */
        public Builder route(Route r) {
            if (r == null) {
                problems.add("route must not be null");
            }
            this.root = r;
            return this;
        }

        /**
         * Adds a receiver, known by its {@link Notifier#name()}.
         *
         * @param n the receiver
         * @return this builder
         */
        public Builder receiver(Notifier n) {
            if (n == null) {
                problems.add("receiver must not be null");
            } else {
                receivers.add(n);
            }
            return this;
        }

        /**
         * Adds a maintenance window: while it is active, notifications of the alerts it covers are
         * held back (ward's own alerts, rules {@code ward_...}, are never held by a window).
         *
         * @param w the window
         * @return this builder
         */
        public Builder maintenance(MaintenanceWindow w) {
            if (w == null) {
                problems.add("maintenance window must not be null");
            } else {
                windows.add(w);
            }
            return this;
        }

        /**
         * Where alerts are read from (required).
         *
         * @param s the source
         * @return this builder
         */
        public Builder alerts(AlertSource s) {
            this.source = s;
            return this;
        }

        /**
         * The silences (default: in memory, 10,000).
         *
         * @param s the store
         * @return this builder
         */
        public Builder silences(SilenceStore s) {
            if (s == null) {
                problems.add("silences must not be null");
            }
            this.silences = s;
            return this;
        }

        /**
         * The notification log (default: in memory, 100,000 entries).
         *
         * @param l the log
         * @return this builder
         */
        public Builder log(NotificationLog l) {
            if (l == null) {
                problems.add("log must not be null");
            }
            this.log = l;
            return this;
        }

        /**
         * Queue bound and retries per receiver.
         *
         * @param d the options
         * @return this builder
         */
        public Builder delivery(DeliveryOptions d) {
            if (d == null) {
                problems.add("delivery must not be null");
            }
            this.delivery = d;
            return this;
        }

        /**
         * The clock (default: the system's); tests use a fake one and call {@link #tick()}.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            if (c == null) {
                problems.add("clock must not be null");
            }
            this.clock = c;
            return this;
        }

        /**
         * Where metrics go (default: none).
         *
         * @param r the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry r) {
            this.meterRegistry = r;
            return this;
        }

        /**
         * Raises an alert ({@link #RECEIVER_FAILING_RULE}) on this alerting while a receiver's
         * messages keep failing, and resolves it when one gets through (default: none).
         *
         * @param a the alerting
         * @return this builder
         */
        public Builder alerting(Alerting a) {
            this.alerting = a;
            return this;
        }

        /**
         * How often {@link #start() started} dispatchers tick, 100 ms to 1 min (default 1 s).
         *
         * @param d the interval
         * @return this builder
         */
        public Builder tickInterval(Duration d) {
            if (d == null || d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("tickInterval = " + d + ": must be 100 ms to 1 min");
            } else {
                this.tickInterval = d;
            }
            return this;
        }

        /**
         * How long {@link #close()} delivers what is queued, 0-10 min (default 5 s).
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder drainTimeout(Duration d) {
            if (d == null || d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add("drainTimeout = " + d + ": must be 0-10 min");
            } else {
                this.drainTimeout = d;
            }
            return this;
        }

        /**
         * The most groups kept, 1-1,000,000 (default 10,000); alerts of further groups are not
         * routed and counted ({@code ward.notify.groups.dropped}).
         *
         * @param n the bound
         * @return this builder
         */
        public Builder maxGroups(int n) {
            if (n < 1 || n > 1_000_000) {
                problems.add("maxGroups = " + n + ": must be 1-1000000");
            } else {
                this.maxGroups = n;
            }
            return this;
        }

        /**
         * The most resolved alerts remembered for their resolved message, 1-10,000,000 (default
         * 200,000); older ones are read from the source again.
         *
         * @param n the bound
         * @return this builder
         */
        public Builder maxAlerts(int n) {
            if (n < 1 || n > 10_000_000) {
                problems.add("maxAlerts = " + n + ": must be 1-10000000");
            } else {
                this.maxAlerts = n;
            }
            return this;
        }

        /**
         * Builds the dispatcher (not started).
         *
         * @return the dispatcher
         * @throws InvalidConfigurationException naming every problem
         */
        public Dispatcher build() {
            List<String> p = new ArrayList<>(problems);
            if (source == null) {
                p.add("alerts (the AlertSource) must be set");
            }
            if (p.isEmpty()) {
                p.addAll(DispatchEngine.check(root, receivers));
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("Dispatcher", p);
            }
            return new DispatchEngine(this, silences != null ? silences : SilenceStore.inMemory(10_000),
                    log != null ? log : NotificationLog.inMemory(100_000));
        }
    }

    /**
     * Checks a routing tree against receivers, as {@link #configure} does, without a dispatcher.
     *
     * @param root the tree
     * @param receivers the receivers
     * @return the problems, empty when it is sound
     */
    static List<String> problems(Route root, List<Notifier> receivers) {
        Objects.requireNonNull(root, "root");
        return DispatchEngine.check(root, receivers);
    }
}
