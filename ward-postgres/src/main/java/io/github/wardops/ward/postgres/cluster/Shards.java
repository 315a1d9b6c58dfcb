package io.github.wardops.ward.postgres.cluster;

import java.util.Objects;
import java.util.UUID;

/**
 * The fixed split of the fleet into {@value #SHARDS} shards per zone. Stateless and thread-safe.
 *
 * <p>{@link #of(UUID)} decides which runner polls a device, so it must give every runner of every
 * version the same answer: it is frozen. It is the SplitMix64 finalizer ({@code z ^= z >>> 30;
 * z *= 0xbf58476d1ce4e5b9; z ^= z >>> 27; z *= 0x94d049bb133111eb; z ^= z >>> 31}) applied to
 * the id's most significant 64 bits XOR the finalizer of its least significant 64 bits, and the
 * result's low 8 bits (the unsigned value mod 256). Changing it, or {@link #SHARDS}, would move
 * every device at once during a rolling upgrade, with two runner versions disagreeing on who polls
 * what: don't.
 */
public final class Shards {
    /** How many shards each zone has: 256, fixed for good (the table's CHECK says so too). */
    public static final int SHARDS = 256;

    private Shards() {
    }

    /**
     * The shard of a device.
     *
     * @param deviceId the device's id; never {@code null}
     * @return its shard, {@code 0 <= shard < SHARDS}
     */
    public static int of(UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return (int) (mix(deviceId.getMostSignificantBits() ^ mix(deviceId.getLeastSignificantBits())) & (SHARDS - 1));
    }

    /**
     * The shard key of a device in a zone.
     *
     * @param zone the device's {@code zone} label, or {@code ""} for none; never {@code null}
     * @param deviceId the device's id; never {@code null}
     * @return the key
     */
    public static ShardKey key(String zone, UUID deviceId) {
        return new ShardKey(zone, of(deviceId));
    }

    /** The SplitMix64 finalizer (frozen: see the class comment). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
