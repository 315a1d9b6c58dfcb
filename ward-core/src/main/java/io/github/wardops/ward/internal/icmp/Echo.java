package io.github.wardops.ward.internal.icmp;

import java.util.concurrent.CompletableFuture;

/**
 * One echo request in flight: what identifies its reply, when it is overdue, and the future its
 * probe waits on. Settled once, through {@link OutstandingEchoes#finish}.
 */
final class Echo {
    enum Status {
        REPLY, ICMP_ERROR, TIMEOUT, SEND_ERROR,
        /** ward could not tell: its receiver stopped. Never a device failure. */
        IMPAIRED
    }

    /**
     * How an echo ended.
     *
     * @param errno for {@code SEND_ERROR}, the errno of {@code sendto}, or {@code -1} when the
     *     echo was not sent because too many were outstanding
     */
    record Outcome(Status status, long rttNanos, int icmpType, int icmpCode, int errno) {
        static final Outcome TIMEOUT = new Outcome(Status.TIMEOUT, 0, 0, 0, 0);
        static final Outcome IMPAIRED = new Outcome(Status.IMPAIRED, 0, 0, 0, 0);
    }

    /** The random key of the outstanding-echo map; {@code 0} for an echo that was never registered. */
    final long cookie;
    /** The 16-bit sequence number; it wraps, which is why the cookie is the key. */
    final int seq;
    final byte[] target;
    final boolean v6;
    /**
     * The ticker reading after which the echo is lost: set when the echo is registered, and again
     * when it goes out. The receiver reads it only after the echo was sent.
     */
    long deadline;
    /** How long a reply may take, for the deadline set at sending. */
    long timeoutNanos;
    /** The socket and payload size the sender writes it with. */
    IcmpSocket sock;
    int payload;
    /** The {@link EchoSender}'s: an offset while handed over, then the release time on its clock. */
    long release;
    /** Sends the kernel refused for lack of room so far ({@link EchoSender}). */
    int attempts;
    /** Wall-clock nanoseconds at sendto, compared with the kernel's receive timestamp. */
    volatile long sentWall;
    /** The ticker reading at sendto, for the round trip when the kernel gave no timestamp. */
    volatile long sentNano;
    final CompletableFuture<Outcome> result = new CompletableFuture<>();

    Echo(long cookie, int seq, byte[] target, boolean v6, long deadline) {
        this.cookie = cookie;
        this.seq = seq;
        this.target = target;
        this.v6 = v6;
        this.deadline = deadline;
    }
}
