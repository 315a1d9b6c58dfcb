package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code device_state} and {@code state_changes} tables. Each method is one short
 * transaction. Thread-safe.
 */
public interface DeviceStateStore {

    /**
     * Saves states (insert or replace by device), all in one transaction.
     *
     * @param states the states; never {@code null}
     */
    void saveAll(Collection<DeviceStateRecord> states);

    /**
     * Reads every saved state, to resume after a restart.
     *
     * @return the states, ordered by device
     */
    List<DeviceStateRecord> loadAll();

    /**
     * Reads one device's state.
     *
     * @param device the device
     * @return the state, if saved
     */
    Optional<DeviceStateRecord> load(DeviceId device);

    /**
     * Forgets a device's state.
     *
     * @param device the device
     */
    void delete(DeviceId device);

    /**
     * Appends a change to the history; the same (device, at, to) twice is stored once.
     *
     * @param change the change
     */
    void recordChange(StateChange change);

    /**
     * A device's recent history.
     *
     * @param device the device
     * @param since the earliest change returned
     * @param limit the most changes returned (1-10,000)
     * @return the changes, newest first
     */
    List<StateChange> changes(DeviceId device, Instant since, int limit);
}
