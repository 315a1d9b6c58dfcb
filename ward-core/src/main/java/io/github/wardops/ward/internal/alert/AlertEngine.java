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
import io.github.wardops.ward.alert.PendingCondition;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Alerting} implementation. State per (device, group, interface) and per (device,
 * rule, interface) lives in concurrent maps whose size is bounded by inventory x rules x watched
 * interfaces; the tracker calls {@link #onUpdate} never concurrently for one device, so the
 * entries of one device are only changed by one thread at a time (acknowledgements replace an
 * open alert atomically with {@code compute}).
 *
 * <p>A problem (one open alert) is keyed by (device, group, interface). Each evaluation decides
 * per rule whether it matches (its condition true and, with a {@code for} clause, held long
 * enough); the group's alert opens when the first of its rules matches, escalates (history entry,
 * new severity and current rule, an {@link Notification.Escalated} notification) when another
 * starts to match, changes quietly when one stops, and resolves when none matches.
 */
public final class AlertEngine implements Alerting {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    /** The longest self-health problem text kept. */
    private static final int MAX_SELF_TEXT = 1_000;
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
     * @param groupReachabilityRules whether up/down rules without a group form one problem per device
     * @param selfHealthSeverity the severity of ward's own self-health alert
     */
    public record Config(List<AlertRule> rules, List<MaintenanceWindow> windows, List<Notifier> notifiers,
                         AlertStore store, DeliveryOptions delivery, int floodThreshold, Duration floodWindow,
                         Severity flappingSeverity, Duration drainTimeout, InstantSource clock, Ticker ticker,
                         MeterRegistry registry, boolean groupReachabilityRules, Severity selfHealthSeverity) {
    }

    /** One open alert's identity: a problem of a device or interface. */
    record Key(DeviceId device, String group, int ifIndex) {
    }

    /** One rule's state's identity (its {@code for} timer, its silence). */
    record RuleKey(DeviceId device, String rule, int ifIndex) {
    }

    /** A rule with its parsed condition and its effective group. */
    private record Compiled(AlertRule rule, Expr.Rule parsed, boolean reach, boolean iface, boolean ifStatus,
                            String group, Duration holdFor) {
    }

    /** One group's outcome of one evaluation. */
    private static final class GroupEval {
        final Key key;
        final List<Compiled> starts = new ArrayList<>();
        final Map<String, Instant> heldSince = new LinkedHashMap<>();
        final List<String> leaves = new ArrayList<>();
        boolean leftFalse;

        GroupEval(Key key) {
            this.key = key;
        }
    }

    private final Config cfg;
    private final MeterRegistry registry;
    /** The rules in force, replaced whole by {@link #replaceRules}. */
    private record Book(List<AlertRule> source, List<Compiled> rules, Map<String, Compiled> byName) {
    }

    private volatile Book book;
    private final ConcurrentHashMap<Key, Alert> open = new ConcurrentHashMap<>();
    /** The rules of an open alert's group that match now, with the history entry of their start. */
    private final ConcurrentHashMap<Key, Map<String, Alert.Step>> active = new ConcurrentHashMap<>();
    /** When a rule's condition started to hold, until the rule matches; stored for rules with a {@code for}. */
    private final ConcurrentHashMap<RuleKey, Instant> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RuleKey, String> silenced = new ConcurrentHashMap<>();
    private final Set<UUID> notified = ConcurrentHashMap.newKeySet();
    /** Acknowledgements made elsewhere are read from here on (see syncAcknowledgements). */
    private volatile Instant ackSyncedTo;
    private final Object selfLock = new Object();
    private final FloodGuard guard;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Severity, Counter> openedBySeverity = new EnumMap<>(Severity.class);
    private final Map<Severity, Counter> resolvedBySeverity = new EnumMap<>(Severity.class);
    private final Counter escalations;
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
        this.ackSyncedTo = cfg.clock().instant();
        this.warnLimit = new LogLimiter(java.util.concurrent.TimeUnit.MINUTES.toNanos(1), cfg.ticker());
        this.registry = cfg.registry() != null ? cfg.registry() : new SimpleMeterRegistry();
        this.book = compile(cfg.rules(), cfg.groupReachabilityRules());
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
        escalations = counter("ward.alerts.escalated", "Rules that joined an open alert's problem");
        silences = counter("ward.alerts.silenced", "Alerts silenced by a maintenance window");
        floodSuppressed = counter("ward.alerts.flood.suppressed", "Notifications held back by the flood guard");
        storeFailures = counter("ward.alerts.store.failures", "Alert store calls that failed");
        evaluationFailures = counter("ward.alerts.evaluation.failures", "Rule evaluations that failed");
        for (Notifier n : cfg.notifiers()) {
            // deliveries retry in real time: they pace I/O with the notifier's endpoint (embedding.md, "Time")
            deliveries.add(new Delivery(n, cfg.delivery(), registry));
        }
    }

    /**
     * The group a rule's alerts belong to: its explicit group; else {@link AlertRule#REACHABILITY_GROUP}
     * for an up/down rule when those are grouped; else the rule's name.
     *
     * @param r the rule
     * @param groupReachability whether up/down rules without a group form one problem
     * @return the group
     */
    public static String groupOf(AlertRule r, boolean groupReachability) {
        if (r.group().isPresent()) {
            return r.group().get();
        }
        return groupReachability && r.isReachabilityRule() ? AlertRule.REACHABILITY_GROUP : r.name();
    }

    private Counter counter(String name, String description) {
        Counter c = Counter.builder(name).description(description).register(registry);
        meters.add(c);
        return c;
    }

    /** Runs a store call; a failure is counted and logged (rate-limited), never thrown. */
    private void store(String what, StoreCall call) {
        try {
            call.run(cfg.store());
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to " + what + ": {}", e.getClass().getName());
        }
    }

    @FunctionalInterface
    private interface StoreCall {
        void run(AlertStore s) throws Exception;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Collection<Alert> loaded = List.of();
        try {
            loaded = cfg.store().loadOpen();
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to load open alerts: {}", e.getClass().getName());
        }
        restoreOpen(loaded);
        Collection<PendingCondition> timers = List.of();
        try {
            timers = cfg.store().loadPending();
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to load the rules' for timers: {}", e.getClass().getName());
        }
        restorePending(timers);
    }

    /**
     * Devices taken over from another instance: their open alerts and {@code for} timers are read
     * from the store and carried on, as at start, so nothing is opened, resolved or notified again.
     */
    @Override
    public void onAdopted(Collection<DeviceId> devices) {
        Collection<Alert> loaded = List.of();
        try {
            loaded = cfg.store().loadOpen(devices);
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to load the open alerts of adopted devices: {}", e.getClass().getName());
        }
        restoreOpen(loaded);
        Collection<PendingCondition> timers = List.of();
        try {
            timers = cfg.store().loadPending(devices);
        } catch (Exception e) {
            storeFailures.increment();
            warnLimited("alert store failed to load the for timers of adopted devices: {}", e.getClass().getName());
        }
        restorePending(timers);
    }

    /**
     * Devices handed over to another instance: their alerts, timers and silences are forgotten here,
     * not resolved, cleared or notified; the store keeps them for the next owner.
     */
    @Override
    public void onReleased(Collection<DeviceId> devices) {
        Set<DeviceId> gone = Set.copyOf(devices);
        for (Key k : List.copyOf(open.keySet())) {
            if (gone.contains(k.device())) {
                Alert a = open.remove(k);
                active.remove(k);
                if (a != null) {
                    notified.remove(a.id());
                }
            }
        }
        pending.keySet().removeIf(k -> gone.contains(k.device()));
        silenced.keySet().removeIf(k -> gone.contains(k.device()));
    }

    private void restorePending(Collection<PendingCondition> timers) {
        for (PendingCondition p : timers) {
            Compiled c = book.byName().get(p.rule());
            if (c == null || c.holdFor().isZero()) {
                // the rule is gone or lost its for clause: the timer means nothing now
                store("clear a for timer", st -> st.pendingCleared(p.device(), p.rule(), p.ifIndex()));
                continue;
            }
            pending.putIfAbsent(new RuleKey(p.device(), p.rule(), p.ifIndex()), p.since());
        }
    }

    private static Book compile(List<AlertRule> all, boolean groupReachability) {
        List<Compiled> c = new ArrayList<>();
        Map<String, Compiled> names = new HashMap<>();
        for (AlertRule r : all) {
            Expr.Rule parsed = RuleAccess.parsed(r);
            Compiled compiled = new Compiled(r, parsed, r.isReachabilityRule(), r.isInterfaceRule(),
                    r.variables().contains("if_oper_status"), groupOf(r, groupReachability), parsed.holdFor());
            c.add(compiled);
            names.put(r.name(), compiled);
        }
        return new Book(List.copyOf(all), List.copyOf(c), Map.copyOf(names));
    }

    @Override
    public void replaceRules(Collection<AlertRule> next) {
        List<AlertRule> all = List.copyOf(next);
        List<String> p = Alerting.ruleProblems(all);
        if (!p.isEmpty()) {
            throw new io.github.wardops.ward.InvalidConfigurationException("alert rules", p);
        }
        Book old = book;
        Book fresh = compile(all, cfg.groupReachabilityRules());
        book = fresh;
        Set<String> gone = new java.util.HashSet<>(old.byName().keySet());
        gone.removeAll(fresh.byName().keySet());
        // a rule whose group changed is gone from its old group
        for (Compiled c : fresh.rules()) {
            Compiled was = old.byName().get(c.rule().name());
            if (was != null && !was.group().equals(c.group())) {
                gone.add(c.rule().name());
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        Instant now = cfg.clock().instant();
        for (RuleKey rk : List.copyOf(pending.keySet())) {
            Compiled was = old.byName().get(rk.rule());
            if (gone.contains(rk.rule()) && pending.remove(rk) != null && was != null && !was.holdFor().isZero()) {
                store("clear a for timer", st -> st.pendingCleared(rk.device(), rk.rule(), rk.ifIndex()));
            }
        }
        silenced.keySet().removeIf(k -> gone.contains(k.rule()));
        for (Map.Entry<Key, Map<String, Alert.Step>> e : List.copyOf(active.entrySet())) {
            Key k = e.getKey();
            Map<String, Alert.Step> left = new LinkedHashMap<>(e.getValue());
            if (!left.keySet().removeIf(gone::contains)) {
                continue;
            }
            Alert a = open.get(k);
            if (left.isEmpty()) {
                if (a != null) {
                    resolve(k, a, now, "its rules were removed or changed", true);
                }
                active.remove(k);
                continue;
            }
            active.put(k, ordered(left));
            Alert.Step cur = current(left);
            if (a != null && !cur.rule().equals(a.rule())) {
                Alert changed = replace(k, a, x -> x.withProblem(cur.rule(), cur.severity(), x.message(), x.history()));
                if (changed != null) {
                    store("record an alert's change", st -> st.updated(changed));
                }
            }
        }
    }

    /**
     * Takes the store's open alerts. An alert whose rule now belongs to another group (stored
     * before problems, or the grouping changed) is moved to it; several such alerts of one
     * problem are merged into the oldest, the others resolved quietly, so an upgrade notifies
     * nothing.
     */
    private void restoreOpen(Collection<Alert> loaded) {
        Map<Key, List<Alert>> byKey = new LinkedHashMap<>();
        for (Alert a : loaded) {
            String group = a.group();
            Compiled c = book.byName().get(a.rule());
            if (c != null) {
                group = c.group();
            }
            byKey.computeIfAbsent(new Key(a.device(), group, a.ifIndex()), x -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<Key, List<Alert>> e : byKey.entrySet()) {
            Key k = e.getKey();
            List<Alert> as = new ArrayList<>(e.getValue());
            as.sort(java.util.Comparator.comparing(Alert::openedAt));
            Alert base = as.get(0);
            if (as.size() == 1 && base.group().equals(k.group())) {
                putRestored(k, base);
                continue;
            }
            List<Alert.Step> steps = new ArrayList<>();
            for (Alert a : as) {
                steps.addAll(a.history().isEmpty() ? List.of(new Alert.Step(a.rule(), a.severity(), a.openedAt()))
                        : a.history());
            }
            steps.sort(java.util.Comparator.comparing(Alert.Step::at));
            Map<String, Alert.Step> act = new LinkedHashMap<>();
            for (Alert.Step st : steps) {
                act.remove(st.rule());
                act.put(st.rule(), st);
            }
            Alert.Step current = current(act);
            Alert merged = new Alert(base.id(), base.device(), base.deviceName(), base.address(), base.labels(),
                    base.ifIndex(), k.group(), current.rule(), current.severity(), base.message(), base.since(),
                    base.openedAt(), null, null, base.acknowledgedAt(), base.acknowledgedBy(), base.impactedDevices(),
                    capped(steps));
            putRestored(k, merged);
            store("record a regrouped alert", st -> st.updated(merged));
            Instant now = cfg.clock().instant();
            for (Alert other : as.subList(1, as.size())) {
                Alert r = other.resolve(now, "merged into alert " + base.id() + " (problem " + k.group() + ")");
                store("record a merged alert", st -> st.resolved(r));
            }
        }
    }

    private void putRestored(Key k, Alert a) {
        if (open.putIfAbsent(k, a) != null) {
            return;
        }
        notified.add(a.id());
        // The rules that matched before the restart: every rule of its history (a rule that had
        // stopped matching and holds again is taken as matching; the first evaluation corrects
        // the rest quietly).
        Map<String, Alert.Step> act = new LinkedHashMap<>();
        List<Alert.Step> h = a.history().isEmpty() ? List.of(new Alert.Step(a.rule(), a.severity(), a.openedAt()))
                : a.history();
        for (Alert.Step st : h) {
            act.remove(st.rule());
            act.put(st.rule(), st);
        }
        active.put(k, ordered(act));
    }

    /** An unmodifiable copy that keeps the order in which the rules started (it breaks ties in {@link #current}). */
    private static Map<String, Alert.Step> ordered(Map<String, Alert.Step> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The step that sets an alert's rule and severity: the most recent among the most severe. */
    private static Alert.Step current(Map<String, Alert.Step> act) {
        Alert.Step best = null;
        for (Alert.Step st : act.values()) {
            if (best == null || st.severity().ordinal() < best.severity().ordinal()
                    || (st.severity() == best.severity() && !st.at().isBefore(best.at()))) {
                best = st;
            }
        }
        return best;
    }

    /** The history within its bound: the first entry and the newest others. */
    private static List<Alert.Step> capped(List<Alert.Step> h) {
        if (h.size() <= Alert.MAX_HISTORY) {
            return h;
        }
        List<Alert.Step> out = new ArrayList<>(Alert.MAX_HISTORY);
        out.add(h.get(0));
        out.addAll(h.subList(h.size() - (Alert.MAX_HISTORY - 1), h.size()));
        return out;
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
        for (RuleKey k : List.copyOf(pending.keySet())) {
            if (k.device().equals(device)) {
                clearPending(k);
            }
        }
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
        Map<Key, GroupEval> groups = new LinkedHashMap<>();
        for (Compiled c : book.rules()) {
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
                    judge(groups, d.id(), ifIndex, c, t, held, window, now);
                }
            } else {
                // while flapping, and while ward cannot probe the device (stale), its up/down
                // alerts neither open nor resolve: nobody knows it came back; the self-health
                // alert says why
                boolean held = c.reach() && (st.flapping() || DeviceState.STALE.equals(st.detail()));
                Expr.Tri t = unreachable ? Expr.Tri.FALSE : c.parsed().condition().eval(new DeviceVars(view));
                judge(groups, d.id(), 0, c, t, held, window, now);
            }
        }
        for (GroupEval g : groups.values()) {
            settle(g, view, window, now, unreachable);
        }
    }

    /** Decides whether one rule starts, keeps or stops matching for one device or interface. */
    private void judge(Map<Key, GroupEval> groups, DeviceId device, int ifIndex, Compiled c, Expr.Tri truth,
                       boolean held, MaintenanceWindow window, Instant now) {
        if (held || truth == Expr.Tri.UNKNOWN) {
            // frozen: neither starts nor stops while the device flaps, nor while a value the rule
            // reads is missing (no result since a restart, a failed ping has no RTT): not knowing
            // is no reason to resolve an alert or to forget how long a condition has held
            return;
        }
        Key k = new Key(device, c.group(), ifIndex);
        RuleKey rk = new RuleKey(device, c.rule().name(), ifIndex);
        boolean matching = active.getOrDefault(k, Map.of()).containsKey(c.rule().name());
        if (truth == Expr.Tri.TRUE) {
            if (matching) {
                return;
            }
            Instant heldSince = pending.putIfAbsent(rk, now);
            if (heldSince == null) {
                heldSince = now;
                if (!c.holdFor().isZero()) {
                    PendingCondition p = new PendingCondition(device, rk.rule(), ifIndex, now);
                    store("record a for timer", st -> st.pendingStarted(p));
                }
            }
            if (Duration.between(heldSince, now).compareTo(c.holdFor()) < 0) {
                return;
            }
            if (window != null && open.get(k) == null) {
                silence(rk, window, now);
                return;
            }
            clearPending(rk);
            GroupEval g = groups.computeIfAbsent(k, GroupEval::new);
            g.starts.add(c);
            g.heldSince.put(c.rule().name(), heldSince);
        } else {
            clearPending(rk);
            silenced.remove(rk);
            if (matching) {
                GroupEval g = groups.computeIfAbsent(k, GroupEval::new);
                g.leaves.add(c.rule().name());
                g.leftFalse |= truth == Expr.Tri.FALSE;
            }
        }
    }

    /** Ends a rule's timer; only timers of rules with a {@code for} clause are in the store. */
    private void clearPending(RuleKey rk) {
        Compiled c = book.byName().get(rk.rule());
        if (pending.remove(rk) != null && c != null && !c.holdFor().isZero()) {
            store("clear a for timer", st -> st.pendingCleared(rk.device(), rk.rule(), rk.ifIndex()));
        }
    }

    /** Opens, escalates, de-escalates or resolves one group's alert after its rules were judged. */
    private void settle(GroupEval g, DeviceView view, MaintenanceWindow window, Instant now, boolean unreachable) {
        Key k = g.key;
        Alert a = open.get(k);
        Map<String, Alert.Step> before = active.getOrDefault(k, Map.of());
        Map<String, Alert.Step> after = new LinkedHashMap<>(before);
        g.leaves.forEach(after::remove);
        // Rules starting together enter the history least severe first, so the most severe is
        // current; among equals the one listed first in the rules enters last and is current.
        java.util.Collections.reverse(g.starts);
        g.starts.sort(java.util.Comparator.comparing((Compiled c) -> -c.rule().severity().ordinal()));
        List<Alert.Step> newSteps = new ArrayList<>();
        for (Compiled c : g.starts) {
            Alert.Step step = new Alert.Step(c.rule().name(), c.rule().severity(), now);
            newSteps.add(step);
            after.put(step.rule(), step);
        }
        if (a == null) {
            if (newSteps.isEmpty()) {
                return;
            }
            openProblem(k, g, view, after, newSteps, window, now);
            return;
        }
        if (after.isEmpty()) {
            String why = unreachable ? "device unreachable: its parent is down (counted in the parent's alert)"
                    : g.leftFalse ? "condition cleared" : "condition no longer known (values missing)";
            resolve(k, a, now, why, window == null);
            return;
        }
        if (newSteps.isEmpty() && g.leaves.isEmpty()) {
            return;
        }
        Alert.Step cur = current(after);
        Set<String> seen = new java.util.HashSet<>();
        a.history().forEach(s -> seen.add(s.rule()));
        List<Alert.Step> history = new ArrayList<>(a.history());
        history.addAll(newSteps);
        Compiled cc = book.byName().get(cur.rule());
        String msg = cur.rule().equals(a.rule()) || cc == null ? a.message()
                : message(cc, view, k.ifIndex(), a.impactedDevices());
        List<Alert.Step> capped = List.copyOf(capped(history));
        Alert changed = replace(k, a, x -> x.withProblem(cur.rule(), cur.severity(), msg, capped));
        if (changed == null) {
            return;
        }
        active.put(k, ordered(after));
        store("record an alert's change", st -> st.updated(changed));
        Severity previous = a.severity();
        for (Alert.Step step : newSteps) {
            escalations.increment();
            boolean worth = !seen.contains(step.rule()) || step.severity().ordinal() < previous.ordinal();
            if (worth && window == null && notified.contains(a.id()) && !deliveries.isEmpty()) {
                if (guard.holdEscalation()) {
                    floodSuppressed.increment();
                } else {
                    publish(new Notification.Escalated(changed, step, previous, now));
                }
            }
            previous = step.severity().ordinal() < previous.ordinal() ? step.severity() : previous;
        }
    }

    /** Replaces the open alert {@code seen} (or its acknowledged copy) by a changed copy; null when gone. */
    private Alert replace(Key k, Alert seen, java.util.function.UnaryOperator<Alert> change) {
        Alert[] out = new Alert[1];
        open.computeIfPresent(k, (kk, cur) -> {
            if (!cur.id().equals(seen.id())) {
                return cur;
            }
            out[0] = change.apply(cur);
            return out[0];
        });
        return out[0];
    }

    private void openProblem(Key k, GroupEval g, DeviceView view, Map<String, Alert.Step> after,
                             List<Alert.Step> steps, MaintenanceWindow window, Instant now) {
        Alert.Step cur = current(after);
        Compiled cc = book.byName().get(cur.rule());
        DeviceState st = k.ifIndex() == 0 ? view.state() : view.interfaces().get(k.ifIndex());
        Instant since = null;
        boolean reach = false;
        for (Compiled c : g.starts) {
            reach |= c.reach();
            Instant h = g.heldSince.get(c.rule().name());
            since = since == null || h.isBefore(since) ? h : since;
            if ((c.reach() || c.ifStatus()) && st != null && st.status() == DeviceStatus.DOWN) {
                since = st.since();
                break;
            }
        }
        int impacted = reach && k.ifIndex() == 0 ? view.dependents() : 0;
        String msg = message(cc, view, k.ifIndex(), impacted);
        Device d = view.device();
        Alert a = new Alert(UUID.randomUUID(), k.device(), d.name(), d.address().getHostAddress(), d.labels(),
                k.ifIndex(), k.group(), cur.rule(), cur.severity(), msg, since, now, null, null, null, null, impacted,
                steps);
        if (open.putIfAbsent(k, a) != null) {
            return;
        }
        active.put(k, ordered(after));
        announce(a, window, now);
    }

    /** Counts, stores and notifies (through the flood guard) an alert that just opened. */
    private void announce(Alert a, MaintenanceWindow window, Instant now) {
        openedBySeverity.get(a.severity()).increment();
        store("record an opened alert", st -> st.opened(a));
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

    private void flapping(DeviceView view, int ifIndex, DeviceState st, MaintenanceWindow window, Instant now,
                          boolean mirrorsParent) {
        Key k = new Key(view.device().id(), FLAPPING_RULE, ifIndex);
        Alert a = open.get(k);
        if (st.flapping() && a == null) {
            if (mirrorsParent) {
                return;
            }
            if (window != null) {
                silence(new RuleKey(k.device(), FLAPPING_RULE, ifIndex), window, now);
                return;
            }
            String what = ifIndex == 0 ? "device" : "interface " + ifIndex;
            String msg = String.format(Locale.ROOT, "%s is flapping: %.1f%% weighted state change; its up/down alerts "
                    + "are held until it settles", what, st.flapPercent());
            Device d = view.device();
            Alert fa = new Alert(UUID.randomUUID(), k.device(), d.name(), d.address().getHostAddress(), d.labels(),
                    ifIndex, FLAPPING_RULE, FLAPPING_RULE, cfg.flappingSeverity(), msg, now, now, null, null, null,
                    null, 0, List.of(new Alert.Step(FLAPPING_RULE, cfg.flappingSeverity(), now)));
            if (open.putIfAbsent(k, fa) == null) {
                announce(fa, window, now);
            }
        } else if (!st.flapping()) {
            silenced.remove(new RuleKey(k.device(), FLAPPING_RULE, ifIndex));
            if (a != null) {
                resolve(k, a, now, "flapping stopped", window == null);
            }
        }
    }

    /** The tracker's sweep says ward is impaired or healthy again: one self-health alert. */
    @Override
    public void onHealth(String problem) {
        selfHealth(problem);
    }

    @Override
    public void selfHealth(String problem) {
        raise(SELF_DEVICE, SELF_NAME, SELF_RULE, cfg.selfHealthSeverity(), problem, "ward is impaired: {}",
                "ward is healthy again");
    }

    private static final java.util.regex.Pattern SYSTEM_RULE = java.util.regex.Pattern.compile("ward_[a-z0-9_]{1,60}");

    @Override
    public void systemProblem(DeviceId device, String name, String rule, Severity severity, String problem) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        if (device.equals(SELF_DEVICE)) {
            throw new IllegalArgumentException("the self-health device is selfHealth's");
        }
        if (!SYSTEM_RULE.matcher(rule).matches() || rule.equals(SELF_RULE)) {
            throw new IllegalArgumentException("a system problem's rule must be ward_ and then lower-case letters, digits "
                    + "or _ (and not " + SELF_RULE + "): " + rule);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a system problem needs a name");
        }
        raise(device, name.strip(), rule, severity, problem, "monitoring problem: {}", "the problem is over");
    }

    /** One alert for a problem of the monitoring system (itself, a zone...): opened, updated quietly, resolved. */
    private void raise(DeviceId device, String name, String rule, Severity sev, String problem, String warn,
                       String resolution) {
        Key k = new Key(device, rule, 0);
        synchronized (selfLock) {
            Instant now = cfg.clock().instant();
            Alert a = open.get(k);
            if (problem == null) {
                if (a != null) {
                    resolve(k, a, now, resolution, true);
                }
                return;
            }
            String text = problem.strip();
            if (text.isEmpty()) {
                text = name + " is impaired";
            }
            if (text.length() > MAX_SELF_TEXT) {
                text = text.substring(0, MAX_SELF_TEXT);
            }
            if (a != null) {
                if (!a.message().equals(text)) {
                    String msg = text;
                    Alert changed = replace(k, a, x -> x.withProblem(x.rule(), x.severity(), msg, x.history()));
                    if (changed != null) {
                        store("record an alert's change", st -> st.updated(changed));
                    }
                }
                return;
            }
            Alert self = new Alert(UUID.randomUUID(), device, name, "", Map.of(), 0, rule, rule, sev,
                    text, now, now, null, null, null, null, 0, List.of(new Alert.Step(rule, sev, now)));
            if (open.putIfAbsent(k, self) != null) {
                return;
            }
            LOG.warn(warn, text);
            openedBySeverity.get(sev).increment();
            store("record an opened alert", st -> st.opened(self));
            // neither maintenance windows nor the flood guard hold back ward's word about itself
            notified.add(self.id());
            publish(new Notification.Opened(self, now));
        }
    }

    private String message(Compiled c, DeviceView view, int ifIndex, int impacted) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.rule().expression());
        if (ifIndex != 0) {
            sb.append(" on interface ").append(ifIndex);
            Map<String, String> l = view.interfaceLabels().get(ifIndex);
            if (l != null) {
                StringBuilder what = new StringBuilder();
                for (String k : List.of("if_name", "if_role", "if_provider")) {
                    String v = l.get(k);
                    if (v != null && !v.isBlank()) {
                        what.append(what.isEmpty() ? "" : ", ").append(k.equals("if_name") ? "" : k.substring(3) + " ").append(v);
                    }
                }
                if (!what.isEmpty()) {
                    sb.append(" (").append(what).append(')');
                }
            }
        }
        DeviceState st = view.state();
        sb.append(" (status ").append(st.status().name().toLowerCase(Locale.ROOT));
        if (st.status() == DeviceStatus.DOWN) {
            sb.append(" since ").append(st.since());
        }
        sb.append(')');
        if (ifIndex == 0 && readsUplinks(c)) {
            String down = uplinksDown(view);
            sb.append(down.isEmpty() ? "; no uplink is down" : "; uplinks down: " + down);
        }
        if (impacted > 0) {
            sb.append("; ").append(impacted).append(impacted == 1 ? " device depends" : " devices depend")
                    .append(" on it and ").append(impacted == 1 ? "is" : "are").append(" unreachable while it is down");
        }
        return sb.toString();
    }

    private static boolean readsUplinks(Compiled c) {
        for (String v : c.rule().variables()) {
            if (v.startsWith(UPLINKS)) {
                return true;
            }
        }
        return false;
    }

    private void silence(RuleKey k, MaintenanceWindow window, Instant now) {
        if (silenced.put(k, window.name()) == null) {
            silences.increment();
            Silence sil = new Silence(k.device(), k.ifIndex(), k.rule(), window.name(), now);
            store("record a silence", st -> st.silenced(sil));
        }
    }

    /** Resolves the open alert {@code seen} (or its acknowledged copy); returns it resolved, or null when it was gone. */
    private Alert resolve(Key k, Alert seen, Instant now, String why, boolean notify) {
        // An acknowledgement may replace the alert concurrently: resolve whatever is open now.
        Alert a;
        do {
            a = open.get(k);
            if (a == null || !a.id().equals(seen.id())) {
                return null;
            }
        } while (!open.remove(k, a));
        active.remove(k);
        Alert r = a.resolve(now, why);
        resolvedBySeverity.get(r.severity()).increment();
        store("record a resolved alert", st -> st.resolved(r));
        if (notified.remove(a.id()) && notify) {
            publish(new Notification.Resolved(r, now));
        }
        return r;
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
    public Optional<Alert> resolve(UUID alertId, String user, String comment) {
        java.util.Objects.requireNonNull(alertId, "alertId");
        java.util.Objects.requireNonNull(user, "user");
        String why = "resolved by " + user + (comment == null || comment.isBlank() ? "" : ": " + comment.strip());
        for (Map.Entry<Key, Alert> e : open.entrySet()) {
            Alert a = e.getValue();
            if (a.id().equals(alertId)) {
                Instant now = cfg.clock().instant();
                // the rules stay as they are: one that still matches opens a new alert at the next
                // evaluation (a for-rule that had matched counts its for afresh: its timer ended then)
                return Optional.ofNullable(resolve(e.getKey(), a, now, why, true));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Alert> acknowledge(UUID alertId, String user) {
        java.util.Objects.requireNonNull(user, "user");
        for (Map.Entry<Key, Alert> e : open.entrySet()) {
            Alert a = e.getValue();
            if (a.id().equals(alertId)) {
                Instant at = cfg.clock().instant();
                Alert acked = replace(e.getKey(), a, x -> x.acknowledge(at, user));
                if (acked == null) {
                    return Optional.empty();
                }
                store("record an acknowledgement", st -> st.acknowledged(acked));
                return Optional.of(acked);
            }
        }
        // Not held here: when instances share the store, another one owns the alert's device; the
        // acknowledgement goes to the store, and the owner takes it up at its next tick.
        try {
            return cfg.store().acknowledgeOpen(alertId, cfg.clock().instant(), user);
        } catch (Exception e) {
            storeFailures.increment();
            throw new io.github.wardops.ward.WardException("the alert store cannot record the acknowledgement of alert "
                    + alertId + " (" + e.getClass().getName() + "); try again");
        }
    }

    /**
     * Takes up acknowledgements made through other instances that share the store (off the result
     * path: it reads the store): open alerts
     * held here that the store says are acknowledged get that acknowledgement (its time and user),
     * without a store write or a notification. Reads from a minute before the last read, for clocks
     * of other hosts that lag this one; taking one up twice changes nothing.
     */
    @Override
    public void syncAcknowledgements() {
        Instant now = cfg.clock().instant();
        Instant from = ackSyncedTo;
        ackSyncedTo = now;
        if (open.isEmpty()) {
            return;
        }
        Collection<Alert> acked;
        try {
            acked = cfg.store().acknowledgedSince(from.minus(java.time.Duration.ofMinutes(1)));
        } catch (Exception e) {
            ackSyncedTo = from; // read this stretch again next time
            storeFailures.increment();
            warnLimited("alert store failed to read acknowledgements made elsewhere: {}", e.getClass().getName());
            return;
        }
        for (Alert s : acked) {
            if (s.acknowledgedAt() == null) {
                continue;
            }
            for (Map.Entry<Key, Alert> e : open.entrySet()) {
                Alert a = e.getValue();
                if (a.id().equals(s.id()) && a.acknowledgedAt() == null) {
                    replace(e.getKey(), a, x -> x.acknowledgedAt() == null
                            ? x.acknowledge(s.acknowledgedAt(), s.acknowledgedBy()) : x);
                }
            }
        }
    }

    @Override
    public List<AlertRule> rules() {
        return book.source();
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
            if (name.startsWith(UPLINKS)) {
                Double u = uplinks(view, name);
                if (u != null || name.equals(UPLINKS) || name.equals(UPLINKS_UP) || name.equals(UPLINKS_DOWN)) {
                    return u;
                }
            }
            return view.values().get(name);
        }

        @Override
        public String word(String name) {
            if (name.equals("status")) {
                return view.state().status().name().toLowerCase(Locale.ROOT);
            }
            if (name.equals("trap")) {
                return latestTrap(view.values());
            }
            return null;
        }
    }

    /** The value name prefix that carries a device's latest trap: {@code trap:NAME = 1}. */
    static final String TRAP_PREFIX = "trap:";

    /**
     * The variable {@code trap}: the name in a {@code trap:NAME} value of a measurement (the runner's
     * trap receiver reports a device's latest trap so), or {@code none}, so that {@code trap == linkDown}
     * is false, not unknown, once the trap is no longer held and its alert resolves.
     */
    static String latestTrap(Map<String, Double> values) {
        for (Map.Entry<String, Double> v : values.entrySet()) {
            if (v.getKey().startsWith(TRAP_PREFIX) && v.getValue() != null && v.getValue() != 0) {
                return v.getKey().substring(TRAP_PREFIX.length());
            }
        }
        return "none";
    }

    /** The role whose interfaces the {@code uplinks} variables count. */
    static final String UPLINK_ROLE = "uplink";
    static final String UPLINKS = "uplinks";
    static final String UPLINKS_UP = "uplinks_up";
    static final String UPLINKS_DOWN = "uplinks_down";

    /**
     * The device variables {@code uplinks} (watched interfaces whose {@code if_role} is
     * {@code uplink}), {@code uplinks_up} and {@code uplinks_down} (of those, confirmed up, and
     * confirmed down); unknown ({@code null}) when the device has no watched uplink, and the last
     * two while an uplink's state is not known yet.
     */
    static Double uplinks(DeviceView view, String name) {
        int all = 0;
        int up = 0;
        int down = 0;
        boolean unknown = false;
        for (Map.Entry<Integer, Map<String, String>> e : view.interfaceLabels().entrySet()) {
            if (!UPLINK_ROLE.equalsIgnoreCase(e.getValue().get("if_role"))) {
                continue;
            }
            DeviceState s = view.interfaces().get(e.getKey());
            if (s == null) {
                continue;
            }
            all++;
            switch (s.status()) {
                case UP -> up++;
                case DOWN, UNREACHABLE -> down++;
                case UNKNOWN -> unknown = true;
            }
        }
        if (all == 0) {
            return null;
        }
        return switch (name) {
            case UPLINKS -> (double) all;
            case UPLINKS_UP -> unknown ? null : (double) up;
            case UPLINKS_DOWN -> unknown ? null : (double) down;
            default -> null;
        };
    }

    /** The uplinks that are down, as {@code provider (name)}, for an alert message; at most 32. */
    static String uplinksDown(DeviceView view) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, String>> e : new java.util.TreeMap<>(view.interfaceLabels()).entrySet()) {
            Map<String, String> l = e.getValue();
            DeviceState s = view.interfaces().get(e.getKey());
            if (!UPLINK_ROLE.equalsIgnoreCase(l.get("if_role")) || s == null
                    || (s.status() != DeviceStatus.DOWN && s.status() != DeviceStatus.UNREACHABLE)) {
                continue;
            }
            if (out.size() == 32) {
                out.add("...");
                break;
            }
            String provider = l.getOrDefault("if_provider", "no provider");
            String ifName = l.get("if_name");
            out.add(provider + " (" + (ifName == null || ifName.isBlank() ? "interface " + e.getKey() : ifName) + ")");
        }
        return String.join(", ", out);
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
            Map<String, String> labels = view.interfaceLabels().get(ifIndex);
            if (labels != null && name.startsWith("if_")) {
                // an interface whose labels were fed has no such label: the empty word (no role)
                return labels.getOrDefault(name, "");
            }
            return super.word(name);
        }
    }
}
