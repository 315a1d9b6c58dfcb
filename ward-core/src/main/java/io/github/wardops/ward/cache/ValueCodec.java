package io.github.wardops.ward.cache;

import io.github.wardops.ward.internal.cache.Codecs;

/**
 * Turns cache values into bytes for the shared tier and back. Implementations must be
 * thread-safe. {@link #decode(byte[])} may throw any {@link RuntimeException} for bytes it does not
 * understand; the cache then counts the value as corrupt and treats it as a miss, so a bad value
 * in Redis never reaches the caller.
 *
 * <p>The cache wraps every encoded value in a 10-byte envelope (a marker, a version and the
 * expiry time), so a codec need not mark its own values.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

    /**
     * Encodes a value.
     *
     * @param value the value; never {@code null}
     * @return the bytes; never {@code null}
     */
    byte[] encode(V value);

    /**
     * Decodes bytes written by {@link #encode(Object)}, possibly by another ward version.
     *
     * @param bytes the bytes; never {@code null}
     * @return the value; never {@code null}
     * @throws RuntimeException when the bytes are not a value of this codec
     */
    V decode(byte[] bytes);

    /**
     * Strings as UTF-8; decoding rejects malformed UTF-8.
     *
     * @return the codec
     */
    static ValueCodec<String> utf8() {
        return Codecs.UTF8;
    }

    /**
     * Bytes as they are (copied both ways).
     *
     * @return the codec
     */
    static ValueCodec<byte[]> bytes() {
        return Codecs.BYTES;
    }

    /**
     * The compact, versioned binary form of {@link DeviceSnapshot} (about 60 bytes).
     *
     * @return the codec
     */
    static ValueCodec<DeviceSnapshot> deviceSnapshot() {
        return Codecs.DEVICE_SNAPSHOT;
    }

    /**
     * The compact, versioned binary form of {@link InterfaceSnapshots}.
     *
     * @return the codec
     */
    static ValueCodec<InterfaceSnapshots> interfaceSnapshots() {
        return Codecs.INTERFACE_SNAPSHOTS;
    }
}
