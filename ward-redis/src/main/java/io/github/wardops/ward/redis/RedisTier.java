package io.github.wardops.ward.redis;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.SharedTier;
import io.github.wardops.ward.redis.internal.LettuceTier;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis as the shared tier (L2) of ward's caches, over Lettuce. One tier serves any number of
 * caches; hand it to {@code TieredCache.Builder.shared(...)} or {@code DeviceStateCache.Builder.shared(...)}.
 *
 * <pre>{@code
 * try (RedisTier redis = RedisTier.builder().uri(Secret.of("redis://127.0.0.1:6379")).build()) {
 *     TieredCache<String, String> cache = TieredCache.builder("names", Duration.ofMinutes(1), 10_000)
 *             .values(ValueCodec.utf8()).shared(redis).build();
 * }
 * }</pre>
 *
 * <p>Every write is {@code SET key value PX ttl}: there is no write without a TTL. Every call
 * returns or fails within the command timeout. When ward creates the connection it configures
 * Lettuce so that an outage cannot grow memory or stall callers: commands are rejected while
 * disconnected, the request queue is bounded, commands time out, and reconnects are retried every
 * second at most. A client or connection handed in stays the user's: ward never closes it, bounds
 * its own waits with the command timeout, and warns once when its options let commands queue up
 * while disconnected.
 *
 * <p>On start and every check interval, the tier reads {@code maxmemory} and
 * {@code maxmemory-policy} and logs a warning with the fix, once per finding, when there is no
 * limit or the policy can evict any key ({@code allkeys-*}); see {@link #serverCheck()}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public interface RedisTier extends SharedTier, AutoCloseable {

    /**
     * Starts a builder.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The latest result of the server memory-settings check.
     *
     * @return the check; {@link RedisServerCheck.Status#NOT_CHECKED} before the first one
     */
    RedisServerCheck serverCheck();

    /**
     * Runs the server memory-settings check now (within the command timeout) and logs as the
     * scheduled check does.
     *
     * @return the check
     */
    RedisServerCheck checkServerNow();

    /**
     * Whether the command connection is open now.
     *
     * @return {@code true} when connected
     */
    boolean connected();

    /**
     * Stops the background thread and closes what ward created (connections, and the client and
     * its resources when built from a URI); never a client or connection handed in.
     */
    @Override
    void close();

    /** Builds a {@link RedisTier}; {@link #build()} reports every invalid setting at once. Not thread-safe. */
    final class Builder {
        private Secret uri;
        private RedisClient client;
        private RedisURI clientUri;
        private StatefulRedisConnection<String, byte[]> connection;
        private StatefulRedisPubSubConnection<String, String> pubSubConnection;
        private Duration commandTimeout = Duration.ofMillis(250);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private int requestQueueSize = 1024;
        private Duration serverCheckInterval = Duration.ofMinutes(5);
        private MeterRegistry registry;
        private final List<String> problems = new ArrayList<>();
        private int sources;

        private Builder() {
        }

        /**
         * Connects to this URI ({@code redis://[:password@]host:port[/db]}); ward creates the
         * client, configures it and closes it. The URI is a secret: it may hold a password.
         *
         * @param redisUri the URI
         * @return this builder
         */
        public Builder uri(Secret redisUri) {
            sources++;
            this.uri = redisUri;
            return this;
        }

        /**
         * Connects through the user's client, which ward does not close (ward closes the two
         * connections it opens with it).
         *
         * @param redisClient the client
         * @param redisUri where to connect
         * @return this builder
         */
        public Builder client(RedisClient redisClient, RedisURI redisUri) {
            sources++;
            if (redisClient == null || redisUri == null) {
                problems.add("client and its URI must not be null");
            }
            this.client = redisClient;
            this.clientUri = redisUri;
            return this;
        }

        /**
         * Uses the user's connections, which ward does not close. Without a pub/sub connection,
         * invalidations are published but not received: other instances' puts reach this one only
         * through the L1 TTL.
         *
         * @param commands the command connection
         * @param pubSub the pub/sub connection, or {@code null}
         * @return this builder
         */
        public Builder connections(StatefulRedisConnection<String, byte[]> commands,
                                   StatefulRedisPubSubConnection<String, String> pubSub) {
            sources++;
            if (commands == null) {
                problems.add("the command connection must not be null");
            }
            this.connection = commands;
            this.pubSubConnection = pubSub;
            return this;
        }

        /**
         * Sets the longest any call waits for Redis (1 ms - 10 s; default 250 ms).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * Sets the TCP connect timeout of connections ward creates (10 ms - 30 s; default 1 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the bound of the command queue of connections ward creates (16-100,000; default 1,024).
         *
         * @param size the bound
         * @return this builder
         */
        public Builder requestQueueSize(int size) {
            this.requestQueueSize = size;
            return this;
        }

        /**
         * Sets how often the server's memory settings are checked (1 s - 1 day; default 5 min).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder serverCheckInterval(Duration interval) {
            this.serverCheckInterval = interval;
            return this;
        }

        /**
         * Sets the registry for the tier's meters (not closed by the tier).
         *
         * @param meterRegistry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.registry = meterRegistry;
            return this;
        }

        /**
         * Builds the tier. It connects in the background: a Redis that is down at start is not
         * an error (calls fail fast, and the caches skip the tier, until it is up).
         *
         * @return the tier
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public RedisTier build() {
            List<String> p = new ArrayList<>(problems);
            if (sources != 1) {
                p.add("exactly one of uri, client or connections must be set (got " + sources + ")");
            }
            RedisURI parsed = null;
            if (uri != null) {
                try {
                    parsed = RedisURI.create(uri.reveal());
                } catch (RuntimeException e) {
                    p.add("uri is not a valid Redis URI (value not shown: it may hold a password)");
                }
            }
            if (commandTimeout == null || commandTimeout.compareTo(Duration.ofMillis(1)) < 0
                    || commandTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
                p.add("commandTimeout = " + commandTimeout + ": must be 1 ms - 10 s");
            }
            if (connectTimeout == null || connectTimeout.compareTo(Duration.ofMillis(10)) < 0
                    || connectTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
                p.add("connectTimeout = " + connectTimeout + ": must be 10 ms - 30 s");
            }
            if (requestQueueSize < 16 || requestQueueSize > 100_000) {
                p.add("requestQueueSize = " + requestQueueSize + ": must be 16-100000");
            }
            if (serverCheckInterval == null || serverCheckInterval.compareTo(Duration.ofSeconds(1)) < 0
                    || serverCheckInterval.compareTo(Duration.ofDays(1)) > 0) {
                p.add("serverCheckInterval = " + serverCheckInterval + ": must be 1 s - 1 day");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("RedisTier", p);
            }
            return new LettuceTier(new LettuceTier.Config(parsed, client, clientUri, connection, pubSubConnection,
                    commandTimeout, connectTimeout, requestQueueSize, serverCheckInterval, registry));
        }
    }
}
