package io.github.wardops.ward.notify;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the {@link Dispatcher} reads alerts from (SPI). One runner reads its own
 * {@link Alerting}; several runners sharing a fleet read the shared store, so one dispatcher sees
 * every alert of the fleet.
 *
 * <p>Implementations must be thread-safe: the dispatcher calls them from its tick thread while
 * others change the alerts. No method returns {@code null}.
 */
public interface AlertSource {

    /**
     * The alerts open now (acknowledged ones included).
     *
     * @return the alerts; never {@code null}
     * @throws Exception when they cannot be read (the dispatcher tries again at its next tick)
     */
    Collection<Alert> open() throws Exception;

    /**
     * One alert by id, open or resolved: how a resolved alert is described to the receivers that
     * heard of it.
     *
     * @param id the alert's id
     * @return the alert, or empty when unknown
     * @throws Exception when it cannot be read
     */
    Optional<Alert> find(UUID id) throws Exception;

    /**
     * The open alerts of an {@link Alerting}, and resolved ones from its store.
     *
     * @param alerting the alerting; never {@code null}
     * @param store the store it writes to; never {@code null}
     * @return the source
     */
    static AlertSource of(Alerting alerting, AlertStore store) {
        Objects.requireNonNull(alerting, "alerting");
        Objects.requireNonNull(store, "store");
        return new AlertSource() {
            @Override
            public Collection<Alert> open() {
                return alerting.openAlerts();
            }

            @Override
            public Optional<Alert> find(UUID id) throws Exception {
                return store.find(id);
            }
        };
    }

    /**
     * The alerts of a store: its open alerts, read at every tick (for a store shared by several
     * runners).
     *
     * @param store the store; never {@code null}
     * @return the source
     */
    static AlertSource of(AlertStore store) {
        Objects.requireNonNull(store, "store");
        return new AlertSource() {
            @Override
            public Collection<Alert> open() throws Exception {
                return store.loadOpen();
            }

            @Override
            public Optional<Alert> find(UUID id) throws Exception {
                return store.find(id);
            }
        };
    }
}
