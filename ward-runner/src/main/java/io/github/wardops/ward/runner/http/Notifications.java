package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.SilenceStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the API needs of notification routing ({@link HttpApi.Backend#withNotifications}): the
 * silences ({@code /api/silences}), the notification log ({@code /api/alerts/{id}/notifications})
 * and the maintenance windows in force, so alerts can say what holds their notifications back
 * ({@code heldBy}). The API reads them itself, not from the dispatcher: in cluster mode the
 * silences and the log are the fleet's, shared by every runner. Immutable.
 *
 * @param silences the silence store (PostgreSQL in cluster mode); never {@code null}
 * @param log what receivers were told; never {@code null}
 * @param windows the maintenance windows of the current configuration, read at every use (so a
 *     reload is seen); never {@code null}, nor what it gives
 */
public record Notifications(SilenceStore silences, NotificationLog log, Supplier<List<MaintenanceWindow>> windows) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if a component is null
     */
    public Notifications {
        Objects.requireNonNull(silences, "silences");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(windows, "windows");
    }
}
