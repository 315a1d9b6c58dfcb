package io.github.wardops.ward.postgres.internal.spool;

import io.github.wardops.ward.internal.support.PrivateFiles;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, ordered disk queue of result batches for when the database is away.
 *
 * <p>Batches are appended as checksummed records to segment files
 * ({@code segment-<seq>.spool}); a segment is closed when it reaches the segment size. Two caps
 * bound the spool: total bytes, and age (a segment whose newest record is older than the age cap).
 * When a cap is hit the oldest segment is deleted and its unreplayed rows are reported to the
 * {@link Listener} as dropped. {@link #replay} hands records back oldest first and forgets a
 * record only after its handler returned; a crash in between replays it again (the database
 * writes are idempotent). A record whose checksum fails is reported and skipped: the reader
 * finds the next intact record, so one bad record loses only itself, and the damaged segment is
 * kept as {@code .corrupt} for inspection instead of being deleted.
 *
 * <p>Record layout: {@code int magic 'WSP1', int payload length, int CRC32C, long appended-at
 * epoch ms, int rows, payload} (the CRC covers appended-at, rows and payload).
 *
 * <p>Not thread-safe: the owner serialises calls.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    static final int MAGIC = 0x57535031;
    static final int HEADER = 24;
    /** The largest record accepted. */
    public static final int MAX_RECORD = 64 << 20;
    private static final Pattern FILE = Pattern.compile("segment-([0-9]{19})\\.spool");

    /** Receives what the spool loses or replays. Called on the caller's thread. */
    public interface Listener {
        /**
         * Rows dropped because a cap was hit.
         *
         * @param rows the rows
         * @param reason {@code bytes}, {@code age} or {@code oversize}
         */
        void dropped(long rows, String reason);

        /**
         * A damaged record was skipped.
         *
         * @param message what and where, for the log
         */
        void corrupt(String message);
    }

    /** Writes one replayed batch; throws to stop replaying (the record stays). */
    @FunctionalInterface
    public interface Handler {
        /**
         * Writes a batch.
         *
         * @param batch the results
         * @throws Exception to stop and keep the record
         */
        void accept(List<ProbeResult> batch) throws Exception;
    }

    private static final class Segment {
        final long seq;
        final Path path;
        long bytes;
        long rows;
        long rowsDone;
        long readOffset;
        Instant first;
        Instant last;
        boolean corrupt;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final long segmentBytes;
    private final InstantSource clock;
    private final Listener listener;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment current;
    private FileChannel writer;
    private long nextSeq;
    private long totalBytes;
    private final FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;

    /**
     * Opens a spool directory, reading what an earlier run left in it.
     *
     * @param dir the directory (created when missing)
     * @param maxBytes the byte cap
     * @param maxAge the age cap
     * @param segmentBytes the segment size
     * @param clock the time
     * @param listener where losses go
     * @throws IOException when the directory cannot be read
     */
    public Spool(Path dir, long maxBytes, Duration maxAge, long segmentBytes, InstantSource clock, Listener listener)
            throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.segmentBytes = segmentBytes;
        this.clock = clock;
        this.listener = listener;
        // results are the operator's data: the directory and its files are for ward's user alone
        PrivateFiles.directory(dir);
        this.lockChannel = FileChannel.open(dir.resolve("spool.lock"),
                java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.fileAttributes(dir));
        try {
            this.lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lockChannel.close();
            throw new IOException("the spool directory " + dir + " is already in use in this process");
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the spool directory " + dir + " is in use by another process");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "segment-*.spool")) {
            ds.forEach(files::add);
        }
        for (Path p : files) {
            Matcher m = FILE.matcher(p.getFileName().toString());
            if (m.matches()) {
                long seq = Long.parseLong(m.group(1));
                segments.put(seq, new Segment(seq, p));
            }
        }
        Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        for (Segment s : segments.values()) {
            scan(s, s == last);
            totalBytes += s.bytes;
        }
        nextSeq = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        if (!segments.isEmpty()) {
            LOG.info("spool {}: {} segment(s), {} bytes, {} rows to replay", dir, segments.size(), totalBytes,
                    pendingRows());
        }
    }

    /** Reads a segment left by an earlier run: counts rows, finds damage, cuts a torn tail. */
    private void scan(Segment s, boolean isLast) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long off = 0;
            while (off < size) {
                Read r = read(ch, off, size, false);
                if (r instanceof Good g) {
                    s.rows += g.rows;
                    s.first = s.first == null ? g.appendedAt : s.first;
                    s.last = g.appendedAt;
                    off = g.next;
                } else if (r instanceof Bad b) {
                    if (b.resume < 0 && isLast && b.torn) {
                        LOG.warn("spool segment {}: cutting an incomplete record at offset {} (the process stopped "
                                + "while writing it)", s.path.getFileName(), off);
                        ch.truncate(off);
                        size = off;
                        break;
                    }
                    s.corrupt = true;
                    off = b.resume < 0 ? size : b.resume;
                }
            }
            s.bytes = size;
        }
        if (s.first == null) {
            s.first = Files.getLastModifiedTime(s.path).toInstant();
            s.last = s.first;
        }
    }

    private sealed interface Read permits Good, Bad {
    }

    private record Good(long next, Instant appendedAt, int rows, byte[] payload) implements Read {
    }

    /** A damaged record; {@code resume} is the offset of the next intact record, or -1. */
    private record Bad(String reason, long resume, boolean torn) implements Read {
    }

    private static Read read(FileChannel ch, long off, long size, boolean needPayload) throws IOException {
        if (size - off < HEADER) {
            return new Bad("an incomplete record header", resync(ch, off, size), true);
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        readFully(ch, h, off);
        h.flip();
        int magic = h.getInt();
        int len = h.getInt();
        int crc = h.getInt();
        long at = h.getLong();
        int rows = h.getInt();
        if (magic != MAGIC) {
            return new Bad("no record marker", resync(ch, off, size), false);
        }
        if (len < 0 || len > MAX_RECORD || rows < 0) {
            return new Bad("a bad record length " + len, resync(ch, off, size), false);
        }
        if (size - off - HEADER < len) {
            return new Bad("a record longer than the file", resync(ch, off, size), true);
        }
        ByteBuffer p = ByteBuffer.allocate(len);
        readFully(ch, p, off + HEADER);
        CRC32C c = new CRC32C();
        c.update(h.array(), 12, 12);
        c.update(p.array(), 0, len);
        if ((int) c.getValue() != crc) {
            return new Bad("a checksum mismatch", resync(ch, off, size), false);
        }
        return new Good(off + HEADER + len, Instant.ofEpochMilli(at), rows, needPayload ? p.array() : null);
    }

    /** Finds the next intact record after a damaged one, or -1. */
    private static long resync(FileChannel ch, long off, long size) throws IOException {
        long from = off + 1;
        if (from >= size) {
            return -1;
        }
        long n = size - from;
        if (n > Integer.MAX_VALUE - 16) {
            return -1;
        }
        ByteBuffer all = ByteBuffer.allocate((int) n);
        readFully(ch, all, from);
        byte[] b = all.array();
        for (int i = 0; i + HEADER <= b.length; i++) {
            if (b[i] == 0x57 && b[i + 1] == 0x53 && b[i + 2] == 0x50 && b[i + 3] == 0x31) {
                ByteBuffer h = ByteBuffer.wrap(b, i, HEADER);
                h.getInt();
                int len = h.getInt();
                int crc = h.getInt();
                if (len < 0 || len > b.length - i - HEADER) {
                    continue;
                }
                CRC32C c = new CRC32C();
                c.update(b, i + 12, 12 + len);
                if ((int) c.getValue() == crc) {
                    return from + i;
                }
            }
        }
        return -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /**
     * Appends a batch, first making room under the caps by dropping the oldest segments.
     *
     * @param batch the results; not empty
     * @throws IOException when the disk write fails (the batch is then lost and the caller counts
     *     it)
     */
    public void append(List<ProbeResult> batch) throws IOException {
        byte[] payload = SpoolCodec.encode(batch);
        long recLen = HEADER + (long) payload.length;
        Instant now = clock.instant();
        expire(now);
        if (recLen > maxBytes || payload.length > MAX_RECORD) {
            listener.dropped(batch.size(), "oversize");
            return;
        }
        if (writer == null || current.bytes + recLen > segmentBytes) {
            roll();
        }
        while (totalBytes + recLen > maxBytes) {
            Segment oldest = segments.firstEntry().getValue();
            drop(oldest, "bytes");
            if (oldest == current) {
                roll();
            }
        }
        ByteBuffer b = ByteBuffer.allocate((int) recLen);
        b.putInt(MAGIC).putInt(payload.length).putInt(0).putLong(now.toEpochMilli()).putInt(batch.size()).put(payload);
        CRC32C c = new CRC32C();
        c.update(b.array(), 12, 12 + payload.length);
        b.putInt(8, (int) c.getValue());
        b.flip();
        long pos = current.bytes;
        try {
            while (b.hasRemaining()) {
                pos += writer.write(b, pos);
            }
            writer.force(false);
        } catch (IOException e) {
            // a full disk: cut what was half written, so the segment ends on a whole record
            try {
                writer.truncate(current.bytes);
            } catch (IOException ignored) {
                // the next append writes over it from the same offset; a scan cuts a torn tail
            }
            throw e;
        }
        current.bytes += recLen;
        current.rows += batch.size();
        current.first = current.first == null ? now : current.first;
        current.last = now;
        totalBytes += recLen;
    }

    private void roll() throws IOException {
        closeWriter();
        long seq = nextSeq++;
        Path p = dir.resolve(String.format("segment-%019d.spool", seq));
        writer = FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ), PrivateFiles.fileAttributes(dir));
        current = new Segment(seq, p);
        segments.put(seq, current);
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    private void drop(Segment s, String reason) throws IOException {
        long lost = s.rows - s.rowsDone;
        if (s == current) {
            closeWriter();
            current = null;
        }
        segments.remove(s.seq);
        totalBytes -= s.bytes;
        retire(s);
        if (lost > 0) {
            LOG.warn("spool {}: dropped segment {} with {} unwritten rows: the {} cap was hit", dir,
                    s.path.getFileName(), lost, reason);
            listener.dropped(lost, reason);
        }
    }

    /** Deletes a segment, or keeps a damaged one as .corrupt for inspection. */
    private void retire(Segment s) throws IOException {
        if (s.corrupt) {
            Files.move(s.path, s.path.resolveSibling(s.path.getFileName() + ".corrupt"),
                    StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(s.path);
        }
    }

    private void expire(Instant now) throws IOException {
        Instant limit = now.minus(maxAge);
        while (!segments.isEmpty()) {
            Segment s = segments.firstEntry().getValue();
            if (s.last != null && s.last.isBefore(limit)) {
                drop(s, "age");
            } else {
                break;
            }
        }
    }

    /**
     * Replays records oldest first until the spool is empty, the handler throws, or
     * {@code maxRecords} were handed over.
     *
     * @param handler writes a batch; throwing stops the replay and keeps the record
     * @param maxRecords the most records this call replays
     * @return the rows replayed
     * @throws Exception what the handler threw
     */
    public long replay(Handler handler, int maxRecords) throws Exception {
        expire(clock.instant());
        long rows = 0;
        int records = 0;
        while (!segments.isEmpty() && records < maxRecords) {
            Segment s = segments.firstEntry().getValue();
            if (s.readOffset >= s.bytes) {
                if (s == current) {
                    closeWriter();
                    current = null;
                }
                segments.remove(s.seq);
                totalBytes -= s.bytes;
                retire(s);
                continue;
            }
            Read r;
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
                r = read(ch, s.readOffset, s.bytes, true);
            }
            if (r instanceof Bad b) {
                s.corrupt = true;
                String msg = "spool segment " + s.path.getFileName() + " offset " + s.readOffset + ": " + b.reason
                        + "; skipped " + (b.resume < 0 ? "the rest of the segment" : "to offset " + b.resume)
                        + "; the segment is kept as " + s.path.getFileName() + ".corrupt";
                LOG.error(msg);
                listener.corrupt(msg);
                s.readOffset = b.resume < 0 ? s.bytes : b.resume;
                continue;
            }
            Good g = (Good) r;
            List<ProbeResult> batch;
            try {
                batch = SpoolCodec.decode(g.payload);
            } catch (IOException e) {
                s.corrupt = true;
                String msg = "spool segment " + s.path.getFileName() + " offset " + s.readOffset
                        + ": an undecodable record (" + e.getMessage() + "); skipped";
                LOG.error(msg);
                listener.corrupt(msg);
                s.readOffset = g.next;
                s.rowsDone += g.rows;
                continue;
            }
            handler.accept(batch);
            s.readOffset = g.next;
            s.rowsDone += g.rows;
            s.first = g.appendedAt;
            rows += g.rows;
            records++;
        }
        return rows;
    }

    /**
     * Whether nothing waits to be replayed.
     *
     * @return {@code true} when empty
     */
    public boolean isEmpty() {
        for (Segment s : segments.values()) {
            if (s.readOffset < s.bytes) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes on disk.
     *
     * @return the total segment size
     */
    public long bytes() {
        return totalBytes;
    }

    /**
     * The rows waiting to be replayed.
     *
     * @return the count
     */
    public long pendingRows() {
        long n = 0;
        for (Segment s : segments.values()) {
            n += s.rows - s.rowsDone;
        }
        return n;
    }

    /**
     * When the oldest waiting record was appended.
     *
     * @return the instant, empty when the spool is empty
     */
    public Optional<Instant> oldest() {
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Segment s = e.getValue();
            if (s.readOffset < s.bytes) {
                return Optional.ofNullable(s.first);
            }
        }
        return Optional.empty();
    }

    /**
     * The directory.
     *
     * @return the path
     */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        closeWriter();
        if (lockChannel.isOpen()) {
            lock.release();
            lockChannel.close();
        }
    }
}
