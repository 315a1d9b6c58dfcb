package io.github.wardops.ward.postgres.internal.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's own log: {@code DATA/log/postgresql.log}, rotated to
 * {@code postgresql.log.1} when it reaches {@value #MAX_BYTES} bytes (so at most twice that on
 * disk), mode {@code 0600}; each line also goes to ward's log at DEBUG (logger
 * {@code io.github.wardops.ward.postgres.EmbeddedDatabase.server}). The last
 * {@value #KEPT_LINES} lines are kept in memory for error messages. A write that fails (disk
 * full) is dropped, never blocks the server. Thread-safe.
 */
final class ServerLog {
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final int KEPT_LINES = 50;
    static final int MAX_LINE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase.server");

    private final Path file;
    private final ArrayDeque<String> last = new ArrayDeque<>(KEPT_LINES);
    private OutputStream out;
    private long size;
    private boolean failed;

    ServerLog(Path dataDirectory) {
        this.file = dataDirectory.resolve("log").resolve("postgresql.log");
    }

    /**
     * The log file.
     *
     * @return its path
     */
    Path file() {
        return file;
    }

    /**
     * Appends a line (without its line break).
     *
     * @param line the line
     */
    synchronized void line(String line) {
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE) + "...";
        }
        if (last.size() == KEPT_LINES) {
            last.removeFirst();
        }
        last.addLast(line);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}", Text.clean(line));
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size + bytes.length > MAX_BYTES) {
                out.close();
                out = null;
                Files.move(file, file.resolveSibling("postgresql.log.1"), StandardCopyOption.REPLACE_EXISTING);
                open();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
            failed = false;
        } catch (IOException e) {
            closeQuietly();
            if (!failed) {
                failed = true;
                LOG.debug("cannot write the embedded PostgreSQL's log {}: {}", file, e.toString());
            }
        }
    }

    /**
     * The last lines, oldest first.
     *
     * @param n at most this many
     * @return the lines
     */
    synchronized List<String> lastLines(int n) {
        List<String> all = new ArrayList<>(last);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** Closes the file; a later line opens it again. */
    synchronized void close() {
        closeQuietly();
    }

    private void open() throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PgArchive.perms(0700)));
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(file, PgArchive.perms(0600));
        size = Files.size(file);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing to do
            }
            out = null;
        }
    }
}
