package io.github.wardops.ward.internal.icmp;

import java.nio.file.Path;

/** Test seam for other packages' tests: runs an action on a thread inside a network namespace. */
public final class InNamespace {
    private InNamespace() {
    }

    /** Runs {@code action} on a fresh platform thread that joined {@code ns}; sockets it opens belong there. */
    public static void run(Path ns, Runnable action) {
        NetworkNamespace.run(ns, action);
    }
}
