package io.github.wardops.ward.postgres.internal.embedded;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of the tar stream inside the PostgreSQL binaries' archive: regular files,
 * directories and symbolic links only, with relative names that stay inside the tree. Anything
 * else (hard links, devices, GNU long names, pax headers, {@code ..}, absolute names, a bad
 * header checksum) is refused with an {@link IOException} naming the entry: the archive is ours,
 * so an entry this reader does not know means the archive is not what ward was built with.
 *
 * <p>About 100 lines instead of commons-compress (and the commons-io, commons-lang3 and
 * commons-codec it needs at run time). Not thread-safe: one reader per stream.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** The kind of an entry. */
    enum Kind { FILE, DIRECTORY, SYMLINK }

    /**
     * One entry's header.
     *
     * @param name the relative path, without a trailing slash; never {@code null}
     * @param kind the kind
     * @param mode the permission bits (07777)
     * @param size the content's size in bytes (0 for directories and links)
     * @param linkTarget the target of a symbolic link, else {@code null}
     */
    record Header(String name, Kind kind, int mode, long size, String linkTarget) {
    }

    private final InputStream in;
    private final byte[] block = new byte[BLOCK];
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /**
     * Moves to the next entry, skipping what is left of the current one.
     *
     * @return the next header, or {@code null} at the end of the archive
     * @throws IOException on a read error or an entry this reader refuses
     */
    Header next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        if (!readBlock()) {
            return null;
        }
        if (isZero(block)) {
            return null;
        }
        checkChecksum();
        String name = string(0, 100);
        String magic = string(257, 6);
        if (magic.equals("ustar")) {
            String prefix = string(345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        char type = (char) (block[156] & 0xff);
        int mode = (int) octal(100, 8, name);
        long size = octal(124, 12, name);
        String link = string(157, 100);
        name = checkName(name);
        Kind kind = switch (type) {
            case '0', '\0' -> Kind.FILE;
            case '5' -> Kind.DIRECTORY;
            case '2' -> Kind.SYMLINK;
            default -> throw new IOException("unsupported tar entry type '" + type + "' for " + name);
        };
        if (kind != Kind.FILE && size != 0) {
            throw new IOException("tar entry " + name + " of type " + kind + " has a size");
        }
        if (kind == Kind.SYMLINK) {
            checkLink(name, link);
        }
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        return new Header(name, kind, mode & 07777, size, kind == Kind.SYMLINK ? link : null);
    }

    /**
     * The current entry's content; read it before calling {@link #next()}. Closing it does not
     * close the archive.
     *
     * @return the content
     */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the archive ends inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private boolean readBlock() throws IOException {
        int off = 0;
        while (off < BLOCK) {
            int n = in.read(block, off, BLOCK - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("the archive ends inside a header");
            }
            off += n;
        }
        return true;
    }

    private void skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("the archive ends inside an entry");
            }
            n -= r;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void checkChecksum() throws IOException {
        long expected = octal(148, 8, "a header");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("tar header checksum mismatch");
        }
    }

    private String string(int off, int len) {
        int end = off;
        while (end < off + len && block[end] != 0) {
            end++;
        }
        return new String(block, off, end - off, StandardCharsets.UTF_8);
    }

    private long octal(int off, int len, String what) throws IOException {
        if ((block[off] & 0x80) != 0) {
            throw new IOException("base-256 number in the tar header of " + what);
        }
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            int c = block[i] & 0xff;
            if (c == 0 || (c == ' ' && digits)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("bad octal number in the tar header of " + what);
            }
            v = v * 8 + (c - '0');
            digits = true;
        }
        return v;
    }

    private static String checkName(String raw) throws IOException {
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.startsWith("/")) {
            throw new IOException("tar entry with an empty or absolute name: " + raw);
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IOException("tar entry name outside the tree: " + raw);
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < 0x20 || part.charAt(i) == 0x7f) {
                    throw new IOException("tar entry name with a control character");
                }
            }
        }
        return name;
    }

    private static void checkLink(String name, String target) throws IOException {
        if (target.isEmpty() || target.startsWith("/")) {
            throw new IOException("symbolic link " + name + " has an empty or absolute target");
        }
        int depth = name.split("/").length - 1;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                depth--;
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw new IOException("symbolic link " + name + " points outside the tree");
            }
        }
    }
}
