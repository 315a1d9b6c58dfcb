package io.github.wardops.ward.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * What ward found when it read the Redis server's memory settings ({@code CONFIG GET maxmemory
 * maxmemory-policy}). Immutable.
 *
 * @param status the verdict; never {@code null}
 * @param maxmemory the {@code maxmemory} in bytes, or -1 when unknown
 * @param policy the {@code maxmemory-policy}, or {@code ""} when unknown
 * @param advice what to change, or {@code ""} when nothing; never {@code null}
 * @param at when the check ran; never {@code null}
 */
public record RedisServerCheck(Status status, long maxmemory, String policy, String advice, Instant at) {

    /** The verdict of a check. */
    public enum Status {
        /** Not checked yet. */
        NOT_CHECKED,
        /** A memory limit is set and the policy never evicts keys without a TTL. */
        OK,
        /** {@code maxmemory} is 0: Redis can grow until the host runs out of memory. */
        NO_LIMIT,
        /** The policy ({@code allkeys-*}) can evict any key, including other applications' keys without TTL. */
        EVICTS_ANY_KEY,
        /** The server refused {@code CONFIG GET} (a managed service, an ACL): settings unknown. */
        UNREADABLE,
        /** The server could not be reached. */
        UNREACHABLE
    }

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code status}, {@code policy}, {@code advice} or {@code at} is null
     */
    public RedisServerCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(advice, "advice");
        Objects.requireNonNull(at, "at");
    }
}
