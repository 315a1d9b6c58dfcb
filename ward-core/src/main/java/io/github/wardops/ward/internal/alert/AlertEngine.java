package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.DeviceView;
import io.github.wardops.ward.state.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Alerting} implementation. State per (device, rule, interface) lives in concurrent
 * maps whose size is bounded by inventory x rules x watched interfaces; the tracker calls
 * {@link #onUpdate} never concurrently for one device, so the entries of one device are only
 * changed by one thread at a time.
 */
public final class AlertEngine implements Alerting {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    private final LogLimiter warnLimit;

    /** Logs a store failure at most once a minute; every failure is counted in a meter. */
    private void warnLimited(String format, Object... args) {
        if (warnLimit.allow("store")) {
            LOG.warn(format + " (logged at most once a minute; see the failure meter)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    /**
     * The validated settings.
     *
     * @param rules the rules
     * @param windows maintenance windows
     * @param notifiers notifiers
     * @param store the store
     * @param delivery delivery options
     * @param floodThreshold flood threshold
     * @param floodWindow flood window
     * @param flappingSeverity severity of flapping alerts
     * @param drainTimeout drain timeout at close
     * @param clock the wall clock that stamps alerts
     * @param ticker the monotonic time for rate limits
     * @param registry the registry, or null
     */
    public record Config(List<AlertRule> rules, List<MaintenanceWindow> windows, List<Notifier> notifiers,
                         AlertStore store, DeliveryOptions delivery, int floodThreshold, Duration floodWindow,
                         Severity flappingSeverity, Duration drainTimeout, InstantSource clock, Ticker ticker,
                         MeterRegistry registry) {
    }

    /** One open alert's identity. */
    record Key(DeviceId device, String rule, int ifIndex) {
    }

    /** A rule with its parsed condition. */
    private record Compiled(AlertRule rule, Expr.Rule parsed, boolean reach, boolean iface, boolean ifStatus) {
    }

    private final Config cfg;
    private final MeterRegistry registry;
    private final List<Compiled> rules;
    private final ConcurrentHashMap<Key, Alert> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Instant> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, String> silenced = new ConcurrentHashMap<>();
    private final Set<UUID> notified = ConcurrentHashMap.newKeySet();
    private final FloodGuard guard;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Severity, Counter> openedBySeverity = new EnumMap<>(Severity.class);
    private final Map<Severity, Counter> resolvedBySeverity = new EnumMap<>(Severity.class);
    private final Counter silences;
    private final Counter floodSuppressed;
    private final Counter storeFailures;
    private final Counter evaluationFailures;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the engine and starts its delivery threads.
     *
     * @param cfg validated settings
     */
    public AlertEngine(Config cfg) {
        this.cfg = cfg;
        this.warnLimit = new LogLimiter(java.util.concurrent.TimeUnit.MINUTES.toNanos(1), cfg.ticker());
        this.registry = cfg.registry() != null ? cfg.registry() : new SimpleMeterRegistry();
        List<Compiled> c = new ArrayList<>();
        for (AlertRule r : cfg.rules()) {
            Expr.Rule parsed = RuleAccess.parsed(r);
            c.add(new Compiled(r, parsed, r.isReachabilityRule(), r.isInterfaceRule(),
                    r.variables().contains("if_oper_status")));
        }
        this.rules = List.copyOf(c);
        this.guard = new FloodGuard(cfg.floodThreshold(), cfg.floodWindow());
        for (Severity s : Severity.values()) {
            String tag = s.name().toLowerCase(Locale.ROOT);
            Counter o = Counter.builder("ward.alerts.opened").tag("severity", tag).description("Alerts opened")
                    .register(registry);
            Counter r = Counter.builder("ward.alerts.resolved").tag("severity", tag).description("Alerts resolved")
                    .register(registry);
            openedBySeverity.put(s, o);
            resolvedBySeverity.put(s, r);
            meters.add(o);
            meters.add(r);
        }
        meters.add(Gauge.builder("ward.alerts.open", open, Map::size).description("Alerts open now").register(registry));
        silences = counter("ward.alerts.silenced", "Alerts silenced by a maintenance window");
        floodSuppressed = counter("ward.alerts.flood.suppressed", "Notifications held back by the flood guard");
        storeFailures = counter("ward.alerts.store.failures", "Alert store calls that failed");
        evaluationFailures = counter("ward.alerts.evaluation.failures", "Rule evaluations that failed");
        for (Notifier n : cfg.notifiers()) {
            // deliveries retry in real time: they pace I/O with the notifier's endpoint (embedding.md, "Time")
            deliveries.add(new Delivery(n, cfg.delivery(), registry));
        }
    }

    private Counter counter(String name, String description) {
        Counter c = Counter.builder(name).description(description).register(registry);
        meters.add(c);
        return c;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Alert a : cfg.store().loadOpen()) {
                open.putIfAbsent(new Key(a.device(), a.rule(), a.ifIndex()), a);
                notified.add(a.id());
            }
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to load open alerts: {}", e.getClass().getName());
        }
    }

    @Override
    public void onTransition(StateTransition transition) {
        // Rules run in onUpdate, which follows every transition with the device's full view.
    }

    @Override
    public void onRemoved(DeviceId device) {
        Instant now = cfg.clock().instant();
        for (Map.Entry<Key, Alert> e : open.entrySet()) {
            if (e.getKey().device().equals(device)) {
                resolve(e.getKey(), e.getValue(), now, "device removed from the inventory", true);
            }
        }
        pending.keySet().removeIf(k -> k.device().equals(device));
        silenced.keySet().removeIf(k -> k.device().equals(device));
    }

    @Override
    public void onUpdate(DeviceView view) {
        try {
            evaluate(view);
        } catch (RuntimeException e) {
            evaluationFailures.increment();
            LOG.debug("rule evaluation failed for {}", view.device().id(), e);
        }
        tick();
    }

    private static Map<String, String> labels(Device d) {
        return io.github.wardops.ward.alert.LabelSelector.labelsOf(d);
    }

    private void evaluate(DeviceView view) {
        Device d = view.device();
        Instant now = cfg.clock().instant();
        Map<String, String> labels = labels(d);
        MaintenanceWindow window = null;
        for (MaintenanceWindow w : cfg.windows()) {
            if (w.covers(labels, now)) {
                window = w;
                break;
            }
        }
        DeviceState st = view.state();
        // Unreachable, or failing (not yet confirmed down) while its parent fails: the parent's
        // alert speaks for it. A device confirmed DOWN before its parent failed keeps its alerts
        // until the parent is confirmed down too (then it is UNREACHABLE), so a parent's blip
        // does not resolve and reopen them.
        boolean unreachable = st.status() == DeviceStatus.UNREACHABLE
                || (view.parentFailing() && st.consecutiveFailures() > 0 && st.status() != DeviceStatus.DOWN);
        // A device behind a troubled (failing, down or flapping) parent mirrors it: the parent's
        // flapping alert speaks for it.
        flapping(view, 0, st, window, now, unreachable || view.parentFailing());
        for (Map.Entry<Integer, DeviceState> e : view.interfaces().entrySet()) {
            flapping(view, e.getKey(), e.getValue(), window, now, unreachable);
        }
        for (Compiled c : rules) {
            if (!c.rule().selector().matches(labels)) {
                continue;
            }
            if (c.iface()) {
                Set<Integer> ifs = new TreeSet<>(view.interfaces().keySet());
                ifs.addAll(view.interfaceValues().keySet());
                for (int ifIndex : ifs) {
                    DeviceState is = view.interfaces().get(ifIndex);
                    boolean held = c.ifStatus() && is != null && is.flapping();
                    Expr.Tri t = unreachable ? Expr.Tri.FALSE : c.parsed().condition().eval(new IfVars(view, ifIndex));
                    apply(new Key(d.id(), c.rule().name(), ifIndex), c, t, held, unreachable, view, window, now);
                }
            } else {
                boolean held = c.reach() && st.flapping();
                Expr.Tri t = unreachable ? Expr.Tri.FALSE : c.parsed().condition().eval(new DeviceVars(view));
                apply(new Key(d.id(), c.rule().name(), 0), c, t, held, unreachable, view, window, now);
            }
        }
    }

    private void flapping(DeviceView view, int ifIndex, DeviceState st, MaintenanceWindow window, Instant now,
                          boolean mirrorsParent) {
        Key k = new Key(view.device().id(), FLAPPING_RULE, ifIndex);
        Alert a = open.get(k);
        if (st.flapping() && a == null) {
            if (mirrorsParent) {
                return;
            }
            if (window != null) {
                silence(k, window, now);
                return;
            }
            String what = ifIndex == 0 ? "device" : "interface " + ifIndex;
            String msg = String.format(Locale.ROOT, "%s is flapping: %.1f%% weighted state change; its up/down alerts "
                    + "are held until it settles", what, st.flapPercent());
            openAlert(k, FLAPPING_RULE, cfg.flappingSeverity(), msg, now, now, view, 0, window);
        } else if (!st.flapping()) {
            silenced.remove(k);
            if (a != null) {
                resolve(k, a, now, "flapping stopped", window == null);
            }
        }
    }

    private void apply(Key k, Compiled c, Expr.Tri truth, boolean held, boolean unreachable, DeviceView view,
                       MaintenanceWindow window, Instant now) {
        if (held) {
            return;
        }
        Alert a = open.get(k);
        if (truth == Expr.Tri.TRUE) {
            if (a != null) {
                return;
            }
            Instant heldSince = pending.computeIfAbsent(k, x -> now);
            if (Duration.between(heldSince, now).compareTo(c.parsed().holdFor()) < 0) {
                return;
            }
            if (window != null) {
                silence(k, window, now);
                return;
            }
            DeviceState st = k.ifIndex() == 0 ? view.state() : view.interfaces().get(k.ifIndex());
            Instant since = (c.reach() || c.ifStatus()) && st != null && st.status() == DeviceStatus.DOWN ? st.since() : heldSince;
            int impacted = c.reach() && k.ifIndex() == 0 ? view.dependents() : 0;
            String msg = message(c, view, k.ifIndex(), impacted);
            openAlert(k, c.rule().name(), c.rule().severity(), msg, since, now, view, impacted, window);
        } else {
            pending.remove(k);
            silenced.remove(k);
            if (a != null) {
                String why = unreachable ? "device unreachable: its parent is down (counted in the parent's alert)"
                        : truth == Expr.Tri.FALSE ? "condition cleared" : "condition no longer known (values missing)";
                resolve(k, a, now, why, window == null);
            }
        }
    }

    private String message(Compiled c, DeviceView view, int ifIndex, int impacted) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.rule().expression());
        if (ifIndex != 0) {
            sb.append(" on interface ").append(ifIndex);
        }
        DeviceState st = view.state();
        sb.append(" (status ").append(st.status().name().toLowerCase(Locale.ROOT));
        if (st.status() == DeviceStatus.DOWN) {
            sb.append(" since ").append(st.since());
        }
        sb.append(')');
        if (impacted > 0) {
            sb.append("; ").append(impacted).append(impacted == 1 ? " device depends" : " devices depend")
                    .append(" on it and ").append(impacted == 1 ? "is" : "are").append(" unreachable while it is down");
        }
        return sb.toString();
    }

    private void silence(Key k, MaintenanceWindow window, Instant now) {
        if (silenced.put(k, window.name()) == null) {
            silences.increment();
            try {
                cfg.store().silenced(new Silence(k.device(), k.ifIndex(), k.rule(), window.name(), now));
            } catch (Exception e) {
                storeFailures.increment();
                warnLimited("alert store failed to record a silence: {}", e.getClass().getName());
            }
        }
    }

    private void openAlert(Key k, String rule, Severity severity, String msg, Instant since, Instant now, DeviceView view,
                           int impacted, MaintenanceWindow window) {
        Alert a = new Alert(UUID.randomUUID(), k.device(), view.device().name(), k.ifIndex(), rule, severity, msg, since,
                now, null, null, null, null, impacted);
        if (open.putIfAbsent(k, a) != null) {
            return;
        }
        pending.remove(k);
        openedBySeverity.get(severity).increment();
        try {
            cfg.store().opened(a);
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to record an opened alert: {}", e.getClass().getName());
        }
        if (window != null || deliveries.isEmpty()) {
            return;
        }
        Notification.Flood end = guard.tick(now);
        if (end != null) {
            publish(end);
        }
        FloodGuard.Decision dec = guard.onOpen(a, now);
        if (dec.summary() != null) {
            publish(dec.summary());
        }
        if (dec.deliver()) {
            notified.add(a.id());
            publish(new Notification.Opened(a, now));
        } else {
            floodSuppressed.increment();
        }
    }

    private void resolve(Key k, Alert seen, Instant now, String why, boolean notify) {
        // An acknowledgement may replace the alert concurrently: resolve whatever is open now.
        Alert a;
        do {
            a = open.get(k);
            if (a == null || !a.id().equals(seen.id())) {
                return;
            }
        } while (!open.remove(k, a));
        Alert r = a.resolve(now, why);
        resolvedBySeverity.get(r.severity()).increment();
        try {
            cfg.store().resolved(r);
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to record a resolved alert: {}", e.getClass().getName());
        }
        if (notified.remove(a.id()) && notify) {
            publish(new Notification.Resolved(r, now));
        }
    }

    private void publish(Notification n) {
        for (Delivery d : deliveries) {
            d.offer(n);
        }
    }

    @Override
    public List<Alert> openAlerts() {
        return List.copyOf(open.values());
    }

    @Override
    public Optional<Alert> acknowledge(UUID alertId, String user) {
        java.util.Objects.requireNonNull(user, "user");
        for (Map.Entry<Key, Alert> e : open.entrySet()) {
            Alert a = e.getValue();
            if (a.id().equals(alertId)) {
                Alert acked = a.acknowledge(cfg.clock().instant(), user);
                if (open.replace(e.getKey(), a, acked)) {
                    try {
                        cfg.store().acknowledged(acked);
                    } catch (Exception ex) {
                        storeFailures.increment();
                        warnLimited("alert store failed to record an acknowledgement: {}", ex.getClass().getName());
                    }
                    return Optional.of(acked);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public List<AlertRule> rules() {
        return cfg.rules();
    }

    @Override
    public void tick() {
        Notification.Flood end = guard.tick(cfg.clock().instant());
        if (end != null) {
            publish(end);
        }
    }

    @Override
    public int pendingNotifications() {
        int n = 0;
        for (Delivery d : deliveries) {
            n += d.pending();
        }
        return n;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (Delivery d : deliveries) {
                d.close(cfg.drainTimeout(), registry);
            }
            meters.forEach(registry::remove);
        }
    }

    /** A device's variables. */
    private static class DeviceVars implements Expr.Vars {
        final DeviceView view;

        DeviceVars(DeviceView view) {
            this.view = view;
        }

        @Override
        public Double number(String name) {
            if (name.equals("flapping")) {
                return view.state().flapping() ? 1.0 : 0.0;
            }
            return view.values().get(name);
        }

        @Override
        public String word(String name) {
            if (name.equals("status")) {
                return view.state().status().name().toLowerCase(Locale.ROOT);
            }
            return null;
        }
    }

    /** An interface's variables, falling back to its device's. */
    private static final class IfVars extends DeviceVars {
        final int ifIndex;

        IfVars(DeviceView view, int ifIndex) {
            super(view);
            this.ifIndex = ifIndex;
        }

        @Override
        public Double number(String name) {
            Map<String, Double> m = view.interfaceValues().get(ifIndex);
            Double v = m == null ? null : m.get(name);
            return v != null ? v : super.number(name);
        }

        @Override
        public String word(String name) {
            if (name.equals("if_oper_status")) {
                DeviceState s = view.interfaces().get(ifIndex);
                if (s == null) {
                    return null;
                }
                return switch (s.status()) {
                    case UP -> "up";
                    case DOWN, UNREACHABLE -> "down";
                    case UNKNOWN -> "unknown";
                };
            }
            return super.word(name);
        }
    }
}
