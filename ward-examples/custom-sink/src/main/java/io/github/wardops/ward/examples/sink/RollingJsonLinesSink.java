package io.github.wardops.ward.examples.sink;

import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ResultSink} that appends each result as a JSON line ({@link JsonLines}) to a file,
 * rotating by size and keeping a bounded number of files ({@link RollingOptions}): disk use never
 * grows past about {@code maxFiles × maxFileBytes}. When a rotation deletes the oldest file, its
 * bytes are dropped on purpose and counted.
 *
 * <p>Each batch is flushed to the operating system before {@link #write} returns, so readers see
 * whole lines; nothing is fsynced (a machine crash may lose the last batches, and may leave a cut
 * last line).
 *
 * <p>Meters, tagged {@code sink=<name>}: {@code ward.example.jsonl.lines} (lines written),
 * {@code ward.example.jsonl.rotations}, {@code ward.example.jsonl.dropped.files} and
 * {@code ward.example.jsonl.dropped.bytes} (what rotation deleted).
 *
 * <p>Thread-safe: the engine never calls {@link #write} concurrently, and the methods are
 * synchronized anyway. {@link #close()} is idempotent; writing after it throws
 * {@link IllegalStateException}.
 */
public final class RollingJsonLinesSink implements ResultSink {
    private final RollingOptions options;
    private final String name;
    private final Counter lines;
    private final Counter rotations;
    private final Counter droppedFiles;
    private final Counter droppedBytes;
    private OutputStream out;
    private long size;
    private boolean closed;

    private RollingJsonLinesSink(RollingOptions options, String name, MeterRegistry registry) throws IOException {
        this.options = options;
        this.name = name;
        this.lines = Counter.builder("ward.example.jsonl.lines").tag("sink", name)
                .description("JSON lines written").register(registry);
        this.rotations = Counter.builder("ward.example.jsonl.rotations").tag("sink", name)
                .description("files rotated because they reached the size limit").register(registry);
        this.droppedFiles = Counter.builder("ward.example.jsonl.dropped.files").tag("sink", name)
                .description("oldest files deleted to keep the file count bounded").register(registry);
        this.droppedBytes = Counter.builder("ward.example.jsonl.dropped.bytes").tag("sink", name)
                .description("bytes of results deleted with the oldest files").baseUnit("bytes").register(registry);
        Files.createDirectories(options.directory());
        open();
    }

    /**
     * Opens the sink, appending to the current file when it exists.
     *
     * @param options where to write and how much to keep; never {@code null}
     * @param registry where the sink's meters go; never {@code null}
     * @return the sink; the caller closes it
     * @throws IOException when the directory or file cannot be created
     */
    public static RollingJsonLinesSink open(RollingOptions options, MeterRegistry registry) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(registry, "registry");
        return new RollingJsonLinesSink(options, "jsonl-" + options.baseName(), registry);
    }

    private void open() throws IOException {
        Path current = options.current();
        out = new BufferedOutputStream(Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(current);
    }

    /**
     * Appends the batch, rotating before any line that would take the file past its limit, and
     * flushes.
     *
     * @param batch the results; not kept
     * @throws IOException when writing or rotating fails; lines before the failure stay written
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void write(List<ProbeResult> batch) throws IOException {
        if (closed) {
            throw new IllegalStateException("sink '" + name + "' is closed");
        }
        try {
            for (ProbeResult r : batch) {
                byte[] line = JsonLines.line(r);
                if (size > 0 && size + line.length > options.maxFileBytes()) {
                    rotate();
                }
                out.write(line);
                size += line.length;
                lines.increment();
            }
        } finally {
            out.flush();
        }
    }

    private void rotate() throws IOException {
        out.close();
        try {
            int oldest = options.maxFiles() - 1;
            if (oldest == 0) {
                // One file kept: the full file is itself the oldest.
                Files.delete(options.current());
                droppedFiles.increment();
                droppedBytes.increment(size);
            } else {
                Path last = options.rotated(oldest);
                if (Files.exists(last)) {
                    long bytes = Files.size(last);
                    Files.delete(last);
                    droppedFiles.increment();
                    droppedBytes.increment(bytes);
                }
                for (int g = oldest - 1; g >= 1; g--) {
                    Path from = options.rotated(g);
                    if (Files.exists(from)) {
                        Files.move(from, options.rotated(g + 1), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.move(options.current(), options.rotated(1), StandardCopyOption.ATOMIC_MOVE);
            }
            rotations.increment();
        } finally {
            // Also after a failed move: keep appending to the current file (it then grows past the
            // limit until a later rotation succeeds) rather than leaving the sink without a file.
            open();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Flushes and closes the current file. Idempotent.
     *
     * @throws IOException when the last flush fails
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
