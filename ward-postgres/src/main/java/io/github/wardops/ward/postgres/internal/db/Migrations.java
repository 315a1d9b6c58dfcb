package io.github.wardops.ward.postgres.internal.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs ward's Flyway migrations ({@code ward-postgres/migration} in this module). Stateless.
 *
 * <p>The directory's name is not a Java package name, so the module system does not
 * encapsulate it: Flyway finds the scripts on the module path as on the class path.
 */
public final class Migrations {
    /** Where the migrations live on the class path. */
    public static final String LOCATION = "classpath:ward-postgres/migration";

    private Migrations() {
    }

    /**
     * Migrates the database to the newest schema.
     *
     * @param dataSource the database
     * @return how many migrations ran
     */
    public static int migrate(DataSource dataSource) {
        MigrateResult r = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        return r.migrationsExecuted;
    }
}
