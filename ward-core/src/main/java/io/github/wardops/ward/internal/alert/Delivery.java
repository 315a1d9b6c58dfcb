package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notifier's bounded queue and delivery thread: retries with exponential backoff, counts
 * attempts, retries, successes, failures and drops. Thread-safe: {@link #offer} never blocks.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final Notifier notifier;
    private final DeliveryOptions options;
    private final ArrayBlockingQueue<Notification> queue;
    private final Thread thread;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    private final Counter attempts;
    private final Counter retries;
    private final List<Meter> meters;
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private volatile boolean closing;
    private volatile boolean busy;

    Delivery(Notifier notifier, DeliveryOptions options, MeterRegistry registry) {
        this.notifier = notifier;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        String n = notifier.name();
        this.sent = Counter.builder("ward.notifications.sent").tag("notifier", n)
                .description("Notifications delivered").register(registry);
        this.failed = Counter.builder("ward.notifications.failed").tag("notifier", n)
                .description("Notifications given up after every attempt failed").register(registry);
        this.dropped = Counter.builder("ward.notifications.dropped").tag("notifier", n)
                .description("Notifications dropped: queue full, or left over at close").register(registry);
        this.attempts = Counter.builder("ward.notifications.attempts").tag("notifier", n)
                .description("Delivery attempts").register(registry);
        this.retries = Counter.builder("ward.notifications.retries").tag("notifier", n)
                .description("Delivery attempts after a failure").register(registry);
        Gauge queued = Gauge.builder("ward.notifications.queued", queue, ArrayBlockingQueue::size).tag("notifier", n)
                .description("Notifications waiting").register(registry);
        this.meters = List.of(sent, failed, dropped, attempts, retries, queued);
        this.thread = Thread.ofPlatform().daemon().name("ward-notify-" + n).unstarted(this::run);
        thread.start();
    }

    void offer(Notification n) {
        if (closing || !queue.offer(n)) {
            dropped.increment();
        }
    }

    int pending() {
        return queue.size() + (busy ? 1 : 0);
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                Notification n = queue.poll(50, TimeUnit.MILLISECONDS);
                if (n != null) {
                    busy = true;
                    try {
                        deliver(n);
                    } finally {
                        busy = false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Notification n) throws InterruptedException {
        Duration backoff = options.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            attempts.increment();
            try {
                notifier.send(n);
                sent.increment();
                return;
            } catch (InterruptedException e) {
                failed.increment();
                throw e;
            } catch (Exception e) {
                if (attempt >= options.maxAttempts()) {
                    failed.increment();
                    logFailure(attempt, e);
                    return;
                }
                retries.increment();
                Thread.sleep(backoff);
                Duration next = backoff.multipliedBy(2);
                backoff = next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next;
            }
        }
    }

    private void logFailure(int attempts, Exception e) {
        if (logLimit.allow("gave-up")) {
            // The exception type only: a notifier's message may carry an address or a token.
            LOG.warn("notifier '{}' gave up on a notification after {} attempts ({}); further failures are counted in "
                    + "ward.notifications.failed and logged at most once a minute", notifier.name(), attempts,
                    e.getClass().getSimpleName());
        }
        LOG.debug("notifier '{}' failed: {}", notifier.name(), e.getClass().getName());
    }

    /** Stops taking notifications, drains for at most {@code timeout}, then drops the rest. */
    void close(Duration timeout, MeterRegistry registry) {
        closing = true;
        try {
            thread.join(timeout.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.increment(left);
        }
        meters.forEach(registry::remove);
    }
}
