package io.github.wardops.ward.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What each receiver was told about each group (SPI; the PostgreSQL module keeps it fleet-wide,
 * {@link #inMemory(int)} is the built-in one). The dispatcher reads a group's last entry to decide
 * whether a message is due (new alerts, resolved ones, or the repeat interval) and appends an
 * entry after each delivered message, so after a restart, or on another runner, the same alerts
 * are not announced again and none is forgotten. Implementations are thread-safe.
 */
public interface NotificationLog {

    /**
     * One delivered message.
     *
     * @param receiver the receiver's name; never {@code null}
     * @param groupKey the group's key (route and group labels); never {@code null}
     * @param firing the alerts the message announced as firing; never {@code null}, copied
     * @param resolved the alerts it announced as resolved; never {@code null}, copied
     * @param reason why it was sent ({@code new}, {@code changed}, {@code repeat}, {@code escalation});
     *     never {@code null}
     * @param sentAt when it was delivered; never {@code null}
     */
    record Entry(String receiver, String groupKey, Set<UUID> firing, Set<UUID> resolved, String reason,
                 Instant sentAt) {
        /**
         * Checks the components and copies the sets.
         *
         * @throws NullPointerException if a component is null
         */
        public Entry {
            Objects.requireNonNull(receiver, "receiver");
            Objects.requireNonNull(groupKey, "groupKey");
            firing = Set.copyOf(firing);
            resolved = Set.copyOf(resolved);
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(sentAt, "sentAt");
        }
    }

    /**
     * The last message a receiver got for a group.
     *
     * @param receiver the receiver
     * @param groupKey the group
     * @return the entry, or empty when it never got one (or it was removed by retention)
     * @throws Exception when the log cannot be read
     */
    Optional<Entry> last(String receiver, String groupKey) throws Exception;

    /**
     * Appends an entry.
     *
     * @param entry the entry; never {@code null}
     * @throws Exception when it cannot be written
     */
    void append(Entry entry) throws Exception;

    /**
     * The messages that named an alert (firing or resolved), newest first: an alert's
     * notification log on the status page.
     *
     * @param alertId the alert
     * @param limit the most to return, at least 1
     * @return the entries; never {@code null}
     * @throws Exception when the log cannot be read
     */
    List<Entry> forAlert(UUID alertId, int limit) throws Exception;

    /**
     * The groups receivers were last told are firing: the last entry of each (receiver, group) that
     * names firing alerts, newest first. A dispatcher reads it when it starts (or takes over), so
     * that alerts resolved while no dispatcher ran are still told as resolved. The default returns
     * none (a log that cannot list them loses those resolutions).
     *
     * @param limit the most to return, at least 1
     * @return the entries; never {@code null}
     * @throws Exception when the log cannot be read
     */
    default List<Entry> stillFiring(int limit) throws Exception {
        return List.of();
    }

    /**
     * Removes entries sent before a time, except the last one of each (receiver, group) that
     * still names a firing alert (it keeps the repeat interval and the resolved message right).
     *
     * @param before the cut-off
     * @return how many entries were removed
     * @throws Exception when the log cannot be written
     */
    int removeBefore(Instant before) throws Exception;

    /**
     * A thread-safe log in memory keeping at most {@code max} entries (the oldest go first).
     *
     * @param max the bound, 1-10,000,000
     * @return a new, empty log
     */
    static NotificationLog inMemory(int max) {
        return new io.github.wardops.ward.internal.notify.InMemoryNotificationLog(max);
    }
}
