package io.github.wardops.ward.cache;

/**
 * The state of a cache's shared tier as its circuit breaker sees it.
 */
public enum L2State {
    /** The cache has no shared tier: it runs L1-only. */
    NONE,
    /** The shared tier is used. */
    CLOSED,
    /** The shared tier failed repeatedly and is skipped until the cool-down ends. */
    OPEN,
    /** The cool-down ended; one call is probing the shared tier. */
    HALF_OPEN
}
