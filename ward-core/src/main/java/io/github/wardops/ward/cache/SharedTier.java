package io.github.wardops.ward.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The service provider interface of a cache's shared tier (L2), such as
 * {@code io.github.wardops.ward.redis.RedisTier}. Applications do not call it: they hand it to
 * {@link TieredCache.Builder#shared(SharedTier)}.
 *
 * <p>Contract for implementations: thread-safe; every method returns or throws within
 * {@link #commandTimeout()} (plus scheduling noise) and never blocks longer; failures are thrown
 * as any {@link RuntimeException} and the cache counts them, trips its circuit breaker and carries
 * on without the tier. There is no write without a TTL: {@link #set} and {@link #setAll} take one
 * and must store the entry so that it expires after it (in Redis: {@code SET key value PX ttl}).
 * Keys and channels are full names ({@code ward:<cache>:<key>}); values are opaque bytes.
 */
public interface SharedTier {

    /**
     * The longest any one call may take.
     *
     * @return the timeout; positive
     */
    Duration commandTimeout();

    /**
     * Reads one value.
     *
     * @param key the full key; never {@code null}
     * @return the bytes, or {@code null} when absent
     */
    byte[] get(String key);

    /**
     * Reads many values in one round trip.
     *
     * @param keys the full keys; never {@code null}, at most a few thousand
     * @return the values in the order of the keys, {@code null} where absent; same size as keys
     */
    List<byte[]> getAll(List<String> keys);

    /**
     * Writes one value that expires after the TTL, atomically with its expiry.
     *
     * @param key the full key; never {@code null}
     * @param value the bytes; never {@code null}
     * @param ttl the time to live; at least 1 ms
     */
    void set(String key, byte[] value, Duration ttl);

    /**
     * Writes many values, each atomically with the TTL.
     *
     * @param entries full key to bytes; never {@code null}
     * @param ttl the time to live of each; at least 1 ms
     */
    void setAll(Map<String, byte[]> entries, Duration ttl);

    /**
     * Deletes keys; absent keys are ignored.
     *
     * @param keys the full keys; never {@code null}
     */
    void delete(Collection<String> keys);

    /**
     * Publishes a message to every subscriber of the channel, on every instance.
     *
     * @param channel the channel; never {@code null}
     * @param message the message; never {@code null}
     */
    void publish(String channel, String message);

    /**
     * Subscribes to a channel. The listener is called on an I/O thread, must be fast and must
     * not throw; messages may be lost while the tier is down (the cache's L1 TTL bounds the
     * staleness that follows).
     *
     * @param channel the channel; never {@code null}
     * @param listener receives each message; never {@code null}
     * @return closing it unsubscribes; idempotent
     */
    AutoCloseable subscribe(String channel, Consumer<String> listener);

    /**
     * Subscribes, and is told of gaps: {@code onGap} runs whenever messages may have been lost,
     * such as when the subscription connection came back after an outage, so that the cache can
     * drop its whole L1 instead of serving entries another instance changed meanwhile. Both
     * callbacks run on an I/O thread, must be fast and must not throw. The default ignores gaps
     * (the L1 TTL then bounds the staleness).
     *
     * @param channel the channel; never {@code null}
     * @param listener receives each message; never {@code null}
     * @param onGap runs after each gap; never {@code null}
     * @return closing it unsubscribes; idempotent
     */
    default AutoCloseable subscribe(String channel, Consumer<String> listener, Runnable onGap) {
        return subscribe(channel, listener);
    }
}
