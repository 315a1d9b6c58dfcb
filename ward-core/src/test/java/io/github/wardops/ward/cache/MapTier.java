package io.github.wardops.ward.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory {@link SharedTier} for unit tests of the cache's own logic (breaker, envelope,
 * invalidation): it records TTLs, can be made to fail, and delivers pub/sub messages at once.
 * The real tier is tested against a real Redis in ward-redis.
 */
final class MapTier implements SharedTier {
    final Map<String, byte[]> values = new ConcurrentHashMap<>();
    final Map<String, Duration> ttls = new ConcurrentHashMap<>();
    final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger calls = new AtomicInteger();

    private void call() {
        calls.incrementAndGet();
        if (failing.get()) {
            throw new IllegalStateException("tier down");
        }
    }

    @Override
    public Duration commandTimeout() {
        return Duration.ofMillis(100);
    }

    @Override
    public byte[] get(String key) {
        call();
        return values.get(key);
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        call();
        List<byte[]> out = new ArrayList<>();
        for (String k : keys) {
            out.add(values.get(k));
        }
        return out;
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        call();
        if (ttl.toMillis() < 1) {
            throw new AssertionError("write without TTL");
        }
        values.put(key, value);
        ttls.put(key, ttl);
    }

    @Override
    public void setAll(Map<String, byte[]> entries, Duration ttl) {
        call();
        entries.forEach((k, v) -> {
            values.put(k, v);
            ttls.put(k, ttl);
        });
    }

    @Override
    public void delete(Collection<String> keys) {
        call();
        keys.forEach(k -> {
            values.remove(k);
            ttls.remove(k);
        });
    }

    @Override
    public void publish(String channel, String message) {
        call();
        listeners.forEach(l -> l.accept(message));
    }

    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
