package io.github.wardops.ward.bench.storage;

import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start-up cost of the embedded PostgreSQL: each round starts and stops it on the same data
 * directory, timing {@code EmbeddedDatabase.start} (binaries checked against the archive in the
 * jar, leftover check, password check, server start, login, schema check). The first round of
 * a process also reads the archive's manifest (decompressing it); on a fresh directory it also
 * unpacks the binaries and runs initdb. Run it twice on the same directory to see a later
 * process's first start. Usage: {@code EmbeddedStartBench DIRECTORY ROUNDS}.
 */
public final class EmbeddedStartBench {
    private EmbeddedStartBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param a the directory (its {@code pg} and {@code pg-runtime} are used) and the rounds
     * @throws Exception on failure
     */
    public static void main(String[] a) throws Exception {
        Path dir = Files.createDirectories(Path.of(a[0]));
        int rounds = Integer.parseInt(a[1]);
        for (int i = 1; i <= rounds; i++) {
            boolean fresh = !Files.exists(dir.resolve("pg").resolve("PG_VERSION"));
            long t0 = System.nanoTime();
            EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
            long started = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            db.close();
            long stopped = System.nanoTime() - t1;
            System.out.printf("round %d%s: start %d ms, stop %d ms%n", i, fresh ? " (fresh data directory)" : "",
                    started / 1_000_000, stopped / 1_000_000);
        }
    }
}
