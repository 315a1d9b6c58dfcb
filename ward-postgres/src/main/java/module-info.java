/**
 * ward-postgres: PostgreSQL storage for ward, and the coordination of several runners on one database
 * (the cluster package). Exports only its API packages; the implementation
 * and the jOOQ classes generated from the Flyway migrations are internal.
 */
module io.github.wardops.ward.postgres {
    requires transitive io.github.wardops.ward;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    requires org.jooq;
    requires org.postgresql.jdbc;
    requires flyway.core;
    requires org.tukaani.xz;
    requires org.slf4j;

    exports io.github.wardops.ward.postgres;
    exports io.github.wardops.ward.postgres.cluster;

    // jOOQ creates the generated records reflectively
    opens io.github.wardops.ward.postgres.internal.jooq.tables.records to org.jooq;
}
