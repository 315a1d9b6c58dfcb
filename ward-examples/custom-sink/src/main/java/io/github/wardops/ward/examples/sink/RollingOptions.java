package io.github.wardops.ward.examples.sink;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where {@link RollingJsonLinesSink} writes and how much it keeps. The files are
 * {@code <baseName>.jsonl} (being written), then {@code <baseName>.1.jsonl} (the newest full one)
 * up to {@code <baseName>.<maxFiles-1>.jsonl} (the oldest). On disk the sink never holds more than
 * {@code maxFiles} files of about {@code maxFileBytes} each (a file ends before the line that
 * would take it past the limit; one line longer than the limit gets a file of its own). Immutable.
 *
 * @param directory the directory, created when missing; never {@code null}
 * @param baseName the file name stem: letters, digits, {@code . _ -}, 1-64 characters, not
 *     starting with a dot
 * @param maxFileBytes the size at which a file is rotated, 1 KiB to 1 GiB
 * @param maxFiles how many files are kept, the one being written included, 1-1,000
 */
public record RollingOptions(Path directory, String baseName, long maxFileBytes, int maxFiles) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    /** The smallest {@code maxFileBytes}. */
    public static final long MIN_FILE_BYTES = 1024;
    /** The largest {@code maxFileBytes}. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    /**
     * Validates, reporting every invalid setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public RollingOptions {
        List<String> p = new ArrayList<>();
        if (directory == null) {
            p.add("directory must not be null");
        }
        if (baseName == null || !NAME.matcher(baseName).matches()) {
            p.add("baseName = " + (baseName == null ? "null" : "'" + baseName.replaceAll("[^\\x20-\\x7e]", "?") + "'")
                    + ": must be 1-64 letters, digits or . _ - and not start with a dot");
        }
        if (maxFileBytes < MIN_FILE_BYTES || maxFileBytes > MAX_FILE_BYTES) {
            p.add("maxFileBytes = " + maxFileBytes + ": must be " + MIN_FILE_BYTES + "-" + MAX_FILE_BYTES);
        }
        if (maxFiles < 1 || maxFiles > 1000) {
            p.add("maxFiles = " + maxFiles + ": must be 1-1000");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("RollingOptions", p);
        }
    }

    /**
     * Options with a 64 MiB rotation size and 8 files kept (at most about 512 MiB on disk).
     *
     * @param directory the directory
     * @param baseName the file name stem
     * @return the options
     */
    public static RollingOptions of(Path directory, String baseName) {
        return new RollingOptions(directory, baseName, 64L << 20, 8);
    }

    /**
     * The file being written.
     *
     * @return its path
     */
    public Path current() {
        return directory.resolve(baseName + ".jsonl");
    }

    /**
     * A rotated file.
     *
     * @param generation 1 for the newest rotated file, up to {@code maxFiles - 1}
     * @return its path
     */
    public Path rotated(int generation) {
        return directory.resolve(baseName + "." + generation + ".jsonl");
    }

    /**
     * Every file the sink may hold, oldest first, the one being written last.
     *
     * @return the paths, existing or not
     */
    public List<Path> filesOldestFirst() {
        List<Path> out = new ArrayList<>(maxFiles);
        for (int g = maxFiles - 1; g >= 1; g--) {
            out.add(rotated(g));
        }
        out.add(current());
        return out;
    }
}
