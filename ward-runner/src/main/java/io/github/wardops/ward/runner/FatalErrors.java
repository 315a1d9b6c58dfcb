package io.github.wardops.ward.runner;

import java.time.Duration;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runner does with an error nobody can recover from. The runner owns its JVM, so an
 * {@link Error} ({@link OutOfMemoryError}, {@link StackOverflowError}, a linkage error...) in any
 * thread ends the process with {@link ExitCodes#FATAL}, so that systemd or an orchestrator
 * restarts it: a process that lost its ICMP receiver or its scheduler must not stay up serving an
 * API that looks alive. The library reports such errors to the thread's uncaught-exception
 * handler ({@code Guard.fatal}); this class installs the JVM-wide default handler that acts on
 * them. An uncaught {@link RuntimeException} ends only its thread, and is logged.
 *
 * <p>The exit runs the shutdown hooks (the engine drains, the embedded PostgreSQL stops) within
 * {@link #GRACE}; after that, or when no thread can be started any more, the process halts.
 * Thread-safe.
 */
public final class FatalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
    /** How long the shutdown hooks get before the process halts. */
    public static final Duration GRACE = Duration.ofSeconds(15);

    private FatalErrors() {
    }

    /** Installs the default uncaught-exception handler that exits on an {@link Error}. */
    public static void install() {
        install(FatalErrors::exit);
    }

    /**
     * Installs the default uncaught-exception handler with an exit of one's own (tests).
     *
     * @param exit called with {@link ExitCodes#FATAL} after an {@link Error} was logged
     */
    static void install(IntConsumer exit) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> handle(thread, e, exit));
    }

    static void handle(Thread thread, Throwable e, IntConsumer exit) {
        if (e instanceof Error) {
            try {
                LOG.error("fatal: {} in thread '{}'; ward exits with code {} so that its supervisor restarts it",
                        e.toString(), thread.getName(), ExitCodes.FATAL, e);
            } catch (Throwable ignored) {
                // out of memory even for the log line: exit all the same
            }
            exit.accept(ExitCodes.FATAL);
        } else {
            try {
                LOG.error("thread '{}' ended on an uncaught exception", thread.getName(), e);
            } catch (Throwable ignored) {
                // nothing more to do
            }
        }
    }

    private static void exit(int code) {
        try {
            Thread.ofPlatform().daemon().name("ward-fatal-halt").start(() -> {
                try {
                    Thread.sleep(GRACE);
                } catch (InterruptedException ignored) {
                    // halt now
                }
                Runtime.getRuntime().halt(code);
            });
            // System.exit from a thread of its own: the failing thread may hold locks the hooks need
            Thread.ofPlatform().daemon().name("ward-fatal-exit").start(() -> System.exit(code));
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
    }
}
