package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code cluster: false}, one runner per database: two would poll every device twice and open
 * every alert twice (issue 17 lists what else), so the second is refused at start with the first
 * one's identity, and may start once the first has stopped. (Runners that share a database in
 * cluster mode, the default with {@code db-url}: {@link ClusterIT}.)
 */
class OneRunnerPerDatabaseIT {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSecondRunnerOnTheSameDatabaseIsRefusedAndStartsOnceTheFirstHasStopped() throws Exception {
        try (EmbeddedDatabase external = EmbeddedDatabase.start(dir.resolve("external-pg"), 0)) {
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n"
                    + DeviceId.fromKey("claim-a") + ",a,127.46.0.1\n");
            Path dbPassword = Files.writeString(dir.resolve("db-password"), external.password().reveal() + "\n");
            Files.setPosixFilePermissions(dbPassword, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Map<String, String> env = Map.of("WARD_STORAGE", "postgres", "WARD_DB_PASSWORD_FILE", dbPassword.toString());
            String[] first = {"run", "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                    "--db-url", external.jdbcUrl(), "--db-user", external.user(), "--cluster", "false",
                    "--data-dir", dir.resolve("a").toString()};
            String[] second = first.clone();
            second[second.length - 1] = dir.resolve("b").toString();
            try (InProcessRunner a = InProcessRunner.start(env, first)) {
                a.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 1);
                InProcessRunner.Failed b = InProcessRunner.runToExit(env, second);
                assertEquals(ExitCodes.FAILURE, b.exitCode(), b.err());
                assertTrue(b.err().contains("another ward runner already uses this database (ward-runner on "), b.err());
                assertTrue(b.err().contains(", pid " + ProcessHandle.current().pid()), "names the first runner: " + b.err());
                assertFalse(b.err().contains(external.password().reveal()), "no password in the output");
                // the first runner carries on
                assertEquals(1, InProcessRunner.count(a.devices(), "UP"));
                // db-claim false (behind PgBouncer in transaction mode) claims nothing and refuses nothing
                String[] unclaimed = java.util.Arrays.copyOf(second, second.length + 2);
                unclaimed[second.length] = "--db-claim";
                unclaimed[second.length + 1] = "false";
                unclaimed[second.length - 1] = dir.resolve("c").toString();
                try (InProcessRunner c = InProcessRunner.start(env, unclaimed)) {
                    c.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 1);
                }
            }
            // the first stopped cleanly, which frees the claim at once
            try (InProcessRunner b = InProcessRunner.start(env, second)) {
                b.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 1);
            }
        }
    }
}
