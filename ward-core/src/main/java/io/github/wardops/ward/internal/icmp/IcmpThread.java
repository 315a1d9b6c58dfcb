package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.internal.support.Guard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one of a prober's platform threads (the {@link EchoSender}, the
 * {@link IcmpReceiver}): started once, stopped by {@link #close}, and, should its loop end any
 * other way, marked not {@link #alive()} with a {@link #stopReason()}, so that the prober answers
 * UNKNOWN, never DOWN. An {@link Error} also ends the process ({@link Guard#fatal}). Whatever
 * ends the loop, {@link #settle()} runs last, on the thread, so that no probe waits for an echo
 * that nobody will send or read.
 */
abstract class IcmpThread {
    // the prober's logger, so logging configured for it keeps covering what its threads say
    private static final Logger LOG = LoggerFactory.getLogger(IcmpEchoProber.class);
    private final String role;
    final Thread thread;
    private volatile boolean running = true;
    private volatile boolean alive = true;
    /** Why the loop stopped, for the UNKNOWN results that follow; {@code null} while it runs. */
    private volatile String stopReason;
    /** Test seam: the loop throws this at its next turn, as if it ran out of memory. */
    private volatile Throwable failOnce;

    /**
     * @param role what the thread is, for its name ({@code ward-icmp-ROLE}) and the log
     */
    IcmpThread(String role) {
        this.role = role;
        this.thread = Thread.ofPlatform().name("ward-icmp-" + role).daemon(true).unstarted(this::run);
    }

    final void start() {
        thread.start();
    }

    /** Whether the loop runs; {@code false} once it stopped, for whatever reason. */
    final boolean alive() {
        return alive;
    }

    /** Why the loop stopped ({@code closed}, or the simple name of what ended it); {@code null} while it runs. */
    final String stopReason() {
        return stopReason;
    }

    /** Whether the loop is to go on: {@code false} once {@link #close} was called. */
    final boolean running() {
        return running;
    }

    /** Test seam: makes the loop throw (an {@link Error} or a {@link RuntimeException}) at its next turn. */
    final void failOnce(Throwable t) {
        if (!(t instanceof Error) && !(t instanceof RuntimeException)) {
            throw new IllegalArgumentException("an Error or a RuntimeException");
        }
        failOnce = t;
        wake();
    }

    /** Stops the loop and waits up to {@code joinMillis} for it to end. */
    final void close(long joinMillis) {
        running = false;
        wake();
        try {
            thread.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop calls this at each turn: throws a failure a test injected. */
    final void injectedFailure() {
        Throwable fail = failOnce;
        if (fail != null) {
            failOnce = null;
            if (fail instanceof Error injected) {
                throw injected;
            }
            throw (RuntimeException) fail;
        }
    }

    /** Wakes the loop if it waits in a way that a close or a test should cut short; nothing by default. */
    void wake() {
    }

    /** The work, until {@link #running()} turns false. */
    abstract void loop() throws Exception;

    /** After the loop ended, on the thread: settles every echo this thread still holds. */
    abstract void settle();

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            stopReason = t.getClass().getSimpleName();
            alive = false;
            LOG.error("the ICMP {} stopped on an unexpected error; ICMP probes are UNKNOWN from now on, never DOWN", role, t);
            if (t instanceof Error) {
                Guard.fatal("the ICMP " + role, t);
            }
        } finally {
            if (stopReason == null) {
                stopReason = "closed";
            }
            alive = false;
            settle();
        }
    }
}
