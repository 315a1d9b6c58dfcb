package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.notify.AlertSource;
import io.github.wardops.ward.notify.Dispatcher;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.runner.config.NotificationsFile;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's notification routing: the notifications file turned into a {@link Dispatcher},
 * ticked on a thread of its own (in a cluster, only on the runner that leads), and reloaded when
 * the {@link Reloader} says the file changed or on {@code SIGHUP}. A reload checks the whole file
 * first; a file with any problem changes nothing and is logged with every problem.
 */
public final class Routing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);
    /** Makes a receiver's notifier from the checked file. */
    @FunctionalInterface
    public interface Builder {
        /**
         * The notifier of a receiver.
         *
         * @param receiver the receiver
         * @param template the file's message template
         * @param base the directory relative files are read from
         * @return the notifier
         */
        Notifier build(NotificationsFile.Receiver receiver, io.github.wardops.ward.notify.MessageTemplate template, Path base);
    }

    private final Path file;
    private final Dispatcher dispatcher;
    private final Builder build;
    private final BooleanSupplier leads;
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private final Object reloadLock = new Object();
    private volatile List<Notifier> notifiers;
    private volatile List<MaintenanceWindow> windows;
    private volatile Thread thread;
    private volatile boolean closed;

    private Routing(Path file, Dispatcher dispatcher, List<Notifier> notifiers, List<MaintenanceWindow> windows,
                    Builder build, BooleanSupplier leads, MeterRegistry registry) {
        this.file = file;
        this.dispatcher = dispatcher;
        this.notifiers = notifiers;
        this.windows = windows;
        this.build = build;
        this.leads = leads;
    }

    /**
     * Reads the file and builds the dispatcher (not started).
     *
     * @param file the notifications file
     * @param alerting the alerting (its open alerts, and the alert of a failing receiver)
     * @param store the alert store (resolved alerts; in a cluster, every runner's open alerts)
     * @param clustered whether several runners share the fleet (then alerts are read from the store)
     * @param silences the silence store
     * @param log the notification log
     * @param build makes a receiver's notifier
     * @param leads whether this runner dispatches now (always, alone; the leader, in a cluster)
     * @param registry where meters go
     * @return the routing
     * @throws InvalidConfigurationException naming every problem of the file
     */
    public static Routing open(Path file, Alerting alerting, AlertStore store, boolean clustered, SilenceStore silences,
                               NotificationLog log, Builder build,
                               BooleanSupplier leads, MeterRegistry registry) {
        NotificationsFile.Parsed parsed = NotificationsFile.read(file);
        List<Notifier> notifiers = notifiers(parsed, build);
        Dispatcher.Builder b = Dispatcher.builder().route(parsed.root()).silences(silences).log(log)
                .alerts(clustered ? AlertSource.of(store) : AlertSource.of(alerting, store))
                .alerting(alerting).meterRegistry(registry);
        notifiers.forEach(b::receiver);
        parsed.windows().forEach(b::maintenance);
        Dispatcher d = b.build();
        LOG.info("notifications: {} receivers, routes from {}, {} maintenance windows", notifiers.size(), file,
                parsed.windows().size());
        return new Routing(file, d, notifiers, parsed.windows(), build, leads, registry);
    }

    private static List<Notifier> notifiers(NotificationsFile.Parsed parsed, Builder build) {
        List<Notifier> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        io.github.wardops.ward.notify.MessageTemplate.Builder tb = io.github.wardops.ward.notify.MessageTemplate.builder();
        if (parsed.statusPage() != null) {
            tb.statusPage(parsed.statusPage());
        }
        io.github.wardops.ward.notify.MessageTemplate template = tb.build();
        Path base = java.nio.file.Path.of(parsed.source()).toAbsolutePath().getParent();
        for (NotificationsFile.Receiver r : parsed.receivers()) {
            try {
                out.add(named(r.name(), build.build(r, template, base)));
            } catch (InvalidConfigurationException e) {
                e.problems().forEach(p -> problems.add("receiver " + r.name() + ": " + p));
            } catch (IllegalArgumentException e) {
                problems.add("receiver " + r.name() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(Notifier::close);
            throw new InvalidConfigurationException("notifications " + parsed.source(), problems);
        }
        return out;
    }

    /** A notifier known by the receiver's name (meters, the log, the routes). */
    static Notifier named(String name, Notifier n) {
        if (n.name().equals(name)) {
            return n;
        }
        return new Notifier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void send(Notification notification) throws Exception {
                n.send(notification);
            }

            @Override
            public void close() {
                n.close();
            }
        };
    }

    /**
     * The dispatcher (silences, the log, what is held).
     *
     * @return the dispatcher
     */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * The maintenance windows in force.
     *
     * @return the windows
     */
    public List<MaintenanceWindow> windows() {
        return windows;
    }

    /** Starts ticking (reloads come from the {@link Reloader}). */
    public void start() {
        thread = Thread.ofPlatform().name("ward-notify").daemon(true).start(this::loop);
    }

    /**
     * The notifications file.
     *
     * @return the file
     */
    Path file() {
        return file;
    }

    private void loop() {
        boolean led = false;
        while (!closed) {
            try {
                boolean leadsNow = leads.getAsBoolean();
                if (leadsNow && !led) {
                    // leading (again): what receivers were told may have changed under another leader
                    dispatcher.resume();
                }
                led = leadsNow;
                if (leadsNow) {
                    dispatcher.tick();
                }
            } catch (RuntimeException e) {
                if (logLimit.allow("tick")) {
                    LOG.warn("notifications: dispatch failed ({}); trying again", e.getClass().getSimpleName(), e);
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Reads the file again and applies it if it has no problem; else logs every problem and keeps
     * what is in force.
     *
     * @param why what asked for it, for the log
     * @return {@code true} when the new file is in force
     */
    public boolean reload(String why) {
        synchronized (reloadLock) {
            List<Notifier> fresh;
            NotificationsFile.Parsed parsed;
            try {
                parsed = NotificationsFile.read(file);
                fresh = notifiers(parsed, build);
            } catch (InvalidConfigurationException e) {
                LOG.error("notifications: {} ({}), but it has problems; the previous configuration stays in force: {}",
                        file, why, String.join("; ", e.problems()));
                return false;
            }
            try {
                dispatcher.configure(parsed.root(), fresh, parsed.windows());
            } catch (InvalidConfigurationException e) {
                fresh.forEach(Notifier::close);
                LOG.error("notifications: {} ({}) refused; the previous configuration stays in force: {}", file, why,
                        String.join("; ", e.problems()));
                return false;
            }
            List<Notifier> old = notifiers;
            notifiers = fresh;
            windows = parsed.windows();
            old.forEach(Notifier::close);
            LOG.info("notifications: reloaded {} ({}): {} receivers, {} maintenance windows", file, why, fresh.size(),
                    parsed.windows().size());
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Reloader.stop(thread);
        dispatcher.close();
        notifiers.forEach(Notifier::close);
    }
}
