package io.github.wardops.ward.alert;

import io.github.wardops.ward.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How notifications are delivered: a bounded queue per notifier and retries with exponential
 * backoff ({@code initialBackoff}, doubled per attempt, at most {@code maxBackoff}). Immutable.
 *
 * @param queueCapacity notifications waiting per notifier, 1-1,000,000 (default 10,000)
 * @param maxAttempts attempts per notification, 1-100 (default 5)
 * @param initialBackoff the wait after the first failure, 1 ms-1 h (default 1 s)
 * @param maxBackoff the longest wait, at least {@code initialBackoff}, at most 1 h (default 60 s)
 *
 * <p>No component is {@code null}.
 */
public record DeliveryOptions(int queueCapacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    /**
     * Validates every setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public DeliveryOptions {
        List<String> p = new ArrayList<>();
        if (queueCapacity < 1 || queueCapacity > 1_000_000) {
            p.add("queueCapacity = " + queueCapacity + ": must be 1-1000000");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            p.add("maxAttempts = " + maxAttempts + ": must be 1-100");
        }
        if (initialBackoff == null || initialBackoff.compareTo(Duration.ofMillis(1)) < 0
                || initialBackoff.compareTo(Duration.ofHours(1)) > 0) {
            p.add("initialBackoff = " + initialBackoff + ": must be 1 ms-1 h");
        }
        if (maxBackoff == null || initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0
                || maxBackoff != null && maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
            p.add("maxBackoff = " + maxBackoff + ": must be at least initialBackoff and at most 1 h");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("DeliveryOptions", p);
        }
    }

    /**
     * The defaults: 10,000 queued, 5 attempts, 1 s doubling to 60 s.
     *
     * @return the defaults
     */
    public static DeliveryOptions defaults() {
        return new DeliveryOptions(10_000, 5, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }
}
