package io.github.wardops.ward.postgres;

/**
 * How the result sink sends a batch to PostgreSQL. Both are idempotent ({@code ON CONFLICT DO
 * NOTHING} on each table's primary key). See docs/benchmarks-storage.md for measurements.
 */
public enum WriteMode {
    /** COPY into a temporary staging table, then one {@code INSERT ... SELECT}. */
    COPY,
    /** Multi-row {@code INSERT ... VALUES} statements of up to 1,000 rows. */
    INSERT
}
