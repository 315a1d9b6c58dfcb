package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.redis.RedisServerCheck;
import io.github.wardops.ward.redis.RedisTier;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.http.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's device state cache (docs/cache.md): a {@link DeviceStateCache} fed by the engine
 * (results: last probe, RTT, loss) and by the state tracker (status, down-since, flapping,
 * interfaces), in process only by default, with Redis as the shared tier when {@code redis-url}
 * is set, so other processes can read the fleet's state. The HTTP API keeps serving from the
 * tracker, the single source of truth the engine writes; the cache is for other readers.
 *
 * <p>Opening never fails because Redis is down: the tier connects in the background and the
 * cache skips it until it is up. Thread-safe. {@link #close()} closes the cache (a last flush),
 * then the Redis connection; idempotent.
 */
public final class Cache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cache.class);
    /** The most devices the cache holds. */
    public static final int MAX_DEVICES = 1_000_000;
    /** How long the start waits for Redis to connect before it logs what it found. */
    private static final long STARTUP_WAIT_NANOS = 3_000_000_000L;

    private final RedisTier redis;
    private final DeviceStateCache states;
    private final String redisHost;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Cache(RedisTier redis, DeviceStateCache states, String redisHost) {
        this.redis = redis;
        this.states = states;
        this.redisHost = redisHost;
    }

    /**
     * Builds the cache, and the Redis tier when {@code redis-url} is set, and logs whether Redis
     * answers and its memory policy.
     *
     * @param settings the settings
     * @param registry where the cache's and Lettuce's meters go
     * @return the cache
     */
    public static Cache open(RunSettings settings, MeterRegistry registry) {
        RedisTier redis = null;
        try {
            DeviceStateCache.Builder b = DeviceStateCache.builder(settings.cacheTtl())
                    .statusFromResults(false)
                    .maxDevices(MAX_DEVICES)
                    .meterRegistry(registry);
            String host = null;
            if (settings.redisUrl() != null) {
                host = withoutPath(settings.redisUrl());
                redis = RedisTier.builder()
                        .uri(withPassword(settings.redisUrl(), settings.secret(RunSettings.REDIS_PASSWORD).orElse(null)))
                        .meterRegistry(registry)
                        .build();
                b.shared(redis);
            }
            Cache c = new Cache(redis, b.build(), host);
            c.logStartup();
            return c;
        } catch (RuntimeException | Error e) {
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    /** The URL with the password put in as user info; the result is a secret. */
    static Secret withPassword(String url, Secret password) {
        if (password == null) {
            return Secret.of(url);
        }
        int at = url.indexOf("://") + 3;
        return Secret.of(url.substring(0, at) + ":" + URLEncoder.encode(password.reveal(), StandardCharsets.UTF_8)
                .replace("+", "%20") + "@" + url.substring(at));
    }

    private static String withoutPath(String url) {
        int slash = url.indexOf('/', url.indexOf("://") + 3);
        return slash < 0 ? url : url.substring(0, slash);
    }

    private void logStartup() {
        if (redis == null) {
            LOG.info("cache: in process only (L1); set redis-url to share device state through Redis");
            return;
        }
        // The tier connects in the background: give it a moment, so the first line tells the truth.
        long deadline = System.nanoTime() + STARTUP_WAIT_NANOS;
        while (!redis.connected() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        RedisServerCheck check = redis.checkServerNow();
        switch (check.status()) {
            case OK -> LOG.info("cache: Redis {} reachable, maxmemory {} bytes, maxmemory-policy {}", redisHost,
                    check.maxmemory(), check.policy());
            case UNREACHABLE -> LOG.warn("cache: Redis {} NOT reachable; starting anyway with the in-process cache, "
                    + "Redis is used once it answers. Fix: check redis-url, redis-password, and that redis-server runs",
                    redisHost);
            case UNREADABLE -> LOG.info("cache: Redis {} reachable; its memory settings cannot be read (CONFIG GET refused)",
                    redisHost);
            default -> LOG.warn("cache: Redis {} reachable, maxmemory {} bytes, maxmemory-policy '{}': {}", redisHost,
                    check.maxmemory(), check.policy(), check.advice());
        }
    }

    /**
     * The cache: register it with the engine (results) and the tracker (state).
     *
     * @return the cache
     */
    public DeviceStateCache states() {
        return states;
    }

    /**
     * The readiness check {@code cache}: always ready in process only; with Redis, ready while
     * connected.
     *
     * @return the check
     */
    public ReadinessCheck readiness() {
        return ReadinessCheck.of("cache", () -> {
            if (redis == null) {
                return new ReadinessCheck.Result(true, "in process (L1 only), " + states.trackedDevices() + " devices");
            }
            RedisServerCheck c = redis.serverCheck();
            String policy = c.policy().isEmpty() ? "" : ", maxmemory-policy " + c.policy();
            return redis.connected()
                    ? new ReadinessCheck.Result(true, "Redis " + redisHost + " connected" + policy + ", "
                            + states.trackedDevices() + " devices")
                    : new ReadinessCheck.Result(false, "Redis " + redisHost + " not connected; serving from the in-process tier");
        });
    }

    /** Closes the cache (writing what is pending), then Redis. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            states.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the cache failed: {}", e.toString());
        }
        if (redis != null) {
            try {
                redis.close();
            } catch (RuntimeException e) {
                LOG.warn("closing Redis failed: {}", e.toString());
            }
        }
    }
}
