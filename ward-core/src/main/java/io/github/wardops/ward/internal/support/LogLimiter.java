package io.github.wardops.ward.internal.support;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.github.wardops.ward.Ticker;
import java.util.Objects;

/**
 * Lets a repeated log line through at most once per period per key, so a failing sink or prober
 * cannot flood the log, and counts the lines it held back so the next line let through can say
 * how many there were. The key set is fixed by the caller (a sink name, a prober type, a
 * reason), so the map stays small; it is also capped. Thread-safe.
 */
public final class LogLimiter {
    private static final int MAX_KEYS = 1024;
    private final long periodNanos;
    private final Ticker ticker;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** When a key last let a line through, and how many it held back since. */
    private static final class Slot {
        final AtomicLong last;
        final AtomicLong suppressed = new AtomicLong();

        Slot(long last) {
            this.last = new AtomicLong(last);
        }
    }

    /**
     * Creates a limiter on the system ticker.
     *
     * @param periodNanos the period
     */
    public LogLimiter(long periodNanos) {
        this(periodNanos, Ticker.system());
    }

    /**
     * Creates a limiter that measures its period on the given ticker, the one the owning
     * component was built with, so that on fake time a line is let through again only when the
     * fake time has moved a period on.
     *
     * @param periodNanos the period
     * @param ticker the ticker
     */
    public LogLimiter(long periodNanos, Ticker ticker) {
        this.periodNanos = periodNanos;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Whether a line for this key may be logged now.
     *
     * @param key the key
     * @return {@code true} at most once per period per key
     */
    public boolean allow(String key) {
        return permit(key) >= 0;
    }

    /**
     * Whether a line for this key may be logged now, and if so, how many were held back before it.
     *
     * @param key the key
     * @return {@code -1} if the line must not be logged (it is counted as held back), otherwise
     *         the number of lines for this key held back since the last one let through
     */
    public long permit(String key) {
        long now = ticker.read();
        Slot s = slots.get(key);
        if (s == null) {
            if (slots.size() >= MAX_KEYS) {
                key = "<other>";
            }
            s = slots.computeIfAbsent(key, k -> new Slot(now - periodNanos));
        }
        long prev = s.last.get();
        if (now - prev >= periodNanos && s.last.compareAndSet(prev, now)) {
            return s.suppressed.getAndSet(0);
        }
        s.suppressed.incrementAndGet();
        return -1;
    }

    /**
     * Forgets a key, so that its next line is let through at once (for a line that must be logged
     * whenever a new episode starts).
     *
     * @param key the key
     */
    public void reset(String key) {
        slots.remove(key);
    }
}
