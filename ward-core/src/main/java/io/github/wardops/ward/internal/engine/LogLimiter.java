package io.github.wardops.ward.internal.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated log line through at most once per period per key, so a failing sink or prober
 * cannot flood the log. The key set is fixed by the caller (a sink name, a prober type), so the
 * map stays small; it is also capped.
 */
public final class LogLimiter {
    private static final int MAX_KEYS = 1024;
    private final long periodNanos;
    private final ConcurrentHashMap<String, AtomicLong> last = new ConcurrentHashMap<>();

    /**
     * Creates a limiter.
     *
     * @param periodNanos the period
     */
    public LogLimiter(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /**
     * Whether a line for this key may be logged now.
     *
     * @param key the key
     * @return {@code true} at most once per period per key
     */
    public boolean allow(String key) {
        long now = System.nanoTime();
        AtomicLong t = last.get(key);
        if (t == null) {
            if (last.size() >= MAX_KEYS) {
                key = "<other>";
            }
            t = last.computeIfAbsent(key, k -> new AtomicLong(now - periodNanos));
        }
        long prev = t.get();
        return now - prev >= periodNanos && t.compareAndSet(prev, now);
    }
}
