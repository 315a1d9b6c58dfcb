package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the embedded server is the runner's own. Another local user (played by
 * {@code nobody}, through {@code setpriv}) cannot log in, whatever the user name, over TCP or
 * the Unix socket; neither can root without the password; the password file works as libpq's
 * {@code PGPASSFILE}; and as root the server runs in a user namespace of its own, never as the
 * real {@code nobody}.
 */
class EmbeddedAccessIT {
    private static final String PSQL = "/usr/bin/psql";
    private static Path tmp;
    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() throws Exception {
        Procs.require(PSQL, "/usr/bin/setpriv");
        tmp = Files.createTempDirectory("ward-access");
        db = EmbeddedDatabase.start(tmp.resolve("pg"), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (tmp != null) {
            try (var all = Files.walk(tmp)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String show(String setting) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Procs.Result psql(boolean asNobody, String host, String user, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PSQL, "-X", "-w", "-h", host, "-p", Integer.toString(db.port()), "-U", user,
                "-d", "postgres", "-At", "-c", "select 'logged-in:' || current_user"));
        return Procs.run(asNobody ? Procs.asNobody(cmd) : cmd, env);
    }

    @Test
    void anotherLocalUserCannotLogInOverTcpWithAnyUserName() throws Exception {
        assertEquals("127.0.0.1", show("listen_addresses"));
        for (String user : List.of("postgres", "ward", "root", "nobody")) {
            Procs.Result r = psql(true, "127.0.0.1", user, Map.of());
            assertNotEquals(0, r.exitCode(), user + ": " + r.output());
            assertFalse(r.output().contains("logged-in:"), user + ": " + r.output());
            assertTrue(r.output().contains("password") || r.output().contains("authentication"),
                    "refused for want of a password, not for another reason: " + r.output());
        }
    }

    @Test
    void anotherLocalUserCannotReachTheUnixSocket() throws Exception {
        String dirs = show("unix_socket_directories");
        assertFalse(dirs.isBlank(), "this test's data directory is short enough for a socket");
        for (String dir : dirs.split(",")) {
            String socketDir = dir.strip();
            for (String user : List.of("postgres", "ward", "root", "nobody")) {
                Procs.Result r = psql(true, socketDir, user, Map.of());
                assertNotEquals(0, r.exitCode(), socketDir + " as " + user + ": " + r.output());
                assertFalse(r.output().contains("logged-in:"), r.output());
            }
        }
        Path socketDir = Path.of(dirs.split(",")[0].strip());
        assertTrue(socketDir.startsWith(db.dataDirectory()), "the socket is inside the data directory: " + socketDir);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socketDir, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void rootWithoutThePasswordIsRefusedAndThePasswordFileLetsItIn() throws Exception {
        String socketDir = show("unix_socket_directories").split(",")[0].strip();
        for (String host : List.of("127.0.0.1", socketDir)) {
            Procs.Result r = psql(false, host, "postgres", Map.of());
            assertNotEquals(0, r.exitCode(), host + ": " + r.output());
            assertTrue(r.output().contains("password"), r.output());
        }
        // The documented way in: libpq's password file.
        Procs.Result ok = psql(false, "127.0.0.1", "postgres", Map.of("PGPASSFILE", db.passwordFile().toString()));
        assertEquals(0, ok.exitCode(), ok.output());
        assertEquals("logged-in:postgres", ok.output().strip());
        Procs.Result wrong = Procs.run(List.of(PSQL, "-X", "-h", "127.0.0.1", "-p", Integer.toString(db.port()), "-U", "postgres",
                "-d", "postgres", "-c", "select 1"), Map.of("PGPASSWORD", "not-the-password"));
        assertNotEquals(0, wrong.exitCode(), wrong.output());
    }

    @Test
    void thePasswordFileAndTheHbaFileArePrivateAndTrustNothing() throws Exception {
        Path pw = db.passwordFile();
        assertEquals(db.dataDirectory().resolve("ward.pgpass"), pw);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)));
        String line = Files.readString(pw).strip();
        assertTrue(line.startsWith("*:*:*:postgres:"), "libpq's format");
        assertTrue(line.length() - "*:*:*:postgres:".length() >= 32, "a long password");
        assertEquals(db.password().reveal(), line.substring("*:*:*:postgres:".length()));
        assertEquals("***", db.password().toString());
        assertFalse(db.jdbcUrl().contains(db.password().reveal()), "no password in the URL");
        String hba = Files.readString(db.dataDirectory().resolve("pg_hba.conf"));
        for (String l : hba.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            assertTrue(l.strip().endsWith("scram-sha-256"), l);
        }
        assertEquals("scram-sha-256", show("password_encryption"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the server's own view of its rules");
        }
    }

    /** A socket path over 107 bytes cannot be bound: then there is no socket, and TCP works. */
    @Test
    void aDataDirectoryTooDeepForASocketListensOnTcpOnly() throws Exception {
        Path deep = tmp.resolve("d".repeat(100)).resolve("pg");
        try (EmbeddedDatabase other = EmbeddedDatabase.start(deep, 0);
             Connection c = other.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW unix_socket_directories")) {
            rs.next();
            assertEquals("", rs.getString(1));
            assertTrue(other.isRunning());
            assertFalse(Files.exists(deep.resolve("socket")));
        }
    }

    /**
     * As root, PostgreSQL (which refuses to run as root) runs through {@code unshare -U}: it is
     * root to the rest of the system (its files are root's, mode 0700), never the real nobody,
     * whose other processes could then read them.
     */
    @Test
    void asRootTheServerRunsInAUserNamespaceOfItsOwnNeverAsTheRealNobody() throws Exception {
        Assumptions.assumeTrue(Procs.isRoot(), "runs as root only");
        long pid = Procs.postmasterPid(db.dataDirectory());
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertEquals(List.of("0", "0", "0", "0"), List.of(uids.substring(4).strip().split("\\s+")),
                "root's uid outside its namespace: " + uids);
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")),
                Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "user")), "a user namespace of its own");
        Path base = db.dataDirectory().resolve("base");
        assertEquals(0, Files.getAttribute(base, "unix:uid"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
        Procs.Result asNobody = Procs.run(Procs.asNobody(List.of("ls", db.dataDirectory().toString())), Map.of());
        assertNotEquals(0, asNobody.exitCode(), "nobody cannot read the data directory: " + asNobody.output());
    }
}
