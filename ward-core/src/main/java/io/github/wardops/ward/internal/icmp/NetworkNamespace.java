package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Runs an action inside a network namespace, so the sockets it opens belong to that namespace
 * (a socket stays in the namespace it was made in, whichever thread uses it later).
 *
 * <p>{@code setns} changes the namespace of the calling thread only, so the action runs on a
 * fresh platform thread that joins the namespace and ends after it: no other thread, and no
 * pooled carrier of virtual threads, ever runs in it.
 */
final class NetworkNamespace {
    private NetworkNamespace() {
    }

    /**
     * Runs {@code action} in the namespace {@code ns}, or on the calling thread when {@code ns} is
     * {@code null}. Every descriptor it opens to do so is closed again, whether or not it succeeds.
     *
     * @param ns a namespace file, such as {@code /run/netns/NAME}; {@code null} for the current one
     * @param action what to run there
     * @throws WardException when the namespace cannot be opened or joined
     */
    static void run(Path ns, Runnable action) {
        if (ns == null) {
            action.run();
            return;
        }
        String[] problem = new String[1];
        RuntimeException[] failed = new RuntimeException[1];
        Thread t = Thread.ofPlatform().name("ward-netns-open").unstarted(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = errnoSegment(arena);
                int self = -1;
                int target = -1;
                try {
                    self = Libc.open(err, arena.allocateFrom("/proc/thread-self/ns/net"), O_RDONLY | O_CLOEXEC);
                    if (self < 0) {
                        problem[0] = "cannot open network namespace " + ns + ": " + errnoName(errno(err));
                        return;
                    }
                    target = Libc.open(err, arena.allocateFrom(ns.toString()), O_RDONLY | O_CLOEXEC);
                    if (target < 0) {
                        problem[0] = "cannot open network namespace " + ns + ": " + errnoName(errno(err));
                        return;
                    }
                    if (setns(err, target, CLONE_NEWNET) != 0) {
                        problem[0] = "cannot join network namespace " + ns + ": " + errnoName(errno(err))
                                + " (joining a namespace needs CAP_SYS_ADMIN)";
                        return;
                    }
                    try {
                        action.run();
                    } finally {
                        // The thread ends right after; returning only keeps it tidy.
                        setns(err, self, CLONE_NEWNET);
                    }
                } catch (RuntimeException e) {
                    failed[0] = e;
                } finally {
                    // each descriptor that opened is closed, also when the other did not open
                    if (self >= 0) {
                        Libc.close(err, self);
                    }
                    if (target >= 0) {
                        Libc.close(err, target);
                    }
                }
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while opening ICMP sockets");
        }
        if (problem[0] != null) {
            throw new WardException(problem[0]);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }
}
