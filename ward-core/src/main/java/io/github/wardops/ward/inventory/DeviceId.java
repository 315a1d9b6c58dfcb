package io.github.wardops.ward.inventory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The stable identity of a device: a UUID. Immutable and thread-safe.
 *
 * @param value the UUID; never {@code null}
 */
public record DeviceId(UUID value) implements Comparable<DeviceId> {

    /**
     * Validates the id.
     */
    public DeviceId {
        Objects.requireNonNull(value, "device id");
    }

    /**
     * Parses a UUID string such as {@code b28054ed-930a-4913-a509-0f3b616e3371}.
     *
     * @param text the UUID text; never {@code null}
     * @return the id
     * @throws IllegalArgumentException when the text is not a UUID
     */
    public static DeviceId parse(String text) {
        Objects.requireNonNull(text, "device id");
        String t = text.strip();
        if (t.length() != 36) {
            throw new IllegalArgumentException("not a UUID: '" + text + "'");
        }
        try {
            return new DeviceId(UUID.fromString(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a UUID: '" + text + "'");
        }
    }

    /**
     * Derives a stable id from any key (a name-based UUID, version 3), for inventories whose
     * devices are keyed by something other than a UUID.
     *
     * @param key the key; never {@code null}
     * @return the same id for the same key, every time
     */
    public static DeviceId fromKey(String key) {
        Objects.requireNonNull(key, "key");
        return new DeviceId(UUID.nameUUIDFromBytes(("ward:" + key).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A hash of all 128 bits, mixed. {@link UUID#hashCode()} folds the two halves together with
     * XOR, so ids that carry the same counter in both halves (as generated inventories do:
     * {@code 00000001-0000-4000-8000-000000000001}) all share one hash code, and every hash
     * map of devices falls back to a search tree: at 100,000 such devices that was a third of the
     * runner's CPU.
     */
    @Override
    public int hashCode() {
        long h = value.getMostSignificantBits() * 0x9E3779B97F4A7C15L + value.getLeastSignificantBits();
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceId d && value.equals(d.value);
    }

    @Override
    public int compareTo(DeviceId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
