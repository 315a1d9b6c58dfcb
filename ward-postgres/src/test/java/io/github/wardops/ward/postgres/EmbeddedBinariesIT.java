package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.WardException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: ward runs only the PostgreSQL binaries of the jar, from a directory of its own.
 * Programs planted where the embedded server used to look (the shared temp directory) or inside
 * ward's own runtime directory are never run; a changed binary is detected and replaced; a
 * runtime directory that others could write to is refused.
 */
class EmbeddedBinariesIT {
    private static final String SCRIPT = "#!/bin/sh\ntouch '%s'\nexit 1\n";

    @TempDir
    Path dir;

    private static String md5OfArchive() throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (InputStream in = EmbeddedBinariesIT.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz")) {
            assertTrue(in != null, "the binaries' jar is on the test class path");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void plant(Path file, Path marker) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, SCRIPT.formatted(marker));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Another user prepares {@code $TMPDIR/embedded-pg/PG-<md5>/} with an {@code .exists} marker and
     * their own {@code bin/initdb}, the way the zonky runtime trusted it; a runner that starts
     * after them (in a JVM whose temp directory is that shared one) must not run it.
     */
    @Test
    void programsPlantedInASharedTempDirectoryAreNeverRun() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared-tmp"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path marker = dir.resolve("planted-program-ran");
        Path planted = shared.resolve("embedded-pg").resolve("PG-" + md5OfArchive());
        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            plant(planted.resolve("bin").resolve(program), marker);
        }
        Files.createFile(planted.resolve(".exists"));
        Path data = Files.createDirectory(dir.resolve("runner")).resolve("pg");
        Path log = dir.resolve("child.log");
        Process p = Procs.embeddedMain(data, log, List.of("-Djava.io.tmpdir=" + shared), Map.of("TMPDIR", shared.toString()));
        try {
            Procs.awaitReady(p, log, Duration.ofSeconds(120));
            assertFalse(Files.exists(marker), "a planted program ran:\n" + Files.readString(log));
            assertTrue(Files.isRegularFile(data.resolve("PG_VERSION")));
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertFalse(Files.exists(marker), "a planted program ran:\n" + Files.readString(log));
    }

    /**
     * After ward unpacked its binaries, someone changes {@code bin/initdb}, adds programs and a
     * library that {@code postgres} would load first ({@code lib/} is on its run path), and
     * loosens a mode: the next start finds every difference, unpacks again, and runs nothing
     * planted.
     */
    @Test
    void aChangedOrPlantedFileInWardsRuntimeDirectoryIsDetectedAndNeverRun() throws Exception {
        Path base = Files.createDirectory(dir.resolve("base"));
        Path runtime;
        try (EmbeddedDatabase first = EmbeddedDatabase.start(base.resolve("pg1"), 0)) {
            runtime = first.runtimeDirectory();
        }
        assertEquals(base.resolve("pg-runtime"), runtime.getParent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.getParent())));
        Path marker = dir.resolve("planted-program-ran");
        plant(runtime.resolve("bin/initdb"), marker);
        Files.setPosixFilePermissions(runtime.resolve("bin/initdb"), PosixFilePermissions.fromString("rwx------"));
        plant(runtime.resolve("bin/pg_ctl2"), marker);
        Files.writeString(runtime.resolve("lib/libpthread.so.0"), "not a library");
        Path libpq = runtime.resolve("lib/libpq.so.5.17");
        Files.setPosixFilePermissions(libpq, PosixFilePermissions.fromString("rwxrwxrwx"));

        try (EmbeddedDatabase second = EmbeddedDatabase.start(base.resolve("pg2"), 0)) {   // a new data directory: initdb runs
            assertFalse(Files.exists(marker), "the planted initdb ran");
            List<String> found = second.repairedBinaries();
            assertTrue(found.contains("bin/initdb: size differs"), found.toString());
            assertTrue(found.contains("bin/pg_ctl2: extra file"), found.toString());
            assertTrue(found.contains("lib/libpthread.so.0: extra file"), found.toString());
            assertTrue(found.contains("lib/libpq.so.5.17: mode 0777 instead of 0700"), found.toString());
            assertEquals(runtime, second.runtimeDirectory());
            assertFalse(Files.exists(runtime.resolve("bin/pg_ctl2")));
            assertTrue(second.isRunning());
        }
        try (EmbeddedDatabase third = EmbeddedDatabase.start(base.resolve("pg2"), 0)) {
            assertEquals(List.of(), third.repairedBinaries(), "repaired for good");
        }
    }

    @Test
    void aRuntimeDirectoryOthersCanWriteToIsRefused() throws Exception {
        Path base = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        WardException e = assertThrows(WardException.class, () -> EmbeddedDatabase.start(base.resolve("pg"), 0));
        assertTrue(e.getMessage().contains(base + " is writable by others"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod go-w"), "says how to fix it: " + e.getMessage());
        assertFalse(Files.exists(base.resolve("pg").resolve("PG_VERSION")), "nothing was run");
    }

    @Test
    void aRuntimeDirectoryOfAnotherUserIsRefused() throws Exception {
        Assumptions.assumeTrue(Procs.isRoot(), "chown needs root");
        Path base = Files.createDirectory(dir.resolve("theirs"));
        Path runtime = Files.createDirectory(base.resolve("pg-runtime"));
        Files.setAttribute(runtime, "unix:uid", 65534);
        WardException e = assertThrows(WardException.class, () -> EmbeddedDatabase.start(base.resolve("pg"), 0));
        assertTrue(e.getMessage().contains(runtime + " belongs to another user (uid 65534)"), e.getMessage());
    }
}
