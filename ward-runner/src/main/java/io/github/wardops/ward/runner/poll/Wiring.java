package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.AlertRules;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.alert.RuleProblem;
import io.github.wardops.ward.alert.RuleSet;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.SnmpCheckRule;
import io.github.wardops.ward.runner.http.HttpApi;
import io.github.wardops.ward.runner.http.Uplinks;
import io.github.wardops.ward.runner.http.ReadinessCheck;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the runner's parts are built from the effective configuration and
 * connected: meter registry, ICMP prober, alert store and notifiers, alerting, state tracker
 * (the engine's listener, alerting's source), engine, and the readiness checks. Storage and
 * cache plug in here: a store for the tracker and alerting, a sink for the engine, a readiness
 * check each.
 *
 * <p>{@link #build} creates everything or nothing. {@link #close()} closes what was built, in
 * reverse order of dependency, each step guarded. Not thread-safe to build; the built parts are
 * thread-safe.
 */
public final class Wiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);
    /** The class-path resource of the bundled alert rules (the fleet's alert-rules.json). */
    public static final String BUNDLED_RULES = "/alerts/alert-rules.json";
    /** The most resolved alerts kept in memory for {@code /api/alerts?state=resolved}. */
    public static final int ALERT_HISTORY = 10_000;

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final IcmpProber prober;
    private final AlertStore alertStore;
    private final List<Notifier> notifiers;
    private final Alerting alerting;
    private final StateTracker tracker;
    private final Ward ward;
    private final Storage storage;
    private final Cache cache;
    private final SnmpProber snmp;
    /** The VictoriaMetrics sink ({@code vm-url}), or {@code null}; closed after the engine, which flushes into it. */
    private final ResultSink vm;
    /** Cluster mode ({@link RunSettings#clustered()}), or {@code null} when this runner polls the whole fleet. */
    private final Cluster cluster;
    private final Routing routing;
    private final Reloader reloader;
    /** The SNMP trap receiver ({@code snmp-trap-port}), or {@code null} when it is off; set once by {@link #build}. */
    private Traps traps;
    /** The fleet's uplinks by provider; set once by {@link #build}. */
    private Uplinks uplinks;
    private final List<ReadinessCheck> readiness = new ArrayList<>();
    private final AtomicBoolean engineStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Clock clock = Clock.systemUTC();

    private Wiring(PrometheusMeterRegistry registry, JvmGcMetrics gc, IcmpProber prober, AlertStore alertStore,
                   List<Notifier> notifiers, Alerting alerting, StateTracker tracker, Ward ward, Storage storage,
                   Cache cache, SnmpProber snmp, ResultSink vm, Cluster cluster, Routing routing, Reloader reloader) {
        this.registry = registry;
        this.routing = routing;
        this.reloader = reloader;
        this.gc = gc;
        this.prober = prober;
        this.alertStore = alertStore;
        this.notifiers = notifiers;
        this.alerting = alerting;
        this.tracker = tracker;
        this.ward = ward;
        this.storage = storage;
        this.cache = cache;
        this.snmp = snmp;
        this.vm = vm;
        this.cluster = cluster;
        readiness.add(ReadinessCheck.of("icmp", () -> new ReadinessCheck.Result(true, "socket open, mode " + prober.mode())));
        readiness.add(ReadinessCheck.of("engine", () -> engineStarted.get()
                ? new ReadinessCheck.Result(true, "started, " + ward.inventory().size() + " devices")
                : new ReadinessCheck.Result(false, "not started")));
        if (storage != null) {
            readiness.add(storage.readiness());
        }
        if (cluster != null) {
            readiness.add(cluster.readiness());
        }
        readiness.add(cache.readiness());
        if (snmp != null) {
            String bound = Poller.hostPort(snmp.localAddress());
            readiness.add(ReadinessCheck.of("snmp", () -> new ReadinessCheck.Result(true, "socket bound to UDP " + bound + ", "
                    + snmp.pendingRequests() + " requests pending")));
        }
    }

    /**
     * The stores behind the state tracker and alerting.
     *
     * @param stateStore the tracker's store
     * @param alertStore alerting's store
     */
    record Stores(StateStore stateStore, AlertStore alertStore) {
    }

    /**
     * The state and alert stores: PostgreSQL's when storage is on (so a restart resumes device
     * states and never opens an alert twice), in-memory otherwise.
     *
     * @param storage the PostgreSQL storage, or {@code null} when storage is off
     * @return the stores
     */
    static Stores stateAndAlertStores(PostgresStorage storage) {
        if (storage == null) {
            return new Stores(StateStore.inMemory(), AlertStore.inMemory(ALERT_HISTORY));
        }
        // Device states and alerts survive a restart: a device down at start-up keeps its
        // down_since, and one with no open alert gets exactly one.
        return new Stores(storage.stateStore(), storage.alertStore());
    }

    /**
     * Reads the alert rules and builds every part; the engine is built, not started.
     *
     * @param settings the effective settings
     * @param devices the initial inventory (the poller may replace it before the engine starts)
     * @param drain how long the engine and alerting may drain at close
     * @return the parts
     * @throws InvalidConfigurationException when the rule file cannot be read or is not a JSON rule list
     * @throws io.github.wardops.ward.WardException when no ICMP socket can be opened
     */
    public static Wiring build(RunSettings settings, Collection<Device> devices, Duration drain) {
        List<AlertRule> rules = loadRules(settings);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gc = new JvmGcMetrics();
        IcmpProber prober = null;
        List<Notifier> notifiers = new ArrayList<>();
        Alerting alerting = null;
        StateTracker tracker = null;
        Storage storage = null;
        Cache cache = null;
        SnmpProber snmp = null;
        ResultSink vm = null;
        Cluster cluster = null;
        Routing routing = null;
        Traps traps = null;
        Uplinks uplinks = null;
        SnmpTemplateDir templateDir = null;
        boolean clustered = settings.clustered();
        // In cluster mode the engine, the tracker and alerting hold only the owned shards' devices: they start empty.
        Collection<Device> polled = clustered ? List.of() : devices;
        try {
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            processMetrics(registry);
            prober = Probers.icmp(IcmpOptions.builder().packetsPerSecond(settings.icmpPacketsPerSecond()).build());
            if (settings.storage()) {
                storage = Storage.open(settings, registry);
                if (clustered) {
                    LOG.info("database: shared with the other runners on it (cluster mode; cluster: false for one runner "
                            + "per database)");
                } else if (settings.dbClaim()) {
                    storage.claim(runnerName());
                } else {
                    LOG.info("database: not claimed (db-claim false): nothing stops a second runner on this database");
                }
            }
            cache = Cache.open(settings, registry);
            Stores stores = stateAndAlertStores(storage == null ? null : storage.storage());
            AlertStore alertStore = stores.alertStore();
            if (settings.notifyLog()) {
                notifiers.add(Notifier.logging());
            }
            if (settings.webhookUrl() != null) {
                WebhookOptions w = new WebhookOptions(settings.webhookUrl(),
                        settings.secret(RunSettings.WEBHOOK_SECRET).orElse(null), settings.webhookTimeout());
                notifiers.add(Notifier.webhook(w));
            }
            Alerting.Builder ab = Alerting.builder().rules(rules).store(alertStore).meterRegistry(registry).drainTimeout(drain)
                    .groupReachabilityRules(settings.alertGroupReachability())
                    .floodGuard(settings.alertFloodThreshold(), settings.alertFloodWindow());
            notifiers.forEach(ab::notifier);
            alerting = ab.build();
            StateTracker.Builder tb = StateTracker.builder()
                    .downAfter(settings.downAfter())
                    .upAfter(settings.upAfter())
                    .meterRegistry(registry)
                    .listener(clustered ? Cluster.healthPerRunner(alerting, healthDevice(settings), runnerHostName())
                            : alerting)
                    .listener(cache.states())
                    .store(stores.stateStore());
            if (storage != null) {
                tb.listener(storage.storage().stateHistory());   // every transition into state_changes
            }
            tracker = tb.build();
            uplinks = new Uplinks(tracker, registry, Clock.systemUTC());
            tracker.replaceInventory(polled);
            if (!clustered) {
                // cluster mode: each shard's open alerts are read when it is gained (StateTracker.adopt), never all
                alerting.start();
            }
            tracker.start();
            Ward.Builder wb = Ward.builder();
            List<SnmpCheckRule> snmpRules = Checks.activeSnmpRules(settings);
            if (!snmpRules.isEmpty()) {
                SnmpOptions.Builder sb = SnmpOptions.builder().meterRegistry(registry)
                        .interfaceRules(settings.interfaceRoles().rules())
                        .maxTableRows(settings.snmpTemplates().maxTableRows());
                if (settings.interfaceRoles().file() != null) {
                    LOG.info("snmp: {} interface rules from {}", settings.interfaceRoles().rules().size(),
                            settings.interfaceRoles().file());
                }
                for (String profile : SnmpCheckRule.PROFILES) {
                    settings.snmpCredentials(profile).ifPresent(c -> sb.credentials(profile, c));
                }
                templateDir = snmpTemplates(settings, registry);
                if (templateDir != null) {
                    sb.templates(templateDir.templates());
                }
                snmp = SnmpProbers.create(sb.build());
                wb.prober(snmp);
                LOG.info("snmp: requests go out from UDP {}; agents on port {} every {}; rules in force: {}",
                        Poller.hostPort(snmp.localAddress()), settings.snmpPort(),
                        io.github.wardops.ward.runner.config.Durations.format(settings.snmpInterval()),
                        snmpRules.stream().map(SnmpCheckRule::text).toList());
            } else {
                LOG.info("snmp: off ({}){}", settings.snmpChecks().isEmpty() ? "snmp-checks is none"
                        : "no credentials: set WARD_SNMP_COMMUNITY (v1, v2c) or snmp-v3-user (v3)",
                        settings.snmpTemplates().dir() == null ? "" : "; snmp-templates not read");
            }
            List<SnmpCheckRule> inactive = settings.snmpChecks().stream().filter(r -> !snmpRules.contains(r)).toList();
            if (!inactive.isEmpty() && !snmpRules.isEmpty()) {
                LOG.info("snmp: rules without credentials, off: {}", inactive.stream().map(SnmpCheckRule::text).toList());
            }
            if (storage != null) {
                wb.sink(storage.storage().resultSink(), PostgresStorage.recommendedSinkOptions());
            }
            AtomicReference<Ward> engine = new AtomicReference<>();
            if (settings.vmUrl() != null) {
                vm = victoriaMetrics(settings, id -> {
                    Ward w = engine.get();
                    return w == null ? java.util.Optional.empty() : w.inventory().get(id);
                }, registry);
                wb.sink(vm);
                LOG.info("victoriametrics: results also go to {}{}{}", settings.vmUrl(),
                        settings.vmUser() != null ? " (basic auth)"
                                : settings.secret(RunSettings.VM_TOKEN).isPresent() ? " (bearer token)" : "",
                        settings.vmCompat() == VictoriaMetricsOptions.Compat.NONE ? ""
                                : ", with the replaced system's interface series (vm-compat "
                                + settings.vmCompat().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            Ward ward = wb
                    .prober(prober)
                    .listener(tracker)
                    .listener(new SnmpInterfaceFeed(tracker, uplinks))
                    .listener(cache.states())
                    .meterRegistry(registry)
                    .maxProbesInFlight(settings.maxProbesInFlight())
                    .recheckInterval(settings.recheckInterval())
                    .recheckUntil(settings.downAfter(), settings.upAfter())
                    .allowLinkLocal(settings.allowLinkLocal())
                    .drainTimeout(drain)
                    .devices(polled)
                    .build();
            engine.set(ward);
            if (clustered) {
                cluster = new Cluster(ward, tracker, alerting, storage.storage(), settings.zone(), registry,
                        healthDevice(settings));
                cluster.inventoryChanged(devices);
            }
            if (settings.notifications() != null) {
                Cluster c = cluster;
                routing = Routing.open(settings.notifications(), alerting, alertStore, clustered,
                        storage != null ? storage.storage().silenceStore() : SilenceStore.inMemory(10_000),
                        storage != null ? storage.storage().notificationLog() : NotificationLog.inMemory(100_000),
                        Receivers::build, c == null ? () -> true : c::leads, registry);
            }
            Reloader reloader = new Reloader(registry);
            if (settings.alertRules() != null) {
                Alerting a = alerting;
                reloader.watch("alert-rules", settings.alertRules(), why -> reloadRules(settings.alertRules(), a, why));
            }
            if (routing != null) {
                reloader.watch("notifications", routing.file(), routing::reload);
            }
            Alerting inForce = alerting;
            Gauge.builder("ward.runner.alert.rules", () -> inForce.rules().size()).description("Alert rules in force")
                    .register(registry);
            traps = Traps.start(settings, ward, devices, registry, storage == null ? null : storage.storage().traps(),
                    tracker::onResult, Traps.vendorTrapNames(io.github.wardops.ward.snmp.poller.VendorTemplate.builtIn(),
                            templateDir == null ? List.of() : templateDir.templates()));
            Wiring w = new Wiring(registry, gc, prober, alertStore, notifiers, alerting, tracker, ward, storage, cache, snmp, vm,
                    cluster, routing, reloader);
            w.traps = traps;
            w.uplinks = uplinks;
            if (templateDir != null) {
                SnmpTemplateDir t = templateDir;
                w.readiness.add(ReadinessCheck.of("snmp-templates", () -> new ReadinessCheck.Result(true, t.summary())));
            }
            if (traps != null) {
                String bound = Poller.hostPort(traps.receiver().localAddress());
                w.readiness.add(ReadinessCheck.of("snmp-traps", () -> new ReadinessCheck.Result(true,
                        "socket bound to UDP " + bound)));
            }
            return w;
        } catch (RuntimeException | Error e) {
            List<AutoCloseable> all = new ArrayList<>();
            all.add(traps);
            all.add(routing);
            all.add(cluster);
            all.add(tracker);
            all.add(alerting);
            all.addAll(notifiers);
            all.add(prober);
            all.add(snmp);
            all.add(vm);
            all.add(cache);
            all.add(storage);
            all.add(gc);
            all.add(registry::close);
            closeQuietly(all);
            throw e;
        }
    }

    /**
     * The VictoriaMetrics sink of {@code vm-url}: the library's defaults (the replaced system's
     * series, bounded buffer, retries), the devices' {@code region} and {@code branch} labels copied,
     * credentials from {@code vm-user}/{@code vm-password} or {@code vm-token}. No runner label: a
     * device's series stay one series whichever runner polls it.
     */
    static ResultSink victoriaMetrics(RunSettings settings,
                                      java.util.function.Function<io.github.wardops.ward.inventory.DeviceId,
                                              java.util.Optional<Device>> lookup,
                                      PrometheusMeterRegistry registry) {
        VictoriaMetricsOptions.Builder b = VictoriaMetricsOptions.builder(settings.vmUrl())
                .deviceLabel("region", "region")
                .deviceLabel("branch", "branch")
                .compat(settings.vmCompat());
        if (settings.vmUser() != null) {
            b.basicAuth(settings.vmUser(), settings.secret(RunSettings.VM_PASSWORD).orElseThrow());
        }
        settings.secret(RunSettings.VM_TOKEN).ifPresent(b::bearerToken);
        return VictoriaMetricsSinks.create(b.build(), lookup, registry);
    }

    /** How many devices got an SNMP check, by version, for the start-up line. */
    /**
     * Reads the {@code snmp-templates} directory, logs what it holds (each file that is not used at
     * ERROR with its problems) and registers {@code ward.runner.snmp.templates{state}}.
     *
     * @param settings the settings
     * @param registry where the gauge goes
     * @return the templates read, or {@code null} when the setting is not set
     * @throws InvalidConfigurationException when the directory does not exist or cannot be listed
     */
    static SnmpTemplateDir snmpTemplates(RunSettings settings, io.micrometer.core.instrument.MeterRegistry registry) {
        if (settings.snmpTemplates().dir() == null) {
            return null;
        }
        SnmpTemplateDir t = SnmpTemplateDir.load(settings.snmpTemplates().dir());
        for (String problem : t.problems()) {
            LOG.error("snmp template not used, the other templates are: {}", problem);
        }
        LOG.info("snmp: {}", t.summary());
        Gauge.builder("ward.runner.snmp.templates", t.templates()::size).tag("state", "loaded")
                .description("SNMP template files of snmp-templates, by state: loaded, or failed (not used; see the log)")
                .register(registry);
        Gauge.builder("ward.runner.snmp.templates", t.failed()::size).tag("state", "failed")
                .description("SNMP template files of snmp-templates, by state: loaded, or failed (not used; see the log)")
                .register(registry);
        return t;
    }

    static String snmpCounts(Collection<Device> devices) {
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        for (Device d : devices) {
            String p = Checks.snmpProfile(d);
            if (p != null) {
                by.merge(p, 1L, Long::sum);
            }
        }
        long total = by.values().stream().mapToLong(Long::longValue).sum();
        return total + " devices with an SNMP check" + (by.isEmpty() ? "" : " " + by);
    }

    /** Reads the rule file (or the bundled one); rejected rules are logged and skipped, never fatal. */
    static List<AlertRule> loadRules(RunSettings settings) {
        RuleSet set;
        String source;
        try {
            if (settings.alertRules() != null) {
                source = settings.alertRules().toString();
                try {
                    set = AlertRules.load(settings.alertRules());
                } catch (InvalidConfigurationException e) {
                    throw new InvalidConfigurationException("alert-rules " + source, e.problems());
                }
            } else {
                source = "bundled " + BUNDLED_RULES.substring(1);
                try (InputStream in = Wiring.class.getResourceAsStream(BUNDLED_RULES)) {
                    if (in == null) {
                        throw new IOException("the bundled rules " + BUNDLED_RULES + " are missing from the class path");
                    }
                    set = AlertRules.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException("alert-rules " + settings.alertRules(), List.of("no such file"));
        } catch (IOException e) {
            throw new InvalidConfigurationException("alert-rules " + settings.alertRules(),
                    List.of("cannot be read: " + e.getClass().getSimpleName()));
        }
        for (RuleProblem p : set.rejected()) {
            LOG.error("alert rule rejected, the others still apply: {}", p.message());
        }
        LOG.info("alert rules {}: {} in force, {} rejected", source, set.rules().size(), set.rejected().size());
        return set.rules();
    }

    /**
     * Starts the engine: probing begins; in cluster mode, joins the other runners (probing begins
     * with the first shard gained).
     *
     * @param address where this runner's HTTP API answers, for the other runners' {@code /api/cluster}; or {@code null}
     */
    void startEngine(String address) {
        ward.start();
        engineStarted.set(true);
        if (routing != null) {
            routing.start();
        }
        reloader.start();
        if (cluster != null) {
            cluster.join(storage::openOwnConnection, runnerName(), address, registry);
        }
    }

    /**
     * Cluster mode.
     *
     * @return the cluster part, or {@code null} when this runner polls the whole fleet
     */
    Cluster cluster() {
        return cluster;
    }

    /**
     * Notification routing.
     *
     * @return the routing of the {@code notifications} file, or {@code null} when it is not set
     */
    Routing routing() {
        return routing;
    }

    /**
     * What reloads the rule and notifications files.
     *
     * @return the reloader (watching nothing when neither file is set)
     */
    Reloader reloader() {
        return reloader;
    }

    /**
     * The Prometheus client's process collector ({@code process_resident_memory_bytes},
     * {@code process_open_fds}, {@code process_max_fds}, {@code process_virtual_memory_bytes},
     * {@code process_cpu_seconds_total}): the names operators' dashboards expect, from the library
     * that defines them, not written here. Micrometer's {@code process_start_time_seconds}
     * (UptimeMetrics) is kept; the collector's same-named series is filtered out.
     */
    static void processMetrics(PrometheusMeterRegistry registry) {
        io.prometheus.metrics.model.registry.PrometheusRegistry target = registry.getPrometheusRegistry();
        io.prometheus.metrics.instrumentation.jvm.ProcessMetrics.builder().register(
                new io.prometheus.metrics.model.registry.PrometheusRegistry() {
                    @Override
                    public void register(io.prometheus.metrics.model.registry.Collector c) {
                        if (!"process_start_time_seconds".equals(c.getPrometheusName())) {
                            target.register(c);
                        }
                    }
                });
    }

    /**
     * Reads the rule file again and puts its rules in force, only when every rule in it is sound:
     * a file with any problem changes nothing and is logged with every problem.
     */
    static boolean reloadRules(java.nio.file.Path file, Alerting alerting, String why) {
        RuleSet set;
        try {
            set = AlertRules.load(file);
        } catch (InvalidConfigurationException e) {
            LOG.error("alert-rules: {} ({}), but it has problems; the rules in force stay: {}", file, why,
                    String.join("; ", e.problems()));
            return false;
        } catch (IOException e) {
            LOG.error("alert-rules: {} ({}) cannot be read ({}); the rules in force stay", file, why,
                    e.getClass().getSimpleName());
            return false;
        }
        if (!set.rejected().isEmpty()) {
            LOG.error("alert-rules: {} ({}) has rules that do not parse; the rules in force stay: {}", file, why,
                    String.join("; ", set.rejected().stream().map(RuleProblem::message).toList()));
            return false;
        }
        try {
            alerting.replaceRules(set.rules());
        } catch (InvalidConfigurationException e) {
            LOG.error("alert-rules: {} ({}) refused; the rules in force stay: {}", file, why,
                    String.join("; ", e.problems()));
            return false;
        }
        LOG.info("alert-rules: reloaded {} ({}): {} rules in force", file, why, set.rules().size());
        return true;
    }

    /**
     * The whole inventory as last applied: in cluster mode every runner's devices, else the engine's.
     *
     * @return the devices
     */
    Collection<Device> fleet() {
        return cluster != null ? cluster.fleet() : ward.inventory().devices();
    }

    /**
     * Makes the tracker and the engine hold exactly these devices: the tracker first, so the first
     * results of a new device are not ignored.
     *
     * @param devices the whole new inventory
     * @throws RuntimeException when the engine rejects the inventory; the tracker is then put back in line with the engine
     */
    void replaceInventory(List<Device> devices) {
        if (cluster != null) {
            cluster.inventoryChanged(devices);
        } else {
            tracker.replaceInventory(devices);
            try {
                ward.inventory().replaceAll(devices);
            } catch (RuntimeException e) {
                tracker.replaceInventory(ward.inventory().devices());
                throw e;
            }
        }
        if (traps != null) {
            traps.inventoryChanged(devices);   // the whole fleet: in cluster mode a trap of another runner's device is kept too
        }
    }

    /**
     * The runner's PostgreSQL.
     *
     * @return the storage, or {@code null} when storage is off
     */
    Storage database() {
        return storage;
    }

    /**
     * The device state cache (in process, with Redis as the shared tier when configured).
     *
     * @return the cache
     */
    public io.github.wardops.ward.cache.DeviceStateCache cache() {
        return cache.states();
    }

    /**
     * The PostgreSQL storage.
     *
     * @return the storage; empty when storage is off
     */
    public java.util.Optional<PostgresStorage> storage() {
        return java.util.Optional.ofNullable(storage).map(Storage::storage);
    }

    /**
     * What the HTTP API serves.
     *
     * @return the backend
     */
    HttpApi.Backend httpBackend() {
        HttpApi.Backend b = new HttpApi.Backend(ward, tracker, alerting, alertStore, registry, readiness, clock,
                storage == null ? null : storage.storage().deviceHistory(),
                storage == null ? null : storage.storage().interfaceHistory(),
                storage == null ? null : storage.storage().deviceEvents(),
                storage == null ? null : storage.storage().availability());
        b = b.withTraps(traps == null ? null : traps.log()).withUplinks(uplinks);
        if (cluster != null) {
            // the whole fleet, from the shared database, for devices other runners poll
            b = b.withFleet(io.github.wardops.ward.runner.http.SharedFleetView.over(cluster::fleet, ward, tracker, alerting,
                    storage.storage(), cluster::polledSomewhere), cluster::view);
        }
        if (routing != null) {
            Routing r = routing;
            b = b.withNotifications(new io.github.wardops.ward.runner.http.Notifications(r.dispatcher().silences(),
                    r.dispatcher().log(), r::windows));
        }
        return b;
    }

    /**
     * Adds a readiness check (the database, the cache). Call before the HTTP API starts.
     *
     * @param check the check
     */
    public void addReadinessCheck(ReadinessCheck check) {
        readiness.add(check);
    }

    /**
     * The registry.
     *
     * @return the registry
     */
    public PrometheusMeterRegistry registry() {
        return registry;
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
     * The state tracker.
     *
     * @return the tracker
     */
    public StateTracker tracker() {
        return tracker;
    }

    /**
     * Alerting.
     *
     * @return alerting
     */
    public Alerting alerting() {
        return alerting;
    }

    /**
     * The alert store.
     *
     * @return the store
     */
    public AlertStore alertStore() {
        return alertStore;
    }

    /**
     * The periodic check of this runner's claim on its database.
     *
     * @return why the runner must stop (another runner took the database), or {@code null}
     */
    String checkDatabaseClaim() {
        return storage == null ? null : storage.checkClaim();
    }

    /** This installation's health alert device in cluster mode (see {@link Cluster#runnerHealthDevice}). */
    private static io.github.wardops.ward.inventory.DeviceId healthDevice(RunSettings settings) {
        return Cluster.runnerHealthDevice(host(), settings.dataDir());
    }

    /** {@code ward-runner on HOST}: the name of this runner's health alert in cluster mode. */
    static String runnerHostName() {
        return "ward-runner on " + host();
    }

    /** The kernel's host name, without a DNS lookup that could hold up the start; "unknown host" if unreadable. */
    private static String host() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown host";
        }
    }

    /** How this runner names itself to other runners and in {@code pg_stat_activity}: host and pid. */
    static String runnerName() {
        return runnerHostName() + ", pid " + ProcessHandle.current().pid();
    }

    /**
     * Stops the engine (draining probes and flushing its sinks' queues to the storage), then the
     * tracker, alerting (draining notifications), the notifiers, the prober, the cache and Redis, the storage (pool and
     * spool), this runner's claim on the database, the embedded PostgreSQL and the meters. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> all = new ArrayList<>();
        all.add(traps);     // no trap probes a closing engine
        all.add(cluster);   // first: its shards are handed over (probes stopped, last writes flushed) and released
        all.add(reloader);
        all.add(routing);   // before alerting: it reads the open alerts
        all.add(ward);
        all.add(tracker);
        all.add(alerting);
        all.addAll(notifiers);
        all.add(prober);
        all.add(snmp);
        all.add(vm);
        all.add(cache);
        all.add(storage);
        all.add(gc);
        all.add(registry::close);
        closeQuietly(all);
    }

    private static void closeQuietly(List<AutoCloseable> all) {
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
}
