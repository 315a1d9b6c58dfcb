package io.github.wardops.ward.internal.notify;

import io.github.wardops.ward.notify.Silence;
import io.github.wardops.ward.notify.SilenceStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link SilenceStore#inMemory(int)}: bounded, synchronized. */
public final class InMemorySilenceStore implements SilenceStore {
    private final int max;
    private final Map<UUID, Silence> current = new LinkedHashMap<>();
    private final ArrayDeque<Silence> ended = new ArrayDeque<>();

    /**
     * A new, empty store.
     *
     * @param max the bound
     */
    public InMemorySilenceStore(int max) {
        if (max < 1 || max > 1_000_000) {
            throw new IllegalArgumentException("max = " + max + ": must be 1-1000000");
        }
        this.max = max;
    }

    @Override
    public synchronized void add(Silence silence) {
        moveEnded(silence.createdAt());
        if (current.size() >= max && !current.containsKey(silence.id())) {
            throw new IllegalStateException("the silence store holds its maximum of " + max + " silences");
        }
        current.put(silence.id(), silence);
    }

    @Override
    public synchronized Optional<Silence> expire(UUID id, Instant at) {
        Silence s = current.get(id);
        if (s == null) {
            return ended.stream().filter(e -> e.id().equals(id)).findFirst();
        }
        Silence e = s.expire(at);
        current.put(id, e);
        return Optional.of(e);
    }

    @Override
    public synchronized List<Silence> current(Instant at) {
        moveEnded(at);
        List<Silence> out = new ArrayList<>(current.values());
        out.sort(Comparator.comparing(Silence::startsAt));
        return out;
    }

    @Override
    public synchronized List<Silence> endedSince(Instant since, int limit) {
        List<Silence> out = new ArrayList<>();
        Iterator<Silence> it = ended.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Silence s = it.next();
            if (s.endsAt().isAfter(since)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Silence::endsAt).reversed());
        return out;
    }

    private void moveEnded(Instant now) {
        for (Iterator<Silence> it = current.values().iterator(); it.hasNext(); ) {
            Silence s = it.next();
            if (!now.isBefore(s.endsAt())) {
                it.remove();
                ended.addLast(s);
                if (ended.size() > max) {
                    ended.removeFirst();
                }
            }
        }
    }
}
