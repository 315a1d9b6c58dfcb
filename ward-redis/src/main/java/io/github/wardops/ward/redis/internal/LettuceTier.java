package io.github.wardops.ward.redis.internal;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.redis.RedisServerCheck;
import io.github.wardops.ward.redis.RedisTier;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce implementation of {@link RedisTier}.
 *
 * <p>Connections ward creates are opened in the background and re-opened by a one-thread
 * housekeeping scheduler (at most once a second) until the first connect succeeds; after that,
 * Lettuce reconnects by itself, with at most 1 s between attempts. Every call uses the async API
 * and waits at most the command timeout, then cancels the command, whatever the connection's own
 * options are. Nothing here logs the URI (it may hold a password).
 */
public final class LettuceTier implements RedisTier {
    private static final Logger LOG = LoggerFactory.getLogger(LettuceTier.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

    /**
     * The validated settings; exactly one of {@code uri}, {@code client} or {@code connection} is
     * set.
     *
     * @param uri the URI of a client ward creates
     * @param client the user's client
     * @param clientUri where the user's client connects
     * @param connection the user's command connection
     * @param pubSub the user's pub/sub connection, or {@code null}
     * @param commandTimeout the call timeout
     * @param connectTimeout the connect timeout
     * @param requestQueueSize the queue bound
     * @param serverCheckInterval the check period
     * @param registry the registry, or {@code null}
     */
    public record Config(RedisURI uri, RedisClient client, RedisURI clientUri,
                         StatefulRedisConnection<String, byte[]> connection,
                         StatefulRedisPubSubConnection<String, String> pubSub, Duration commandTimeout,
                         Duration connectTimeout, int requestQueueSize, Duration serverCheckInterval,
                         MeterRegistry registry) {
    }

    private final Duration commandTimeout;
    private final long timeoutNanos;
    private final ClientResources ownedResources;
    private final RedisClient client;
    private final boolean ownsClient;
    private final RedisURI target;
    private final boolean ownsConnections;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean connectingPubSub = new AtomicBoolean();
    private final Map<String, Set<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final RedisPubSubAdapter<String, String> dispatcher = new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
            Set<Consumer<String>> set = subscribers.get(channel);
            if (set != null) {
                for (Consumer<String> c : set) {
                    try {
                        c.accept(message);
                    } catch (RuntimeException e) {
                        LOG.debug("invalidation listener failed: {}", e.toString());
                    }
                }
            }
        }
    };
    private final Set<Runnable> gapListeners = new CopyOnWriteArraySet<>();
    private final RedisConnectionStateListener pubSubState = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
            // A reconnect: subscribe again to every channel (one whose SUBSCRIBE was rejected while
            // disconnected is not among those Lettuce restores), and report the gap: whatever was
            // published while the subscription was down is lost.
            StatefulRedisPubSubConnection<String, String> ps = pubSub;
            if (ps != null && !subscribers.isEmpty()) {
                ps.async().subscribe(subscribers.keySet().toArray(new String[0]));
            }
            gap();
        }
    };
    private final ScheduledExecutorService housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RedisServerCheck check = new RedisServerCheck(RedisServerCheck.Status.NOT_CHECKED, -1, "", "",
            Instant.EPOCH);
    private volatile RedisServerCheck.Status lastLogged = RedisServerCheck.Status.NOT_CHECKED;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final LogLimiter connectFailureLog = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    /**
     * Creates the tier and starts connecting in the background.
     *
     * @param c the settings
     */
    public LettuceTier(Config c) {
        this.commandTimeout = c.commandTimeout();
        this.timeoutNanos = c.commandTimeout().toNanos();
        this.registry = c.registry();
        if (c.uri() != null) {
            ClientResources.Builder rb = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(50), RECONNECT_EVERY, 2, TimeUnit.MILLISECONDS));
            if (c.registry() != null) {
                // Lettuce's own command latency meters (lettuce.command.completion / .firstresponse,
                // tagged by command type), without histograms, in the same registry as ward's.
                rb.commandLatencyRecorder(new io.lettuce.core.metrics.MicrometerCommandLatencyRecorder(c.registry(),
                        io.lettuce.core.metrics.MicrometerOptions.builder().histogram(false).build()));
            }
            ownedResources = rb.build();
            client = RedisClient.create(ownedResources);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(c.requestQueueSize())
                    .timeoutOptions(TimeoutOptions.enabled(c.commandTimeout()))
                    .socketOptions(SocketOptions.builder().connectTimeout(c.connectTimeout()).keepAlive(true).build())
                    .build());
            ownsClient = true;
            target = c.uri();
            ownsConnections = true;
        } else if (c.client() != null) {
            ownedResources = null;
            client = c.client();
            ownsClient = false;
            target = c.clientUri();
            ownsConnections = true;
            warnIfUnbounded(client.getOptions(), "the RedisClient handed in");
        } else {
            ownedResources = null;
            client = null;
            ownsClient = false;
            target = null;
            ownsConnections = false;
            connection = c.connection();
            warnIfUnbounded(connection.getOptions(), "the connection handed in");
            if (c.pubSub() != null) {
                pubSub = c.pubSub();
                pubSub.addListener(dispatcher);
                pubSub.addListener(pubSubState);
            } else {
                LOG.warn("RedisTier: no pub/sub connection was handed in: this instance publishes invalidations but "
                        + "does not receive them; other instances' changes reach it only when its L1 entries expire");
            }
        }
        if (registry != null) {
            meters.add(Gauge.builder("ward.redis.connected", this, t -> t.connected() ? 1 : 0)
                    .description("1 when the Redis command connection is open").register(registry));
            meters.add(Gauge.builder("ward.redis.config.problem", this, t -> switch (t.check.status()) {
                case NO_LIMIT, EVICTS_ANY_KEY -> 1;
                default -> 0;
            }).description("1 when Redis has no maxmemory or an allkeys-* eviction policy").register(registry));
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ward-redis-housekeeping");
            t.setDaemon(true);
            return t;
        });
        connectInBackground();
        housekeeping.scheduleWithFixedDelay(Guard.periodic("Redis reconnect", LOG, this::connectInBackground), RECONNECT_EVERY.toMillis(), RECONNECT_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        long checkMillis = c.serverCheckInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(Guard.periodic("Redis server check", LOG, this::checkGuarded), 0, checkMillis, TimeUnit.MILLISECONDS);
    }

    private static void warnIfUnbounded(ClientOptions o, String what) {
        if (o.getDisconnectedBehavior() != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS
                || o.getRequestQueueSize() == Integer.MAX_VALUE) {
            LOG.warn("RedisTier: {} queues commands while disconnected (disconnectedBehavior {}, requestQueueSize {}). "
                    + "ward bounds its own waits to the command timeout, but queued commands hold memory until they time "
                    + "out: set ClientOptions.disconnectedBehavior(REJECT_COMMANDS) and a bounded requestQueueSize",
                    what, o.getDisconnectedBehavior(), o.getRequestQueueSize());
        }
    }

    private void connectInBackground() {
        if (closed.get() || !ownsConnections) {
            return;
        }
        if (connection == null && connecting.compareAndSet(false, true)) {
            client.connectAsync(CODEC, target).whenComplete((conn, e) -> {
                connecting.set(false);
                if (conn == null) {
                    logConnectFailure(e);
                } else if (closed.get()) {
                    conn.closeAsync();
                } else {
                    connection = conn;
                    LOG.info("RedisTier: connected");
                    try {
                        housekeeping.execute(this::checkGuarded);
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // closed meanwhile: no check needed
                    }
                }
            });
        }
        if (pubSub == null && connectingPubSub.compareAndSet(false, true)) {
            client.connectPubSubAsync(StringCodec.UTF8, target).whenComplete((conn, e) -> {
                connectingPubSub.set(false);
                if (conn == null) {
                    logConnectFailure(e);
                } else if (closed.get()) {
                    conn.closeAsync();
                } else {
                    conn.addListener(dispatcher);
                    conn.addListener(pubSubState);
                    pubSub = conn;
                    if (!subscribers.isEmpty()) {
                        conn.async().subscribe(subscribers.keySet().toArray(new String[0]));
                        gap();
                    }
                }
            });
        }
    }

    private void logConnectFailure(Throwable e) {
        if (connectFailureLog.allow("connect")) {
            LOG.warn("RedisTier: cannot connect yet, retrying every {} (logged at most once a minute): {}", RECONNECT_EVERY,
                    e == null ? "unknown" : e.getClass().getSimpleName());
        }
    }

    private RedisAsyncCommands<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            throw new WardException("Redis is not connected");
        }
        return c.async();
    }

    private <T> T await(RedisFuture<T> f, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new WardException("Redis command timed out after " + commandTimeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new WardException("Redis command failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while waiting for Redis");
        }
    }

    private long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    @Override
    public Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public byte[] get(String key) {
        long d = deadline();
        return await(commands().get(key), d);
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        long d = deadline();
        List<KeyValue<String, byte[]>> kvs = await(commands().mget(keys.toArray(new String[0])), d);
        List<byte[]> out = new ArrayList<>(kvs.size());
        for (KeyValue<String, byte[]> kv : kvs) {
            out.add(kv.hasValue() ? kv.getValue() : null);
        }
        return out;
    }

    private static long ttlMillis(Duration ttl) {
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("a TTL of at least 1 ms is required, got " + ttl);
        }
        return ttl.toMillis();
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        long px = ttlMillis(ttl);
        long d = deadline();
        String reply = await(commands().set(key, value, SetArgs.Builder.px(px)), d);
        if (!"OK".equals(reply)) {
            throw new WardException("Redis SET answered " + reply);
        }
    }

    @Override
    public void setAll(Map<String, byte[]> entries, Duration ttl) {
        long px = ttlMillis(ttl);
        long d = deadline();
        RedisAsyncCommands<String, byte[]> cmd = commands();
        List<RedisFuture<String>> replies = new ArrayList<>(entries.size());
        SetArgs args = SetArgs.Builder.px(px);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            replies.add(cmd.set(e.getKey(), e.getValue(), args));
        }
        WardException failure = null;
        for (RedisFuture<String> f : replies) {
            if (failure != null) {
                f.cancel(true);
                continue;
            }
            try {
                String reply = await(f, d);
                if (!"OK".equals(reply)) {
                    failure = new WardException("Redis SET answered " + reply);
                }
            } catch (WardException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void delete(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        long d = deadline();
        await(commands().del(keys.toArray(new String[0])), d);
    }

    @Override
    public void publish(String channel, String message) {
        long d = deadline();
        await(commands().publish(channel, message.getBytes(StandardCharsets.UTF_8)), d);
    }

    private void gap() {
        for (Runnable r : gapListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.debug("gap listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> listener, Runnable onGap) {
        gapListeners.add(onGap);
        AutoCloseable sub = subscribe(channel, listener);
        return () -> {
            gapListeners.remove(onGap);
            sub.close();
        };
    }

    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> listener) {
        Set<Consumer<String>> set = subscribers.computeIfAbsent(channel, ch -> new CopyOnWriteArraySet<>());
        boolean first = set.isEmpty();
        set.add(listener);
        StatefulRedisPubSubConnection<String, String> ps = pubSub;
        if (first && ps != null) {
            ps.async().subscribe(channel);
        }
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                set.remove(listener);
                StatefulRedisPubSubConnection<String, String> p = pubSub;
                if (set.isEmpty() && p != null && p.isOpen()) {
                    p.async().unsubscribe(channel);
                }
            }
        };
    }

    @Override
    public boolean connected() {
        StatefulRedisConnection<String, byte[]> c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public RedisServerCheck serverCheck() {
        return check;
    }

    private void checkGuarded() {
        try {
            checkServerNow();
        } catch (RuntimeException e) {
            LOG.debug("RedisTier: server check failed: {}", e.toString());
        }
    }

    @Override
    public synchronized RedisServerCheck checkServerNow() {
        RedisServerCheck c = readServerSettings();
        check = c;
        if (c.status() != lastLogged && c.status() != RedisServerCheck.Status.UNREACHABLE) {
            lastLogged = c.status();
            switch (c.status()) {
                case NO_LIMIT, EVICTS_ANY_KEY -> LOG.warn("RedisTier: {}", c.advice());
                case UNREADABLE -> LOG.info("RedisTier: {}", c.advice());
                default -> LOG.debug("RedisTier: memory settings OK (maxmemory {}, policy {})", c.maxmemory(), c.policy());
            }
        }
        return c;
    }

    private RedisServerCheck readServerSettings() {
        Instant now = Instant.now();
        if (!connected()) {
            return new RedisServerCheck(RedisServerCheck.Status.UNREACHABLE, -1, "", "Redis is not connected", now);
        }
        Map<String, String> m;
        try {
            m = await(commands().configGet("maxmemory", "maxmemory-policy"), deadline());
        } catch (WardException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("timed out") || msg.contains("not connected") || msg.contains("connection")) {
                return new RedisServerCheck(RedisServerCheck.Status.UNREACHABLE, -1, "", "Redis did not answer", now);
            }
            return new RedisServerCheck(RedisServerCheck.Status.UNREADABLE, -1, "",
                    "the server refused CONFIG GET, so ward cannot check its memory settings; make sure maxmemory is "
                            + "set and maxmemory-policy is volatile-ttl, volatile-lru or noeviction (see docs/cache.md)",
                    now);
        }
        long max;
        try {
            max = Long.parseLong(m.getOrDefault("maxmemory", "-1").strip());
        } catch (NumberFormatException e) {
            max = -1;
        }
        String policy = m.getOrDefault("maxmemory-policy", "").strip();
        if (m.isEmpty() || max < 0) {
            return new RedisServerCheck(RedisServerCheck.Status.UNREADABLE, max, policy,
                    "the server did not report maxmemory; make sure it is set (see docs/cache.md)", now);
        }
        if (max == 0) {
            return new RedisServerCheck(RedisServerCheck.Status.NO_LIMIT, 0, policy,
                    "Redis has no memory limit (maxmemory 0), so it can grow until the host runs out of memory. Fix: "
                            + "CONFIG SET maxmemory <bytes> (and maxmemory in redis.conf), with maxmemory-policy "
                            + "volatile-ttl or noeviction; see docs/cache.md for the budget per device", now);
        }
        if (policy.startsWith("allkeys-")) {
            return new RedisServerCheck(RedisServerCheck.Status.EVICTS_ANY_KEY, max, policy,
                    "Redis maxmemory-policy is " + policy + ": when full it evicts any key, including keys without a TTL "
                            + "that other applications need (queues, locks, sessions). Fix: CONFIG SET maxmemory-policy "
                            + "volatile-ttl (or noeviction) and the same in redis.conf; ward's keys all have a TTL", now);
        }
        return new RedisServerCheck(RedisServerCheck.Status.OK, max, policy, "", now);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeping.shutdownNow();
        StatefulRedisPubSubConnection<String, String> ps = pubSub;
        if (ps != null) {
            ps.removeListener(dispatcher);
            ps.removeListener(pubSubState);
            if (ownsConnections) {
                ps.close();
            } else if (ps.isOpen() && !subscribers.isEmpty()) {
                ps.async().unsubscribe(subscribers.keySet().toArray(new String[0]));
            }
        }
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null && ownsConnections) {
            c.close();
        }
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
