package io.github.wardops.ward.runner.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A progress line for long operator commands such as {@code ward import}. On a terminal it is
 * one line rewritten in place ({@code \r}) at each whole percent; elsewhere (a log, a pipe, CI)
 * it prints a new line at each tenth, and only for work of at least {@code minTotal}, so small
 * files stay quiet. Not thread-safe: call from one thread.
 */
final class ProgressLine {
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final boolean quiet;
    private final LongFunction<String> amount;
    private final String unit;
    private int shown = -1;

    /**
     * Creates the line; nothing is printed yet.
     *
     * @param out where it goes
     * @param label what is being done, such as {@code reading fleet.csv}
     * @param total the whole amount of work, positive
     * @param terminal whether {@code out} is a terminal
     * @param minTotal below this total nothing is printed off a terminal
     * @param amount formats an amount of work, such as {@code 12.3 MB} or {@code 1000}
     * @param unit written after the total, such as {@code " devices"}; empty when {@code amount} has one
     */
    ProgressLine(PrintWriter out, String label, long total, boolean terminal, long minTotal, LongFunction<String> amount,
                 String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.terminal = terminal;
        this.quiet = !terminal && total < minTotal;
        this.amount = amount;
        this.unit = unit;
    }

    /**
     * Reports the work done so far; prints when the shown percentage changes by a step.
     *
     * @param done the work done, 0 to total
     */
    void update(long done) {
        if (quiet) {
            return;
        }
        int pct = (int) Math.min(100, Math.max(0, done * 100 / total));
        int step = terminal ? pct : pct / 10 * 10;
        if (step <= shown) {
            return;
        }
        shown = step;
        String line = String.format(Locale.ROOT, "%s: %3d%% (%s of %s%s)", label, step, amount.apply(Math.min(done, total)),
                amount.apply(total), unit);
        if (terminal) {
            out.print("\r" + line + (step == 100 ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends a line left open on a terminal (after a failure part-way). */
    void end() {
        if (terminal && shown >= 0 && shown < 100) {
            out.println();
            out.flush();
        }
    }

    /**
     * Whether standard output is a terminal.
     *
     * @return {@code true} for an interactive terminal
     */
    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * A size in bytes for people: {@code 812 B}, {@code 14.2 KB}, {@code 3.1 MB}.
     *
     * @param bytes the size
     * @return the text
     */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    /**
     * An input stream that reports the bytes read through it.
     *
     * @param in the stream
     * @return the counting stream
     */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    update(++read);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    read += n;
                    update(read);
                }
                return n;
            }
        };
    }
}
