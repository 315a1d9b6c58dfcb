package io.github.wardops.ward.state;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.Collection;

/**
 * Persists device and interface states so they survive a restart (SPI; the PostgreSQL module
 * implements it, {@link #inMemory()} is the built-in one).
 *
 * <p>{@link #loadAll()} is called once, by {@link StateTracker#start()}. {@link #save} is called
 * inline on every status or flapping change (not on every result), so an implementation must be
 * quick: buffer and write behind if the backing store is slow. Implementations must be
 * thread-safe: saves for different devices arrive concurrently. A store that throws is counted
 * ({@code ward.state.store.failures}) and the tracker carries on with its in-memory state.
 */
public interface StateStore {

    /**
     * Every persisted state.
     *
     * @return the states; never {@code null}
     * @throws Exception when the store cannot be read (the tracker then starts empty)
     */
    Collection<DeviceState> loadAll() throws Exception;

    /**
     * The persisted states of some devices (their interfaces included), for
     * {@link StateTracker#adopt}. The default filters {@link #loadAll()}; a store over a database
     * should read only these devices.
     *
     * @param devices the devices; never {@code null}
     * @return their states; never {@code null}
     * @throws Exception when the store cannot be read (the devices then start unknown)
     */
    default Collection<DeviceState> load(Collection<DeviceId> devices) throws Exception {
        java.util.Set<DeviceId> wanted = java.util.Set.copyOf(devices);
        return loadAll().stream().filter(s -> wanted.contains(s.key().device())).toList();
    }

    /**
     * Saves a state, replacing the one with the same key.
     *
     * @param state the state; never {@code null}
     * @throws Exception when it cannot be saved
     */
    void save(DeviceState state) throws Exception;

    /**
     * Forgets every state of a removed device (its interfaces included).
     *
     * @param device the device; never {@code null}
     * @throws Exception when it cannot be deleted
     */
    void delete(DeviceId device) throws Exception;

    /**
     * A thread-safe store that keeps states in memory (lost at exit; for tests and for
     * embedding without a database). Holds one entry per saved key, so it is bounded by the
     * inventory.
     *
     * @return a new, empty store
     */
    static StateStore inMemory() {
        return new io.github.wardops.ward.internal.state.InMemoryStateStore();
    }
}
