package io.github.wardops.ward.cache;

import io.github.wardops.ward.inventory.DeviceId;

/**
 * Turns a cache key into the text that follows {@code ward:<cache>:} in a shared-tier key. The
 * text must be 1-256 characters without control characters or spaces; a key that maps to other
 * text is rejected with {@link IllegalArgumentException} when used. Implementations must be
 * thread-safe, deterministic and injective (two keys never map to the same text).
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeyCodec<K> {

    /**
     * The key's text.
     *
     * @param key the key; never {@code null}
     * @return the text; never {@code null}
     */
    String encode(K key);

    /**
     * Keys that are strings already.
     *
     * @return the identity codec
     */
    static KeyCodec<String> strings() {
        return s -> s;
    }

    /**
     * Device ids as their UUID text.
     *
     * @return the codec
     */
    static KeyCodec<DeviceId> deviceIds() {
        return DeviceId::toString;
    }
}
