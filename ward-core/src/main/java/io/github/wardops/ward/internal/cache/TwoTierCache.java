package io.github.wardops.ward.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.cache.KeyCodec;
import io.github.wardops.ward.cache.L2State;
import io.github.wardops.ward.cache.SharedTier;
import io.github.wardops.ward.cache.TieredCache;
import io.github.wardops.ward.cache.ValueCodec;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TieredCache} implementation: a Caffeine L1 with per-entry expiry, an optional
 * {@link SharedTier} behind a circuit breaker, and pub/sub invalidation.
 *
 * <p>Bounds: L1 by its maximum size; the in-flight load map by the number of threads loading at
 * once (an entry lives only while its loader runs); invalidation messages by the batch size.
 * Within one call, the shared tier is given up after its first failure, so a call waits for it at
 * most one command timeout.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TwoTierCache<K, V> implements TieredCache<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(TwoTierCache.class);
    private static final int MAX_KEY_LENGTH = 256;
    private static final Object FAILED = new Object();

    /**
     * The validated settings.
     *
     * @param name the name
     * @param defaultTtl the default and longest TTL
     * @param l1Ttl the longest L1 lifetime
     * @param maximumL1Size the L1 bound
     * @param keys the key codec
     * @param values the value codec
     * @param shared the shared tier, or {@code null}
     * @param failureThreshold breaker failures
     * @param coolDown breaker cool-down
     * @param batchSize keys per L2 batch
     * @param registry the registry, or {@code null}
     * @param clock the wall clock for L2 expiry stamps
     * @param ticker the monotonic time for L1 expiry, the breaker's cool-down and rate limits
     * @param <K> the key type
     * @param <V> the value type
     */
    public record Config<K, V>(String name, Duration defaultTtl, Duration l1Ttl, long maximumL1Size, KeyCodec<K> keys,
                               ValueCodec<V> values, SharedTier shared, int failureThreshold, Duration coolDown,
                               int batchSize, MeterRegistry registry, InstantSource clock,
                               io.github.wardops.ward.Ticker ticker) {
    }

    private record Held<V>(V value, long lifetimeNanos) {
    }

    private record Load<V>(Thread owner, CompletableFuture<V> future) {
    }

    private final String name;
    private final String prefix;
    private final String channel;
    private final String instanceId;
    private final Duration defaultTtl;
    private final long defaultTtlMillis;
    private final long l1TtlNanos;
    private final KeyCodec<K> keys;
    private final ValueCodec<V> values;
    private final SharedTier shared;
    private final int batchSize;
    private final InstantSource clock;
    private final Cache<String, Held<V>> l1;
    private final ConcurrentHashMap<String, Load<V>> inflight = new ConcurrentHashMap<>();
    private final AtomicLong remoteInvalidations = new AtomicLong();
    private final Breaker breaker;
    private final LogLimiter logLimiter;
    private final AutoCloseable subscription;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final MeterRegistry registry;
    private final List<Meter> meters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Counter l1Hits;
    private final Counter l1Misses;
    private final Counter l2Hits;
    private final Counter l2Misses;
    private final Counter loadSuccesses;
    private final Counter loadFailures;
    private final Counter l2Skipped;
    private final Counter foreignValues;
    private final Counter corruptValues;
    private final Counter invalidationsReceived;
    private final Counter invalidationGaps;
    private final Counter pendingDropped;
    /** Keys whose L2 delete failed: masked as misses here and retried when L2 answers again. */
    private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();
    private final int maxPendingDeletes;
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final Map<String, Counter> l2Errors = new ConcurrentHashMap<>();

    /**
     * Creates the cache from validated settings.
     *
     * @param c the settings
     */
    public TwoTierCache(Config<K, V> c) {
        this.name = c.name();
        this.prefix = "ward:" + name + ":";
        this.channel = "ward:invalidate:" + name;
        this.instanceId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.defaultTtl = c.defaultTtl();
        this.defaultTtlMillis = c.defaultTtl().toMillis();
        this.l1TtlNanos = Math.min(c.l1Ttl().toNanos(), TimeUnit.MILLISECONDS.toNanos(defaultTtlMillis));
        this.keys = c.keys();
        this.values = c.values();
        this.shared = c.shared();
        this.batchSize = c.batchSize();
        this.clock = c.clock();
        this.registry = c.registry() != null ? c.registry() : new SimpleMeterRegistry();
        io.github.wardops.ward.Ticker wardTicker = c.ticker();
        Ticker ticker = wardTicker == io.github.wardops.ward.Ticker.system() ? Ticker.systemTicker() : wardTicker::read;
        this.breaker = new Breaker(c.failureThreshold(), c.coolDown().toNanos(), wardTicker::read);
        this.logLimiter = new LogLimiter(TimeUnit.MINUTES.toNanos(1), wardTicker);

        l1Hits = counter("ward.cache.gets", "Cache reads by tier and result", "tier", "l1", "result", "hit");
        l1Misses = counter("ward.cache.gets", "Cache reads by tier and result", "tier", "l1", "result", "miss");
        l2Hits = counter("ward.cache.gets", "Cache reads by tier and result", "tier", "l2", "result", "hit");
        l2Misses = counter("ward.cache.gets", "Cache reads by tier and result", "tier", "l2", "result", "miss");
        loadSuccesses = counter("ward.cache.loads", "Loader calls", "result", "success");
        loadFailures = counter("ward.cache.loads", "Loader calls", "result", "failure");
        l2Skipped = counter("ward.cache.l2.skipped", "L2 calls skipped because the circuit breaker was open");
        foreignValues = counter("ward.cache.bad.values", "Values in L2 treated as misses", "kind", "foreign");
        corruptValues = counter("ward.cache.bad.values", "Values in L2 treated as misses", "kind", "corrupt");
        invalidationsReceived = counter("ward.cache.invalidations.received", "Invalidation messages from other instances");
        pendingDropped = counter("ward.cache.l2.pending.dropped",
                "Failed L2 deletes not kept for retry because the retry set was full");
        this.maxPendingDeletes = (int) Math.min(100_000, Math.max(1_000, c.maximumL1Size()));
        invalidationGaps = counter("ward.cache.invalidations.gaps",
                "Times L1 was cleared because invalidation messages may have been lost (a pub/sub reconnect)");
        Counter evictedSize = counter("ward.cache.evictions", "L1 entries evicted", "tier", "l1", "cause", "size");
        Counter evictedExpired = counter("ward.cache.evictions", "L1 entries evicted", "tier", "l1", "cause", "expired");

        this.l1 = Caffeine.newBuilder()
                .maximumSize(c.maximumL1Size())
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new Expiry<String, Held<V>>() {
                    @Override
                    public long expireAfterCreate(String key, Held<V> value, long currentTime) {
                        return value.lifetimeNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Held<V> value, long currentTime, long currentDuration) {
                        return value.lifetimeNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Held<V> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .<String, Held<V>>evictionListener((k, v, cause) -> {
                    if (cause == com.github.benmanes.caffeine.cache.RemovalCause.SIZE) {
                        evictedSize.increment();
                    } else if (cause == com.github.benmanes.caffeine.cache.RemovalCause.EXPIRED) {
                        evictedExpired.increment();
                    }
                })
                .build();
        meters.add(Gauge.builder("ward.cache.size", l1, Cache::estimatedSize).tag("cache", name).tag("tier", "l1")
                .description("Entries in L1").register(registry));
        if (shared != null) {
            meters.add(Gauge.builder("ward.cache.l2.breaker", breaker, b -> switch (b.state()) {
                case CLOSED, NONE -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            }).tag("cache", name).description("L2 circuit breaker: 0 closed, 1 half-open, 2 open").register(registry));
            this.subscription = subscribe();
        } else {
            this.subscription = null;
        }
    }

    private Counter counter(String meter, String description, String... tags) {
        Counter counter = Counter.builder(meter).tag("cache", name).tags(tags).description(description).register(registry);
        meters.add(counter);
        return counter;
    }

    private AutoCloseable subscribe() {
        try {
            return shared.subscribe(channel, this::onInvalidation, this::onGap);
        } catch (RuntimeException e) {
            l2Failed("subscribe", e);
            return null;
        }
    }

    /** Messages may have been lost: nothing in L1 can be trusted to be current. */
    private void onGap() {
        remoteInvalidations.incrementAndGet();
        l1.invalidateAll();
        // Counted only once L1 is empty: whoever sees the gap in the meter may rely on it having been handled.
        invalidationGaps.increment();
    }

    private void onInvalidation(String message) {
        int nl = message.indexOf('\n');
        if (nl <= 0 || message.substring(0, nl).equals(instanceId)) {
            return;
        }
        remoteInvalidations.incrementAndGet();
        List<String> ks = List.of(message.substring(nl + 1).split("\n"));
        l1.invalidateAll(ks);
        invalidationsReceived.increment();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration defaultTtl() {
        return defaultTtl;
    }

    @Override
    public Optional<V> get(K key) {
        String k = keyText(key);
        Held<V> h = l1.getIfPresent(k);
        if (h != null) {
            l1Hits.increment();
            return Optional.of(h.value());
        }
        l1Misses.increment();
        Object v = readThrough(k);
        return v == null || v == FAILED ? Optional.empty() : Optional.of(cast(v));
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        String k = keyText(key);
        Held<V> h = l1.getIfPresent(k);
        if (h != null) {
            l1Hits.increment();
            return h.value();
        }
        l1Misses.increment();
        Load<V> mine = new Load<>(Thread.currentThread(), new CompletableFuture<>());
        Load<V> running = inflight.putIfAbsent(k, mine);
        if (running != null) {
            if (running.owner() == Thread.currentThread()) {
                throw new IllegalStateException("recursive load of key '" + k + "' in cache " + name);
            }
            return await(running.future());
        }
        try {
            h = l1.getIfPresent(k);
            V v;
            if (h != null) {
                v = h.value();
            } else {
                Object found = readThrough(k);
                if (found != null && found != FAILED) {
                    v = cast(found);
                } else {
                    try {
                        v = loader.apply(key);
                    } catch (RuntimeException | Error e) {
                        loadFailures.increment();
                        throw e;
                    }
                    loadSuccesses.increment();
                    if (v != null) {
                        store(k, v, defaultTtlMillis, found != FAILED);
                    }
                }
            }
            mine.future().complete(v);
            return v;
        } catch (Throwable t) {
            mine.future().completeExceptionally(t);
            throw t;
        } finally {
            inflight.remove(k, mine);
        }
    }

    private static <V> V await(CompletableFuture<V> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new WardException("load failed", e.getCause());
        }
    }

    @Override
    public Map<K, V> getAll(Collection<? extends K> ks) {
        Map<K, V> found = new LinkedHashMap<>();
        Map<String, K> missing = new LinkedHashMap<>();
        for (K key : ks) {
            String k = keyText(key);
            Held<V> h = l1.getIfPresent(k);
            if (h != null) {
                l1Hits.increment();
                found.put(key, h.value());
            } else {
                l1Misses.increment();
                missing.put(k, key);
            }
        }
        if (shared != null && !missing.isEmpty()) {
            List<String> texts = new ArrayList<>(missing.keySet());
            for (int from = 0; from < texts.size(); from += batchSize) {
                List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
                long seq = remoteInvalidations.get();
                List<String> full = new ArrayList<>(batch.size());
                boolean[] masked = new boolean[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    full.add(prefix + batch.get(i));
                    masked[i] = isPendingDelete(batch.get(i));
                }
                Object r = l2("mget", () -> shared.getAll(full));
                if (r == FAILED) {
                    break;
                }
                List<?> raw = (List<?>) r;
                if (raw == null || raw.size() != batch.size()) {
                    l2Failed("mget", new IllegalStateException("MGET answered " + (raw == null ? "null" : raw.size() + " values")
                            + " for " + batch.size() + " keys"));
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    Object v = accept(batch.get(i), masked[i] ? null : (byte[]) raw.get(i), seq);
                    if (v != null) {
                        found.put(missing.get(batch.get(i)), cast(v));
                    }
                }
            }
        }
        return java.util.Collections.unmodifiableMap(found);
    }

    @Override
    public void put(K key, V value) {
        store(keyText(key), Objects.requireNonNull(value, "value"), defaultTtlMillis, true);
    }

    @Override
    public void put(K key, V value, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofMillis(1)) < 0 || ttl.compareTo(defaultTtl) > 0) {
            throw new IllegalArgumentException("ttl = " + ttl + ": must be 1 ms - the default TTL (" + defaultTtl
                    + ") of cache " + name);
        }
        store(keyText(key), Objects.requireNonNull(value, "value"), ttl.toMillis(), true);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        Map<String, V> byText = new LinkedHashMap<>();
        entries.forEach((k, v) -> byText.put(keyText(k), Objects.requireNonNull(v, "value")));
        Map<String, byte[]> encoded = new HashMap<>();
        if (shared != null) {
            long expireAt = clock.millis() + defaultTtlMillis;
            byText.forEach((k, v) -> encoded.put(k, Envelope.wrap(values.encode(v), expireAt)));
        }
        long life = Math.min(l1TtlNanos, TimeUnit.MILLISECONDS.toNanos(defaultTtlMillis));
        byText.forEach((k, v) -> l1.put(k, new Held<>(v, life)));
        if (shared == null) {
            return;
        }
        List<String> texts = new ArrayList<>(byText.keySet());
        Duration ttl = Duration.ofMillis(defaultTtlMillis);
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            Map<String, byte[]> full = new LinkedHashMap<>();
            for (String k : batch) {
                full.put(prefix + k, encoded.get(k));
            }
            if (l2("setall", () -> {
                shared.setAll(full, ttl);
                return null;
            }) == FAILED) {
                return;
            }
            if (!pendingDeletes.isEmpty()) {
                batch.forEach(pendingDeletes::remove);
            }
            publish(batch);
        }
    }

    @Override
    public void invalidate(K key) {
        invalidateTexts(List.of(keyText(key)));
    }

    @Override
    public void invalidateAll(Collection<? extends K> ks) {
        List<String> texts = new ArrayList<>(ks.size());
        for (K k : ks) {
            texts.add(keyText(k));
        }
        invalidateTexts(texts);
    }

    private void invalidateTexts(List<String> texts) {
        l1.invalidateAll(texts);
        if (shared == null) {
            return;
        }
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            List<String> full = new ArrayList<>(batch.size());
            for (String k : batch) {
                full.add(prefix + k);
            }
            if (l2("delete", () -> {
                shared.delete(full);
                return null;
            }) == FAILED) {
                remember(texts.subList(from, texts.size()));
                return;
            }
            publish(batch);
        }
    }

    /** Whether the key's L2 delete failed and waits for a retry (its L2 value must not be served). */
    private boolean isPendingDelete(String k) {
        return !pendingDeletes.isEmpty() && pendingDeletes.contains(k);
    }

    private void remember(List<String> texts) {
        for (String k : texts) {
            if (pendingDeletes.size() >= maxPendingDeletes) {
                pendingDropped.increment();
            } else {
                pendingDeletes.add(k);
            }
        }
    }

    /** Retries failed deletes on a virtual thread, one retry at a time, so no caller waits for it. */
    private void retryPendingDeletes() {
        if (pendingDeletes.isEmpty() || closed.get() || !retrying.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("ward-cache-retry-" + name).start(() -> {
            try {
                while (!pendingDeletes.isEmpty() && !closed.get()) {
                    List<String> batch = new ArrayList<>(batchSize);
                    for (String k : pendingDeletes) {
                        batch.add(k);
                        if (batch.size() == batchSize) {
                            break;
                        }
                    }
                    List<String> full = new ArrayList<>(batch.size());
                    for (String k : batch) {
                        full.add(prefix + k);
                    }
                    if (l2Call("delete", () -> {
                        shared.delete(full);
                        return null;
                    }) == FAILED) {
                        return;
                    }
                    batch.forEach(pendingDeletes::remove);
                    publish(batch);
                }
            } finally {
                retrying.set(false);
            }
        });
    }

    @Override
    public long l1Size() {
        l1.cleanUp();
        return l1.estimatedSize();
    }

    @Override
    public L2State l2State() {
        return shared == null ? L2State.NONE : breaker.state();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("cache {}: unsubscribing failed: {}", name, e.toString());
            }
        }
        for (Meter m : meters) {
            registry.remove(m);
        }
    }

    /** Puts in L1 and, unless {@code useL2} is false, in L2, then tells the other instances. */
    private void store(String k, V value, long ttlMillis, boolean useL2) {
        byte[] bytes = shared != null ? Envelope.wrap(values.encode(value), clock.millis() + ttlMillis) : null;
        l1.put(k, new Held<>(value, Math.min(l1TtlNanos, TimeUnit.MILLISECONDS.toNanos(ttlMillis))));
        if (shared == null || !useL2) {
            return;
        }
        if (l2("set", () -> {
            shared.set(prefix + k, bytes, Duration.ofMillis(ttlMillis));
            return null;
        }) != FAILED) {
            pendingDeletes.remove(k);
            publish(List.of(k));
        }
    }

    private void publish(List<String> texts) {
        String message = instanceId + "\n" + String.join("\n", texts);
        l2("publish", () -> {
            shared.publish(channel, message);
            return null;
        });
    }

    /** Reads L2 into L1: the value, {@code null} for a miss, or {@link #FAILED}. */
    private Object readThrough(String k) {
        if (shared == null) {
            return null;
        }
        long seq = remoteInvalidations.get();
        boolean masked = isPendingDelete(k);
        Object raw = l2("get", () -> shared.get(prefix + k));
        if (raw == FAILED) {
            return FAILED;
        }
        return accept(k, masked ? null : (byte[]) raw, seq);
    }

    /** Decodes bytes from L2 and keeps them in L1 unless an invalidation came in meanwhile. */
    private Object accept(String k, byte[] raw, long seqBefore) {
        if (raw == null || isPendingDelete(k)) {
            l2Misses.increment();
            return null;
        }
        if (!Envelope.isWard(raw)) {
            foreignValues.increment();
            l2Misses.increment();
            logBad("foreign", k);
            return null;
        }
        long remainingMillis = Envelope.expireAt(raw) - clock.millis();
        if (remainingMillis <= 0) {
            l2Misses.increment();
            return null;
        }
        V v;
        try {
            v = Objects.requireNonNull(values.decode(Envelope.payload(raw)), "codec returned null");
        } catch (RuntimeException e) {
            corruptValues.increment();
            l2Misses.increment();
            logBad("corrupt", k);
            return null;
        }
        l2Hits.increment();
        if (remoteInvalidations.get() == seqBefore) {
            long life = Math.min(l1TtlNanos, TimeUnit.MILLISECONDS.toNanos(Math.min(remainingMillis, defaultTtlMillis)));
            l1.put(k, new Held<>(v, life));
        }
        return v;
    }

    private void logBad(String kind, String k) {
        if (logLimiter.allow(kind)) {
            LOG.warn("cache {}: a {} value under key {}{} was treated as a miss (further ones are counted in "
                    + "ward.cache.bad.values, logged at most once a minute)", name, kind, prefix, k);
        }
    }

    /** Runs an L2 call behind the breaker; returns its result or {@link #FAILED}. */
    private Object l2(String op, Supplier<Object> call) {
        Object r = l2Call(op, call);
        if (r != FAILED && !pendingDeletes.isEmpty()) {
            retryPendingDeletes();
        }
        return r;
    }

    private Object l2Call(String op, Supplier<Object> call) {
        if (!breaker.allow()) {
            l2Skipped.increment();
            return FAILED;
        }
        try {
            Object r = call.get();
            breaker.success();
            return r;
        } catch (RuntimeException e) {
            breaker.failure();
            l2Failed(op, e);
            return FAILED;
        }
    }

    private void l2Failed(String op, RuntimeException e) {
        l2Errors.computeIfAbsent(op, o -> counter("ward.cache.l2.errors", "L2 calls that failed", "op", o)).increment();
        if (logLimiter.allow("l2")) {
            LOG.warn("cache {}: L2 {} failed, serving from L1 or the loader (breaker {}): {}", name, op, breaker.state(),
                    e.toString());
        }
    }

    private String keyText(K key) {
        Objects.requireNonNull(key, "key");
        String k = keys.encode(key);
        if (k == null || k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("cache " + name + ": key text must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < k.length(); i++) {
            char ch = k.charAt(i);
            if (ch <= ' ' || ch == 0x7f) {
                throw new IllegalArgumentException("cache " + name + ": key text has a space or control character at " + i);
            }
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private V cast(Object o) {
        return (V) o;
    }
}
