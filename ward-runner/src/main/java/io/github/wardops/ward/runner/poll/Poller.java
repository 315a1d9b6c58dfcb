package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.runner.Failpoints;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CsvOptions;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.Durations;
import io.github.wardops.ward.runner.config.InventorySource;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.http.HttpApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running poller behind {@code ward run}: the parts built by {@link Wiring} (the engine
 * with an ICMP check on every device of the inventory, the state tracker, alerting), the HTTP
 * API, a watcher that re-reads the inventory file when it changes (and keeps the tracker in line
 * with the engine), alerting's periodic tick, and a one-line summary at INFO every interval.
 *
 * <p>{@link #start} builds everything or nothing: when a step fails, what was already created is
 * closed before the exception leaves. {@link #close()} is idempotent, thread-safe (it runs from a
 * shutdown hook) and bounded: the HTTP server gets 1 s, the engine and alerting their drain
 * timeout ({@value #DRAIN_SECONDS} s each), the ICMP prober 2 s.
 */
public final class Poller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    /** The bound on draining probes and sinks at shutdown, in seconds. */
    public static final int DRAIN_SECONDS = 5;

    private final RunSettings settings;
    private final InventoryFile inventory;
    private final InventoryFeed feed;
    private final StoredCredentials stored;
    private final Function<Device, List<Check>> checks;
    private final Wiring wiring;
    private final Ward ward;
    private final PrometheusMeterRegistry registry;
    private final HttpApi http;
    private final ScheduledExecutorService tasks;
    /** The claim check's own thread: a database that hangs must not hold up the alert tick. */
    private final ScheduledExecutorService claimTasks;
    private final Counter reloadsApplied;
    private final Counter reloadsRejected;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    /** Why the poller stopped itself, or {@code null}: the run then ends with a failure exit code. */
    private volatile String failure;
    private volatile InventoryFile.Stamp stamp;
    private boolean credentialsPending;
    private long overrunsAtLastSummary;

    private Poller(RunSettings settings, InventoryFile inventory, InventoryFeed feed, StoredCredentials stored,
                   Function<Device, List<Check>> checks, Wiring wiring, HttpApi http, InventoryFile.Stamp stamp) {
        this.settings = settings;
        this.inventory = inventory;
        this.feed = feed;
        this.stored = stored;
        this.checks = checks;
        this.wiring = wiring;
        this.ward = wiring.ward();
        this.registry = wiring.registry();
        this.http = http;
        this.stamp = stamp;
        this.reloadsApplied = Counter.builder("ward.runner.inventory.reloads").tag("outcome", "applied")
                .description("Inventory changes (file or devices table) read and applied").register(registry);
        this.reloadsRejected = Counter.builder("ward.runner.inventory.reloads").tag("outcome", "rejected")
                .description("Inventory changes rejected as invalid or unreadable; the previous inventory stayed")
                .register(registry);
        this.tasks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ward-runner-tasks").daemon(true).factory());
        this.claimTasks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ward-db-claim").daemon(true).factory());
    }

    /**
     * Fails at once, naming the holder when {@code ss} can, when the HTTP address is taken: before
     * the database starts, not after.
     */
    static void httpPortFree(java.net.InetSocketAddress address) throws IOException {
        if (address.getPort() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address, 1);
        } catch (java.net.BindException e) {
            String holder = io.github.wardops.ward.internal.support.PortHolder.of(address.getAddress(), address.getPort(), true)
                    .map(h -> ", held by " + h).orElse("");
            throw new IOException("cannot listen on " + hostPort(address) + " (" + e.getMessage() + holder
                    + "); pick another address with --http HOST:PORT, or --http off", e);
        }
    }

    /**
     * Fails at once, naming the holder when {@code ss} can, when the trap receiver's UDP port is
     * taken: before the database starts, not after. A port refused for want of a privilege (162)
     * is left to the receiver, whose error says which privilege.
     */
    static void trapPortFree(java.net.InetSocketAddress address) throws IOException {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
            probe.bind(address);
        } catch (java.net.BindException e) {
            java.util.Optional<String> holder = io.github.wardops.ward.internal.support.PortHolder.of(address.getAddress(),
                    address.getPort(), false);
            if (holder.isEmpty() && address.getPort() < 1024) {
                return;
            }
            throw new IOException("cannot receive SNMP traps on UDP " + hostPort(address) + " (" + e.getMessage()
                    + holder.map(h -> ", held by " + h).orElse("") + "); pick another port with --snmp-trap-port PORT, "
                    + "or 0 to turn the receiver off", e);
        }
    }

    /**
     * Reads the inventory and the alert rules, builds the parts ({@link Wiring}), starts the
     * engine and the HTTP API.
     *
     * @param settings the settings
     * @return the running poller
     * @throws InvalidConfigurationException when the inventory or the rule file is invalid (every bad row listed) or unreadable
     * @throws IOException when the HTTP address cannot be bound
     * @throws WardException when no ICMP socket can be opened (the message says how to fix it)
     */
    public static Poller start(RunSettings settings) throws IOException {
        Duration interval = settings.interval();
        java.util.Set<String> storedNames = new java.util.TreeSet<>();
        for (var r : Checks.activeSnmpRules(settings)) {
            if (r.stored()) {
                storedNames.add(r.profile());
            }
        }
        StoredCredentials stored = storedNames.isEmpty() ? null : new StoredCredentials(settings.encryptionKeys(), storedNames);
        var checks = Checks.of(settings, stored);
        InventorySource source = settings.inventorySource();
        InventoryFile inventory = !source.readsFile() ? null : settings.inventoryFile()
                .map(f -> InventoryFile.of(f, checks, CsvOptions.defaults().withAllowLinkLocal(settings.allowLinkLocal())))
                .orElseGet(() -> InventoryFile.bundled(checks));
        InventoryFile.Stamp stamp = inventory == null ? null : inventory.stamp();
        List<Device> fileDevices = List.of();
        if (inventory != null) {
            try {
                fileDevices = inventory.load();
            } catch (IOException e) {
                throw new InvalidConfigurationException("inventory " + inventory.describe(),
                        List.of("cannot be read: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
            }
            LOG.info("inventory {}: {} devices, {} enabled, {} behind a parent", inventory.describe(), fileDevices.size(),
                    fileDevices.stream().filter(Device::enabled).count(),
                    fileDevices.stream().filter(d -> d.parentId() != null).count());
        }

        if (settings.http().enabled()) {
            // cheap checks before anything slow (the embedded PostgreSQL takes seconds to start)
            httpPortFree(settings.http().address());
        }
        if (settings.snmpTraps().on()) {
            trapPortFree(new java.net.InetSocketAddress(settings.snmpTraps().address(), settings.snmpTraps().port()));
        }
        Wiring wiring = Wiring.build(settings, fileDevices, Duration.ofSeconds(DRAIN_SECONDS));
        HttpApi http = null;
        try {
            InventoryFeed feed = new InventoryFeed(source, wiring.database(), checks, wiring.registry(),
                    settings.allowLinkLocal());
            if (stored != null) {
                // The file was read before the database was open: choose its checks again with the stored credentials.
                stored.refresh(wiring.database());
                fileDevices = fileDevices.stream().map(d -> d.withChecks(checks.apply(d))).toList();
            }
            if (inventory != null) {
                feed.fileRead(fileDevices);
            }
            if (source.readsDatabase()) {
                feed.refreshDatabase();
                wiring.addReadinessCheck(feed.readiness());
            }
            List<Device> devices = feed.current();
            if (source.readsDatabase() || stored != null) {
                // The parts were built with the file's devices as first read; the engine has not started yet.
                wiring.replaceInventory(devices);
            }
            LOG.info("inventory ({}): {} devices, {} enabled; ICMP every {}; {}", describe(source, inventory), devices.size(),
                    devices.stream().filter(Device::enabled).count(), Durations.format(interval),
                    Wiring.snmpCounts(devices));
            if (devices.isEmpty()) {
                LOG.warn("the inventory ({}) has no devices: nothing is polled until it has some (a CSV line per device: "
                        + "id (a UUID), name, address, then any labels); it is read again when it changes",
                        describe(source, inventory));
            }
            if (settings.http().enabled()) {
                http = HttpApi.start(settings.http().address(), settings.secret(RunSettings.HTTP_TOKEN).orElse(null),
                        settings.httpLimits(), wiring.httpBackend(), settings.httpAllowInsecure());
            }
            Poller p = new Poller(settings, inventory, feed, stored, checks, wiring, http, stamp);
            wiring.startEngine(http == null ? null : "http://" + hostPort(http.address()));
            if (!wiring.reloader().isEmpty()) {
                Hangup.onHangup(wiring.reloader()::reloadSoon);
            }
            p.schedule();
            // the start-up summary: what is polled, where the data goes, where to look
            String data = !settings.storage() ? "not stored (storage: off)"
                    : settings.dbUrl() == null ? "stored in the embedded PostgreSQL in " + settings.dataDir().toAbsolutePath().resolve("pg")
                    : "stored in the PostgreSQL of db-url";
            LOG.info("ward runner started: {} devices, results {}; HTTP {}{}", devices.size(), data,
                    http == null ? "off" : "on http://" + hostPort(http.address()) + " (the status page is at /)",
                    http != null && settings.secret(RunSettings.HTTP_TOKEN).isPresent() ? " (bearer token required)" : "");
            String off = whatIsOff(settings, devices);
            if (!off.isEmpty()) {
                LOG.info("off: {} (every setting: docs/configuration.md)", off);
            }
            if (http != null && settings.secret(RunSettings.HTTP_TOKEN).isEmpty()
                    && !settings.http().address().getAddress().isLoopbackAddress()) {
                // Only reachable with http-allow-insecure: true (settings refuse it otherwise); said at every start.
                LOG.warn("HTTP API on {} has no bearer token (http-allow-insecure: true): anyone who can reach it reads "
                        + "the fleet and acknowledges alerts; set WARD_HTTP_TOKEN_FILE to require a token",
                        hostPort(http.address()));
            }
            return p;
        } catch (IOException | RuntimeException | Error e) {
            if (http != null) {
                http.close();
            }
            wiring.close();
            throw e;
        }
    }

    private static String describe(InventorySource source, InventoryFile file) {
        return switch (source) {
            case FILE -> "from " + file.describe();
            case DATABASE -> "from the devices table";
            case BOTH -> "from the devices table and " + file.describe();
        };
    }

    /** {@code 127.0.0.1:9090}, {@code [::1]:9090}: an address for people. */
    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private void schedule() {
        long intervalMs = settings.interval().toMillis();
        // Every task is guarded: an exception is logged and the task keeps its schedule (a scheduled
        // executor would silently cancel it); an Error goes to the uncaught-exception handler, which
        // ends the process (FatalErrors).
        tasks.scheduleAtFixedRate(Guard.periodic("cycle summary", LOG, this::logSummary), intervalMs, intervalMs,
                TimeUnit.MILLISECONDS);
        long tickMs = settings.alertTick().toMillis();
        tasks.scheduleWithFixedDelay(Guard.periodic("alert tick", LOG, this::tick), tickMs, tickMs, TimeUnit.MILLISECONDS);
        long pollMs = settings.inventoryPoll().toMillis();
        if (inventory != null && inventory.watchable()) {
            tasks.scheduleWithFixedDelay(Guard.periodic("inventory reload", LOG, this::checkInventory), pollMs, pollMs,
                    TimeUnit.MILLISECONDS);
        }
        if (settings.inventorySource().readsDatabase()) {
            tasks.scheduleWithFixedDelay(Guard.periodic("devices table reload", LOG, this::checkDatabase), pollMs, pollMs,
                    TimeUnit.MILLISECONDS);
        }
        if (stored != null) {
            tasks.scheduleWithFixedDelay(Guard.periodic("credentials reload", LOG, this::checkCredentials), pollMs, pollMs,
                    TimeUnit.MILLISECONDS);
        }
        if (settings.storage() && settings.dbClaim() && !settings.clustered()) {
            claimTasks.scheduleWithFixedDelay(Guard.periodic("database claim", LOG, this::checkDatabaseClaim),
                    CLAIM_CHECK_MS, CLAIM_CHECK_MS, TimeUnit.MILLISECONDS);
        }
        if (wiring.cluster() != null) {
            // I/O: on the database thread, never on the alert tick's (which the result path also calls)
            claimTasks.scheduleWithFixedDelay(Guard.periodic("acknowledgements made elsewhere", LOG,
                    wiring.cluster()::syncAcknowledgements), tickMs, tickMs, TimeUnit.MILLISECONDS);
            claimTasks.scheduleWithFixedDelay(Guard.periodic("cluster gauges and zones without a runner", LOG, wiring.cluster()::checkZones),
                    tickMs, tickMs, TimeUnit.MILLISECONDS);
        }
    }

    /** How often the runner checks its claim on the database (and claims it, if it could not at start). */
    static final long CLAIM_CHECK_MS = 5_000;

    private void checkDatabaseClaim() {
        String refused = wiring.checkDatabaseClaim();
        if (refused != null) {
            failure = refused;
            // not on this thread: close() stops the executor this task runs on
            Thread.ofPlatform().name("ward-stop").start(this::close);
        }
    }

    /**
     * Why the poller stopped itself, when it did: another runner took its database.
     *
     * @return the reason, or empty when it was closed from outside (or still runs)
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void tick() {
        Failpoints.hit("alert-tick");
        try {
            wiring.alerting().tick();
        } catch (RuntimeException e) {
            LOG.warn("alerting tick failed: {}", e.toString());
        }
    }

    private void logSummary() {
        try {
            CycleSummary s = summary();
            long delta = s.overrunsTotal() - overrunsAtLastSummary;
            overrunsAtLastSummary = s.overrunsTotal();
            LOG.info("cycle: {}", s.line(delta));
        } catch (RuntimeException e) {
            LOG.warn("cycle summary failed: {}", e.toString());
        }
    }

    /** Re-reads the inventory file when its stamp changed; keeps the old inventory when the new file is invalid. */
    void checkInventory() {
        InventoryFile.Stamp now = inventory.stamp();
        if (now == null || now.equals(stamp)) {
            return;
        }
        Failpoints.hit("inventory-reload");
        stamp = now;
        List<Device> devices;
        try {
            devices = inventory.load();
        } catch (InvalidConfigurationException e) {
            reloadsRejected.increment();
            LOG.error("inventory {} changed but is invalid; still polling the previous {} devices. {} problem(s):",
                    inventory.describe(), ward.inventory().size(), e.problems().size());
            for (String p : e.problems()) {
                LOG.error("  {}", p);
            }
            return;
        } catch (IOException | RuntimeException e) {
            reloadsRejected.increment();
            LOG.error("inventory {} changed but cannot be read ({}); still polling the previous {} devices",
                    inventory.describe(), e.toString(), ward.inventory().size());
            return;
        }
        feed.fileRead(devices);
        if (settings.inventorySource().readsDatabase()) {
            feed.refreshDatabase();  // the file was just upserted into the table: take it with the table's other devices
        }
        apply("inventory " + inventory.describe() + " reloaded", false);
    }

    /** Re-reads the devices table when its version moved; keeps the old inventory when it cannot. */
    void checkDatabase() {
        try {
            if (feed.refreshDatabase() == InventoryFeed.DbRead.CHANGED) {
                apply("inventory: the devices table changed", true);
            }
        } catch (RuntimeException e) {
            LOG.error("inventory: reading the devices table failed: {}", e.toString());
        }
    }

    /** Re-reads the stored SNMP credentials; when they changed, every device's checks are chosen again. */
    void checkCredentials() {
        try {
            // A change the engine refused is tried again at the next poll, not forgotten.
            if (stored.refresh(wiring.database()) || credentialsPending) {
                feed.recheck(checks);
                credentialsPending = !apply("snmp: the stored credentials changed", true);
            }
        } catch (RuntimeException e) {
            LOG.error("snmp: reading the stored credentials failed: {}", e.toString());
        }
    }

    /**
     * Applies the feed's current inventory and logs what changed; a table change that changes
     * nothing is silent.
     *
     * @return {@code false} when the engine refused the inventory
     */
    private boolean apply(String what, boolean fromTable) {
        List<Device> devices = feed.current();
        Map<DeviceId, Device> before = new HashMap<>();
        for (Device d : wiring.fleet()) {
            before.put(d.id(), d);
        }
        int added = 0;
        int changed = 0;
        for (Device d : devices) {
            Device old = before.remove(d.id());
            if (old == null) {
                added++;
            } else if (!old.equals(d)) {
                changed++;
            }
        }
        if (fromTable && added == 0 && changed == 0 && before.isEmpty()) {
            return true;  // our own upsert moved the table's version: nothing to do
        }
        try {
            wiring.replaceInventory(devices);
        } catch (RuntimeException e) {
            reloadsRejected.increment();
            LOG.error("{}, but was not applied: {}", what, e.getMessage());
            return false;
        }
        reloadsApplied.increment();
        LOG.info("{}: {} devices ({} added, {} changed, {} removed)", what, devices.size(), added, changed, before.size());
        return true;
    }

    /**
     * The engine.
     *
     * @return the engine
     */
    public Ward ward() {
        return ward;
    }

    /**
     * The registry behind {@code /metrics}.
     *
     * @return the registry
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The parts: tracker, alerting, alert store...
     *
     * @return the wiring
     */
    public Wiring wiring() {
        return wiring;
    }

    /**
     * Where the HTTP API listens, with the actual port.
     *
     * @return the address; empty when HTTP is off
     */
    public Optional<InetSocketAddress> httpAddress() {
        return http == null ? Optional.empty() : Optional.of(http.address());
    }

    /**
     * A summary of the fleet now.
     *
     * @return the summary
     */
    public CycleSummary summary() {
        return CycleSummary.of(ward, wiring.tracker(), registry);
    }

    /**
     * Waits until {@link #close()} has finished.
     *
     * @throws InterruptedException when interrupted
     */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Stops the HTTP API, the engine and the prober, in that order, within a bounded time.
     * Idempotent; a second caller returns at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("ward runner stopping");
        try {
            tasks.shutdownNow();
            claimTasks.shutdownNow();
            closeQuietly(http, wiring);
            LOG.info("ward runner stopped");
        } finally {
            closedLatch.countDown();
        }
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * The start-up summary's last line: what a newcomer may expect and is off, each with what turns it
     * on; empty when everything is on.
     */
    static String whatIsOff(RunSettings settings, Collection<Device> devices) {
        List<String> off = new ArrayList<>();
        if (devices.stream().noneMatch(d -> Checks.snmpProfile(d) != null)) {
            off.add("SNMP polling (set WARD_SNMP_COMMUNITY, or snmp-v3-user, and label devices snmp_version)");
        }
        if (settings.snmpTraps() == null || !settings.snmpTraps().on()) {
            off.add("SNMP traps (snmp-trap-port)");
        }
        if (settings.notifications() == null && settings.webhookUrl() == null) {
            off.add("notifications beyond the log (notifications: a receivers and routes file, docs/notifications.md)");
        }
        if (settings.redisUrl() == null) {
            off.add("the shared Redis cache (redis-url)");
        }
        if (settings.vmUrl() == null) {
            off.add("the push to VictoriaMetrics (vm-url; /metrics serves Prometheus either way)");
        }
        if (!settings.http().enabled()) {
            off.add("the HTTP API and status page (http)");
        }
        return String.join("; ", off);
    }
}
