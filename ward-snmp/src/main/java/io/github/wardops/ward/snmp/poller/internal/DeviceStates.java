package io.github.wardops.ward.snmp.poller.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded map of per-device polling state, keyed by device and check. An entry not touched
 * for {@code expiryIntervals} of its own check interval is dropped (a device that left the
 * inventory frees its state), and beyond {@code maxEntries} the least recently polled entry is
 * dropped. Both are counted. Thread-safe (one lock; held only for map operations).
 *
 * @param <K> the key type
 * @param <V> the state type
 */
public final class DeviceStates<K, V> {
    private final int maxEntries;
    private final int expiryIntervals;
    private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>(1024, 0.75f, true);
    private final Counter expired;
    private final Counter evicted;
    private final Consumer<V> onRemove;
    private Instant lastSweep = Instant.MIN;

    private static final class Entry<V> {
        final V value;
        Instant touched;
        Duration ttl;

        Entry(V value, Instant touched, Duration ttl) {
            this.value = value;
            this.touched = touched;
            this.ttl = ttl;
        }
    }

    /**
     * Creates the map.
     *
     * @param maxEntries the bound
     * @param expiryIntervals intervals without a poll before an entry expires
     * @param registry meters
     * @param onRemove called (outside the lock) with each dropped value, to free what it holds
     */
    public DeviceStates(int maxEntries, int expiryIntervals, MeterRegistry registry, Consumer<V> onRemove) {
        this.maxEntries = maxEntries;
        this.expiryIntervals = expiryIntervals;
        this.onRemove = onRemove;
        this.expired = Counter.builder("ward.snmp.state.expired")
                .description("Device SNMP states dropped after their device was not polled for a while").register(registry);
        this.evicted = Counter.builder("ward.snmp.state.evicted")
                .description("Device SNMP states dropped because the state map was full").register(registry);
        Gauge.builder("ward.snmp.state.devices", this, DeviceStates::size)
                .description("Devices whose SNMP polling state is kept").register(registry);
    }

    /**
     * The state for a key, created when absent; touching it renews its expiry.
     *
     * @param key the key
     * @param interval the check interval
     * @param now the time
     * @param create makes a new state
     * @return the state
     */
    public V get(K key, Duration interval, Instant now, Supplier<V> create) {
        List<V> dropped = new ArrayList<>();
        V v;
        synchronized (this) {
            if (now.isAfter(lastSweep.plusSeconds(10)) || lastSweep == Instant.MIN) {
                sweep(now, dropped);
                lastSweep = now;
            }
            Entry<V> e = map.get(key);
            if (e != null && expiredAt(e, now)) {
                map.remove(key);
                expired.increment();
                dropped.add(e.value);
                e = null;
            }
            if (e == null) {
                e = new Entry<>(create.get(), now, interval.multipliedBy(expiryIntervals));
                map.put(key, e);
                while (map.size() > maxEntries) {
                    Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
                    Map.Entry<K, Entry<V>> eldest = it.next();
                    it.remove();
                    evicted.increment();
                    dropped.add(eldest.getValue().value);
                }
            } else {
                e.touched = now;
                e.ttl = interval.multipliedBy(expiryIntervals);
            }
            v = e.value;
        }
        dropped.forEach(onRemove);
        return v;
    }

    private boolean expiredAt(Entry<V> e, Instant now) {
        return now.isAfter(e.touched.plus(e.ttl));
    }

    private void sweep(Instant now, List<V> dropped) {
        Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Entry<V> e = it.next().getValue();
            if (expiredAt(e, now)) {
                it.remove();
                expired.increment();
                dropped.add(e.value);
            }
        }
    }

    /**
     * Drops expired entries now.
     *
     * @param now the time
     */
    public void sweep(Instant now) {
        List<V> dropped = new ArrayList<>();
        synchronized (this) {
            sweep(now, dropped);
        }
        dropped.forEach(onRemove);
    }

    /**

     * Returns the number of entries.

     *

     * @return the number of entries

     */
    public synchronized int size() {
        return map.size();
    }
}
