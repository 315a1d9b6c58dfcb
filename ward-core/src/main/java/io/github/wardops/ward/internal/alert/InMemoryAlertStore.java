package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.PendingCondition;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An {@link AlertStore} in memory: every open alert, and the most recent resolved alerts and
 * silences up to a bound (oldest dropped first). Thread-safe (one monitor; calls are rare).
 */
public final class InMemoryAlertStore implements AlertStore {
    private final int maxHistory;
    private final Map<UUID, Alert> open = new LinkedHashMap<>();
    private final ArrayDeque<Alert> resolved = new ArrayDeque<>();
    private final ArrayDeque<Silence> silences = new ArrayDeque<>();
    /** Bounded like the engine's timers: by devices x rules x interfaces. */
    private final Map<PendingKey, PendingCondition> pending = new LinkedHashMap<>();
    private long dropped;

    /**
     * Creates the store.
     *
     * @param maxHistory resolved alerts and silences kept, 1-10,000,000
     */
    public InMemoryAlertStore(int maxHistory) {
        if (maxHistory < 1 || maxHistory > 10_000_000) {
            throw new IllegalArgumentException("maxHistory " + maxHistory + " must be 1-10000000");
        }
        this.maxHistory = maxHistory;
    }

    @Override
    public synchronized Collection<Alert> loadOpen() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized void opened(Alert alert) {
        open.put(alert.id(), alert);
    }

    @Override
    public synchronized void resolved(Alert alert) {
        open.remove(alert.id());
        if (resolved.size() >= maxHistory) {
            resolved.removeFirst();
            dropped++;
        }
        resolved.addLast(alert);
    }

    @Override
    public synchronized void acknowledged(Alert alert) {
        if (open.containsKey(alert.id())) {
            open.put(alert.id(), alert);
        }
    }

    @Override
    public synchronized java.util.Optional<Alert> acknowledgeOpen(UUID alertId, Instant at, String user) {
        Alert a = open.get(alertId);
        if (a == null) {
            return java.util.Optional.empty();
        }
        if (a.acknowledgedAt() == null) {
            a = a.acknowledge(at, user);
            open.put(alertId, a);
        }
        return java.util.Optional.of(a);
    }

    @Override
    public synchronized Collection<Alert> acknowledgedSince(Instant since) {
        return open.values().stream().filter(a -> a.acknowledgedAt() != null && !a.acknowledgedAt().isBefore(since))
                .toList();
    }

    @Override
    public synchronized void updated(Alert alert) {
        if (open.containsKey(alert.id())) {
            open.put(alert.id(), alert);
        }
    }

    private record PendingKey(DeviceId device, String rule, int ifIndex) {
    }

    @Override
    public synchronized void pendingStarted(PendingCondition p) {
        pending.put(new PendingKey(p.device(), p.rule(), p.ifIndex()), p);
    }

    @Override
    public synchronized void pendingCleared(DeviceId device, String rule, int ifIndex) {
        pending.remove(new PendingKey(device, rule, ifIndex));
    }

    @Override
    public synchronized Collection<PendingCondition> loadPending() {
        return List.copyOf(pending.values());
    }

    @Override
    public synchronized void silenced(Silence silence) {
        if (silences.size() >= maxHistory) {
            silences.removeFirst();
            dropped++;
        }
        silences.addLast(silence);
    }

    @Override
    public synchronized java.util.Optional<Alert> find(UUID alertId) {
        Alert a = open.get(alertId);
        if (a != null) {
            return java.util.Optional.of(a);
        }
        for (Alert r : resolved) {
            if (r.id().equals(alertId)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public synchronized List<Alert> history(DeviceId device, Instant from, Instant to) {
        List<Alert> out = new ArrayList<>();
        for (Alert a : resolved) {
            if (matches(a, device, from, to)) {
                out.add(a);
            }
        }
        for (Alert a : open.values()) {
            if (matches(a, device, from, to)) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Alert::since));
        return out;
    }

    private static boolean matches(Alert a, DeviceId device, Instant from, Instant to) {
        return (device == null || a.device().equals(device)) && a.since().isBefore(to)
                && (a.resolvedAt() == null || !a.resolvedAt().isBefore(from));
    }

    /**
     * The recorded silences, oldest first.
     *
     * @return a snapshot
     */
    public synchronized List<Silence> silences() {
        return List.copyOf(silences);
    }

    /**
     * Resolved alerts and silences dropped over the bound.
     *
     * @return the count
     */
    public synchronized long dropped() {
        return dropped;
    }
}
