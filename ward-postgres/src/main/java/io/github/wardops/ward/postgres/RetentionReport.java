package io.github.wardops.ward.postgres;

import java.util.List;

/**
 * What one maintenance run did. Immutable.
 *
 * @param created partitions created (ahead of need)
 * @param dropped partitions dropped (past retention)
 * @param rolledUpHours hours rolled up into the hourly roll-ups by this run (a backfill counts
 *     every hour it built; a steady run the current hour and the few before it it re-rolls)
 * @param expiredRows roll-up, state-change, alert, maintenance-silence, notification-log and silence rows
 *     deleted as past their retention
 *
 * <p>Neither list is {@code null}; both are copied and unmodifiable.
 */
public record RetentionReport(List<String> created, List<String> dropped, long rolledUpHours, long expiredRows) {
    /**
     * Copies the components' collections, so the caller's later changes do not reach this record.
     */
    public RetentionReport {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
    }

    /**
     * A report of partition work only (nothing rolled up or expired).
     *
     * @param created partitions created
     * @param dropped partitions dropped
     */
    public RetentionReport(List<String> created, List<String> dropped) {
        this(created, dropped, 0, 0);
    }
}
