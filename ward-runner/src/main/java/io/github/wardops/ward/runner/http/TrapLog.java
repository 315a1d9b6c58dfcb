package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.TrapStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@code GET /api/devices/{id}/traps} reads a device's latest SNMP traps: the PostgreSQL
 * {@code traps} table ({@link #of(TrapStore)}) when storage is on, else {@link InMemory}.
 * Implementations are thread-safe.
 */
public interface TrapLog {
    /**
     * A device's latest traps, newest first.
     *
     * @param device the device
     * @param limit the most returned, 1 to 10,000
     * @return the traps; empty when it has none
     * @throws RuntimeException when the store cannot be read
     */
    List<TrapStore.Trap> latest(DeviceId device, int limit);

    /**
     * The traps stored in PostgreSQL.
     *
     * @param store the store
     * @return the log
     */
    static TrapLog of(TrapStore store) {
        Objects.requireNonNull(store, "store");
        return (device, limit) -> store.latest(device.value(), limit);
    }

    /**
     * The latest traps of each device in memory (storage off): at most {@code keep} per device, and
     * only for devices of the inventory ({@link #retain} forgets the others), so it is bounded by
     * the inventory times {@code keep}; each trap is itself bounded by the receiver's options.
     */
    final class InMemory implements TrapLog {
        private final int keep;
        private final Map<DeviceId, ArrayDeque<TrapStore.Trap>> byDevice = new ConcurrentHashMap<>();

        /**
         * A log that keeps {@code keep} traps per device.
         *
         * @param keep 1-10,000
         * @throws IllegalArgumentException when {@code keep} is out of range
         */
        public InMemory(int keep) {
            if (keep < 1 || keep > 10_000) {
                throw new IllegalArgumentException("keep = " + keep + ": must be 1-10000");
            }
            this.keep = keep;
        }

        /**
         * Adds a trap; the device's oldest goes when it has {@code keep} already.
         *
         * @param device the device the trap was matched to
         * @param trap the trap
         */
        public void add(DeviceId device, TrapStore.Trap trap) {
            ArrayDeque<TrapStore.Trap> q = byDevice.computeIfAbsent(device, d -> new ArrayDeque<>());
            synchronized (q) {
                if (q.size() >= keep) {
                    q.pollFirst();
                }
                q.addLast(trap);
            }
        }

        @Override
        public List<TrapStore.Trap> latest(DeviceId device, int limit) {
            ArrayDeque<TrapStore.Trap> q = byDevice.get(device);
            if (q == null) {
                return List.of();
            }
            List<TrapStore.Trap> out = new ArrayList<>(Math.min(limit, keep));
            synchronized (q) {
                Iterator<TrapStore.Trap> it = q.descendingIterator();
                while (it.hasNext() && out.size() < limit) {
                    out.add(it.next());
                }
            }
            return out;
        }

        /**
         * Forgets the traps of every device not in {@code devices} (called when the inventory changes).
         *
         * @param devices the devices kept
         */
        public void retain(Collection<DeviceId> devices) {
            Set<DeviceId> keepers = Set.copyOf(devices);
            byDevice.keySet().removeIf(d -> !keepers.contains(d));
        }

        /**
         * How many traps are kept, all devices together.
         *
         * @return the count
         */
        public int size() {
            int n = 0;
            for (ArrayDeque<TrapStore.Trap> q : byDevice.values()) {
                synchronized (q) {
                    n += q.size();
                }
            }
            return n;
        }
    }
}
