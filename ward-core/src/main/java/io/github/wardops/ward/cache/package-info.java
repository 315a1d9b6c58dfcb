/**
 * ward's two-tier cache: {@link io.github.wardops.ward.cache.TieredCache} (Caffeine in-process,
 * plus an optional shared tier such as Redis from the {@code ward-redis} module), and
 * {@link io.github.wardops.ward.cache.DeviceStateCache}, which keeps the latest state of every
 * device in it for dashboards and APIs.
 *
 * <p>Every entry has a TTL by construction: a cache cannot be built without a default TTL, and a
 * put may only shorten it. A shared tier that fails is skipped, never thrown at the caller.
 */
package io.github.wardops.ward.cache;
