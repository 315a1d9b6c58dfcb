package io.github.wardops.ward.internal.state;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe {@link StateStore} in memory, one entry per key (bounded by the inventory). */
public final class InMemoryStateStore implements StateStore {
    private final ConcurrentHashMap<StateKey, DeviceState> states = new ConcurrentHashMap<>();

    @Override
    public Collection<DeviceState> loadAll() {
        return List.copyOf(states.values());
    }

    @Override
    public void save(DeviceState state) {
        Objects.requireNonNull(state, "state");
        states.put(state.key(), state);
    }

    @Override
    public void delete(DeviceId device) {
        states.keySet().removeIf(k -> k.device().equals(device));
    }
}
