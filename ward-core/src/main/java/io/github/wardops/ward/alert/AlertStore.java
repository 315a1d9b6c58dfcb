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
     * The alerts open now for some devices, read when they are adopted from another instance
     * ({@link io.github.wardops.ward.state.StateTracker#adopt}) so that an alert open there is
     * carried on, not opened again. The default filters {@link #loadOpen()}; a store over a database
     * should read only these devices.
     *
     * @param devices the devices; never {@code null}
     * @return their open alerts; never {@code null}
     * @throws Exception when the store cannot be read
     */
    default Collection<Alert> loadOpen(Collection<DeviceId> devices) throws Exception {
        java.util.Set<DeviceId> wanted = java.util.Set.copyOf(devices);
        return loadOpen().stream().filter(a -> wanted.contains(a.device())).toList();
    }

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
     * An open alert changed without opening or resolving: its problem escalated or de-escalated
     * (another {@link Alert#rule() rule}, {@link Alert#severity() severity}, message or
     * {@link Alert#history() history}), or ward's self-health problem changed its text. The
     * default does nothing: a store that keeps only openings and resolutions still gets the final
     * copy with {@link #resolved}, and alerting corrects a stale open copy on its first evaluation
     * after a restart.
     *
     * @param alert the changed alert, still open; never {@code null}
     * @throws Exception when it cannot be stored
     */
    default void updated(Alert alert) throws Exception {
    }

    /**
     * A rule's {@code for} timer started: its condition holds since {@link PendingCondition#since()}.
     * Replaces an earlier timer of the same (device, rule, interface). The default keeps nothing,
     * so after a restart such timers start again.
     *
     * @param pending the timer; never {@code null}
     * @throws Exception when it cannot be stored
     */
    default void pendingStarted(PendingCondition pending) throws Exception {
    }

    /**
     * A rule's {@code for} timer ended: the condition stopped holding, the rule matched, or the
     * device was removed. Does nothing when no such timer is stored.
     *
     * @param device the device; never {@code null}
     * @param rule the rule's name; never {@code null}
     * @param ifIndex the interface index, or 0 for the device
     * @throws Exception when it cannot be stored
     */
    default void pendingCleared(DeviceId device, String rule, int ifIndex) throws Exception {
    }

    /**
     * The {@code for} timers running, read once at start-up so a timer resumes where it was.
     *
     * @return the timers; never {@code null} (the default: none)
     * @throws Exception when the store cannot be read
     */
    default Collection<PendingCondition> loadPending() throws Exception {
        return List.of();
    }

    /**
     * The stored {@code for} timers of some devices, read when they are adopted from another
     * instance. The default filters {@link #loadPending()}.
     *
     * @param devices the devices; never {@code null}
     * @return their timers; never {@code null}
     * @throws Exception when the store cannot be read
     */
    default Collection<PendingCondition> loadPending(Collection<DeviceId> devices) throws Exception {
        java.util.Set<DeviceId> wanted = java.util.Set.copyOf(devices);
        return loadPending().stream().filter(p -> wanted.contains(p.device())).toList();
    }

    /**
     * Acknowledges, in the store itself and at once, an alert that is open there but not held by
     * this instance: another instance sharing the store owns its device. So an acknowledgement
     * made through any instance applies fleet-wide; the owner takes it up through
     * {@link #acknowledgedSince}. An alert already acknowledged keeps its first acknowledgement.
     * The default acknowledges nothing (a store that only one instance uses holds no open alert
     * that instance does not).
     *
     * @param alertId the alert; never {@code null}
     * @param at when; never {@code null}
     * @param user who; never {@code null}
     * @return the alert as stored afterwards; empty when no open alert has this id
     * @throws Exception when the store cannot be written
     */
    default java.util.Optional<Alert> acknowledgeOpen(java.util.UUID alertId, Instant at, String user) throws Exception {
        return java.util.Optional.empty();
    }

    /**
     * The open alerts acknowledged at or after {@code since}, through whichever instance: read by
     * alerting's {@code tick()} so that an acknowledgement made elsewhere reaches the owner. The
     * default: none.
     *
     * @param since the earliest acknowledgement time; never {@code null}
     * @return the alerts, acknowledged; never {@code null}
     * @throws Exception when the store cannot be read
     */
    default Collection<Alert> acknowledgedSince(Instant since) throws Exception {
        return List.of();
    }

    /**
     * One alert, open or resolved, by its id: the notification dispatcher reads a resolved alert
     * it announced as firing (after a restart, or when another runner resolved it). The default
     * looks among the open alerts only.
     *
     * @param alertId the alert's id
     * @return the alert, or empty when unknown (or dropped from history)
     * @throws Exception when the store cannot be read
     */
    default java.util.Optional<Alert> find(java.util.UUID alertId) throws Exception {
        return loadOpen().stream().filter(a -> a.id().equals(alertId)).findFirst();
    }

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
