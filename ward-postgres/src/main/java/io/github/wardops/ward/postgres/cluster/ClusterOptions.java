package io.github.wardops.ward.postgres.cluster;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link ClusterMember} names itself, how often it ticks and when it fences itself.
 * Immutable and thread-safe; build one with {@link #builder()}, which checks every setting at
 * once. Optional values ({@link #address()}, {@link #meterRegistry()}) are empty, never {@code null}.
 *
 * <p><b>The fencing arithmetic.</b> The member's session asks the server to drop it when its host
 * stops answering: TCP keepalives after {@value #SERVER_KEEPALIVE_IDLE_SECONDS} s idle, every
 * {@value #SERVER_KEEPALIVE_INTERVAL_SECONDS} s, {@value #SERVER_KEEPALIVE_COUNT} probes, and
 * {@code tcp_user_timeout} {@value #SERVER_TCP_USER_TIMEOUT_MILLIS} ms: the server frees the
 * member's lock (and others may take its shards) no sooner than about 10 s after the last
 * heartbeat the member saw confirmed, and about 11 s at most. The member drops its shards when
 * no heartbeat sent in the last {@code fenceAfter} was confirmed; it checks that every
 * {@code tickInterval} on its tick thread and, independently of a tick stuck in a statement, on a
 * watchdog that runs as often. So it has stopped by {@code fenceAfter + tickInterval} after its
 * last confirmed heartbeat, which {@link Builder#build} requires to be at most
 * {@link #FENCE_BUDGET} (8 s), 2 s below the server's earliest drop, for scheduling slack.
 */
public final class ClusterOptions {
    /** Server-side {@code tcp_keepalives_idle} of the member's session, in seconds. */
    public static final int SERVER_KEEPALIVE_IDLE_SECONDS = 5;
    /** Server-side {@code tcp_keepalives_interval} of the member's session, in seconds. */
    public static final int SERVER_KEEPALIVE_INTERVAL_SECONDS = 2;
    /** Server-side {@code tcp_keepalives_count} of the member's session. */
    public static final int SERVER_KEEPALIVE_COUNT = 3;
    /** Server-side {@code tcp_user_timeout} of the member's session, in milliseconds. */
    public static final int SERVER_TCP_USER_TIMEOUT_MILLIS = 10_000;
    /** The most {@code fenceAfter + tickInterval} may be: 8 s, 2 s below the server's earliest drop (10 s). */
    public static final Duration FENCE_BUDGET = Duration.ofSeconds(8);
    /** The default tick interval: 2 s. */
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(2);
    /** The default fence-after: 6 s. */
    public static final Duration DEFAULT_FENCE_AFTER = Duration.ofSeconds(6);
    /** The default age after which a dead runner's row is deleted: 1 day. */
    public static final Duration DEFAULT_DEAD_RUNNER_AGE = Duration.ofDays(1);
    /** The default bound on each statement of the member's session: 2 s. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    /** The default bound on {@link ClusterMember#close()}: 5 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The longest name, zone or address accepted, in characters. */
    public static final int MAX_TEXT = 200;

    private final UUID id;
    private final String name;
    private final String zone;
    private final String address;
    private final Duration tickInterval;
    private final Duration fenceAfter;
    private final Duration deadRunnerAge;
    private final Duration statementTimeout;
    private final Duration closeTimeout;
    private final Duration takeoverGrace;
    private final Ticker ticker;
    private final MeterRegistry meterRegistry;

    private ClusterOptions(Builder b) {
        this.id = b.id != null ? b.id : UUID.randomUUID();
        this.name = b.name;
        this.zone = b.zone;
        this.address = b.address;
        this.tickInterval = b.tickInterval;
        this.fenceAfter = b.fenceAfter;
        this.deadRunnerAge = b.deadRunnerAge;
        this.statementTimeout = b.statementTimeout;
        this.closeTimeout = b.closeTimeout;
        this.takeoverGrace = b.takeoverGrace != null ? b.takeoverGrace : b.fenceAfter.plus(checkPeriod(b.tickInterval));
        this.ticker = b.ticker;
        this.meterRegistry = b.meterRegistry;
    }

    /**
     * Starts options with the defaults: a random id, zone {@code ""}, tick every 2 s, fence after
     * 6 s, take over a dead owner's shards 6.5 s after first seeing it dead, dead rows deleted after 1 day, statements bounded by 2 s, close by 5 s, the system
     * ticker, no metrics. The name must be set.
     *
     * @return a builder; never {@code null}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runner's id: the given one, or a random one chosen when these options were built.
     *
     * @return the id; never {@code null}
     */
    public UUID id() {
        return id;
    }

    /**
     * How the runner names itself to people (and its session's {@code application_name}).
     *
     * @return the name; never {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * The runner's zone, {@code ""} for none.
     *
     * @return the zone; never {@code null}
     */
    public String zone() {
        return zone;
    }

    /**
     * Where people reach the runner (its HTTP address), shown in views only.
     *
     * @return the address, empty when not set; never {@code null}
     */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /**
     * How often the member ticks (heartbeat, read, release, take).
     *
     * @return the interval; never {@code null}
     */
    public Duration tickInterval() {
        return tickInterval;
    }

    /**
     * After how long without a confirmed heartbeat the member drops all its shards.
     *
     * @return the duration; never {@code null}
     */
    public Duration fenceAfter() {
        return fenceAfter;
    }

    /**
     * After how long without a heartbeat a dead runner's row is deleted (by any member).
     *
     * @return the age; never {@code null}
     */
    public Duration deadRunnerAge() {
        return deadRunnerAge;
    }

    /**
     * The bound on each statement of the member's session (server {@code statement_timeout} and
     * {@code lock_timeout}; the client's network timeout is this plus 1 s).
     *
     * @return the bound; never {@code null}
     */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * The bound on {@link ClusterMember#close()}.
     *
     * @return the bound; never {@code null}
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * How long a member waits, after it first saw a shard's owner not live, before it takes that
     * shard over: by default {@code fenceAfter} plus {@link #checkPeriod()}. When the server ends
     * a member's session itself (a killed backend, a server restart) its lock is freed at once,
     * yet the member learns it only at its next statement, or by its fence; waiting this long
     * means it has stopped by the time another member takes its shards. Shards that are free
     * (released, or never owned) are taken at once.
     *
     * @return the grace; never {@code null}
     */
    public Duration takeoverGrace() {
        return takeoverGrace;
    }

    /**
     * How often the member's watchdog checks the fence, independently of its ticks: the tick
     * interval, at most 500 ms.
     *
     * @return the period; never {@code null}
     */
    public Duration checkPeriod() {
        return checkPeriod(tickInterval);
    }

    private static Duration checkPeriod(Duration tickInterval) {
        Duration max = Duration.ofMillis(500);
        return tickInterval.compareTo(max) < 0 ? tickInterval : max;
    }

    /**
     * The monotonic clock that fencing is measured with.
     *
     * @return the ticker; never {@code null}
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Where the member's metrics go.
     *
     * @return the registry, empty for none; never {@code null}
     */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /** Builds {@link ClusterOptions}. Not thread-safe; {@code null} is refused where noted. */
    public static final class Builder {
        private UUID id;
        private String name;
        private String zone = "";
        private String address;
        private Duration tickInterval = DEFAULT_TICK_INTERVAL;
        private Duration fenceAfter = DEFAULT_FENCE_AFTER;
        private Duration deadRunnerAge = DEFAULT_DEAD_RUNNER_AGE;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Duration takeoverGrace;
        private Ticker ticker = Ticker.system();
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /**
         * The runner's id; by default a random one. A fixed id lets a restarted runner find its
         * old row (and wait until its old session is gone before it rejoins).
         *
         * @param id the id; {@code null} for a random one
         * @return this builder
         */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        /**
         * How the runner names itself (for example {@code ward-runner on HOST, pid PID}).
         *
         * @param name 1 to {@value ClusterOptions#MAX_TEXT} characters; never {@code null}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * The runner's zone: it then polls that zone's shards besides the zone-less ones.
         *
         * @param zone up to {@value ClusterOptions#MAX_TEXT} characters, {@code ""} for none; never {@code null}
         * @return this builder
         */
        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        /**
         * Where people reach the runner, shown in views.
         *
         * @param address up to {@value ClusterOptions#MAX_TEXT} characters, or {@code null} for none
         * @return this builder
         */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /**
         * How often to tick; at least 10 ms, and {@code fenceAfter + tickInterval <= 8 s}.
         *
         * @param tickInterval the interval; never {@code null}
         * @return this builder
         */
        public Builder tickInterval(Duration tickInterval) {
            this.tickInterval = tickInterval;
            return this;
        }

        /**
         * After how long without a confirmed heartbeat to drop all shards; more than
         * {@code tickInterval}, and {@code fenceAfter + tickInterval <= 8 s}.
         *
         * @param fenceAfter the duration; never {@code null}
         * @return this builder
         */
        public Builder fenceAfter(Duration fenceAfter) {
            this.fenceAfter = fenceAfter;
            return this;
        }

        /**
         * After how long without a heartbeat a dead runner's row is deleted; at least 1 minute.
         *
         * @param deadRunnerAge the age; never {@code null}
         * @return this builder
         */
        public Builder deadRunnerAge(Duration deadRunnerAge) {
            this.deadRunnerAge = deadRunnerAge;
            return this;
        }

        /**
         * The bound on each statement of the member's session; 100 ms to {@code fenceAfter}.
         *
         * @param statementTimeout the bound; never {@code null}
         * @return this builder
         */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        /**
         * The bound on {@link ClusterMember#close()}; 100 ms to 1 minute.
         *
         * @param closeTimeout the bound; never {@code null}
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * How long to wait, after first seeing a shard's owner not live, before taking the shard
         * over; 0 to 1 minute. By default {@code fenceAfter} plus the check period (6.5 s with
         * the defaults). 0 takes over at once: faster failover after a crash, but a member whose
         * session the server ended may then still be probing for up to a tick after its shards
         * were taken (its writes are still refused by the epochs).
         *
         * @param takeoverGrace the grace, or {@code null} for the default
         * @return this builder
         */
        public Builder takeoverGrace(Duration takeoverGrace) {
            this.takeoverGrace = takeoverGrace;
            return this;
        }

        /**
         * The monotonic clock for fencing (a fake one in tests).
         *
         * @param ticker the ticker; never {@code null}
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = ticker;
            return this;
        }

        /**
         * Where to register the member's metrics.
         *
         * @param meterRegistry the registry, or {@code null} for none
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Checks every setting and builds the options.
         *
         * @return the options; never {@code null}
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public ClusterOptions build() {
            List<String> problems = new ArrayList<>();
            text(problems, "name", name, false);
            text(problems, "zone", zone, true);
            if (address != null) {
                text(problems, "address", address, true);
            }
            boolean timesSet = positive(problems, "tickInterval", tickInterval, Duration.ofMillis(10))
                    & positive(problems, "fenceAfter", fenceAfter, Duration.ofMillis(10));
            if (timesSet) {
                if (fenceAfter.compareTo(tickInterval) <= 0) {
                    problems.add("fenceAfter must be longer than tickInterval (" + tickInterval + "), not " + fenceAfter
                            + ": a member would fence itself between two heartbeats");
                }
                if (fenceAfter.plus(tickInterval).compareTo(FENCE_BUDGET) > 0) {
                    problems.add("fenceAfter + tickInterval must be at most " + FENCE_BUDGET.toSeconds() + " s, not "
                            + fenceAfter.plus(tickInterval) + " (fenceAfter " + fenceAfter + ", tickInterval " + tickInterval
                            + "): the server may drop a vanished member's session 10 s after its last heartbeat, and the "
                            + "member must have dropped its shards before anyone else can take them");
                }
            }
            if (positive(problems, "deadRunnerAge", deadRunnerAge, Duration.ofMinutes(1))
                    && deadRunnerAge.compareTo(Duration.ofDays(3650)) > 0) {
                problems.add("deadRunnerAge must be at most 3650 days, not " + deadRunnerAge);
            }
            if (positive(problems, "statementTimeout", statementTimeout, Duration.ofMillis(100)) && fenceAfter != null
                    && statementTimeout.compareTo(fenceAfter) > 0) {
                problems.add("statementTimeout must be at most fenceAfter (" + fenceAfter + "), not " + statementTimeout);
            }
            if (positive(problems, "closeTimeout", closeTimeout, Duration.ofMillis(100))
                    && closeTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("closeTimeout must be at most 1 minute, not " + closeTimeout);
            }
            if (takeoverGrace != null && (takeoverGrace.isNegative() || takeoverGrace.compareTo(Duration.ofMinutes(1)) > 0)) {
                problems.add("takeoverGrace must be between 0 and 1 minute, not " + takeoverGrace);
            }
            if (ticker == null) {
                problems.add("ticker must not be null");
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException("ClusterOptions", problems);
            }
            return new ClusterOptions(this);
        }

        private static void text(List<String> problems, String what, String value, boolean mayBeEmpty) {
            if (value == null) {
                problems.add(what + " must be set");
            } else if (!mayBeEmpty && value.isBlank()) {
                problems.add(what + " must not be blank");
            } else if (value.length() > MAX_TEXT) {
                problems.add(what + " must be at most " + MAX_TEXT + " characters, not " + value.length());
            } else if (value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                problems.add(what + " must not contain control characters");
            }
        }

        private static boolean positive(List<String> problems, String what, Duration value, Duration min) {
            if (value == null) {
                problems.add(what + " must be set");
                return false;
            }
            if (value.compareTo(min) < 0) {
                problems.add(what + " must be at least " + min + ", not " + value);
                return false;
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "ClusterOptions[id=" + id + ", name=" + name + ", zone=" + zone + ", tickInterval=" + tickInterval
                + ", fenceAfter=" + fenceAfter + "]";
    }

}
