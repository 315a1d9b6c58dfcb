package io.github.wardops.ward.postgres;

import java.nio.file.Path;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/** Generates ward's jOOQ classes from a PostgreSQL that Flyway migrated. Used by {@link JooqCodeIsCurrentIT}. */
final class JooqCodegen {
    static final String PACKAGE = "io.github.wardops.ward.postgres.internal.jooq";
    static final Path CHECKED_IN = Path.of("src", "main", "java");

    private JooqCodegen() {
    }

    static void generate(String jdbcUrl, String user, String password, Path directory) throws Exception {
        Configuration c = new Configuration()
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(jdbcUrl).withUser(user).withPassword(password))
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema("public")
                                .withOutputSchemaToDefault(true)
                                .withIncludes(".*")
                                // cluster_*: the coordination layer (postgres.cluster) uses plain JDBC, no jOOQ classes
                                .withExcludes("flyway_schema_history|.*_p[0-9]{8}|ward_bump_inventory_version|cluster_.*")
                                .withForcedTypes(
                                        new ForcedType().withName("INSTANT")
                                                .withIncludeTypes("(?i:timestamp\\ with\\ time\\ zone|timestamptz)"),
                                        // jOOQ has no inet type: keep it as OTHER (written with a cast,
                                        // read with host()) rather than a deprecated unknown type
                                        new ForcedType().withName("OTHER").withIncludeTypes("(?i:inet)")))
                        .withGenerate(new Generate()
                                .withGeneratedAnnotation(false)
                                .withDeprecationOnUnknownTypes(false)
                                .withRecords(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withRoutines(false)
                                .withSequences(true)
                                .withIndexes(true)
                                .withKeys(true)
                                .withComments(false)
                                .withFluentSetters(false))
                        .withTarget(new Target()
                                .withPackageName(PACKAGE)
                                .withDirectory(directory.toAbsolutePath().toString())
                                .withClean(true)));
        GenerationTool.generate(c);
    }
}
