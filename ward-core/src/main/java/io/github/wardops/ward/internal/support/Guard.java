package io.github.wardops.ward.internal.support;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How ward's own threads and periodic tasks fail: loudly, and without silently stopping work.
 *
 * <ul>
 *   <li>A periodic task wrapped by {@link #periodic} that throws a {@link RuntimeException} logs it
 *       (at most once a minute per task) and keeps its schedule: a scheduled executor would
 *       otherwise cancel every later run without a word.</li>
 *   <li>An {@link Error} ({@link OutOfMemoryError}, {@link StackOverflowError}, a linkage error...)
 *       is never swallowed: {@link #fatal} logs it at ERROR and hands it to the current thread's
 *       uncaught-exception handler, which decides the process's fate. The runner installs a
 *       handler that ends the process with a non-zero exit code, so that systemd or an
 *       orchestrator restarts it; an application embedding ward keeps whatever handler it set
 *       (the JVM's default prints the stack trace).</li>
 * </ul>
 * Thread-safe; stateless but for the log limiter.
 */
public final class Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final LogLimiter LIMIT = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    private Guard() {
    }

    /**
     * Wraps a periodic task so that an exception never cancels its schedule and an error is
     * never lost.
     *
     * @param name the task's name, for log lines (such as {@code inventory reload})
     * @param log where the task's failures are logged
     * @param task the task
     * @return the guarded task; rethrows an {@link Error} after {@link #fatal} reported it, so the
     *     executor stops running it
     */
    public static Runnable periodic(String name, Logger log, Runnable task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(task, "task");
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (LIMIT.allow("periodic-" + name)) {
                    log.error("periodic task '{}' failed; it runs again at its next time (this message repeats at most "
                            + "once a minute)", name, e);
                }
            } catch (Error e) {
                fatal(name, e);
                throw e;
            }
        };
    }

    /**
     * Reports an error that a thread of ward's caught: logs it at ERROR and hands it to the current
     * thread's uncaught-exception handler. Returns normally when that handler does (the caller
     * then carries on, or rethrows); the runner's handler ends the process.
     *
     * @param where what was running (a thread or task name), for the log line
     * @param error the error
     */
    public static void fatal(String where, Throwable error) {
        Objects.requireNonNull(error, "error");
        try {
            LOG.error("fatal error in {}: {}; ward cannot be trusted to keep working, so this is handed to the "
                    + "uncaught-exception handler", where, error.toString(), error);
        } catch (Throwable ignored) {
            // logging itself failed (out of memory): the handler below still runs
        }
        Thread t = Thread.currentThread();
        Thread.UncaughtExceptionHandler h = t.getUncaughtExceptionHandler();
        if (h != null) {
            h.uncaughtException(t, error);
        }
    }

    /**
     * Whether a throwable must be treated as fatal: every {@link Error}.
     *
     * @param t the throwable
     * @return {@code true} for an {@link Error}
     */
    public static boolean isFatal(Throwable t) {
        return t instanceof Error;
    }
}
