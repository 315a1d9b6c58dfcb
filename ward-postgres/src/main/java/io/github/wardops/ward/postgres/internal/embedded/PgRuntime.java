package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries, unpacked into a directory the runner owns
 * ({@code RUNTIME_ROOT/<first 16 hex digits of the archive's SHA-256>}) and checked before every
 * start: the directory and every directory above it must be private to this user (see
 * {@link Ownership}), and every file, directory and link must be exactly what the archive in the
 * jar holds (content by SHA-256, mode, owner, link target; nothing missing, nothing extra). A
 * difference is repaired by unpacking again (into a fresh directory that then replaces the old
 * one) and reported; what cannot be repaired is refused. Nothing is trusted because it exists.
 *
 * <p>Processes sharing a runtime root take a file lock on {@code RUNTIME_ROOT/.lock} while they
 * check or unpack. Thread-safe.
 */
public final class PgRuntime {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase");
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final int MAX_REPORTED = 10;

    private final Path home;
    private final List<String> repaired;
    private final long checkNanos;

    private PgRuntime(Path home, List<String> repaired, long checkNanos) {
        this.home = home;
        this.repaired = List.copyOf(repaired);
        this.checkNanos = checkNanos;
    }

    /**
     * Checks (and unpacks or repairs) the binaries under a runtime root, created {@code 0700}
     * when missing.
     *
     * @param runtimeRoot the runtime root, such as {@code data-dir/pg-runtime}
     * @return the checked binaries
     * @throws WardException when the root is not private to this user, or the binaries cannot be
     *     made to match the archive
     */
    public static PgRuntime prepare(Path runtimeRoot) {
        long t0 = System.nanoTime();
        int uid = Ownership.currentUid();
        Path root = privateRoot(runtimeRoot);
        String digest = PgArchive.digestOnly();
        Path home = root.resolve(digest.substring(0, 16));
        ReentrantLock local = LOCKS.computeIfAbsent(root, k -> new ReentrantLock());
        local.lock();
        try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PgArchive.perms(0600)));
             FileLock ignored = lockFile.lock()) {
            List<String> repaired = new ArrayList<>();
            removeDebris(root, home);
            PgArchive archive;
            if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                long u0 = System.nanoTime();
                archive = unpack(null, root, home);
                LOG.info("database: unpacked the PostgreSQL binaries into {} ({} ms)", home, (System.nanoTime() - u0) / 1_000_000);
            } else {
                archive = PgArchive.get();
                List<String> problems = verify(archive, home, uid);
                if (problems.isEmpty()) {
                    return new PgRuntime(home, repaired, System.nanoTime() - t0);
                }
                repaired.addAll(problems);
                LOG.warn("database: the PostgreSQL binaries in {} differ from the archive in the jar ({}); unpacking them "
                        + "again. Something other than ward changed them: check who can write to {}", home,
                        summary(problems), root);
                unpack(archive, root, home);
            }
            // what was just unpacked is checked like any other copy before it runs
            List<String> left = verify(archive, home, uid);
            if (!left.isEmpty()) {
                throw new WardException("the PostgreSQL binaries in " + home + " still differ from the archive after "
                        + "unpacking them again (" + summary(left) + "); refusing to run them");
            }
            return new PgRuntime(home, repaired, System.nanoTime() - t0);
        } catch (IOException e) {
            throw new WardException("cannot prepare the PostgreSQL binaries in " + home + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /**
     * Creates the runtime root ({@code 0700}) when missing and checks that it, and every
     * directory above it, is private to this user (see {@link Ownership}).
     *
     * @param runtimeRoot the runtime root
     * @return its absolute, normalised path
     * @throws WardException when it cannot be created or is not private
     */
    public static Path privateRoot(Path runtimeRoot) {
        Path root = runtimeRoot.toAbsolutePath().normalize();
        try {
            Path parent = root.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PgArchive.perms(0700)));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it: checked below like any existing directory
                }
            }
        } catch (IOException e) {
            throw new WardException("cannot create the embedded PostgreSQL's runtime directory " + root + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new WardException("the embedded PostgreSQL's runtime directory " + root + " is not a directory"
                    + " (or is a symbolic link): remove it, ward creates it");
        }
        Ownership.checkPrivatePath(root, Ownership.currentUid(), "the embedded PostgreSQL's runtime directory");
        return root;
    }

    /**
     * The directory holding {@code bin/}, {@code lib/} and {@code share/}.
     *
     * @return the directory
     */
    public Path home() {
        return home;
    }

    /**
     * A program in {@code bin/}.
     *
     * @param name such as {@code postgres}
     * @return its path
     */
    public Path bin(String name) {
        return home.resolve("bin").resolve(name);
    }

    /**
     * What was found wrong and repaired by this {@link #prepare}, empty when all matched.
     *
     * @return the problems, such as {@code "bin/initdb: content differs"}
     */
    public List<String> repaired() {
        return repaired;
    }

    /**
     * How long {@link #prepare} took.
     *
     * @return nanoseconds
     */
    public long checkNanos() {
        return checkNanos;
    }

    private static String summary(List<String> problems) {
        List<String> shown = problems.subList(0, Math.min(MAX_REPORTED, problems.size()));
        return String.join("; ", shown) + (problems.size() > shown.size() ? "; and " + (problems.size() - shown.size())
                + " more" : "");
    }

    /**
     * Unpacks into a fresh sibling, then swaps it in; the old directory is moved aside and deleted.
     * With no archive yet, its manifest is read while unpacking.
     */
    private static PgArchive unpack(PgArchive known, Path root, Path home) throws IOException {
        String suffix = HexFormat.of().formatHex(randomBytes());
        Path fresh = root.resolve(".unpack-" + suffix);
        Files.createDirectory(fresh, PosixFilePermissions.asFileAttribute(PgArchive.perms(0700)));
        PgArchive archive;
        try {
            if (known == null) {
                archive = PgArchive.extractInto(fresh);
            } else {
                known.extractTo(fresh);
                archive = known;
            }
        } catch (RuntimeException e) {
            deleteTree(fresh);
            throw e;
        }
        if (!home.getFileName().toString().equals(archive.sha256().substring(0, 16))) {
            deleteTree(fresh);
            throw new WardException("the PostgreSQL binaries' archive on the class path changed while ward ran");
        }
        if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
            Path old = root.resolve(".old-" + suffix);
            Files.move(home, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(fresh, home, StandardCopyOption.ATOMIC_MOVE);
            try {
                deleteTree(old);
            } catch (IOException e) {
                LOG.warn("database: could not delete the replaced PostgreSQL binaries in {}: {}", old, e.getMessage());
            }
        } else {
            Files.move(fresh, home, StandardCopyOption.ATOMIC_MOVE);
        }
        return archive;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Leftovers of an unpack that a crash interrupted. */
    private static void removeDebris(Path root, Path home) {
        try (var list = Files.list(root)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if ((n.startsWith(".unpack-") || n.startsWith(".old-")) && !p.equals(home)) {
                    try {
                        deleteTree(p);
                    } catch (IOException e) {
                        LOG.debug("could not delete {}: {}", p, e.toString());
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("could not list {}: {}", root, e.toString());
        }
    }

    /**
     * Everything in {@code home} that differs from the archive: missing, extra, another kind,
     * another owner or mode, other content, another link target.
     */
    static List<String> verify(PgArchive archive, Path home, int uid) throws IOException {
        List<String> problems = new ArrayList<>();
        if (Files.isSymbolicLink(home) || !Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(home.getFileName() + ": not a directory");
            return problems;
        }
        checkOwnerAndMode(home, "", uid, 0700, problems);
        Map<String, PgArchive.Entry> expected = archive.entries();
        Set<String> seen = new TreeSet<>();
        byte[] buf = new byte[1 << 16];
        Files.walkFileTree(home, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(home)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = rel(home, dir);
                seen.add(rel);
                PgArchive.Entry e = expected.get(rel);
                if (e == null) {
                    problems.add(rel + ": extra directory");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (e.kind() != TarReader.Kind.DIRECTORY) {
                    problems.add(rel + ": a directory instead of a " + e.kind().name().toLowerCase(java.util.Locale.ROOT));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                checkOwnerAndMode(dir, rel, uid, 0700, problems);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = rel(home, file);
                seen.add(rel);
                PgArchive.Entry e = expected.get(rel);
                if (e == null) {
                    problems.add(rel + ": extra file");
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    if (e.kind() != TarReader.Kind.SYMLINK) {
                        problems.add(rel + ": a symbolic link instead of a file");
                    } else if (!Files.readSymbolicLink(file).toString().equals(e.linkTarget())) {
                        problems.add(rel + ": link target differs");
                    } else if (Ownership.owner(file) != uid) {
                        problems.add(rel + ": owned by uid " + Ownership.owner(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile() || e.kind() != TarReader.Kind.FILE) {
                    problems.add(rel + ": not the " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " of the archive");
                    return FileVisitResult.CONTINUE;
                }
                checkOwnerAndMode(file, rel, uid, e.mode(), problems);
                if (attrs.size() != e.size()) {
                    problems.add(rel + ": size differs");
                    return FileVisitResult.CONTINUE;
                }
                MessageDigest md = PgArchive.sha256Digest();
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                if (!MessageDigest.isEqual(md.digest(), e.sha256())) {
                    problems.add(rel + ": content differs");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                problems.add(rel(home, file) + ": unreadable (" + exc.getClass().getSimpleName() + ")");
                return FileVisitResult.CONTINUE;
            }
        });
        for (String path : expected.keySet()) {
            if (!seen.contains(path)) {
                problems.add(path + ": missing");
            }
        }
        return problems;
    }

    private static void checkOwnerAndMode(Path p, String rel, int uid, int mode, List<String> problems) throws IOException {
        int owner = Ownership.owner(p);
        int actual = Ownership.mode(p) & 07777;
        String name = rel.isEmpty() ? "." : rel;
        if (owner != uid) {
            problems.add(name + ": owned by uid " + owner);
        }
        if (actual != mode) {
            problems.add(name + ": mode " + String.format("%04o", actual) + " instead of " + String.format("%04o", mode));
        }
    }

    private static String rel(Path home, Path p) {
        return home.relativize(p).toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                // make sure we may delete what is inside, whatever mode it was left with
                if (!Files.isSymbolicLink(d)) {
                    Files.setPosixFilePermissions(d, PgArchive.perms(0700));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
