package io.github.wardops.ward.internal.support;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map over two arrays that keeps its insertion order: the compact form of a
 * device's few labels. A {@code LinkedHashMap} wrapped unmodifiable costs about 270 bytes for one
 * label (map, table, entry, wrapper and the entry-set views it caches); this costs 64. Lookups
 * scan the keys, which is faster than hashing for the handful a device has.
 *
 * <p>Immutable and thread-safe. Neither keys nor values may be null.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ArrayMap<K, V> extends AbstractMap<K, V> {
    private static final ArrayMap<?, ?> EMPTY = new ArrayMap<>(new Object[0], new Object[0]);

    private final Object[] keys;
    private final Object[] values;

    private ArrayMap(Object[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * An immutable copy of {@code map} in its iteration order; the same instance when it is
     * already an {@code ArrayMap}.
     *
     * @param map the map to copy; no null keys or values
     * @param <K> the key type
     * @param <V> the value type
     * @return the copy
     * @throws NullPointerException when the map, a key or a value is null
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof ArrayMap<?, ?> a) {
            return (Map<K, V>) a;
        }
        int n = map.size();
        if (n == 0) {
            return (Map<K, V>) EMPTY;
        }
        Object[] k = new Object[n];
        Object[] v = new Object[n];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            if (i == n) {
                throw new IllegalArgumentException("the map grew while it was copied");
            }
            k[i] = Objects.requireNonNull(e.getKey(), "key");
            v[i] = Objects.requireNonNull(e.getValue(), "value");
            i++;
        }
        if (i != n) {
            throw new IllegalArgumentException("the map shrank while it was copied");
        }
        return new ArrayMap<>(k, v);
    }

    @Override
    public int size() {
        return keys.length;
    }

    private int indexOf(Object key) {
        if (key == null) {
            return -1;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<K, V> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new AbstractMap.SimpleImmutableEntry<>((K) keys[at], (V) values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    // AbstractMap's mutators already throw UnsupportedOperationException.
}
