package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.support.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Owner and mode checks for the directories ward runs PostgreSQL from: a directory another user
 * could write to (or rename an entry in) would let them put their own programs where ward
 * executes. Linux only (reads {@code unix:uid} and {@code unix:mode}). Stateless.
 */
public final class Ownership {
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private Ownership() {
    }

    /**
     * The effective user id of this process ({@link PrivateFiles#processUid()}), required.
     *
     * @return the uid
     * @throws WardException when it cannot be read (not Linux)
     */
    public static int currentUid() {
        int uid = PrivateFiles.processUid();
        if (uid < 0) {
            throw new WardException("cannot read this process's user id from /proc/self (the embedded "
                    + "PostgreSQL runs on Linux only)");
        }
        return uid;
    }

    /**
     * Checks that a directory and every directory above it can be changed only by this user or
     * root: each is owned by {@code uid} or root and not writable by group or others, except a
     * root-owned directory with the sticky bit (such as {@code /tmp}), where others cannot rename
     * or delete what is not theirs. Checked along the path as given (symbolic links included,
     * whose owner must be {@code uid} or root too) and along the real path it resolves to.
     *
     * @param dir an existing directory
     * @param uid this process's user id
     * @param what what the directory is for, for the message
     * @throws WardException naming the first directory that fails, its owner and mode, and the fix
     */
    public static void checkPrivatePath(Path dir, int uid, String what) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            checkChain(abs, uid, what, dir);
            checkChain(abs.toRealPath(), uid, what, dir);
        } catch (IOException e) {
            throw new WardException("cannot check the owner and mode of " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkChain(Path abs, int uid, String what, Path dir) throws IOException {
        for (Path p = abs; p != null; p = p.getParent()) {
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean link = Files.isSymbolicLink(p);
            if (owner != uid && owner != 0) {
                throw new WardException(what + " " + dir + " is not safe: " + p + " belongs to another user (uid "
                        + owner + "); ward runs PostgreSQL only from directories that this user (uid " + uid
                        + ") or root owns. Fix: choose a data-dir of your own, or chown " + p);
            }
            if (link) {
                continue;
            }
            boolean stickyRoot = (mode & STICKY) != 0 && owner == 0;
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !(stickyRoot && p != abs)) {
                throw new WardException(what + " " + dir + " is not safe: " + p + " is writable by "
                        + ((mode & 0002) != 0 ? "others" : "its group") + " (mode " + String.format("%04o", mode & 07777)
                        + "), so another user could replace what ward runs from it. Fix: chmod go-w " + p
                        + ", or choose another data-dir");
            }
        }
    }

    /**
     * The owner of a path, without following a link.
     *
     * @param p the path
     * @return its uid
     * @throws IOException when it cannot be read
     */
    static int owner(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The mode of a path (type and permission bits), without following a link.
     *
     * @param p the path
     * @return its mode
     * @throws IOException when it cannot be read
     */
    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
