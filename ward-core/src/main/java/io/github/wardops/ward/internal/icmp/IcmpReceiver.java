package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.probe.IcmpSocketMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * The prober's one platform thread, {@code ward-icmp-receiver}: it waits in {@code poll} on both
 * sockets, reads replies and ICMP errors with {@code recvmsg} (with the kernel's receive
 * timestamp), matches each to its echo by cookie, sequence number and source address, and
 * sweeps echoes whose deadline passed on the ticker.
 *
 * <p>Whatever it reads and cannot use (too short, malformed, another program's, a reply to an
 * echo already settled) is counted in {@link IcmpCounters} and dropped; no packet can end the
 * loop. Should the loop end anyway (an {@link Error}, a bug), every outstanding echo is settled
 * {@code IMPAIRED}, {@link #alive()} turns false and {@link #stopReason()} says why, so the
 * prober answers UNKNOWN, never DOWN.
 */
final class IcmpReceiver extends IcmpThread {
    private static final int BUF = 4096;
    private static final int CONTROL = 512;
    static final int MAX_POLL_MS = 50;
    private static final int MAX_READS_PER_WAKE = 8192;
    /** Replies read with one {@code recvmmsg}. */
    static final int RX_BATCH = 32;
    /** A reply slot of the batch: the packet, the source address, the control messages. */
    private static final int RX_BUF = 2048;

    private final IcmpSocket[] socks;
    private final OutstandingEchoes echoes;
    private final IcmpCounters counters;
    private final int rawId;
    private final Ticker ticker;
    /** Test seam: the loop sleeps this long once, as if a GC pause or a busy CPU held it. */
    private volatile long stallOnceNanos;

    /**
     * @param rawId the echo id this prober writes on raw sockets, where replies to other
     *     programs' echoes arrive too (datagram sockets get only their own)
     */
    IcmpReceiver(IcmpSockets sockets, OutstandingEchoes echoes, IcmpCounters counters, int rawId, Ticker ticker) {
        super("receiver");
        this.socks = sockets.all();
        this.echoes = echoes;
        this.counters = counters;
        this.rawId = rawId;
        this.ticker = ticker;
    }

    /** Stops the loop and waits up to two seconds for it to end. */
    void close() {
        close(2_000);
    }

    /** Test seam: makes the loop stall once, before its next poll. */
    void stallOnce(Duration d) {
        stallOnceNanos = d.toNanos();
    }

    @Override
    void loop() throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment data = arena.allocate(BUF, 8);
            MemorySegment name = arena.allocate(32, 8);
            MemorySegment control = arena.allocate(CONTROL, 8);
            MemorySegment iov = arena.allocate(IOVEC_SIZE, 8);
            MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, BUF);
            MemorySegment fds = arena.allocate(8L * socks.length, 8);
            MsgVector rx = new MsgVector(arena, RX_BATCH, RX_BUF, CONTROL);
            while (running()) {
                injectedFailure();
                long stall = stallOnceNanos;
                if (stall > 0) {
                    stallOnceNanos = 0;
                    Thread.sleep(Duration.ofNanos(stall));
                }
                echoes.admitSent();
                int timeout = echoes.pollTimeoutMillis(MAX_POLL_MS);
                for (int i = 0; i < socks.length; i++) {
                    fds.set(ValueLayout.JAVA_INT, 8L * i, socks[i].fd);
                    fds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
                    fds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
                }
                int n = poll(err, fds, socks.length, timeout);
                // Every reply that reached a socket before this instant is read below, before any
                // echo is declared lost: a receiver that was late (a GC pause, a busy CPU) must
                // not turn replies waiting in the socket into timeouts.
                long cutoff = ticker.read();
                boolean emptied = true;
                if (n > 0) {
                    for (int i = 0; i < socks.length; i++) {
                        short revents = fds.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
                        if ((revents & POLLERR) != 0) {
                            emptied &= drain(socks[i], true, err, data, name, control, iov, msg);
                        }
                        if ((revents & POLLIN) != 0) {
                            emptied &= drainBatched(socks[i], err, rx);
                        }
                    }
                }
                if (!emptied) {
                    continue; // more is waiting: read it before judging any deadline
                }
                echoes.expire(cutoff);
            }
        }
    }

    @Override
    void settle() {
        echoes.finishAll(Echo.Outcome.IMPAIRED);
    }

    /**
     * Reads a socket's receive queue {@link #RX_BATCH} replies a system call; returns whether it
     * was read to the end. At 10,000 replies a second, one {@code recvmsg} each was most of the
     * receiver's CPU.
     */
    private boolean drainBatched(IcmpSocket sock, MemorySegment err, MsgVector rx) {
        for (int reads = 0; reads < MAX_READS_PER_WAKE; reads += RX_BATCH) {
            rx.toReceive(RX_BATCH);
            int got = recvmmsg(err, sock.fd, rx.from(0), RX_BATCH, MSG_DONTWAIT);
            if (got < 0) {
                if (errno(err) == EINTR) {
                    continue;
                }
                return true; // EAGAIN: drained; anything else: try again on the next wake
            }
            for (int i = 0; i < got; i++) {
                onPacket(sock, rx.data(i), rx.received(i), rx.name(i), rx.timestamp(i));
            }
            if (got < RX_BATCH) {
                return true; // the queue was empty when the call returned
            }
        }
        return false;
    }

    /** Reads what is queued on a socket; returns whether it was read to the end (EAGAIN). */
    private boolean drain(IcmpSocket sock, boolean errQueue, MemorySegment err, MemorySegment data, MemorySegment name,
                          MemorySegment control, MemorySegment iov, MemorySegment msg) {
        for (int reads = 0; reads < MAX_READS_PER_WAKE; reads++) {
            msg.set(ValueLayout.ADDRESS, MSG_NAME, name);
            msg.set(ValueLayout.JAVA_INT, MSG_NAMELEN, (int) name.byteSize());
            msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
            msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1);
            msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
            msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, CONTROL);
            msg.set(ValueLayout.JAVA_INT, MSG_FLAGS, 0);
            long n = recvmsg(err, sock.fd, msg, MSG_DONTWAIT | (errQueue ? MSG_ERRQUEUE : 0));
            if (n < 0) {
                int e = errno(err);
                if (e == EINTR) {
                    continue;
                }
                return true; // EAGAIN: drained; anything else: try again on the next wake
            }
            long rxWall = -1;
            int eeOrigin = -1;
            int eeType = 0;
            int eeCode = 0;
            int eeErrno = 0;
            long clen = Math.min(msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN), CONTROL);
            long off = 0;
            while (off + CMSG_HDR <= clen) {
                long len = control.get(ValueLayout.JAVA_LONG, off);
                if (len < CMSG_HDR || off + len > clen) {
                    break;
                }
                int level = control.get(ValueLayout.JAVA_INT, off + 8);
                int type = control.get(ValueLayout.JAVA_INT, off + 12);
                if (level == SOL_SOCKET && type == SO_TIMESTAMPNS && len >= CMSG_HDR + 16) {
                    rxWall = control.get(ValueLayout.JAVA_LONG, off + 16) * 1_000_000_000L
                            + control.get(ValueLayout.JAVA_LONG, off + 24);
                } else if (((level == SOL_IP && type == IP_RECVERR) || (level == SOL_IPV6 && type == IPV6_RECVERR))
                        && len >= CMSG_HDR + 16) {
                    eeErrno = control.get(ValueLayout.JAVA_INT, off + 16);
                    eeOrigin = control.get(ValueLayout.JAVA_BYTE, off + 20) & 0xff;
                    eeType = control.get(ValueLayout.JAVA_BYTE, off + 21) & 0xff;
                    eeCode = control.get(ValueLayout.JAVA_BYTE, off + 22) & 0xff;
                }
                off += (len + 7) & ~7L;
            }
            int len = (int) Math.min(n, BUF);
            if (errQueue) {
                onError(sock, data, len, eeOrigin, eeType, eeCode, eeErrno);
            } else {
                onPacket(sock, data, len, name, rxWall);
            }
        }
        return false;
    }

    /**
     * One packet read from a socket's receive queue: settles the echo it answers, or counts why
     * it is ignored.
     *
     * @param name the source address, a {@code sockaddr_in} or {@code sockaddr_in6}
     * @param rxWall the kernel's wall-clock receive time in nanoseconds, or {@code -1}
     */
    void onPacket(IcmpSocket sock, MemorySegment data, int len, MemorySegment name, long rxWall) {
        IcmpPacket.Parsed p = IcmpPacket.parse(data, len, sock.v6, sock.ipHeader());
        if (p.kind() == IcmpPacket.Kind.IGNORE) {
            counters.ignoredMalformed.increment();
            return;
        }
        if (sock.mode == IcmpSocketMode.RAW && p.id() != rawId) {
            counters.ignoredForeign.increment();
            return;
        }
        Echo e = echoes.match(p.cookie());
        if (e == null) {
            counters.ignoredLate.increment();
            return;
        }
        if (p.seq() != e.seq) {
            counters.ignoredForeign.increment();
            return;
        }
        if (p.kind() == IcmpPacket.Kind.REPLY) {
            if (!sourceMatches(name, e)) {
                counters.ignoredForeign.increment();
                return;
            }
            long rtt;
            if (rxWall > 0 && rxWall - e.sentWall >= 0) {
                rtt = rxWall - e.sentWall;
                counters.kernelTimestamps.increment();
            } else {
                rtt = ticker.read() - e.sentNano;
            }
            if (echoes.finish(e, new Echo.Outcome(Echo.Status.REPLY, rtt, 0, 0, 0))) {
                counters.replies.increment();
            }
        } else if (echoes.finish(e, new Echo.Outcome(Echo.Status.ICMP_ERROR, 0, p.errType(), p.errCode(), 0))) {
            counters.icmpErrors.increment();
        }
    }

    /**
     * One message read from a datagram socket's error queue: the echo it carries back and the
     * kernel's {@code sock_extended_err} fields.
     *
     * @param origin {@code ee_origin}, or {@code -1} when the message carried none
     */
    void onError(IcmpSocket sock, MemorySegment data, int len, int origin, int type, int code, int errno) {
        IcmpPacket.Parsed p = IcmpPacket.parseEchoRequest(data, 0, len, sock.v6);
        if (p == null) {
            counters.ignoredMalformed.increment();
            return;
        }
        Echo e = echoes.match(p.cookie());
        if (e == null || e.seq != p.seq()) {
            counters.ignoredLate.increment();
            return;
        }
        Echo.Outcome o = (origin == SO_EE_ORIGIN_ICMP || origin == SO_EE_ORIGIN_ICMP6)
                ? new Echo.Outcome(Echo.Status.ICMP_ERROR, 0, type, code, errno)
                : new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, errno);
        if (echoes.finish(e, o)) {
            counters.icmpErrors.increment();
        }
    }

    private static boolean sourceMatches(MemorySegment name, Echo e) {
        int family = name.get(ValueLayout.JAVA_SHORT, 0);
        int off;
        if (e.v6) {
            if (family != AF_INET6) {
                return false;
            }
            off = 8;
        } else {
            if (family != AF_INET) {
                return false;
            }
            off = 4;
        }
        for (int i = 0; i < e.target.length; i++) {
            if (name.get(ValueLayout.JAVA_BYTE, off + i) != e.target[i]) {
                return false;
            }
        }
        return true;
    }
}
