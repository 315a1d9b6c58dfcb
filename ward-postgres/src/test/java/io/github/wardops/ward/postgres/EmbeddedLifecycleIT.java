package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.WardException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the embedded server lives and dies with its owner. Killing the owning JVM with
 * SIGKILL takes the postmaster with it, and the next start comes back with the data; a
 * postmaster left behind anyway is stopped at the next start; a postmaster that dies while its
 * owner runs is restarted on the same port; a data directory of an older ward (trust
 * authentication) is upgraded to passwords.
 */
class EmbeddedLifecycleIT {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static long kept(EmbeddedDatabase db) throws Exception {
        return count(db, "kept");
    }

    private static long count(EmbeddedDatabase db, String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void killingTheOwningJvmStopsThePostmasterAndTheNextStartKeepsTheData() throws Exception {
        Path data = dir.resolve("pg");
        Path log = dir.resolve("child.log");
        Process child = Procs.embeddedMain(data, log, List.of(), Map.of());
        long postmaster;
        try {
            Procs.awaitReady(child, log, Duration.ofSeconds(120));
            postmaster = Procs.postmasterPid(data);
            assertTrue(Procs.alive(postmaster));
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no finally
            assertTrue(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        Procs.awaitGone(postmaster, Duration.ofSeconds(15), "the postmaster of the killed JVM");
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "a fast shutdown removes postmaster.pid");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertTrue(db.isRunning());
            assertEquals(1, kept(db), "the row written before the kill");
        }
    }

    /**
     * The watchdog is killed first (so nothing stops the server), then the JVM: the postmaster
     * outlives both. The next start stops it (fast shutdown) and starts normally.
     */
    @Test
    void aLeftoverPostmasterIsStoppedAtTheNextStart() throws Exception {
        Path data = dir.resolve("pg");
        Path log = dir.resolve("child.log");
        Process child = Procs.embeddedMain(data, log, List.of(), Map.of());
        long postmaster;
        try {
            Procs.awaitReady(child, log, Duration.ofSeconds(120));
            postmaster = Procs.postmasterPid(data);
            Optional<ProcessHandle> parent = ProcessHandle.of(postmaster).flatMap(ProcessHandle::parent);
            String parentCommand = parent.flatMap(h -> h.info().commandLine()).orElse("");
            if (parent.isPresent() && parentCommand.contains("ward-postgres-watchdog")) {
                Procs.kill9(parent.get().pid());
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        Thread.sleep(1_000);
        assertTrue(Procs.alive(postmaster), "the postmaster outlived its owner");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertFalse(Procs.alive(postmaster), "the leftover was stopped");
            assertNotEquals(postmaster, Procs.postmasterPid(data));
            assertTrue(db.isRunning());
            assertEquals(1, kept(db));
        }
        String logged = Files.readString(data.resolve("log").resolve("postgresql.log"), StandardCharsets.UTF_8);
        assertTrue(logged.contains("received fast shutdown request"), "stopped with a fast shutdown");
    }

    /**
     * A data directory whose owner is alive (another runner started on it by mistake) is not a
     * leftover: the second start is refused, and the first owner's server keeps running.
     */
    @Test
    void aDataDirectoryInUseByALiveProcessIsRefusedAndItsServerLeftAlone() throws Exception {
        Path data = dir.resolve("pg");
        Path log = dir.resolve("child.log");
        Process child = Procs.embeddedMain(data, log, List.of(), Map.of());
        try {
            Procs.awaitReady(child, log, Duration.ofSeconds(120));
            long postmaster = Procs.postmasterPid(data);
            WardException e = assertThrows(WardException.class, () -> EmbeddedDatabase.start(data, 0));
            assertTrue(e.getMessage().contains(data + " is in use by another process (pid " + child.pid() + ")"), e.getMessage());
            Thread.sleep(500);
            assertTrue(Procs.alive(postmaster), "the other process's server was left alone");
            assertEquals(postmaster, Procs.postmasterPid(data));
        } finally {
            child.destroyForcibly().waitFor();
        }
        Path mine = dir.resolve("mine");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(mine, 0)) {
            WardException e = assertThrows(WardException.class, () -> EmbeddedDatabase.start(mine, 0));
            assertTrue(e.getMessage().contains(mine + " is already in use in this process"), e.getMessage());
            assertTrue(db.isRunning());
        }
    }

    @Test
    void aPostmasterThatDiesIsRestartedOnTheSamePort() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
            db.bindTo(registry);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (n int)");
                st.execute("INSERT INTO kept VALUES (1)");
            }
            int port = db.port();
            long first = Procs.postmasterPid(db.dataDirectory());
            assertEquals(1.0, registry.get("ward.storage.embedded.up").gauge().value());
            assertEquals(0.0, registry.get("ward.storage.embedded.restarts").functionCounter().count());

            Procs.kill9(first);
            PgSupport.await("the death noticed", BOUND, () -> !db.isRunning());
            // the process can be seen dead a moment before its supervisor has read its exit status
            PgSupport.await("the death explained", BOUND, () -> db.status().contains("signal 9 (KILL)")
                    || db.isRunning());
            String status = db.status();
            if (!status.startsWith("running")) {
                // "down since <when> (...)" once the supervisor has recorded the death; a moment
                // before that, "down (exited with ...)" without the time
                assertTrue(status.startsWith("down ") && status.contains("signal 9 (KILL)")
                        && status.contains("being restarted"), status);
            }
            PgSupport.await("the server back", BOUND, db::isRunning);
            assertEquals(port, db.port(), "the same port");
            assertNotEquals(first, Procs.postmasterPid(db.dataDirectory()));
            assertEquals(1, db.restarts());
            assertEquals(1.0, registry.get("ward.storage.embedded.restarts").functionCounter().count());
            assertEquals(1.0, registry.get("ward.storage.embedded.up").gauge().value());
            assertTrue(db.status().startsWith("running (pid "), db.status());
            assertEquals(1, kept(db));

            // And again: each death is one restart.
            Procs.kill9(Procs.postmasterPid(db.dataDirectory()));
            PgSupport.await("the second death noticed", BOUND, () -> !db.isRunning());
            PgSupport.await("the server back again", BOUND, db::isRunning);
            assertEquals(2, db.restarts());
        }
        assertEquals(0.0, registry.get("ward.storage.embedded.up").gauge().value(), "closed");
    }

    @Test
    void closeStopsThePostmasterAndItsWatchdog() throws Exception {
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
        long pid = Procs.postmasterPid(db.dataDirectory());
        ProcessHandle watchdogHandle = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow();
        long watchdog = watchdogHandle.pid();
        // the watchdog's pipe watcher: a shell that must not outlive it (it could signal a reused pid later)
        List<ProcessHandle> shells = watchdogHandle.children()
                .filter(h -> h.pid() != pid && h.info().command().map(c -> c.endsWith("sh")).orElse(false)).toList();
        assertEquals(1, shells.size(), "one pipe watcher: " + shells);
        db.close();
        assertFalse(Procs.alive(pid));
        Procs.awaitGone(watchdog, Duration.ofSeconds(5), "the watchdog");
        Procs.awaitGone(shells.getFirst().pid(), Duration.ofSeconds(5), "the watchdog's pipe watcher");
        // nothing the watcher started outlives it for long: an orphaned 'sleep 30' kept the service
        // user busy for half a minute after every stop (userdel refused it)
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ProcessHandle> orphans;
        do {
            orphans = ProcessHandle.allProcesses().filter(h -> h.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                    .filter(h -> h.info().startInstant().map(t -> t.isAfter(before)).orElse(false))
                    .filter(h -> h.parent().map(p -> p.pid() == 1 || !p.isAlive()).orElse(true))
                    .toList();
            if (!orphans.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!orphans.isEmpty() && System.nanoTime() < deadline);
        assertTrue(orphans.isEmpty(), "sleeps left behind by the watchdog: " + orphans.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList());
        assertFalse(Files.exists(db.dataDirectory().resolve("postmaster.pid")));
        assertFalse(db.isRunning());
        assertEquals("stopped", db.status());
        db.close();   // idempotent
    }

    /**
     * A data directory made the way older ward versions made it ({@code initdb -A trust}, no
     * password file), with data in it: the next start sets a password, rewrites
     * {@code pg_hba.conf}, keeps the data, and refuses logins without the password.
     */
    @Test
    void aTrustDataDirectoryOfAnOlderWardIsUpgradedToPasswords() throws Exception {
        Path runtime;
        try (EmbeddedDatabase other = EmbeddedDatabase.start(dir.resolve("other"), 0)) {
            runtime = other.runtimeDirectory();
        }
        Path data = dir.resolve("pg");
        List<String> prefix = Procs.isRoot() ? List.of("unshare", "-U") : List.of();
        List<String> initdb = new ArrayList<>(prefix);
        initdb.addAll(List.of(runtime.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
                "-E", "UTF-8"));
        Procs.Result r = Procs.run(initdb, Map.of());
        assertEquals(0, r.exitCode(), r.output());
        List<String> single = new ArrayList<>(prefix);
        single.addAll(List.of(runtime.resolve("bin/postgres").toString(), "--single", "-D", data.toString(), "postgres"));
        ProcessBuilder pb = new ProcessBuilder(single).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write("CREATE SCHEMA legacy;\nCREATE TABLE legacy.kept (n int);\nINSERT INTO legacy.kept VALUES (42);\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.readString(data.resolve("pg_hba.conf")).contains("trust"));
        assertFalse(Files.exists(data.resolve("ward.pgpass")));

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertTrue(Files.exists(db.passwordFile()));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(db.passwordFile())));
            String hba = Files.readString(data.resolve("pg_hba.conf"));
            assertFalse(hba.lines().filter(l -> !l.startsWith("#")).anyMatch(l -> l.contains("trust")), hba);
            assertEquals(1, count(db, "legacy.kept"), "the data is kept");
            Procs.require("/usr/bin/psql");
            Procs.Result noPassword = Procs.run(List.of("/usr/bin/psql", "-X", "-w", "-h", "127.0.0.1", "-p",
                    Integer.toString(db.port()), "-U", "postgres", "-d", "postgres", "-c", "select 1"), Map.of());
            assertNotEquals(0, noPassword.exitCode(), noPassword.output());
            assertTrue(noPassword.output().contains("password"), noPassword.output());
        }
        // And the next start finds nothing more to do: the same password.
        String password = Files.readString(data.resolve("ward.pgpass"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertEquals(password, Files.readString(db.passwordFile()));
            assertEquals(1, count(db, "legacy.kept"));
        }
    }
}
