package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads configuration files (the alert rules, the notifications file) when they change, looked
 * at every {@link #WATCH}, and all of them on {@code SIGHUP}. Each reload checks its file whole and
 * applies all or nothing; {@code ward_runner_config_reloads_total{file,outcome=applied|refused}}
 * counts them. One thread of its own; a failing reload never stops it.
 */
final class Reloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);
    /** How often the files are looked at. */
    static final Duration WATCH = Duration.ofSeconds(2);

    private final class Watched {
        final String name;
        final Path file;
        final Predicate<String> reload;
        final Counter applied;
        final Counter refused;
        volatile String stamp;

        Watched(String name, Path file, Predicate<String> reload) {
            this.name = name;
            this.file = file;
            this.reload = reload;
            this.stamp = stamp(file);
            this.applied = Counter.builder("ward.runner.config.reloads").tag("file", name).tag("outcome", "applied")
                    .description("Reloads of a configuration file").register(registry);
            this.refused = Counter.builder("ward.runner.config.reloads").tag("file", name).tag("outcome", "refused")
                    .description("Reloads of a configuration file").register(registry);
        }

        void reload(String why) {
            stamp = stamp(file);
            boolean ok;
            try {
                ok = reload.test(why);
            } catch (RuntimeException e) {
                ok = false;
                if (logLimit.allow(name)) {
                    LOG.error("{}: the reload of {} failed ({}); what was in force stays", name, file,
                            e.getClass().getSimpleName(), e);
                }
            }
            (ok ? applied : refused).increment();
        }
    }

    private final MeterRegistry registry;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private final AtomicBoolean asked = new AtomicBoolean();
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private volatile Thread thread;
    private volatile boolean closed;

    Reloader(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Watches a file.
     *
     * @param name its name in the metric ({@code alert-rules}, {@code notifications})
     * @param file the file
     * @param reload reads and applies it; {@code true} when applied, {@code false} when refused
     *     (it logs why); given what asked for it
     */
    void watch(String name, Path file, Predicate<String> reload) {
        watched.add(new Watched(name, file, reload));
    }

    boolean isEmpty() {
        return watched.isEmpty();
    }

    /** Asks for a reload of every file at once ({@code SIGHUP}); returns at once. */
    void reloadSoon() {
        asked.set(true);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void start() {
        if (!watched.isEmpty()) {
            thread = Thread.ofPlatform().name("ward-reload").daemon(true).start(this::loop);
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(WATCH.toMillis());
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            boolean all = asked.getAndSet(false);
            for (Watched w : watched) {
                if (all) {
                    w.reload("SIGHUP");
                } else if (!Objects.equals(stamp(w.file), w.stamp)) {
                    w.reload("the file changed");
                }
            }
        }
    }

    /** The file's size, modification time and key, or null when it cannot be read. */
    static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        stop(thread);
    }

    /** Interrupts a loop thread and waits for it, at most 2 s; null is none. */
    static void stop(Thread t) {
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
