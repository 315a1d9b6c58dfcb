package io.github.wardops.ward.alert;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Persists alerts and silences (SPI; the PostgreSQL module implements it, {@link #inMemory(int)}
 * is the built-in one).
 *
 * <p>Called inline with rule evaluation, on every open, resolve and acknowledgement (not on
 * every result), concurrently for different devices: implementations must be thread-safe and
 * quick (write behind if the backing store is slow). A store that throws is counted
 * ({@code ward.alerts.store.failures}); alerting carries on in memory.
 */
public interface AlertStore {

    /**
     * The alerts open now, read once at start-up so an open alert is not opened twice.
     *
     * @return the open alerts; never {@code null}
     * @throws Exception when the store cannot be read
     */
    Collection<Alert> loadOpen() throws Exception;

    /**
     * An alert opened.
     *
     * @param alert the alert; never {@code null}
     * @throws Exception when it cannot be stored
     */
    void opened(Alert alert) throws Exception;

    /**
     * An alert was resolved ({@link Alert#resolvedAt()} set).
     *
     * @param alert the resolved alert; never {@code null}
     * @throws Exception when it cannot be stored
     */
    void resolved(Alert alert) throws Exception;

    /**
     * An alert was acknowledged.
     *
     * @param alert the acknowledged alert; never {@code null}
     * @throws Exception when it cannot be stored
     */
    void acknowledged(Alert alert) throws Exception;

    /**
     * A maintenance window silenced an alert.
     *
     * @param silence the record; never {@code null}
     * @throws Exception when it cannot be stored
     */
    void silenced(Silence silence) throws Exception;

    /**
     * Alerts of a device (or of every device) whose condition overlapped a time range, open ones
     * included, oldest first: the data for MTTR and downtime reports.
     *
     * @param device the device, or {@code null} for every device
     * @param from the start of the range; never {@code null}
     * @param to the end of the range; never {@code null}
     * @return the alerts
     * @throws Exception when the store cannot be read
     */
    List<Alert> history(DeviceId device, Instant from, Instant to) throws Exception;

    /**
     * A thread-safe store in memory, keeping every open alert and the most recent
     * {@code maxHistory} resolved alerts and silences (older ones are dropped first).
     *
     * @param maxHistory how many resolved alerts and silences to keep, 1-10,000,000
     * @return a new, empty store
     */
    static AlertStore inMemory(int maxHistory) {
        return new io.github.wardops.ward.internal.alert.InMemoryAlertStore(maxHistory);
    }
}
