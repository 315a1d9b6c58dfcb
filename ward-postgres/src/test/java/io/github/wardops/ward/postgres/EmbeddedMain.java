package io.github.wardops.ward.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A process that runs the embedded database and nothing else, for tests that kill it: starts it on
 * the data directory given as the argument (without a shutdown hook, like the runner), writes one
 * row into {@code kept}, prints {@code READY <port>} and waits to be killed.
 */
final class EmbeddedMain {
    private EmbeddedMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0, false);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS kept (n int)");
            st.execute("INSERT INTO kept VALUES (1)");
        }
        System.out.println("READY " + db.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
