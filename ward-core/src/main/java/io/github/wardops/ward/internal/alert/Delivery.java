package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.internal.support.WriteBehind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notifier's bounded queue and delivery thread (a {@link WriteBehind} of one notification per
 * batch): retries with exponential backoff, counts attempts, retries, successes, failures and
 * drops. Thread-safe: {@link #offer} never blocks.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final Notifier notifier;
    private final WriteBehind<Void, Notification> queue;
    private final List<Meter> meters;
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    Delivery(Notifier notifier, DeliveryOptions options, MeterRegistry registry) {
        this(notifier, options, registry, Ticker.system());
    }

    Delivery(Notifier notifier, DeliveryOptions options, MeterRegistry registry, Ticker ticker) {
        this.notifier = notifier;
        String n = notifier.name();
        Counter sent = Counter.builder("ward.notifications.sent").tag("notifier", n)
                .description("Notifications delivered").register(registry);
        Counter failed = Counter.builder("ward.notifications.failed").tag("notifier", n)
                .description("Notifications given up after every attempt failed").register(registry);
        Counter dropped = Counter.builder("ward.notifications.dropped").tag("notifier", n)
                .description("Notifications dropped: queue full, or left over at close").register(registry);
        Counter attempts = Counter.builder("ward.notifications.attempts").tag("notifier", n)
                .description("Delivery attempts").register(registry);
        Counter retries = Counter.builder("ward.notifications.retries").tag("notifier", n)
                .description("Delivery attempts after a failure").register(registry);
        this.queue = WriteBehind.<Void, Notification>builder("ward-notify-" + n, batch -> {
                    for (Notification x : batch) {
                        notifier.send(x);
                    }
                })
                .label("notifier '" + n + "'")
                .capacity(options.queueCapacity())
                .retry(options.maxAttempts(), options.initialBackoff(), options.maxBackoff())
                .ticker(ticker)
                .listener(new WriteBehind.Listener<>() {
                    @Override
                    public void dropped(WriteBehind.DropReason reason, long units) {
                        if (reason == WriteBehind.DropReason.GAVE_UP) {
                            failed.increment(units);
                        } else {
                            dropped.increment(units);
                        }
                    }

                    @Override
                    public void written(List<Notification> batch, long units, long nanos) {
                        attempts.increment();
                        sent.increment(units);
                    }

                    @Override
                    public void failed(List<Notification> batch, Throwable e, int attempt, long retryIn, long nanos) {
                        attempts.increment();
                        if (retryIn >= 0) {
                            retries.increment();
                        } else if (!(e instanceof InterruptedException)) {
                            logFailure(attempt, e);
                        }
                    }
                })
                .build();
        Gauge queued = Gauge.builder("ward.notifications.queued", queue, WriteBehind::queued).tag("notifier", n)
                .description("Notifications waiting").register(registry);
        this.meters = List.of(sent, failed, dropped, attempts, retries, queued);
        queue.start();
    }

    void offer(Notification n) {
        queue.offer(n);
    }

    int pending() {
        return (int) queue.pending();
    }

    private void logFailure(int attempts, Throwable e) {
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
        queue.close(timeout);
        meters.forEach(registry::remove);
    }
}
