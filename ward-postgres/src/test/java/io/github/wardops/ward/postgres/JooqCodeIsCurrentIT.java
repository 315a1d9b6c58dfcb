package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in jOOQ classes are exactly what the migrations generate. Regenerate them with
 * {@code ./mvnw -B -ntp verify -pl ward-postgres -am -Dward.jooq.regenerate=true -Dit.test=JooqCodeIsCurrentIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class JooqCodeIsCurrentIT {

    @Test
    void checkedInCodeMatchesTheMigrations(@TempDir Path tmp) throws Exception {
        boolean regenerate = Boolean.getBoolean("ward.jooq.regenerate");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0)) {
            Path out = regenerate ? JooqCodegen.CHECKED_IN : tmp.resolve("gen");
            JooqCodegen.generate(db.jdbcUrl(), db.user(), db.password().reveal(), out);
            if (regenerate) {
                return;
            }
            Map<String, String> fresh = read(out);
            Map<String, String> checkedIn = read(JooqCodegen.CHECKED_IN);
            List<String> diffs = new ArrayList<>();
            for (String f : fresh.keySet()) {
                if (!checkedIn.containsKey(f)) {
                    diffs.add("missing from the checked-in code: " + f);
                } else if (!checkedIn.get(f).equals(fresh.get(f))) {
                    diffs.add("differs from the migrations: " + f);
                }
            }
            for (String f : checkedIn.keySet()) {
                if (!fresh.containsKey(f)) {
                    diffs.add("no longer generated: " + f);
                }
            }
            if (!diffs.isEmpty()) {
                fail("the checked-in jOOQ code does not match the Flyway migrations; regenerate it (see this test's "
                        + "Javadoc):\n  " + String.join("\n  ", diffs));
            }
            assertEquals(checkedIn.keySet(), fresh.keySet());
        }
    }

    private static Map<String, String> read(Path root) throws IOException {
        Path pkg = root.resolve(JooqCodegen.PACKAGE.replace('.', '/'));
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(pkg)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(pkg)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(pkg.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
