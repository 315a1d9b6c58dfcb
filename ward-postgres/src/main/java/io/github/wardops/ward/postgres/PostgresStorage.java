package io.github.wardops.ward.postgres;

import io.github.wardops.ward.internal.support.Guard;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CsvInventory;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.postgres.internal.db.Migrations;
import io.github.wardops.ward.postgres.internal.db.Partitions;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.github.wardops.ward.postgres.internal.db.Rollups;
import io.github.wardops.ward.postgres.internal.repo.DeviceRepo;
import io.github.wardops.ward.postgres.internal.repo.InterfaceRepo;
import io.github.wardops.ward.postgres.internal.repo.InventoryPoller;
import io.github.wardops.ward.postgres.internal.repo.StateRepo;
import io.github.wardops.ward.postgres.internal.sink.PostgresResultSink;
import io.github.wardops.ward.postgres.internal.sink.ResultWriter;
import io.github.wardops.ward.postgres.internal.sink.StorageMeters;
import io.github.wardops.ward.postgres.internal.spool.Spool;
import io.github.wardops.ward.postgres.internal.state.PgAlertStore;
import io.github.wardops.ward.postgres.internal.state.PgNotificationLog;
import io.github.wardops.ward.postgres.internal.state.PgSilenceStore;
import io.github.wardops.ward.postgres.internal.state.PgStateStore;
import io.github.wardops.ward.postgres.internal.state.StateHistory;
import io.github.wardops.ward.postgres.internal.state.StateWriter;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.state.StateListener;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ward's PostgreSQL storage: the schema (migrated with Flyway on open), a {@link ResultSink} that
 * spools to disk while the database is away, partition retention, devices, ward-core's state and
 * alert stores (written behind the caller by their own thread), state history, interfaces and
 * encrypted SNMP credentials.
 *
 * <p>Opening never fails because the database is down: the sink spools and the schema is
 * migrated before the first write that reaches the server. One maintenance thread replays the
 * spool (every retry interval) and creates and drops partitions (every maintenance interval);
 * another builds the roll-ups and expires old rows (every maintenance interval), so a long
 * backfill after an upgrade delays neither the spool nor the partitions.
 * Thread-safe. {@link #close()} stops that thread, writes the queued state and alert changes
 * (what cannot be written is counted as dropped), closes the spool and the pool ward built; a
 * {@link DataSource} handed in stays the caller's.
 */
public final class PostgresStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);

    static {
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final PostgresOptions options;
    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final DSLContext ctx;
    private final Partitions partitions = new Partitions();
    private final PostgresResultSink sink;
    private final DeviceRepo devices;
    private final StateRepo states;
    private final InterfaceRepo interfaces;
    private final StateWriter stateWriter;
    private final PgStateStore stateStore;
    private final PgAlertStore alertStore;
    private final PgSilenceStore silenceStore;
    private final PgNotificationLog notificationLog;
    private final StateHistory stateHistory;
    private final DeviceHistory deviceHistory;
    private final InterfaceHistory interfaceHistory;
    private final DeviceEvents deviceEvents;
    private final TrapStore traps;
    private final AvailabilityReport availability;
    private final ScheduledExecutorService maintenance;
    private final ScheduledExecutorService rollups;
    private final Object rollupLock = new Object();
    private final Object schemaLock = new Object();
    private final Object maintenanceLock = new Object();
    private volatile boolean schemaReady;
    private volatile boolean closed;

    private PostgresStorage(PostgresOptions options) throws IOException {
        this.options = options;
        if (options.dataSource().isPresent()) {
            this.dataSource = options.dataSource().get();
            this.ownPool = null;
        } else {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("ward-pg");
            hc.setJdbcUrl(options.jdbcUrl().orElseThrow());
            if (options.user() != null) {
                hc.setUsername(options.user());
            }
            if (options.password() != null) {
                hc.setPassword(options.password().reveal());
            }
            hc.setMaximumPoolSize(options.maxPoolSize());
            hc.setMinimumIdle(1);
            hc.setConnectionTimeout(options.connectionTimeout().toMillis());
            hc.setValidationTimeout(Math.min(options.connectionTimeout().toMillis(), 1_000));
            hc.setInitializationFailTimeout(-1);
            hc.setAutoCommit(true);
            hc.addDataSourceProperty("connectTimeout", Math.max(1, options.connectionTimeout().toSeconds()));
            hc.addDataSourceProperty("socketTimeout", 60);
            hc.addDataSourceProperty("tcpKeepAlive", true);
            this.ownPool = new HikariDataSource(hc);
            this.dataSource = ownPool;
        }
        this.ctx = DSL.using(dataSource, SQLDialect.POSTGRES);
        MeterRegistry registry = options.meterRegistry() != null ? options.meterRegistry() : new SimpleMeterRegistry();
        AtomicReference<PostgresResultSink> ref = new AtomicReference<>();
        StorageMeters meters = new StorageMeters(registry,
                () -> ref.get() == null ? 0 : ref.get().spoolBytes(),
                () -> ref.get() == null ? 0 : ref.get().spoolOldestAgeSeconds(),
                () -> ref.get() == null ? 0 : ref.get().spoolPendingRows());
        Spool spool = new Spool(options.spoolDirectory(), options.spoolMaxBytes(), options.spoolMaxAge(),
                options.spoolSegmentBytes(), options.clock(), new Spool.Listener() {
                    @Override
                    public void dropped(long rows, String reason) {
                        meters.dropped(reason).increment(rows);
                    }

                    @Override
                    public void corrupt(String message) {
                        meters.corrupt().increment();
                    }
                });
        ResultWriter writer = new ResultWriter(ctx, options.writeMode(), partitions, this::dayAccepted, this::evict);
        this.sink = new PostgresResultSink(writer, spool, meters, options.clock(), options.ticker(),
                options.retryInterval(), this::ensureSchema);
        ref.set(sink);
        this.devices = new DeviceRepo(ctx);
        this.states = new StateRepo(ctx);
        this.interfaces = new InterfaceRepo(ctx, partitions, this::dayAccepted, options.writeMode(), this::evict);
        if (options.migrate()) {
            try {
                ensureSchema();
            } catch (RuntimeException e) {
                if (!PgErrors.isTransient(e)) {
                    closeQuietly();
                    throw e;
                }
                LOG.warn("PostgreSQL is unreachable at start; results are spooled until it answers: {}",
                        PgErrors.describe(e));
            }
        } else {
            schemaReady = true;
        }
        // the state write-behind retries in real time: it paces I/O with PostgreSQL (embedding.md, "Time")
        this.stateWriter = new StateWriter(ctx, this::ensureSchema, options.stateWriteCapacity(),
                options.retryInterval(), registry);
        this.stateStore = new PgStateStore(ctx, stateWriter, registry);
        this.alertStore = new PgAlertStore(ctx, stateWriter, options.clock(), registry);
        this.silenceStore = new PgSilenceStore(ctx, this::ensureSchema, options.maxSilences(), options.clock(),
                options.ticker(), registry);
        this.notificationLog = new PgNotificationLog(ctx, this::ensureSchema, options.ticker(), registry);
        this.stateHistory = new StateHistory(stateWriter);
        this.deviceHistory = new DeviceHistory(ctx);
        this.interfaceHistory = new InterfaceHistory(ctx);
        this.deviceEvents = new DeviceEvents(ctx, stateWriter::flush);
        this.traps = new TrapStore(ctx);
        this.availability = new AvailabilityReport(ctx, options.clock());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ward-pg-maintenance").daemon(true).factory());
        long retry = options.retryInterval().toMillis();
        maintenance.scheduleWithFixedDelay(Guard.periodic("spool replay", LOG, this::drainQuietly), retry, retry, TimeUnit.MILLISECONDS);
        long every = options.maintenanceInterval().toMillis();
        maintenance.scheduleWithFixedDelay(Guard.periodic("partition maintenance", LOG, this::maintainQuietly), 0, every, TimeUnit.MILLISECONDS);
        this.rollups = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ward-pg-rollups").daemon(true).factory());
        rollups.scheduleWithFixedDelay(Guard.periodic("roll-ups", LOG, this::rollUpQuietly), 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the storage. Migrates the schema when the database answers; when it does not, opens
     * anyway (the sink spools) and migrates later.
     *
     * @param options the options; never {@code null}
     * @return the storage
     * @throws WardException when the spool directory cannot be used, or the schema cannot be
     *     migrated for a reason other than the database being unreachable
     */
    public static PostgresStorage open(PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            return new PostgresStorage(options);
        } catch (IOException e) {
            throw new WardException("cannot open the spool directory " + options.spoolDirectory() + ": "
                    + e.getMessage(), e);
        }
    }

    private void ensureSchema() {
        if (schemaReady) {
            return;
        }
        synchronized (schemaLock) {
            if (!schemaReady) {
                int n = Migrations.migrate(dataSource);
                if (n > 0) {
                    LOG.info("migrated the PostgreSQL schema ({} migration(s))", n);
                }
                schemaReady = true;
            }
        }
    }

    /** Takes a connection whose COPY failed out of the pool: the pool never saw the error. */
    private void evict(java.sql.Connection c) {
        try {
            if (ownPool != null) {
                ownPool.evictConnection(c);
            } else {
                c.abort(Runnable::run);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.debug("could not evict a broken connection: {}", e.getMessage());
        }
    }

    private boolean notTooFar(LocalDate day) {
        LocalDate today = Partitions.day(options.clock().instant());
        return !day.isAfter(today.plusDays(Math.max(7, options.partitionsAhead())));
    }

    private boolean dayAccepted(String table, LocalDate day) {
        LocalDate today = Partitions.day(options.clock().instant());
        return !day.isBefore(keepFrom(table, today)) && notTooFar(day);
    }

    private LocalDate keepFrom(String table, LocalDate today) {
        return today.minusDays(options.retention(table).toDays());
    }

    /**
     * Sink options that suit this sink: batches of up to 5,000 results (COPY is cheaper per row in
     * larger batches), 500 ms linger, 65,536 queued results.
     *
     * @return the options, for {@code Ward.builder().sink(storage.resultSink(), ...)}
     */
    public static SinkOptions recommendedSinkOptions() {
        return new SinkOptions(65_536, 5_000, Duration.ofMillis(500));
    }

    /**
     * The result sink: register it with {@code Ward.builder().sink(storage.resultSink())}. It
     * is closed by {@link #close()}, not by the engine.
     *
     * @return the sink
     */
    public ResultSink resultSink() {
        return sink;
    }

    /**
     * Replays the spool now if the retry time has come (the maintenance thread does this every
     * retry interval).
     *
     * @return rows replayed
     */
    public long drainSpool() {
        return sink.drain();
    }

    /**
     * The rows waiting in the spool.
     *
     * @return the count
     */
    public long spooledRows() {
        return sink.spoolPendingRows();
    }

    /**
     * What keeps results from reaching the database right now: the spool cannot write (a full
     * disk: results are being lost, counted in {@code ward.storage.spool.dropped{reason=io_error}}),
     * or the database refuses writes (results wait in the spool). A readiness check should fail
     * while this is present; it clears by itself once writing works again.
     *
     * @return the problem, for people; empty while results are written
     */
    public Optional<String> writeProblem() {
        return sink.problem();
    }

    /**
     * Creates the partitions of today and the next days, drops those past each table's
     * retention, rolls the raw results up into the hourly and daily roll-ups (the first run after
     * an upgrade backfills them from every raw row kept; later runs re-roll the last hours and
     * the current one), and deletes roll-ups, state changes, resolved alerts and maintenance
     * silences past their retention, and notification log entries and ended silences past the
     * notification retention (keeping the last entry of each receiver and group that still names
     * a firing alert). The maintenance threads do this every maintenance interval; running it
     * again gives the same roll-up rows. Several instances on one database (several runners) do
     * each of the two jobs one at a time: each runs under a session advisory lock
     * ({@code (0x77617264, 3)} partitions, {@code (0x77617264, 2)} roll-ups), and an instance that
     * finds it taken skips the job (another one is doing it) and reports nothing for it.
     *
     * @return what was created, dropped, rolled up and deleted (empty for a job skipped)
     */
    public RetentionReport runMaintenance() {
        RetentionReport partitionsDone;
        synchronized (maintenanceLock) {
            ensureSchema();
            partitionsDone = alone(JOB_PARTITIONS, this::maintainLocked, new RetentionReport(List.of(), List.of()));
        }
        long[] r = rollUp();
        return new RetentionReport(partitionsDone.created(), partitionsDone.dropped(), r[0], r[1]);
    }

    /** The advisory lock class of the fleet-wide jobs: "ward" in ASCII (as the runner's database claim). */
    static final int JOBS_LOCK_CLASS = 0x77617264;
    /** The lock of partition maintenance (its second key; 1 is the runner's database claim). */
    static final int JOB_PARTITIONS = 3;
    /** The lock of the roll-ups and expiry. */
    static final int JOB_ROLLUPS = 2;

    /**
     * Runs a fleet-wide job only if no other instance on this database runs it now (several
     * runners share one database): under a session advisory lock taken with
     * {@code pg_try_advisory_lock} on a pooled connection held for the job, freed after it (or with
     * the session, if the connection dies). Another instance holding it means the work is being
     * done: this one skips it and returns {@code skipped}. The job runs on that same connection
     * (one connection from the pool, not two).
     */
    private <T> T alone(int job, java.util.function.Function<DSLContext, T> work, T skipped) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            boolean got;
            try (java.sql.PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                st.setInt(1, JOBS_LOCK_CLASS);
                st.setInt(2, job);
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    got = rs.next() && rs.getBoolean(1);
                }
            }
            if (!got) {
                LOG.debug("fleet job {} runs on another instance now; skipped here", job);
                return skipped;
            }
            try {
                return work.apply(DSL.using(ctx.configuration().derive(c)));
            } finally {
                try (java.sql.PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                    st.setInt(1, JOBS_LOCK_CLASS);
                    st.setInt(2, job);
                    st.execute();
                } catch (java.sql.SQLException e) {
                    // the lock goes with the session; a broken connection is not returned to the pool for reuse
                    c.abort(Runnable::run);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new WardException("cannot run maintenance: " + PgErrors.describe(e), e);
        }
    }

    /** Rolls up and expires; returns {hours rolled up, rows expired}. */
    private long[] rollUp() {
        synchronized (rollupLock) {
            ensureSchema();
            return alone(JOB_ROLLUPS, this::rollUpAlone, new long[] {0, 0});
        }
    }

    private long[] rollUpAlone(DSLContext ctx) {
        Instant now = options.clock().instant();
        LocalDate today = Partitions.day(now);
        LocalDate oldestRaw = today.minusDays(Math.max(options.retention("ping_results").toDays(),
                options.retention("interface_samples").toDays()));
        long hours = Rollups.rollUp(ctx, now, oldestRaw.atStartOfDay(ZoneOffset.UTC).toInstant());
        if (hours > 24) {
            LOG.info("rolled up {} hour(s) of results into the hourly and daily roll-ups", hours);
        }
        long expired = Rollups.expire(ctx, now.minus(options.rollupRetention()), now.minus(options.eventRetention()));
        Instant notifyCut = now.minus(options.notificationRetention());
        expired += PgNotificationLog.removeBefore(ctx, notifyCut);
        expired += PgSilenceStore.removeEndedBefore(ctx, notifyCut);
        expired += TrapStore.removeBefore(ctx, now.minus(options.eventRetention()));
        return new long[] {hours, expired};
    }

    private void rollUpQuietly() {
        try {
            rollUp();
        } catch (RuntimeException e) {
            LOG.warn("roll-ups failed (retrying in {}): {}", options.maintenanceInterval(), PgErrors.describe(e));
        }
    }

    private RetentionReport maintainLocked(DSLContext ctx) {
        LocalDate today = Partitions.day(options.clock().instant());
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String table : Partitions.TABLES) {
            for (int i = 0; i <= options.partitionsAhead(); i++) {
                if (partitions.ensure(ctx, table, today.plusDays(i))) {
                    created.add(Partitions.name(table, today.plusDays(i)));
                }
            }
            dropped.addAll(partitions.dropBefore(ctx, table, keepFrom(table, today)));
        }
        if (!dropped.isEmpty()) {
            LOG.info("dropped partitions past retention: {}", dropped);
        }
        return new RetentionReport(created, dropped);
    }

    private void drainQuietly() {
        try {
            sink.drain();
        } catch (RuntimeException e) {
            LOG.warn("spool replay failed: {}", PgErrors.describe(e));
        }
    }

    private void maintainQuietly() {
        try {
            runMaintenance();
        } catch (RuntimeException e) {
            LOG.warn("partition maintenance failed (retrying in {}): {}", options.maintenanceInterval(),
                    PgErrors.describe(e));
        }
    }

    /**
     * The devices table.
     *
     * @return the repository
     */
    public DeviceRepository devices() {
        return devices;
    }

    /**
     * ward-core's {@link StateStore} over {@code device_state}: give it to
     * {@code StateTracker.builder().store(...)} so device and interface states survive a restart.
     * {@code save} and {@code delete} only queue the change (bounded by
     * {@link PostgresOptions#stateWriteCapacity()}, coalesced by key) and return at once; one thread
     * writes it in a short transaction, and keeps it while the database is away. {@code loadAll}
     * writes what is queued, then reads; rows it cannot understand (an unknown status written by
     * another program, say) are left out, logged and counted in
     * {@code ward.storage.rows.unreadable{table=device_state}}. Thread-safe.
     *
     * @return the store (the same instance on every call)
     */
    public StateStore stateStore() {
        return stateStore;
    }

    /**
     * ward-core's {@link io.github.wardops.ward.alert.AlertStore} over {@code alerts} and
     * {@code alert_silences}, with the downtime/MTTR report: give it to
     * {@code Alerting.builder().store(...)}. Writes are queued like {@link #stateStore()}'s.
     * Thread-safe.
     *
     * @return the store (the same instance on every call)
     */
    public PostgresAlertStore alertStore() {
        return alertStore;
    }

    /**
     * ward-core's {@link SilenceStore} over {@code silences}, fleet-wide: nothing is cached, so a
     * silence added or expired through any instance on the database is seen by every instance at
     * its next call. {@code add} refuses more than {@link PostgresOptions#maxSilences()} silences
     * that have not ended (across all instances; counted in {@code ward.storage.silences.refused});
     * a row whose matchers no longer parse is left out, counted in
     * {@code ward.storage.rows.unreadable{table=silences}} and logged at most once a minute. Calls
     * are synchronous; a database failure is a {@link WardException} (counted in
     * {@code ward.storage.notify.failures{table=silences}}). Thread-safe.
     *
     * @return the store (the same instance on every call)
     */
    public SilenceStore silenceStore() {
        return silenceStore;
    }

    /**
     * ward-core's {@link NotificationLog} over {@code notification_log}, fleet-wide. {@code append}
     * returns once the entry is committed, so a restarted or another runner does not send the
     * message again; "last" and "newest first" follow the order of appending. A database failure
     * is a {@link WardException} (counted in {@code ward.storage.notify.failures{table=notification_log}}).
     * Old entries are deleted by the maintenance run ({@link PostgresOptions#notificationRetention()}).
     * Thread-safe.
     *
     * @return the log (the same instance on every call)
     */
    public NotificationLog notificationLog() {
        return notificationLog;
    }

    /**
     * A {@link StateListener} that appends every transition to {@code state_changes} (queued like
     * {@link #stateStore()}'s writes): register it with {@code StateTracker.builder().listener(...)}.
     * Read the history with {@link DeviceStateStore#changes} or SQL. Thread-safe.
     *
     * @return the listener (the same instance on every call)
     */
    public StateListener stateHistory() {
        return stateHistory;
    }

    /**
     * Devices' reachability over time (RTT, loss, time UP), from the raw results or the
     * roll-ups as the step needs. Thread-safe.
     *
     * @return the reader (the same instance on every call)
     */
    public DeviceHistory deviceHistory() {
        return deviceHistory;
    }

    /**
     * Devices' stored SNMP interfaces with their latest sample, and an interface's traffic over
     * time from the raw samples or the roll-ups as the step needs. Thread-safe.
     *
     * @return the reader (the same instance on every call)
     */
    public InterfaceHistory interfaceHistory() {
        return interfaceHistory;
    }

    /**
     * Devices' state changes and alerts over a range, merged in time order. Each read first
     * writes the queued state and alert changes, so it sees every change made before it.
     * Thread-safe.
     *
     * @return the reader (the same instance on every call)
     */
    public DeviceEvents deviceEvents() {
        return deviceEvents;
    }

    /**
     * SNMP traps matched to devices ({@code traps}), kept as long as state changes
     * ({@link PostgresOptions#eventRetention()}). Thread-safe.
     *
     * @return the store (the same instance on every call)
     */
    public TrapStore traps() {
        return traps;
    }

    /**
     * Availability, downtime, outages and MTTR per group of devices over a range
     * ({@code docs/availability.md}), from the roll-ups and the state changes. Thread-safe.
     *
     * @return the reader (the same instance on every call)
     */
    public AvailabilityReport availability() {
        return availability;
    }

    /**
     * Writes every queued state, alert, history and silence change now, on the caller's thread
     * (the writer thread does this continuously; use it before reading the tables with SQL).
     *
     * @throws WardException when the database cannot be reached (the changes stay queued)
     */
    public void flushStateWrites() {
        stateWriter.flush();
    }

    /**
     * Sets the hook that decides, in each write transaction, whose device states, alerts, rule
     * timers and state changes this instance may still write (several runners on one database:
     * {@link io.github.wardops.ward.postgres.cluster.ClusterMember#writeFence}). Batches written
     * from now on go through it; rows it refuses are dropped and counted in
     * {@code ward.storage.rows.fenced{kind}}.
     *
     * @param fence the fence, or {@code null} to write every row (the default)
     */
    public void fenceWrites(WriteFence fence) {
        stateWriter.fence(fence);
    }

    /**
     * Device state and its history, as plain records (device rows only; predates ward-core's
     * {@link StateStore}, which {@link #stateStore()} implements over the same table).
     *
     * @return the store
     */
    public DeviceStateStore deviceStates() {
        return states;
    }

    /**
     * Every device's stored state as the database has it now: the {@code device_state} rows of
     * ifIndex 0 ({@link io.github.wardops.ward.state.StateKey#DEVICE}), without their flap history
     * (empty). Unlike {@code stateStore().loadAll()} it reads no interface row and does not write
     * this process's queued states first: one read, no write. For a view of the states other
     * processes write (a runner in cluster mode shows the devices other runners poll). Rows it
     * cannot understand are left out and counted as by {@code loadAll}; when the database cannot
     * be read, an unchecked exception says why. Thread-safe.
     *
     * @return the device states, ordered by device
     */
    public java.util.Collection<io.github.wardops.ward.state.DeviceState> loadDeviceStates() {
        return stateStore.loadDevices();
    }

    /**
     * Interfaces and their samples.
     *
     * @return the repository
     */
    public InterfaceRepository interfaces() {
        return interfaces;
    }

    /**
     * SNMP credentials, encrypted with the given keys.
     *
     * @param keys the keys (from configuration, never from the database)
     * @return the store
     */
    public SnmpCredentialStore snmpCredentials(SecretKeys keys) {
        return new EncryptedCredentialStore(ctx, Objects.requireNonNull(keys, "keys"));
    }

    /**
     * Keeps an inventory equal to the devices table: loads it now, then polls a version counter
     * (moved by a trigger) every {@code interval} and applies the table with
     * {@link Inventory#replaceAll} when it moved. The table then owns the inventory. When the
     * database is away the inventory stays as it is and the sync keeps trying.
     *
     * @param inventory the engine's inventory
     * @param checks the checks each device gets
     * @param interval the polling interval (100 ms-1 h): the longest a change takes to arrive
     * @return the sync; close it to stop polling
     */
    public InventorySync syncInventory(Inventory inventory, Function<Device, List<Check>> checks, Duration interval) {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(checks, "checks");
        if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidConfigurationException("InventorySync", List.of("interval = " + interval + ": must be 100 ms to 1 h"));
        }
        return new InventoryPoller(devices, inventory, checks, interval);
    }

    /**
     * Imports a fleet CSV file (the format {@link CsvInventory} reads) into the devices table:
     * upsert by id, all in one transaction. Nothing is written unless the whole file is valid.
     *
     * @param file the file
     * @return the devices written
     * @throws InvalidConfigurationException listing every bad row with its line number
     * @throws IOException when the file cannot be read
     */
    public int importCsv(Path file) throws IOException {
        // Read as bytes: lines bounded while read, and bytes that are not UTF-8 reported with their line.
        List<Device> parsed = CsvInventory.read(file, d -> List.of());
        ensureSchema();
        return devices.upsertAll(parsed);
    }

    /**
     * Imports fleet CSV text; see {@link #importCsv(Path)}.
     *
     * @param reader the text; not closed
     * @param source a name for messages
     * @return the devices written
     * @throws InvalidConfigurationException listing every bad row with its line number
     * @throws IOException when reading fails
     */
    public int importCsv(Reader reader, String source) throws IOException {
        List<Device> parsed = CsvInventory.read(reader, source, d -> List.of(), CsvInventory.DEFAULT_MAX_ROWS);
        ensureSchema();
        return devices.upsertAll(parsed);
    }

    /**
     * The data source in use (ward's pool, or the caller's).
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Stops maintenance, closes the spool and ward's own pool. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.shutdownNow();
        rollups.shutdownNow();
        try {
            maintenance.awaitTermination(10, TimeUnit.SECONDS);
            rollups.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stateWriter.close();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the spool failed: {}", e.getMessage());
        }
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
