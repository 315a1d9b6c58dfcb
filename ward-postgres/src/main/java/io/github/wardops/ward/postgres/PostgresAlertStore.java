package io.github.wardops.ward.postgres;

import io.github.wardops.ward.alert.AlertStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The {@link AlertStore} over PostgreSQL's {@code alerts} and {@code alert_silences} tables, with
 * the outage report its rows answer. Writes are queued and written behind the caller (see
 * {@code docs/storage.md}); every read first writes what is queued, so it sees earlier calls.
 * Thread-safe.
 */
public interface PostgresAlertStore extends AlertStore {

    /**
     * Downtime, number of outages and MTTR per device over {@code [from, to)}, computed in SQL from
     * device alerts (interface 0) of the given rules: an alert counts when its current rule, its
     * group or a rule of its history is one of them, so a problem that escalated through a rule
     * counts for it. Overlapping alerts of one device (two up/down problems for the same outage)
     * are merged into one outage, so nothing is counted twice;
     * each outage is clipped to the range, an open one runs to {@code min(to, now)}. MTTR is the
     * mean length (from the first failed probe, {@code since}, to the resolution) of the merged
     * outages that ended within the range.
     *
     * @param from the start of the range; never {@code null}
     * @param to the end of the range, after {@code from}; never {@code null}
     * @param rules the up/down rules or groups to count (such as {@code "Device Down - Critical"} or
     *     {@code "reachability"}); empty for every device alert except ward's own
     *     ({@link io.github.wardops.ward.alert.Alerting#FLAPPING_RULE},
     *     {@link io.github.wardops.ward.alert.Alerting#SELF_RULE});
     *     never {@code null}
     * @return one row per device with downtime in the range, most downtime first
     * @throws io.github.wardops.ward.WardException when the database cannot be read
     */
    List<DeviceDowntime> downtime(Instant from, Instant to, Collection<String> rules);

    /**
     * Rows of {@code alerts} left out by {@link #loadOpen()} and {@link #history} since start,
     * because they could not be read (an unknown severity, say); also counted in
     * {@code ward.storage.rows.unreadable{table=alerts}}.
     *
     * @return the count
     */
    long unreadableRows();
}
