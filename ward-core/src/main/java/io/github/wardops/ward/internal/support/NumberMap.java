package io.github.wardops.ward.internal.support;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable {@code Map<String, Double>} over an array of names and an array of primitive
 * doubles: the form of a result's named values and of a device view's values. The names are
 * often a shared schema (one array for every ping result), so a map costs the map object and
 * its {@code double[]}; a value is boxed only when a reader asks for it. The map it replaces (a
 * {@code LinkedHashMap} of seven boxed values, copied twice per result) was a fifth of the
 * runner's allocation at 100,000 devices.
 *
 * <p>Iteration follows the names' order. Lookups scan the names (identity first, then
 * {@code equals}), which is faster than hashing for the dozen a view holds; a map of more than
 * {@value #INDEXED} names builds an open-addressing index once.
 *
 * <p>Immutable and thread-safe. Names are non-null and distinct; values are any double.
 */
public final class NumberMap extends AbstractMap<String, Double> {
    /** Above this many names, lookups go through a hash index. */
    static final int INDEXED = 16;

    private static final NumberMap EMPTY = new NumberMap(new String[0], new double[0], 0);

    private final String[] keys;
    private final double[] values;
    private final int size;
    /** Open addressing over the names (index + 1, 0 for empty); {@code null} for small maps. */
    private final int[] index;

    private NumberMap(String[] keys, double[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.index = size > INDEXED ? indexOf(keys, size) : null;
    }

    /**
     * A map over a shared schema: {@code values[i]} is the value of {@code names[i]}, for the
     * first {@code values.length} names. Neither array is copied: the caller hands over
     * {@code values} and must not change either array afterwards.
     *
     * @param names the names, distinct and non-null; often a constant shared by many maps
     * @param values the values; its length is the map's size, at most {@code names.length}
     * @return the map
     * @throws IllegalArgumentException if there are more values than names
     */
    public static NumberMap of(String[] names, double[] values) {
        if (values.length > names.length) {
            throw new IllegalArgumentException(values.length + " values for " + names.length + " names");
        }
        return values.length == 0 ? EMPTY : new NumberMap(names, values, values.length);
    }

    /**
     * A new builder.
     *
     * @param expected how many names it will likely hold (it grows past that)
     * @return the builder
     */
    public static Builder builder(int expected) {
        return new Builder(expected);
    }

    @Override
    public int size() {
        return size;
    }

    private int slot(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        if (index != null) {
            int mask = index.length - 1;
            for (int h = mix(s.hashCode()) & mask; ; h = (h + 1) & mask) {
                int at = index[h];
                if (at == 0) {
                    return -1;
                }
                if (keys[at - 1].equals(s)) {
                    return at - 1;
                }
            }
        }
        return scan(keys, size, s);
    }

    /** The position of a name among the first {@code size}: the same instance first (the usual case), then an equal one. */
    private static int scan(String[] keys, int size, String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return slot(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = slot(key);
        return i < 0 ? null : values[i];
    }

    /**
     * The value of a name without boxing.
     *
     * @param key the name
     * @param otherwise what to return when the map does not hold the name
     * @return the value, or {@code otherwise}
     */
    public double get(String key, double otherwise) {
        int i = slot(key);
        return i < 0 ? otherwise : values[i];
    }

    /**
     * The name at a position, in iteration order.
     *
     * @param i the position, {@code 0 <= i < size()}
     * @return the name
     */
    public String keyAt(int i) {
        Objects.checkIndex(i, size);
        return keys[i];
    }

    /**
     * The value at a position, in iteration order.
     *
     * @param i the position, {@code 0 <= i < size()}
     * @return the value
     */
    public double valueAt(int i) {
        Objects.checkIndex(i, size);
        return values[i];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Double> action) {
        Objects.requireNonNull(action, "action");
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Map.Entry<String, Double> next() {
                        if (i >= size) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    // AbstractMap's mutators already throw UnsupportedOperationException.

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private static int[] indexOf(String[] keys, int size) {
        int[] t = new int[Integer.highestOneBit(size * 2 - 1) << 1];
        int mask = t.length - 1;
        for (int i = 0; i < size; i++) {
            int h = mix(keys[i].hashCode()) & mask;
            while (t[h] != 0) {
                h = (h + 1) & mask;
            }
            t[h] = i + 1;
        }
        return t;
    }

    /**
     * Collects names and values; a name put again takes the new value in its old place. Not
     * thread-safe; used once.
     */
    public static final class Builder {
        private String[] keys;
        private double[] values;
        private int size;
        /** Positions by name once the builder holds more than {@value #INDEXED}; else {@code null}. */
        private java.util.HashMap<String, Integer> positions;

        private Builder(int expected) {
            int n = Math.max(4, expected);
            keys = new String[n];
            values = new double[n];
        }

        /**
         * Sets a name's value.
         *
         * @param key the name; never {@code null}
         * @param value the value
         * @return this builder
         */
        public Builder put(String key, double value) {
            Objects.requireNonNull(key, "key");
            int i = find(key);
            if (i >= 0) {
                values[i] = value;
                return this;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            if (positions != null) {
                positions.put(key, size);
            } else if (size + 1 > INDEXED) {
                positions = new java.util.HashMap<>();
                for (int k = 0; k <= size; k++) {
                    positions.put(keys[k], k);
                }
            }
            size++;
            return this;
        }

        /**
         * Removes a name, if present; the last name takes its place.
         *
         * @param key the name
         * @return this builder
         */
        public Builder remove(String key) {
            int i = find(key);
            if (i >= 0) {
                size--;
                if (positions != null) {
                    positions.remove(key);
                    if (i != size) {
                        positions.put(keys[size], i);
                    }
                }
                keys[i] = keys[size];
                values[i] = values[size];
                keys[size] = null;
            }
            return this;
        }

        /**
         * The value of a name put so far.
         *
         * @param key the name
         * @return its value, or {@code NaN} when it was not put
         */
        public double get(String key) {
            int i = find(key);
            return i < 0 ? Double.NaN : values[i];
        }

        /** How many names were put (and not removed). @return the count */
        public int size() {
            return size;
        }

        private int find(String key) {
            if (positions != null) {
                Integer at = positions.get(key);
                return at == null ? -1 : at;
            }
            return scan(keys, size, key);
        }

        /**
         * The map of what was put, in the order names were first put (a removal moves the last
         * name into the removed one's place).
         *
         * @return the map
         */
        public NumberMap build() {
            if (size == 0) {
                return EMPTY;
            }
            return new NumberMap(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size);
        }
    }
}
