package io.github.wardops.ward.postgres;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How {@link PostgresStorage} connects, writes, spools and keeps data. Immutable and thread-safe;
 * build one with {@link #builder()}, which checks every setting at once.
 */
public final class PostgresOptions {
    /** The tables whose rows expire, each with its own retention. */
    public static final List<String> RETAINED_TABLES = Partitions.TABLES;
    /**
     * How long the rows of each of {@link #RETAINED_TABLES} are kept when
     * {@link Builder#retention} is not called for it: 30 days (whole daily partitions are dropped).
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    /**
     * How long the hourly and daily roll-ups are kept when {@link Builder#rollupRetention} is not
     * called: 400 days.
     */
    public static final Duration DEFAULT_ROLLUP_RETENTION = Duration.ofDays(400);
    /**
     * How long state changes, resolved alerts and alert silences are kept when
     * {@link Builder#eventRetention} is not called: 400 days.
     */
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(400);
    /**
     * How long the notification log and ended silences are kept when
     * {@link Builder#notificationRetention} is not called: 30 days.
     */
    public static final Duration DEFAULT_NOTIFICATION_RETENTION = Duration.ofDays(30);
    /** The most silences that have not ended when {@link Builder#maxSilences} is not called: 10,000. */
    public static final int DEFAULT_MAX_SILENCES = 10_000;

    private final String jdbcUrl;
    private final String user;
    private final Secret password;
    private final DataSource dataSource;
    private final int maxPoolSize;
    private final Duration connectionTimeout;
    private final WriteMode writeMode;
    private final Path spoolDirectory;
    private final long spoolMaxBytes;
    private final Duration spoolMaxAge;
    private final long spoolSegmentBytes;
    private final Duration retryInterval;
    private final int stateWriteCapacity;
    private final Map<String, Duration> retention;
    private final Duration rollupRetention;
    private final Duration eventRetention;
    private final Duration notificationRetention;
    private final int maxSilences;
    private final int partitionsAhead;
    private final Duration maintenanceInterval;
    private final boolean migrate;
    private final MeterRegistry meterRegistry;
    private final InstantSource clock;
    private final Ticker ticker;

    private PostgresOptions(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.dataSource = b.dataSource;
        this.maxPoolSize = b.maxPoolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.writeMode = b.writeMode;
        this.spoolDirectory = b.spoolDirectory;
        this.spoolMaxBytes = b.spoolMaxBytes;
        this.spoolMaxAge = b.spoolMaxAge;
        this.spoolSegmentBytes = b.spoolSegmentBytes;
        this.retryInterval = b.retryInterval;
        this.stateWriteCapacity = b.stateWriteCapacity;
        this.retention = Collections.unmodifiableMap(new LinkedHashMap<>(b.retention));
        this.rollupRetention = b.rollupRetention;
        this.eventRetention = b.eventRetention;
        this.notificationRetention = b.notificationRetention;
        this.maxSilences = b.maxSilences;
        this.partitionsAhead = b.partitionsAhead;
        this.maintenanceInterval = b.maintenanceInterval;
        this.migrate = b.migrate;
        this.meterRegistry = b.meterRegistry;
        this.clock = b.clock;
        this.ticker = b.tickerSet ? b.ticker : Time.defaultTicker(b.clock);
    }

    /**
     * Starts options with the defaults: pool of 4, 3 s connection timeout, COPY, spool in
     * {@code ward-data/spool} capped at 256 MiB and 24 h in 8 MiB segments, retry every 2 s,
     * 30 days of raw data per table, partitions 3 days ahead, maintenance hourly, migrate on open.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**

     * Returns the JDBC URL, empty when a {@link DataSource} was given.

     *

     * @return the JDBC URL, empty when a {@link DataSource} was given

     */
    public Optional<String> jdbcUrl() {
        return Optional.ofNullable(jdbcUrl);
    }

    /**

     * Returns the user name, or {@code null}.

     *

     * @return the user name, or {@code null}

     */
    public String user() {
        return user;
    }

    /**

     * Returns the password, or {@code null}.

     *

     * @return the password, or {@code null}

     */
    public Secret password() {
        return password;
    }

    /**

     * Returns the caller's data source, empty when ward builds its own pool.

     *

     * @return the caller's data source, empty when ward builds its own pool

     */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(dataSource);
    }

    /**

     * Returns the most pooled connections.

     *

     * @return the most pooled connections

     */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /**

     * Returns how long to wait for a connection before spooling.

     *

     * @return how long to wait for a connection before spooling

     */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /**

     * Returns how batches are sent.

     *

     * @return how batches are sent

     */
    public WriteMode writeMode() {
        return writeMode;
    }

    /**

     * Returns the spool directory.

     *

     * @return the spool directory

     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**

     * Returns the spool's byte cap.

     *

     * @return the spool's byte cap

     */
    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    /**

     * Returns the spool's age cap.

     *

     * @return the spool's age cap

     */
    public Duration spoolMaxAge() {
        return spoolMaxAge;
    }

    /**

     * Returns the spool segment size.

     *

     * @return the spool segment size

     */
    public long spoolSegmentBytes() {
        return spoolSegmentBytes;
    }

    /**

     * Returns how often a spooling sink tries the database again.

     *

     * @return how often a spooling sink tries the database again

     */
    public Duration retryInterval() {
        return retryInterval;
    }

    /**
     * How long a table's rows are kept.
     *
     * @param table one of {@link #RETAINED_TABLES}
     * @return the retention
     */
    public Duration retention(String table) {
        Duration d = retention.get(table);
        if (d == null) {
            throw new IllegalArgumentException("no retention for table " + table);
        }
        return d;
    }

    /**
     * How long the hourly and daily roll-ups ({@code device_hourly}, {@code device_daily},
     * {@code interface_hourly}, {@code interface_daily}) are kept.
     *
     * @return the retention (whole days)
     */
    public Duration rollupRetention() {
        return rollupRetention;
    }

    /**
     * How long {@code state_changes}, {@code alert_silences} and resolved {@code alerts} are kept
     * (open alerts are kept however old).
     *
     * @return the retention (whole days)
     */
    public Duration eventRetention() {
        return eventRetention;
    }

    /**
     * How long the notification log ({@code notification_log}) and ended {@code silences} are kept:
     * entries sent, and silences that ended, longer ago are deleted by the maintenance run, except
     * the last entry of each (receiver, group) that still names a firing alert.
     *
     * @return the retention (whole days)
     */
    public Duration notificationRetention() {
        return notificationRetention;
    }

    /**
     * The most silences that have not ended which {@link PostgresStorage#silenceStore()} keeps, for
     * every instance on the database together.
     *
     * @return the bound
     */
    public int maxSilences() {
        return maxSilences;
    }

    /**

     * Returns how many days of partitions exist ahead of today.

     *

     * @return how many days of partitions exist ahead of today

     */
    public int partitionsAhead() {
        return partitionsAhead;
    }

    /**

     * Returns how often partitions are created and dropped.

     *

     * @return how often partitions are created and dropped

     */
    public Duration maintenanceInterval() {
        return maintenanceInterval;
    }

    /**

     * Returns whether {@link PostgresStorage#open} migrates the schema.

     *

     * @return whether {@link PostgresStorage#open} migrates the schema

     */
    public boolean migrate() {
        return migrate;
    }

    /**

     * Returns the registry for metrics, or {@code null} for a private one.

     *

     * @return the registry for metrics, or {@code null} for a private one

     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**

     * Returns the time source.

     *

     * @return the time source

     */
    public InstantSource clock() {
        return clock;
    }

    /**
     * Returns the monotonic time for the storage's durations (how long a write took, how often a
     * failure is logged).
     *
     * @return the ticker: the one set, else the clock when it is also a {@link Ticker}, else
     *         {@link Ticker#system()}
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Returns the write-behind bound of the state and alert stores.
     *
     * @return how many state, alert, history and silence writes may wait for the database (each
     *     kind bounded separately; states and alerts are coalesced by key first)
     */
    public int stateWriteCapacity() {
        return stateWriteCapacity;
    }

    /** Builds {@link PostgresOptions}. Not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private Secret password;
        private DataSource dataSource;
        private int maxPoolSize = 4;
        private Duration connectionTimeout = Duration.ofSeconds(3);
        private WriteMode writeMode = WriteMode.COPY;
        private Path spoolDirectory = Path.of("ward-data", "spool");
        private long spoolMaxBytes = 256L << 20;
        private Duration spoolMaxAge = Duration.ofHours(24);
        private long spoolSegmentBytes = 8L << 20;
        private Duration retryInterval = Duration.ofSeconds(2);
        private int stateWriteCapacity = 262_144;
        private final Map<String, Duration> retention = new LinkedHashMap<>();
        private Duration rollupRetention = DEFAULT_ROLLUP_RETENTION;
        private Duration eventRetention = DEFAULT_EVENT_RETENTION;
        private Duration notificationRetention = DEFAULT_NOTIFICATION_RETENTION;
        private int maxSilences = DEFAULT_MAX_SILENCES;
        private int partitionsAhead = 3;
        private Duration maintenanceInterval = Duration.ofHours(1);
        private boolean migrate = true;
        private MeterRegistry meterRegistry;
        private InstantSource clock = InstantSource.system();
        private Ticker ticker;
        private boolean tickerSet;

        private Builder() {
            for (String t : RETAINED_TABLES) {
                retention.put(t, DEFAULT_RETENTION);
            }
        }

        /**
         * Connects to a server through a pool ward builds (HikariCP) and closes.
         *
         * @param url a {@code jdbc:postgresql:} URL
         * @param user the user, or {@code null}
         * @param password the password, or {@code null}
         * @return this builder
         */
        public Builder jdbc(String url, String user, Secret password) {
            this.jdbcUrl = url;
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * Uses the caller's data source (a pool, preferably); ward never closes it.
         *
         * @param ds the data source
         * @return this builder
         */
        public Builder dataSource(DataSource ds) {
            this.dataSource = ds;
            return this;
        }

        /**
         * Sets the max pool size.
         *
         * @param n the most pooled connections (1-64; default 4)
         * @return this builder
         */
        public Builder maxPoolSize(int n) {
            this.maxPoolSize = n;
            return this;
        }

        /**
         * Sets the connection timeout.
         *
         * @param d how long a write waits for a connection before the batch is spooled
         *     (250 ms-60 s; default 3 s)
         * @return this builder
         */
        public Builder connectionTimeout(Duration d) {
            this.connectionTimeout = d;
            return this;
        }

        /**
         * Sets the write mode.
         *
         * @param m how batches are sent (default COPY)
         * @return this builder
         */
        public Builder writeMode(WriteMode m) {
            this.writeMode = m;
            return this;
        }

        /**
         * Sets the spool directory.
         *
         * @param dir the spool directory (default {@code ward-data/spool})
         * @return this builder
         */
        public Builder spoolDirectory(Path dir) {
            this.spoolDirectory = dir;
            return this;
        }

        /**
         * Sets the spool max bytes.
         *
         * @param bytes the spool's byte cap (at least 64 KiB and one segment; default 256 MiB)
         * @return this builder
         */
        public Builder spoolMaxBytes(long bytes) {
            this.spoolMaxBytes = bytes;
            return this;
        }

        /**
         * Sets the spool max age.
         *
         * @param age the spool's age cap (1 min-30 days; default 24 h)
         * @return this builder
         */
        public Builder spoolMaxAge(Duration age) {
            this.spoolMaxAge = age;
            return this;
        }

        /**
         * Sets the spool segment bytes.
         *
         * @param bytes the spool segment size (4 KiB-256 MiB; default 8 MiB)
         * @return this builder
         */
        public Builder spoolSegmentBytes(long bytes) {
            this.spoolSegmentBytes = bytes;
            return this;
        }

        /**
         * Sets the write-behind bound of the state and alert stores.
         *
         * @param n how many state, alert, state-history and silence writes may wait for the
         *     database, each kind bounded separately (1,000-10,000,000; default 262,144); more are
         *     dropped and counted in {@code ward.storage.state.dropped}
         * @return this builder
         */
        public Builder stateWriteCapacity(int n) {
            this.stateWriteCapacity = n;
            return this;
        }

        /**
         * Sets the retry interval.
         *
         * @param d how often a spooling sink (and the state writer) tries the database again
         *     (10 ms-10 min; default 2 s)
         * @return this builder
         */
        public Builder retryInterval(Duration d) {
            this.retryInterval = d;
            return this;
        }

        /**
         * Sets one table's retention.
         *
         * @param table one of {@link #RETAINED_TABLES}
         * @param keep how long rows are kept (whole days, 1-3650; default 30 days)
         * @return this builder
         */
        public Builder retention(String table, Duration keep) {
            retention.put(table, keep);
            return this;
        }

        /**
         * Sets how long the hourly and daily roll-ups are kept.
         *
         * @param keep whole days, 1-3650 (default 400 days)
         * @return this builder
         */
        public Builder rollupRetention(Duration keep) {
            this.rollupRetention = keep;
            return this;
        }

        /**
         * Sets how long state changes, resolved alerts and alert silences are kept.
         *
         * @param keep whole days, 1-3650 (default 400 days)
         * @return this builder
         */
        public Builder eventRetention(Duration keep) {
            this.eventRetention = keep;
            return this;
        }

        /**
         * Sets how long the notification log and ended silences are kept.
         *
         * @param keep whole days, 1-3650 (default 30 days)
         * @return this builder
         */
        public Builder notificationRetention(Duration keep) {
            this.notificationRetention = keep;
            return this;
        }

        /**
         * Sets the most silences that have not ended (active and future ones, all instances on
         * the database together); {@code SilenceStore.add} refuses more.
         *
         * @param n 1-1,000,000 (default 10,000)
         * @return this builder
         */
        public Builder maxSilences(int n) {
            this.maxSilences = n;
            return this;
        }

        /**
         * Sets the partitions ahead.
         *
         * @param days partitions created ahead of today (1-60; default 3)
         * @return this builder
         */
        public Builder partitionsAhead(int days) {
            this.partitionsAhead = days;
            return this;
        }

        /**
         * Sets the maintenance interval.
         *
         * @param d how often partitions are created and dropped (1 s-1 day; default 1 h)
         * @return this builder
         */
        public Builder maintenanceInterval(Duration d) {
            this.maintenanceInterval = d;
            return this;
        }

        /**
         * Sets the migrate.
         *
         * @param on whether to run Flyway migrations on open (default {@code true})
         * @return this builder
         */
        public Builder migrate(boolean on) {
            this.migrate = on;
            return this;
        }

        /**
         * Sets the meter registry.
         *
         * @param registry where metrics go (default: a private registry)
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Sets the wall clock: it names the day partitions, stamps alert reports and ages the
         * spool (default: the system clock).
         *
         * @param source the time source
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        /**
         * Sets the monotonic time for the storage's durations, such as how long a write took and
         * how often a failure is logged (default: the clock when it is also a {@link Ticker}, such
         * as ward-testkit's {@code ManualClock}, otherwise {@link Ticker#system()}).
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
         * Checks every setting and builds.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public PostgresOptions build() {
            List<String> p = new ArrayList<>();
            if ((jdbcUrl == null) == (dataSource == null)) {
                p.add("jdbc/dataSource: give exactly one of a JDBC URL and a DataSource");
            }
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
                p.add("jdbcUrl: must start with jdbc:postgresql: (got a URL of another scheme)");
            }
            if (maxPoolSize < 1 || maxPoolSize > 64) {
                p.add("maxPoolSize = " + maxPoolSize + ": must be 1-64");
            }
            range(p, "connectionTimeout", connectionTimeout, Duration.ofMillis(250), Duration.ofSeconds(60));
            if (writeMode == null) {
                p.add("writeMode: must not be null");
            }
            if (spoolDirectory == null) {
                p.add("spoolDirectory: must not be null");
            }
            if (spoolSegmentBytes < 4096 || spoolSegmentBytes > (256L << 20)) {
                p.add("spoolSegmentBytes = " + spoolSegmentBytes + ": must be 4096-268435456");
            }
            if (spoolMaxBytes < 65_536 || spoolMaxBytes < spoolSegmentBytes) {
                p.add("spoolMaxBytes = " + spoolMaxBytes + ": must be at least 65536 and at least spoolSegmentBytes ("
                        + spoolSegmentBytes + ")");
            }
            range(p, "spoolMaxAge", spoolMaxAge, Duration.ofMinutes(1), Duration.ofDays(30));
            if (stateWriteCapacity < 1_000 || stateWriteCapacity > 10_000_000) {
                p.add("stateWriteCapacity = " + stateWriteCapacity + ": must be 1000-10000000");
            }
            range(p, "retryInterval", retryInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
            for (Map.Entry<String, Duration> e : retention.entrySet()) {
                if (!RETAINED_TABLES.contains(e.getKey())) {
                    p.add("retention: unknown table '" + e.getKey() + "' (known: " + String.join(", ", RETAINED_TABLES)
                            + ")");
                    continue;
                }
                Duration d = e.getValue();
                if (d == null || d.compareTo(Duration.ofDays(1)) < 0 || d.compareTo(Duration.ofDays(3650)) > 0
                        || !d.equals(Duration.ofDays(d.toDays()))) {
                    p.add("retention[" + e.getKey() + "] = " + d + ": must be whole days, 1-3650");
                }
            }
            wholeDays(p, "rollupRetention", rollupRetention);
            wholeDays(p, "eventRetention", eventRetention);
            wholeDays(p, "notificationRetention", notificationRetention);
            if (maxSilences < 1 || maxSilences > 1_000_000) {
                p.add("maxSilences = " + maxSilences + ": must be 1-1000000");
            }
            if (partitionsAhead < 1 || partitionsAhead > 60) {
                p.add("partitionsAhead = " + partitionsAhead + ": must be 1-60");
            }
            range(p, "maintenanceInterval", maintenanceInterval, Duration.ofSeconds(1), Duration.ofDays(1));
            if (clock == null) {
                p.add("clock: must not be null");
            }
            if (tickerSet && ticker == null) {
                p.add("ticker: must not be null");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("PostgresOptions", p);
            }
            return new PostgresOptions(this);
        }

        private static void wholeDays(List<String> p, String name, Duration d) {
            if (d == null || d.compareTo(Duration.ofDays(1)) < 0 || d.compareTo(Duration.ofDays(3650)) > 0
                    || !d.equals(Duration.ofDays(d.toDays()))) {
                p.add(name + " = " + d + ": must be whole days, 1-3650");
            }
        }

        private static void range(List<String> p, String name, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                p.add(name + " = " + d + ": must be " + min + " to " + max);
            }
        }
    }
}
