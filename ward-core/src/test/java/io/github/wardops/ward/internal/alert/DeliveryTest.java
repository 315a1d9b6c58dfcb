package io.github.wardops.ward.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A notifier's delivery on the shared write-behind queue, driven by a fake ticker: no real backoff waits. */
class DeliveryTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong now = new AtomicLong();

    static Notification opened() {
        return new Notification.Opened(new Alert(UUID.randomUUID(), DeviceId.fromKey("x"), "x", 0, "Device Down",
                Severity.CRITICAL, "down", T0, T0, null, null, null, null, 0), T0);
    }

    double count(String name) {
        return registry.counter(name, "notifier", "n").count();
    }

    static Notifier failing(AtomicInteger calls, int failures) {
        return new Notifier() {
            @Override
            public String name() {
                return "n";
            }

            @Override
            public void send(Notification notification) throws Exception {
                if (calls.incrementAndGet() <= failures) {
                    throw new IOException("receiver away");
                }
            }
        };
    }

    void awaitCount(String name, double n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(name) < n) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + name + " = " + n);
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            Thread.sleep(2);
        }
    }

    @Test
    void retriesUntilDeliveredAndCountsEveryAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Delivery d = new Delivery(failing(calls, 2), new DeliveryOptions(10, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(4)), registry, now::get);
        d.offer(opened());
        awaitCount("ward.notifications.sent", 1);
        assertEquals(3, count("ward.notifications.attempts"));
        assertEquals(2, count("ward.notifications.retries"));
        assertEquals(0, count("ward.notifications.failed"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (d.pending() != 0) {
            assertTrue(System.nanoTime() < until, "still pending");
            Thread.sleep(2);
        }
        d.close(Duration.ofSeconds(1), registry);
    }

    @Test
    void givesUpAfterMaxAttemptsAndCountsAFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Delivery d = new Delivery(failing(calls, Integer.MAX_VALUE), new DeliveryOptions(10, 3, Duration.ofSeconds(1),
                Duration.ofSeconds(4)), registry, now::get);
        d.offer(opened());
        awaitCount("ward.notifications.failed", 1);
        assertEquals(3, calls.get());
        assertEquals(3, count("ward.notifications.attempts"));
        assertEquals(2, count("ward.notifications.retries"));
        assertEquals(0, count("ward.notifications.dropped"));
        d.close(Duration.ofSeconds(1), registry);
    }

    @Test
    void aFullQueueDropsAndCounts() {
        AtomicInteger calls = new AtomicInteger();
        // the first notification waits out an hour of backoff on the fake ticker, keeping the queue full
        Delivery d = new Delivery(failing(calls, Integer.MAX_VALUE), new DeliveryOptions(1, 5, Duration.ofHours(1),
                Duration.ofHours(1)), registry, now::get);
        for (int i = 0; i < 5; i++) {
            d.offer(opened());
        }
        assertTrue(count("ward.notifications.dropped") >= 3, "at most one queued and one being sent");
        d.close(Duration.ZERO, registry);
        assertTrue(registry.find("ward.notifications.dropped").counters().isEmpty(), "meters removed at close");
    }
}
