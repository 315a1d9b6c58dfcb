package io.github.wardops.ward.postgres;

import java.util.List;

/**
 * What one maintenance run did. Immutable.
 *
 * @param created partitions created (ahead of need)
 * @param dropped partitions dropped (past retention)
 *
 * <p>Neither list is {@code null}; both are copied and unmodifiable.
 */
public record RetentionReport(List<String> created, List<String> dropped) {
    /**
     * Copies the components' collections, so the caller's later changes do not reach this record.
     */
    public RetentionReport {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
    }
}
