package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.internal.support.WriteBehind;
import io.github.wardops.ward.inventory.DeviceId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Dispatcher}: groups from the open alerts, decisions from the notification log. */
final class DispatchEngine implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);
    private static final String OWN_RULES = "ward_";

    /** What is in force; replaced whole by {@link #configure}. */
    private record Config(Route root, Map<String, Sender> senders, List<MaintenanceWindow> windows) {
    }

    /** One group of one route: its alerts at the last tick and its timing. */
    private static final class Group {
        final String key;
        Route.Effective handler;
        final Map<String, String> labels;
        final Instant firstSeen;
        Instant lastFlush;
        final Map<UUID, Alert> firing = new LinkedHashMap<>();
        final Set<UUID> held = new HashSet<>();
        boolean seen;
        boolean flushedEmpty;

        Group(String key, Route.Effective handler, Map<String, String> labels, Instant now) {
            this.key = key;
            this.handler = handler;
            this.labels = labels;
            this.firstSeen = now;
        }
    }

    /** A message and the log entry written once it is delivered. */
    private record Job(Notification.Grouped message, NotificationLog.Entry entry) {
    }

    private final AlertSource source;
    private final SilenceStore silences;
    private final NotificationLog log;
    private final DeliveryOptions delivery;
    private final InstantSource clock;
    private final MeterRegistry registry;
    private final Alerting alerting;
    private final Duration tickInterval;
    private final Duration drainTimeout;
    private final int maxGroups;
    private final Object tickLock = new Object();
    private final Map<String, Group> groups = new HashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Alert> recent;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private final Counter groupsDropped;
    private final AtomicInteger heldCount = new AtomicInteger();
    private volatile Config config;
    private volatile Map<UUID, String> held = Map.of();
    private volatile Thread thread;
    private volatile boolean closed;
    /** Whether what receivers were last told was read since the dispatcher started or resumed. */
    private volatile boolean recovered;

    DispatchEngine(Builder b, SilenceStore silences, NotificationLog log) {
        this.source = b.source;
        this.silences = silences;
        this.log = log;
        this.delivery = b.delivery;
        this.clock = b.clock;
        this.registry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
        this.alerting = b.alerting;
        this.tickInterval = b.tickInterval;
        this.drainTimeout = b.drainTimeout;
        this.maxGroups = b.maxGroups;
        int maxAlerts = b.maxAlerts;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Alert> eldest) {
                return size() > maxAlerts;
            }
        };
        this.groupsDropped = Counter.builder("ward.notify.groups.dropped")
                .description("Alerts not routed because the dispatcher held its maximum of groups").register(registry);
        Gauge.builder("ward.notify.groups", this, d -> d.groupCount()).description("Notification groups").register(registry);
        Gauge.builder("ward.notify.held", heldCount, AtomicInteger::get)
                .description("Alerts whose notifications silences or maintenance windows hold back").register(registry);
        this.config = new Config(b.root, senders(b.receivers, Map.of()), List.copyOf(b.windows));
    }

    static List<String> check(Route root, List<Notifier> receivers) {
        List<String> p = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Notifier n : receivers) {
            if (n == null) {
                p.add("a receiver is null");
            } else if (!names.add(n.name())) {
                p.add("receiver name '" + n.name() + "' is used twice");
            }
        }
        if (root == null) {
            p.add("route must not be null");
            return p;
        }
        for (String r : root.receiverNames()) {
            if (!names.contains(r)) {
                p.add("route names receiver '" + r + "', which is not defined" + suggest(r, names));
            }
        }
        return p;
    }

    private static String suggest(String typed, Set<String> names) {
        return io.github.wardops.ward.internal.support.Suggest.didYouMean(typed, names);
    }

    private int groupCount() {
        synchronized (tickLock) {
            return groups.size();
        }
    }

    private Map<String, Sender> senders(List<Notifier> receivers, Map<String, Sender> old) {
        Map<String, Sender> out = new LinkedHashMap<>();
        for (Notifier n : receivers) {
            Sender s = old.get(n.name());
            out.put(n.name(), s != null && s.notifier == n ? s : new Sender(n));
        }
        return Map.copyOf(out);
    }

    @Override
    public void configure(Route root, List<Notifier> receivers, List<MaintenanceWindow> windows) {
        List<String> p = check(root, receivers);
        if (windows == null || windows.stream().anyMatch(java.util.Objects::isNull)) {
            p.add("maintenance windows must not be null");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("notification routing", p);
        }
        synchronized (tickLock) {
            Config old = config;
            Map<String, Sender> next = senders(receivers, old.senders());
            config = new Config(root, next, List.copyOf(windows));
            for (Sender s : old.senders().values()) {
                if (next.get(s.notifier.name()) != s) {
                    s.close(drainTimeout);
                }
            }
        }
    }

    @Override
    public void start() {
        synchronized (tickLock) {
            if (thread != null || closed) {
                return;
            }
            thread = Thread.ofPlatform().name("ward-notify-dispatch").daemon(true).start(this::loop);
        }
    }

    private void loop() {
        long periodNanos = tickInterval.toNanos();
        while (!closed) {
            try {
                tick();
            } catch (RuntimeException e) {
                // a tick never throws by design; if it does, the next one tries again
                if (logLimit.allow("tick")) {
                    LOG.warn("notification dispatch failed ({}); trying again", e.getClass().getSimpleName(), e);
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(periodNanos);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void tick() {
        synchronized (tickLock) {
            if (closed) {
                return;
            }
            Config c = config;
            Instant now = clock.instant();
            Collection<Alert> open;
            try {
                open = source.open();
            } catch (Exception e) {
                error("source", "cannot read the open alerts", e);
                return;
            }
            List<Silence> active = List.of();
            try {
                active = silences.current(now).stream().filter(s -> s.activeAt(now)).toList();
            } catch (Exception e) {
                // without the silences nothing may be sent that one of them could hold
                error("silences", "cannot read the silences", e);
                return;
            }
            route(c, open, active, now);
            if (!recovered) {
                recovered = recover(c, open, now);
            }
            for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
                Group g = it.next();
                flush(c, g, now);
                if (!g.seen && g.flushedEmpty && !busy(g)) {
                    // nothing left in it, and its receivers were told so
                    it.remove();
                }
            }
        }
    }

    /**
     * Brings back the groups receivers were last told are firing but that have no open alert any
     * more (all resolved while no dispatcher ran): they are due at once, so the resolution is told.
     *
     * @return {@code false} when the log cannot be read (tried again at the next tick)
     */
    private boolean recover(Config c, Collection<Alert> open, Instant now) {
        List<NotificationLog.Entry> told;
        try {
            told = log.stillFiring(maxGroups);
        } catch (Exception e) {
            error("log", "cannot read the notification log", e);
            return false;
        }
        Set<UUID> openIds = new HashSet<>();
        open.forEach(a -> openIds.add(a.id()));
        for (NotificationLog.Entry e : told) {
            String key = e.groupKey();
            int esc = key.indexOf("#escalation-");
            String groupKey = esc < 0 ? key : key.substring(0, esc);
            int brace = groupKey.indexOf('{');
            if (groups.containsKey(groupKey) || brace < 0 || e.firing().stream().anyMatch(openIds::contains)) {
                continue;   // live (the usual path tells what changed), or not a key of ours
            }
            Route.Effective h = c.root().byId(groupKey.substring(0, brace));
            if (h == null) {
                continue;   // the route is gone from the tree
            }
            Alert any = null;
            for (UUID id : e.firing()) {
                any = resolvedAlert(id);
                if (any != null) {
                    break;
                }
            }
            if (any == null) {
                continue;
            }
            Map<String, String> gl = groupLabels(h.groupBy(), NotificationLabels.of(any), any);
            if (!(h.id() + gl).equals(groupKey)) {
                continue;   // its labels make another group now
            }
            if (groups.size() >= maxGroups) {
                groupsDropped.increment();
                continue;
            }
            groups.put(groupKey, new Group(groupKey, h, gl, now.minus(h.groupWait())));
        }
        return true;
    }

    @Override
    public void resume() {
        recovered = false;
    }

    /** Sorts the open alerts into groups; marks what is held. */
    private void route(Config c, Collection<Alert> open, List<Silence> active, Instant now) {
        for (Group g : groups.values()) {
            g.firing.clear();
            g.held.clear();
            g.seen = false;
        }
        Map<UUID, String> nowHeld = new HashMap<>();
        for (Alert a : open) {
            recent.put(a.id(), a);
            Map<String, String> labels = NotificationLabels.of(a);
            String hold = holder(c, a, labels, active, now);
            if (hold != null) {
                nowHeld.put(a.id(), hold);
            }
            for (Route.Effective h : c.root().handlers(labels)) {
                Map<String, String> gl = groupLabels(h.groupBy(), labels, a);
                String key = h.id() + gl;
                Group g = groups.get(key);
                if (g == null) {
                    if (groups.size() >= maxGroups) {
                        groupsDropped.increment();
                        if (logLimit.allow("groups")) {
                            LOG.warn("notifications: {} groups held, the maximum; alerts of new groups are not routed "
                                    + "(counted in ward.notify.groups.dropped)", maxGroups);
                        }
                        continue;
                    }
                    g = new Group(key, h, gl, now);
                    groups.put(key, g);
                }
                g.handler = h;
                g.seen = true;
                if (hold == null) {
                    g.firing.put(a.id(), a);
                } else {
                    g.held.add(a.id());
                }
            }
        }
        held = Map.copyOf(nowHeld);
        heldCount.set(nowHeld.size());
    }

    private static String holder(Config c, Alert a, Map<String, String> labels, List<Silence> active, Instant now) {
        for (Silence s : active) {
            if (s.matchers().matches(labels)) {
                return "silence " + s.id();
            }
        }
        if (!a.rule().startsWith(OWN_RULES)) {
            for (MaintenanceWindow w : c.windows()) {
                if (w.covers(labels, now)) {
                    return "maintenance " + w.name();
                }
            }
        }
        return null;
    }

    private static Map<String, String> groupLabels(List<String> by, Map<String, String> labels, Alert a) {
        Map<String, String> out = new LinkedHashMap<>();
        if (by.size() == 1 && by.get(0).equals(Route.EACH_ALERT)) {
            out.put("alert", a.id().toString());
            return out;
        }
        for (String l : by) {
            out.put(l, labels.getOrDefault(l, ""));
        }
        return out;
    }

    private boolean busy(Group g) {
        for (String k : inFlight) {
            if (k.endsWith("\n" + g.key) || k.contains("\n" + g.key + "#")) {
                return true;
            }
        }
        return false;
    }

    /** Sends a group's due messages. */
    private void flush(Config c, Group g, Instant now) {
        Route.Effective h = g.handler;
        boolean due = g.lastFlush == null
                ? !now.isBefore(g.firstSeen.plus(h.groupWait()))
                : !now.isBefore(g.lastFlush.plus(h.groupInterval()));
        if (due) {
            for (String r : h.route().receivers()) {
                decide(c, r, g.key, g, g.firing.values(), Notification.Grouped.Reason.NEW, now);
            }
            g.lastFlush = now;
            g.flushedEmpty = g.firing.isEmpty() && g.held.isEmpty();
        }
        List<Route.Escalation> steps = h.route().escalations();
        for (int i = 0; i < steps.size(); i++) {
            Route.Escalation step = steps.get(i);
            List<Alert> overdue = g.firing.values().stream()
                    .filter(a -> a.acknowledgedAt() == null && !now.isBefore(a.openedAt().plus(step.after())))
                    .toList();
            for (String r : step.receivers()) {
                decide(c, r, g.key + "#escalation-" + (i + 1), g, overdue, Notification.Grouped.Reason.ESCALATION, now);
            }
        }
    }

    /** Compares what a receiver was told of a group with what is true now; queues a message when due. */
    private void decide(Config c, String receiver, String logKey, Group g, Collection<Alert> firing,
                        Notification.Grouped.Reason first, Instant now) {
        String flightKey = receiver + "\n" + logKey;
        if (inFlight.contains(flightKey)) {
            return;
        }
        Optional<NotificationLog.Entry> last;
        try {
            last = log.last(receiver, logKey);
        } catch (Exception e) {
            error("log", "cannot read the notification log", e);
            return;
        }
        Set<UUID> told = last.map(NotificationLog.Entry::firing).orElse(Set.of());
        Set<UUID> firingIds = new HashSet<>();
        firing.forEach(a -> firingIds.add(a.id()));
        Set<UUID> stillTold = new HashSet<>(firingIds);
        for (UUID id : told) {
            if (g.held.contains(id)) {
                // held now, announced before: neither news nor resolved
                stillTold.add(id);
            }
        }
        Set<UUID> added = new HashSet<>(firingIds);
        added.removeAll(told);
        Set<UUID> gone = new HashSet<>(told);
        gone.removeAll(stillTold);
        List<Alert> resolved = new ArrayList<>();
        Set<UUID> resolvedIds = new HashSet<>();
        for (UUID id : gone) {
            if (g.firing.containsKey(id)) {
                // open in the group, only not in this escalation step any more (acknowledged): not news
                stillTold.add(id);
                continue;
            }
            if (isOpenElsewhere(id, g)) {
                continue;
            }
            resolvedIds.add(id);
            Alert a = resolvedAlert(id);
            if (a != null) {
                resolved.add(a);
            }
        }
        boolean sendResolved = g.handler.route().sendResolved();
        Notification.Grouped.Reason reason = null;
        if (!added.isEmpty()) {
            reason = last.isEmpty() || first == Notification.Grouped.Reason.ESCALATION ? first
                    : Notification.Grouped.Reason.CHANGED;
        } else if (!resolved.isEmpty() && sendResolved) {
            reason = Notification.Grouped.Reason.CHANGED;
        } else if (last.isPresent() && !firing.isEmpty() && firing.stream().anyMatch(a -> a.acknowledgedAt() == null)
                && !now.isBefore(last.get().sentAt().plus(g.handler.repeatInterval()))) {
            // acknowledged alerts are not repeated: someone is on them
            reason = Notification.Grouped.Reason.REPEAT;
        }
        NotificationLog.Entry entry = new NotificationLog.Entry(receiver, logKey, stillTold, resolvedIds,
                reason == null ? "noted" : reason.name().toLowerCase(java.util.Locale.ROOT), now);
        if (reason == null) {
            if (!gone.isEmpty() && !resolvedIds.isEmpty()) {
                // resolved alerts nobody is to be told of (send-resolved off, or unknown): note them so
                // they are not looked at again
                append(entry);
            }
            return;
        }
        List<Alert> firingList = new ArrayList<>(firing);
        firingList.sort(Comparator.comparing(Alert::openedAt).thenComparing(Alert::deviceName));
        resolved.sort(Comparator.comparing(Alert::openedAt).thenComparing(Alert::deviceName));
        if (firingList.isEmpty() && (resolved.isEmpty() || !sendResolved)) {
            append(entry);
            return;
        }
        Notification.Grouped msg = new Notification.Grouped(receiver, g.labels, firingList,
                sendResolved ? resolved : List.of(), reason, now);
        Sender s = c.senders().get(receiver);
        if (s == null) {
            return;
        }
        inFlight.add(flightKey);
        if (!s.offer(new Job(msg, entry), flightKey)) {
            inFlight.remove(flightKey);
        }
    }

    private boolean isOpenElsewhere(UUID id, Group g) {
        Alert a = recent.get(id);
        if (a == null || a.resolvedAt() != null) {
            return false;
        }
        // open at this tick but no longer in this group: its labels moved it; not resolved
        for (Group other : groups.values()) {
            if (other != g && (other.firing.containsKey(id) || other.held.contains(id))) {
                return true;
            }
        }
        return false;
    }

    private Alert resolvedAlert(UUID id) {
        Alert a = recent.get(id);
        if (a != null && a.resolvedAt() != null) {
            return a;
        }
        try {
            Optional<Alert> found = source.find(id);
            if (found.isPresent()) {
                recent.put(id, found.get());
                return found.get().resolvedAt() != null ? found.get() : a;
            }
        } catch (Exception e) {
            error("source", "cannot read a resolved alert", e);
        }
        return a;
    }

    private void append(NotificationLog.Entry entry) {
        try {
            log.append(entry);
        } catch (Exception e) {
            error("log", "cannot write the notification log", e);
        }
    }

    private void error(String stage, String what, Exception e) {
        Counter.builder("ward.notify.errors").tag("stage", stage)
                .description("Dispatcher steps that failed (tried again at the next tick)").register(registry).increment();
        if (logLimit.allow(stage)) {
            // the type only: a store's message may carry a connection string
            LOG.warn("notifications: {} ({}); trying again at the next tick, further failures counted in "
                    + "ward.notify.errors", what, e.getClass().getSimpleName());
        }
    }

    private void receiverFailed(String name, int attempts, Throwable e) {
        if (logLimit.allow("receiver " + name)) {
            LOG.warn("notifications: receiver '{}' gave up on a message after {} attempts ({})", name, attempts,
                    e.getClass().getSimpleName());
        }
        if (alerting != null && failing.add(name)) {
            raise(name, "notifications to receiver '" + name + "' fail: a message was given up after " + attempts
                    + " attempts (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void receiverWorks(String name) {
        if (alerting != null && failing.remove(name)) {
            raise(name, null);
        }
    }

    private void raise(String name, String problem) {
        try {
            alerting.systemProblem(receiverDevice(name), "receiver " + name, RECEIVER_FAILING_RULE, Severity.HIGH, problem);
        } catch (RuntimeException e) {
            LOG.warn("notifications: cannot raise the alert of receiver '{}' ({})", name, e.getClass().getSimpleName());
        }
    }

    /**
     * The device id of a receiver's failure alert.
     *
     * @param name the receiver
     * @return the id
     */
    static DeviceId receiverDevice(String name) {
        return DeviceId.fromKey("ward-receiver:" + name);
    }

    @Override
    public Map<UUID, String> held() {
        return held;
    }

    @Override
    public SilenceStore silences() {
        return silences;
    }

    @Override
    public NotificationLog log() {
        return log;
    }

    @Override
    public int pending() {
        return inFlight.size();
    }

    @Override
    public boolean awaitDelivered(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (tickLock) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
        for (Sender s : config.senders().values()) {
            s.close(drainTimeout);
        }
    }

    /** One receiver's bounded, retried delivery. */
    private final class Sender {
        final Notifier notifier;
        final WriteBehind<Void, Job> queue;
        final Map<Job, String> keys = new ConcurrentHashMap<>();
        final Counter sent;
        final Counter failed;
        final Counter dropped;

        Sender(Notifier notifier) {
            this.notifier = notifier;
            String n = notifier.name();
            sent = Counter.builder("ward.notify.messages").tag("receiver", n).tag("outcome", "sent")
                    .description("Grouped messages by outcome").register(registry);
            failed = Counter.builder("ward.notify.messages").tag("receiver", n).tag("outcome", "failed")
                    .description("Grouped messages by outcome").register(registry);
            dropped = Counter.builder("ward.notify.messages").tag("receiver", n).tag("outcome", "dropped")
                    .description("Grouped messages by outcome").register(registry);
            this.queue = WriteBehind.<Void, Job>builder("ward-notify-" + n, batch -> {
                        for (Job j : batch) {
                            notifier.send(j.message());
                            delivered(j);
                        }
                    })
                    .label("receiver '" + n + "'")
                    .capacity(delivery.queueCapacity())
                    .batching(1, Duration.ZERO)
                    .retry(delivery.maxAttempts(), delivery.initialBackoff(), delivery.maxBackoff())
                    .listener(new WriteBehind.Listener<>() {
                        @Override
                        public void failed(List<Job> batch, Throwable e, int attempt, long retryIn, long nanos) {
                            if (retryIn < 0) {
                                // the receiver's alert first: whoever waits for the message sees it
                                if (!(e instanceof InterruptedException)) {
                                    receiverFailed(n, attempt, e);
                                }
                                for (Job j : batch) {
                                    failed.increment();
                                    release(j);
                                }
                            }
                        }
                    })
                    .build();
            queue.start();
        }

        private void delivered(Job j) {
            sent.increment();
            try {
                // the entry says when the message went, not when it was decided
                NotificationLog.Entry e = j.entry();
                log.append(new NotificationLog.Entry(e.receiver(), e.groupKey(), e.firing(), e.resolved(), e.reason(),
                        clock.instant()));
            } catch (Exception e) {
                error("log", "cannot write the notification log", e);
            } finally {
                receiverWorks(notifier.name());
                release(j);
            }
        }

        private void release(Job j) {
            String k = keys.remove(j);
            if (k != null) {
                inFlight.remove(k);
            }
        }

        boolean offer(Job j, String flightKey) {
            keys.put(j, flightKey);
            if (!queue.offer(j)) {
                keys.remove(j);
                dropped.increment();
                return false;
            }
            return true;
        }

        void close(Duration timeout) {
            queue.close(timeout);
            for (String k : keys.values()) {
                inFlight.remove(k);
            }
            keys.clear();
        }
    }
}
