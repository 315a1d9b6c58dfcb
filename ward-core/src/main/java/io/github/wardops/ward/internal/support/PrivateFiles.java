package io.github.wardops.ward.internal.support;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories and files that only the process's own user may use: ward's data directory, its
 * spool, the embedded database's files. Another local user must not read results, plant files,
 * or replace a file ward will read. Thread-safe; stateless.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(DIRECTORY);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {
    }

    /**
     * Makes sure a directory exists and is the process user's alone: missing directories are
     * created {@code rwx------}; an existing one must be owned by this user (else an
     * {@link IOException} says whose it is), and loses any group or other permission (logged).
     * A symbolic link is refused: another user could have pointed it elsewhere.
     *
     * @param dir the directory
     * @return {@code dir}
     * @throws IOException when it cannot be created, is not a directory, or belongs to another user
     */
    public static Path directory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                Files.createDirectories(parent, DIRECTORY_ATTRIBUTE);
            }
            try {
                Files.createDirectory(dir, DIRECTORY_ATTRIBUTE);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: checked below like any existing directory
            }
        }
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; ward keeps its data in a real directory of its own");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        if (!posix(dir)) {
            return dir;
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = processUid();
        if (me >= 0 && owner != me) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to this process's user (uid " + me
                    + "); run ward as the directory's owner, or give it a directory of its own");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!DIRECTORY.containsAll(perms)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
            LOG.info("{}: permissions tightened from {} to rwx------ (ward's data is for its own user only)", dir,
                    PosixFilePermissions.toString(perms));
        }
        return dir;
    }

    /**
     * The attribute that creates a file {@code rw-------}, for {@code Files.newByteChannel} and
     * {@code FileChannel.open}; {@code null}-free and empty on file systems without POSIX
     * permissions.
     *
     * @param where a path on the file system the file is created on
     * @return the attributes to pass when creating the file
     */
    public static FileAttribute<?>[] fileAttributes(Path where) {
        return posix(where) ? new FileAttribute<?>[] {FILE_ATTRIBUTE} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /** The effective uid of this process (the owner of {@code /proc/self}), or -1 when unknown. */
    public static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
