package io.github.wardops.ward.internal.notify;

import io.github.wardops.ward.notify.NotificationLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link NotificationLog#inMemory(int)}: bounded, synchronized. */
public final class InMemoryNotificationLog implements NotificationLog {
    private record Key(String receiver, String groupKey) {
    }

    private final int max;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<Key, Entry> last = new HashMap<>();

    /**
     * A new, empty log.
     *
     * @param max the bound
     */
    public InMemoryNotificationLog(int max) {
        if (max < 1 || max > 10_000_000) {
            throw new IllegalArgumentException("max = " + max + ": must be 1-10000000");
        }
        this.max = max;
    }

    @Override
    public synchronized Optional<Entry> last(String receiver, String groupKey) {
        return Optional.ofNullable(last.get(new Key(receiver, groupKey)));
    }

    @Override
    public synchronized void append(Entry entry) {
        entries.addLast(entry);
        last.put(new Key(entry.receiver(), entry.groupKey()), entry);
        while (entries.size() > max) {
            forget(entries.removeFirst());
        }
    }

    @Override
    public synchronized List<Entry> forAlert(UUID alertId, int limit) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if (e.firing().contains(alertId) || e.resolved().contains(alertId)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized List<Entry> stillFiring(int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : last.values()) {
            if (!e.firing().isEmpty()) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparing(Entry::sentAt).reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public synchronized int removeBefore(Instant before) {
        int removed = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!e.sentAt().isBefore(before)) {
                continue;
            }
            Key k = new Key(e.receiver(), e.groupKey());
            if (last.get(k) == e && !e.firing().isEmpty()) {
                continue;
            }
            it.remove();
            forget(e);
            removed++;
        }
        return removed;
    }

    private void forget(Entry e) {
        last.remove(new Key(e.receiver(), e.groupKey()), e);
    }
}
