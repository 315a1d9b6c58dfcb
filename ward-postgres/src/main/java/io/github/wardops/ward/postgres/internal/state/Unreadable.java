package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and reports rows a reader had to leave out (written by another program or a newer ward:
 * an unknown status, say). One load logs one line naming the first few rows; a reader called
 * often (the current silences, read on every dispatch) logs at most one such line per period.
 * Thread-safe.
 */
final class Unreadable {
    private static final Logger LOG = LoggerFactory.getLogger(Unreadable.class);
    private static final int EXAMPLES = 3;
    private final String table;
    private final Counter counter;
    private final Counter partlyCounter;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong partlyTotal = new AtomicLong();
    private final LogLimiter limiter;
    private final AtomicLong warnings = new AtomicLong();

    Unreadable(MeterRegistry registry, String table) {
        this(registry, table, null);
    }

    /**
     * @param limiter lets one warning through per period, or {@code null} for one per read
     */
    Unreadable(MeterRegistry registry, String table, LogLimiter limiter) {
        this.table = table;
        this.limiter = limiter;
        this.counter = Counter.builder("ward.storage.rows.unreadable").tag("table", table)
                .description("Rows left out on reading because they could not be understood").register(registry);
        this.partlyCounter = Counter.builder("ward.storage.rows.partly_read").tag("table", table)
                .description("Rows read without a part (such as an alert's history) that could not be understood")
                .register(registry);
    }

    /** Collects the problems of one read. Not thread-safe; one per read. */
    final class Read {
        private int count;
        private int partly;
        private final List<String> examples = new ArrayList<>();
        private final List<String> partlyExamples = new ArrayList<>();

        /** A row read without a part of it; the rest is kept. */
        void partly(String row, String why) {
            partly++;
            if (partlyExamples.size() < EXAMPLES) {
                partlyExamples.add(row + ": " + why);
            }
        }

        void skip(String row, String why) {
            count++;
            if (examples.size() < EXAMPLES) {
                examples.add(row + ": " + why);
            }
        }

        void done() {
            if (partly > 0) {
                partlyCounter.increment(partly);
                partlyTotal.addAndGet(partly);
            }
            if (partly > 0 && (limiter == null || limiter.allow(table + " partly"))) {
                warnings.incrementAndGet();
                LOG.warn("{}: read {} row(s) without a part that could not be understood (counted in "
                        + "ward.storage.rows.partly_read): {}{}", table, partly, String.join("; ", partlyExamples),
                        partly > partlyExamples.size() ? "; ..." : "");
            }
            if (count == 0) {
                return;
            }
            counter.increment(count);
            total.addAndGet(count);
            long held = limiter == null ? 0 : limiter.permit(table);
            if (held < 0) {
                return;
            }
            warnings.incrementAndGet();
            LOG.warn("{}: left out {} row(s) that could not be read (counted in ward.storage.rows.unreadable): {}{}{}",
                    table, count, String.join("; ", examples), count > examples.size() ? "; ..." : "",
                    held > 0 ? " (" + held + " such warning(s) held back since the last)" : "");
        }
    }

    Read read() {
        return new Read();
    }

    long total() {
        return total.get();
    }

    /** Warnings logged since start (the ones a limiter held back are not). */
    long warnings() {
        return warnings.get();
    }

    long partlyTotal() {
        return partlyTotal.get();
    }

    /** Text from a row, safe for a log line: control characters escaped, at most 64 characters. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 64) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
