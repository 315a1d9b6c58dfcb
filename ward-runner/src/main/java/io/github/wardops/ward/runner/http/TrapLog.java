package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.poller.TrapEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest SNMP traps of each device, in memory: at most {@code keep} per device, and only for
 * devices of the inventory ({@link #retain} forgets the others), so it is bounded by the inventory
 * times {@code keep}. Each {@link TrapEvent} is itself bounded (bindings and value bytes, by the
 * receiver's options). Thread-safe.
 */
public final class TrapLog {
    private final int keep;
    private final Map<DeviceId, ArrayDeque<TrapEvent>> byDevice = new ConcurrentHashMap<>();

    /**
     * A log that keeps {@code keep} traps per device.
     *
     * @param keep 1-10,000
     * @throws IllegalArgumentException when {@code keep} is out of range
     */
    public TrapLog(int keep) {
        if (keep < 1 || keep > 10_000) {
            throw new IllegalArgumentException("keep = " + keep + ": must be 1-10000");
        }
        this.keep = keep;
    }

    /**
     * Adds a device's trap; the oldest one goes when the device has {@code keep} already.
     *
     * @param device the device the trap was matched to
     * @param event the trap
     */
    public void add(DeviceId device, TrapEvent event) {
        ArrayDeque<TrapEvent> q = byDevice.computeIfAbsent(device, d -> new ArrayDeque<>());
        synchronized (q) {
            if (q.size() >= keep) {
                q.pollFirst();
            }
            q.addLast(event);
        }
    }

    /**
     * A device's latest traps, newest first.
     *
     * @param device the device
     * @param limit the most returned
     * @return the traps; empty when it has none
     */
    public List<TrapEvent> latest(DeviceId device, int limit) {
        ArrayDeque<TrapEvent> q = byDevice.get(device);
        if (q == null) {
            return List.of();
        }
        List<TrapEvent> out = new ArrayList<>(Math.min(limit, keep));
        synchronized (q) {
            Iterator<TrapEvent> it = q.descendingIterator();
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
        for (ArrayDeque<TrapEvent> q : byDevice.values()) {
            synchronized (q) {
                n += q.size();
            }
        }
        return n;
    }

    /**
     * How many traps are kept per device at most.
     *
     * @return the bound
     */
    public int keep() {
        return keep;
    }
}
