package io.github.wardops.ward.postgres.internal.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ward's own tar reader reads the binaries' archive exactly as GNU tar does: the same entries,
 * kinds, link targets and content, and only the owner's permission bits.
 */
class PgArchiveTest {

    @Test
    void theManifestIsWhatGnuTarUnpacks(@TempDir Path tmp) throws Exception {
        Path txz = tmp.resolve("pg.txz");
        try (InputStream in = PgArchive.class.getClassLoader().getResourceAsStream(PgArchive.RESOURCE)) {
            assertNotNull(in, "the binaries' jar is on the test class path");
            Files.copy(in, txz);
        }
        MessageDigest whole = MessageDigest.getInstance("SHA-256");
        whole.update(Files.readAllBytes(txz));
        PgArchive archive = PgArchive.get();
        assertEquals(HexFormat.of().formatHex(whole.digest()), archive.sha256());

        Path out = Files.createDirectory(tmp.resolve("gnu"));
        Process tar = new ProcessBuilder("tar", "-xJf", txz.toString(), "-C", out.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        Map<String, String> gnu = new TreeMap<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.filter(p -> !p.equals(out)).toList()) {
                gnu.put(out.relativize(p).toString(), describe(p));
            }
        }
        Map<String, String> ours = new TreeMap<>();
        for (PgArchive.Entry e : archive.entries().values()) {
            ours.put(e.path(), switch (e.kind()) {
                case DIRECTORY -> "dir";
                case SYMLINK -> "link " + e.linkTarget();
                case FILE -> "file " + e.size() + " " + HexFormat.of().formatHex(e.sha256())
                        + ((e.mode() & 0100) != 0 ? " x" : "");
            });
            if (e.kind() == TarReader.Kind.FILE) {
                assertEquals(0, e.mode() & 077, "owner bits only: " + e.path());
            }
        }
        assertTrue(ours.size() > 1000, "the whole archive: " + ours.size());
        assertEquals(gnu, ours);
    }

    private static String describe(Path p) throws Exception {
        if (Files.isSymbolicLink(p)) {
            return "link " + Files.readSymbolicLink(p);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir";
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] content = Files.readAllBytes(p);
        return "file " + content.length + " " + HexFormat.of().formatHex(md.digest(content))
                + (Files.isExecutable(p) ? " x" : "");
    }

    @Test
    void theVerifierFindsNothingInAFreshCopy(@TempDir Path tmp) throws Exception {
        PgArchive archive = PgArchive.get();
        Path home = Files.createDirectory(tmp.resolve("home"));
        Files.setPosixFilePermissions(home, PgArchive.perms(0700));
        archive.extractTo(home);
        int uid = Ownership.currentUid();
        assertEquals(java.util.List.of(), PgRuntime.verify(archive, home, uid));
        Files.writeString(home.resolve("share/postgresql/postgresql.conf.sample"), "changed");
        Files.delete(home.resolve("bin/pg_ctl"));
        Files.createSymbolicLink(home.resolve("bin/psql"), Path.of("/bin/sh"));
        assertEquals(new java.util.TreeSet<>(java.util.List.of("bin/psql: extra file",
                "share/postgresql/postgresql.conf.sample: size differs", "bin/pg_ctl: missing")),
                new java.util.TreeSet<>(PgRuntime.verify(archive, home, uid)));
    }

    @Test
    void aSameSizedChangeIsFoundByItsContent(@TempDir Path tmp) throws Exception {
        PgArchive archive = PgArchive.get();
        Path home = Files.createDirectory(tmp.resolve("home"));
        Files.setPosixFilePermissions(home, PgArchive.perms(0700));
        archive.extractTo(home);
        Path initdb = home.resolve("bin/initdb");
        byte[] b = Files.readAllBytes(initdb);
        b[b.length / 2] ^= 1;
        Files.write(initdb, b);
        assertArrayEquals(new Object[] {"bin/initdb: content differs"},
                PgRuntime.verify(archive, home, Ownership.currentUid()).toArray());
    }
}
