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
     * Copies.
     *
     * @param created created
     * @param dropped dropped
     */
    public RetentionReport {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
    }
}
