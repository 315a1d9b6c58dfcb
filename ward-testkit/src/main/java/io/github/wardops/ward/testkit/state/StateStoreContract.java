package io.github.wardops.ward.testkit.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} passes. Extend it and implement {@link #newStore()} to
 * return an empty store (a fresh schema, say). Time stamps used here are whole seconds, so a
 * store may keep microseconds.
 *
 * <p>Not thread-safe: JUnit creates one instance per test; the store is called from the test thread.
 *
 * <p>The subclass methods must not return {@code null}; the suite fails if they do.
 */
public abstract class StateStoreContract {
    /** For subclasses. */
    protected StateStoreContract() {
    }

    /** The store under test, fresh for each test. */
    protected StateStore store;

    /**
     * Creates an empty store.
     *
     * @return the store
     * @throws Exception when it cannot be created
     */
    protected abstract StateStore newStore() throws Exception;

    /**
     * Reads the store again the way a restarted process would (by default, the same instance).
     *
     * @return a store over the same data
     * @throws Exception when it cannot be opened
     */
    protected StateStore reopen() throws Exception {
        return store;
    }

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    static DeviceState state(DeviceId id, int ifIndex, DeviceStatus s, boolean flapping) {
        return new DeviceState(new StateKey(id, ifIndex), s, Instant.parse("2026-03-01T10:00:00.123456Z"), flapping,
                37.5, ifIndex + 3, 0, Instant.parse("2026-03-01T10:01:30Z"), Instant.parse("2026-03-01T09:59:58.000001Z"),
                ifIndex == 0 ? null : "stale", "110100101");
    }

    static Map<StateKey, DeviceState> byKey(java.util.Collection<DeviceState> all) {
        Map<StateKey, DeviceState> m = new HashMap<>();
        all.forEach(s -> m.put(s.key(), s));
        return m;
    }

    @Test
    void anEmptyStoreLoadsNothing() throws Exception {
        assertEquals(0, store.loadAll().size());
    }

    /**
     * Every field, the failure run's start, the detail and the flap window included, comes back
     * equal: to the microsecond, as a restart must resume the rules' inputs where they were.
     */
    @Test
    void everyFieldSurvivesARestart() throws Exception {
        DeviceId d = DeviceId.fromKey("contract-1");
        DeviceState device = state(d, 0, DeviceStatus.DOWN, true);
        DeviceState iface = state(d, 7, DeviceStatus.UNREACHABLE, false);
        store.save(device);
        store.save(iface);
        Map<StateKey, DeviceState> loaded = byKey(reopen().loadAll());
        assertEquals(2, loaded.size());
        assertEquals(device, loaded.get(device.key()));
        assertEquals(iface, loaded.get(iface.key()));
    }

    @Test
    void aSaveReplacesTheStateOfTheSameKey() throws Exception {
        DeviceId d = DeviceId.fromKey("contract-2");
        store.save(state(d, 0, DeviceStatus.DOWN, false));
        DeviceState up = state(d, 0, DeviceStatus.UP, false);
        store.save(up);
        List<DeviceState> all = List.copyOf(reopen().loadAll());
        assertEquals(List.of(up), all);
    }

    /** A shard handed over: only its devices' states, interfaces included, every field intact. */
    @Test
    void theStatesOfSomeDevicesAreLoadedForAHandover() throws Exception {
        DeviceId mine = DeviceId.fromKey("contract-mine");
        DeviceId other = DeviceId.fromKey("contract-other");
        DeviceState device = state(mine, 0, DeviceStatus.DOWN, true);
        DeviceState iface = state(mine, 4, DeviceStatus.UP, false);
        store.save(device);
        store.save(iface);
        store.save(state(other, 0, DeviceStatus.UP, false));
        StateStore again = reopen();
        assertEquals(Map.of(device.key(), device, iface.key(), iface),
                byKey(again.load(List.of(mine, DeviceId.fromKey("never-saved")))));
        assertEquals(0, again.load(List.of()).size());
    }

    @Test
    void deleteForgetsADeviceAndItsInterfacesOnly() throws Exception {
        DeviceId gone = DeviceId.fromKey("contract-gone");
        DeviceId kept = DeviceId.fromKey("contract-kept");
        store.save(state(gone, 0, DeviceStatus.DOWN, false));
        store.save(state(gone, 2, DeviceStatus.UP, false));
        store.save(state(kept, 0, DeviceStatus.UP, false));
        store.delete(gone);
        store.delete(DeviceId.fromKey("never-saved"));
        Map<StateKey, DeviceState> loaded = byKey(reopen().loadAll());
        assertEquals(1, loaded.size());
        assertTrue(loaded.containsKey(StateKey.of(kept)));
    }

    @Test
    void concurrentSavesForDifferentDevicesAreAllKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                DeviceId d = DeviceId.fromKey("contract-c" + i);
                fs.add(pool.submit(() -> {
                    store.save(state(d, 0, DeviceStatus.DOWN, false));
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200, reopen().loadAll().size());
    }
}
