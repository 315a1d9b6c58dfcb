package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpSocketMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ICMP sockets of a sweep ({@code ward sweep}): echoes to a fixed list of targets, each
 * echo named by its target's index and its echo number, and replies matched back to them without
 * any per-echo object, map or future.
 *
 * <p>An echo's payload carries a marker, a random number drawn when the socket is opened, the
 * target's index, the echo number and the wall-clock time it was written; its sequence number is
 * derived from the index and the echo number. A reply is handed on only when all of these match
 * and it comes from the target's own address; on raw sockets its identifier must be this
 * socket's as well (datagram sockets rewrite the identifier, and the kernel gives them only
 * their own replies). Everything else is counted ({@link #ignoredForeign()},
 * {@link #ignoredMalformed()}, {@link #icmpErrors()}) and dropped. Round trips are the
 * kernel's receive timestamp minus the send time in the payload.
 *
 * <p>Memory is fixed when the socket is opened: a few bytes per target for its address and
 * buffers for one batch. {@link #send} and {@link #flush} belong to one thread (the sender),
 * {@link #receive} to one other thread (the receiver); the counters are exact once the receiver
 * stopped.
 */
public final class SweepSocket implements AutoCloseable {
    /** "WSWP": the first payload bytes of a sweep echo. */
    static final int MAGIC = 0x57535750;
    /** The payload: marker, nonce, index, echo number, reserved, wall time, then filler; fping's 56 bytes. */
    public static final int PAYLOAD = 56;
    private static final int ECHO_LEN = 8 + PAYLOAD;
    /** Room for a raw IPv4 reply with IP options, or an ICMP error quoting one of our echoes. */
    private static final int RX_BUF = 256;
    private static final int RX_CONTROL = 128;
    private static final int BATCH = 64;
    private static final int MAX_READS_PER_CALL = 16_384;

    /** Receives matched replies; called on the receiver thread. */
    @FunctionalInterface
    public interface Replies {
        /**
         * One reply that matches an echo this socket sent to the target, from the target.
         * Duplicates, late replies and replies to finished targets are the caller's to judge.
         *
         * @param target the target's index in the list the socket was opened with
         * @param echo the echo number, below the count the socket was opened with
         * @param rttNanos the round trip, never negative
         */
        void reply(int target, int echo, long rttNanos);
    }

    private final IcmpSockets sockets;
    private final int count;
    private final int nonce;
    private final int rawId;
    private final boolean batched;
    /** IPv4 targets: the address; IPv6 targets: the index of its 16 bytes in {@link #v6Addresses}. */
    private final int[] address;
    private final BitSet isV6;
    private final byte[] v6Addresses;
    private final Arena arena = Arena.ofShared();
    private final Batch tx4;
    private final Batch tx6;
    private final Rx rx;
    private final MemorySegment txErr;
    private long sendErrors;
    private int firstSendErrno;
    private long ignoredForeign;
    private long ignoredMalformed;
    private long icmpErrors;

    SweepSocket(IcmpSockets sockets, List<InetAddress> targets, int count, boolean batched) {
        this.sockets = sockets;
        this.count = count;
        this.batched = batched;
        this.nonce = ThreadLocalRandom.current().nextInt();
        this.rawId = ThreadLocalRandom.current().nextInt(1, 0x10000);
        int n = targets.size();
        this.address = new int[n];
        this.isV6 = new BitSet();
        int v6 = 0;
        for (InetAddress a : targets) {
            if (a instanceof Inet6Address) {
                v6++;
            }
        }
        this.v6Addresses = new byte[16 * v6];
        int slot = 0;
        for (int i = 0; i < n; i++) {
            byte[] b = targets.get(i).getAddress();
            if (b.length == 16) {
                isV6.set(i);
                System.arraycopy(b, 0, v6Addresses, 16 * slot, 16);
                address[i] = slot++;
            } else {
                address[i] = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            }
        }
        this.txErr = errnoSegment(arena);
        this.tx4 = new Batch(sockets.v4(), arena);
        this.tx6 = sockets.v6() == null ? null : new Batch(sockets.v6(), arena);
        this.rx = new Rx(arena, sockets.all().length);
    }

    /**
     * Opens the sockets for a sweep of {@code targets}, {@code count} echoes each, in the
     * options' socket mode and network namespace (their pacing and outstanding limit are the
     * sweep's business, not the socket's).
     *
     * @param options the socket mode, receive buffer and namespace
     * @param targets the addresses; the index of each names its echoes
     * @param count echoes per target, 1-65,535
     * @param batched whether to send with one {@code sendmmsg} per batch rather than one
     *     {@code sendto} per echo
     * @return the socket
     * @throws WardException when no IPv4 ICMP socket can be opened, saying why and how to fix it
     */
    public static SweepSocket open(IcmpOptions options, List<InetAddress> targets, int count, boolean batched) {
        Objects.requireNonNull(targets, "targets");
        if (count < 1 || count > 0xffff) {
            throw new IllegalArgumentException("count = " + count + ": must be 1-65535");
        }
        IcmpSockets s = IcmpSockets.open(options);
        try {
            return new SweepSocket(s, targets, count, batched);
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    /**
     * The IPv4 socket's mode.
     *
     * @return raw or datagram
     */
    public IcmpSocketMode mode() {
        return sockets.v4().mode;
    }

    /**
     * Why IPv6 targets cannot be pinged.
     *
     * @return the reason, or {@code null} when there is an ICMPv6 socket
     */
    public String v6Problem() {
        return sockets.v6Problem();
    }

    /**
     * Whether a target's address family has a socket.
     *
     * @param target the target's index
     * @return {@code false} for an IPv6 target without an ICMPv6 socket
     */
    public boolean reachable(int target) {
        return !isV6.get(target) || tx6 != null;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Queues echo {@code echo} to target {@code target}, and sends the batch when it is full
     * (unbatched: sends it now). Sender thread only.
     *
     * @param target the target's index; its family must be {@link #reachable}
     * @param echo the echo number, below the count
     */
    public void send(int target, int echo) {
        Batch b = isV6.get(target) ? tx6 : tx4;
        int slot = b.size;
        MemorySegment pkt = b.packet(slot);
        writeEcho(pkt, b.sock, target, echo);
        MemorySegment sa = b.sockaddr(slot);
        if (b.sock.v6) {
            MemorySegment.copy(v6Addresses, 16 * address[target], sa, ValueLayout.JAVA_BYTE, 8, 16);
        } else {
            sa.set(IcmpPacket.U32, 4, address[target]);
        }
        b.size++;
        if (!batched || b.size == BATCH) {
            b.flush();
        }
    }

    /** Sends what {@link #send} queued. Sender thread only. */
    public void flush() {
        tx4.flush();
        if (tx6 != null) {
            tx6.flush();
        }
    }

    /**
     * Echoes that could not be sent (their errno other than a passing shortage of buffers).
     *
     * @return the count; exact on the sender thread
     */
    public long sendErrors() {
        return sendErrors;
    }

    /**
     * The errno of the first echo that could not be sent.
     *
     * @return the errno, or 0
     */
    public int firstSendErrno() {
        return firstSendErrno;
    }

    void writeEcho(MemorySegment pkt, IcmpSocket sock, int target, int echo) {
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) (sock.v6 ? IcmpPacket.ECHO_REQUEST_V6 : IcmpPacket.ECHO_REQUEST_V4));
        pkt.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        pkt.set(IcmpPacket.U16, 2, (short) 0);
        pkt.set(IcmpPacket.U16, 4, (short) rawId);
        pkt.set(IcmpPacket.U16, 6, (short) seq(target, echo));
        pkt.set(IcmpPacket.U32, 8, MAGIC);
        pkt.set(IcmpPacket.U32, 12, nonce);
        pkt.set(IcmpPacket.U32, 16, target);
        pkt.set(IcmpPacket.U16, 20, (short) echo);
        pkt.set(IcmpPacket.U16, 22, (short) 0);
        Instant now = Instant.now();
        pkt.set(IcmpPacket.U64, 24, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        // bytes 32.. keep the filler written when the buffer was made
        if (sock.mode == IcmpSocketMode.RAW && !sock.v6) {
            pkt.set(IcmpPacket.U16, 2, (short) IcmpPacket.checksum(pkt, ECHO_LEN));
        }
    }

    /** The sequence number of an echo: a check on top of the payload, which carries index and echo in full. */
    int seq(int target, int echo) {
        return (int) (((long) target * count + echo) & 0xffff);
    }

    /** One address family's pending echoes: packets, addresses and the mmsghdr vector that points at them. */
    private final class Batch {
        final IcmpSocket sock;
        final MsgVector vec;
        final int nameLen;
        int size;

        Batch(IcmpSocket sock, Arena arena) {
            this.sock = sock;
            this.nameLen = sock.v6 ? 28 : 16;
            this.vec = new MsgVector(arena, BATCH, 64, 0);
            for (int i = 0; i < BATCH; i++) {
                MemorySegment p = packet(i);
                for (int j = 32; j < ECHO_LEN; j++) {
                    p.set(ValueLayout.JAVA_BYTE, j, (byte) j);
                }
                sockaddr(i).set(ValueLayout.JAVA_SHORT, 0, (short) (sock.v6 ? AF_INET6 : AF_INET));
                vec.toSend(i, nameLen, ECHO_LEN);
            }
        }

        MemorySegment packet(int i) {
            return vec.data(i);
        }

        MemorySegment sockaddr(int i) {
            return vec.name(i);
        }

        void flush() {
            int off = 0;
            int retries = 0;
            while (off < size) {
                int sent;
                int errno = 0;
                if (batched) {
                    sent = sendmmsg(txErr, sock.fd, vec.from(off), size - off, 0);
                } else {
                    long r = sendto(txErr, sock.fd, packet(off), ECHO_LEN, 0, sockaddr(off), nameLen);
                    sent = r >= 0 ? 1 : -1;
                }
                if (sent > 0) {
                    off += sent;
                    retries = 0;
                    continue;
                }
                errno = errno(txErr);
                // On a datagram socket an ICMP error for an earlier echo sets the socket's pending
                // error, which the next send returns and clears: not this echo's error.
                boolean stale = sock.mode == IcmpSocketMode.DATAGRAM
                        && (errno == EHOSTUNREACH || errno == ENETUNREACH || errno == ECONNREFUSED || errno == EPROTO);
                if ((errno == EAGAIN || errno == ENOBUFS || errno == EINTR || stale) && ++retries < 5) {
                    if (!stale && errno != EINTR) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                    continue;
                }
                if (sendErrors++ == 0) {
                    firstSendErrno = errno;
                }
                off++; // this echo is lost; the rest of the batch still goes
                retries = 0;
            }
            size = 0;
        }
    }

    // ------------------------------------------------------------------ receiving

    /** The receiver's buffers: an mmsghdr vector over {@link #BATCH} packet buffers, and the poll set. */
    private static final class Rx {
        final MemorySegment err;
        final MsgVector vec;
        final MemorySegment fds;

        Rx(Arena arena, int sockets) {
            err = errnoSegment(arena);
            vec = new MsgVector(arena, BATCH, RX_BUF, RX_CONTROL);
            fds = arena.allocate(8L * sockets, 8);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a socket to be readable, then reads what is queued
     * (at most {@value #MAX_READS_PER_CALL} packets a socket) and hands every matching reply to
     * {@code sink}. Receiver thread only.
     *
     * @param timeoutMillis the longest wait; 0 does not wait
     * @param sink gets the replies
     * @return whether every socket was read to the end (so every reply that arrived before the
     *     call was read)
     */
    public boolean receive(int timeoutMillis, Replies sink) {
        IcmpSocket[] socks = sockets.all();
        MemorySegment fds = rx.fds;
        for (int i = 0; i < socks.length; i++) {
            fds.set(ValueLayout.JAVA_INT, 8L * i, socks[i].fd);
            fds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
            fds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
        }
        int n = poll(rx.err, fds, socks.length, timeoutMillis);
        if (n <= 0) {
            return true;
        }
        boolean emptied = true;
        for (int i = 0; i < socks.length; i++) {
            short revents = fds.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
            if ((revents & POLLERR) != 0) {
                drainErrors(socks[i]);
            }
            if ((revents & POLLIN) != 0) {
                emptied &= drain(socks[i], sink);
            }
        }
        return emptied;
    }

    private boolean drain(IcmpSocket sock, Replies sink) {
        for (int reads = 0; reads < MAX_READS_PER_CALL; ) {
            rx.vec.toReceive(BATCH);
            int got = recvmmsg(rx.err, sock.fd, rx.vec.from(0), BATCH, MSG_DONTWAIT);
            if (got <= 0) {
                if (got < 0 && errno(rx.err) == EINTR) {
                    continue;
                }
                return true; // EAGAIN: read to the end; anything else: again on the next call
            }
            for (int i = 0; i < got; i++) {
                onPacket(sock, rx.vec.data(i), rx.vec.received(i), rx.vec.name(i), rx.vec.timestamp(i), sink);
            }
            reads += got;
            if (got < BATCH) {
                return true;
            }
        }
        return false;
    }

    /** Empties a datagram socket's error queue (ICMP errors about our echoes): counted, otherwise the target times out. */
    private void drainErrors(IcmpSocket sock) {
        MemorySegment msg = rx.vec.from(0); // an mmsghdr starts with its msghdr
        for (int reads = 0; reads < MAX_READS_PER_CALL; reads++) {
            rx.vec.toReceive(1);
            long r = recvmsg(rx.err, sock.fd, msg, MSG_DONTWAIT | MSG_ERRQUEUE);
            if (r < 0) {
                if (errno(rx.err) == EINTR) {
                    continue;
                }
                return;
            }
            icmpErrors++;
        }
    }

    /**
     * One packet from a socket's receive queue: a reply handed to {@code sink}, or counted and
     * dropped.
     *
     * @param data the packet as read (with the IPv4 header on raw IPv4 sockets)
     * @param len its length
     * @param name the source address, a {@code sockaddr_in} or {@code sockaddr_in6}
     * @param rxWall the kernel's receive time, wall-clock nanoseconds, or -1
     */
    void onPacket(IcmpSocket sock, MemorySegment data, int len, MemorySegment name, long rxWall, Replies sink) {
        if (len < 0 || len > data.byteSize()) {
            ignoredMalformed++;
            return;
        }
        int off = 0;
        if (sock.ipHeader()) {
            if (len < 20) {
                ignoredMalformed++;
                return;
            }
            int b0 = data.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
            off = (b0 & 0x0f) * 4;
            if ((b0 >> 4) != 4 || off < 20 || off > len) {
                ignoredMalformed++;
                return;
            }
        }
        if (len - off < 8) {
            ignoredMalformed++;
            return;
        }
        int type = data.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        if (type != (sock.v6 ? IcmpPacket.ECHO_REPLY_V6 : IcmpPacket.ECHO_REPLY_V4)) {
            boolean error = sock.v6 ? (type == IcmpPacket.DEST_UNREACH_V6 || type == IcmpPacket.TIME_EXCEEDED_V6)
                    : (type == IcmpPacket.DEST_UNREACH_V4 || type == IcmpPacket.TIME_EXCEEDED_V4);
            if (error) {
                icmpErrors++; // the echo it quotes times out: fping counts it lost too
            } else {
                ignoredMalformed++;
            }
            return;
        }
        if (data.get(ValueLayout.JAVA_BYTE, off + 1) != 0 || len - off < 8 + 24) {
            ignoredMalformed++;
            return;
        }
        if (data.get(IcmpPacket.U32, off + 8) != MAGIC || data.get(IcmpPacket.U32, off + 12) != nonce
                || (sock.mode == IcmpSocketMode.RAW && Short.toUnsignedInt(data.get(IcmpPacket.U16, off + 4)) != rawId)) {
            ignoredForeign++; // another program's echo, or an earlier sweep's
            return;
        }
        int target = data.get(IcmpPacket.U32, off + 16);
        int echo = Short.toUnsignedInt(data.get(IcmpPacket.U16, off + 20));
        if (target < 0 || target >= address.length || echo >= count || isV6.get(target) != sock.v6
                || Short.toUnsignedInt(data.get(IcmpPacket.U16, off + 6)) != seq(target, echo)
                || !fromTarget(name, target, sock.v6)) {
            ignoredForeign++;
            return;
        }
        long sentWall = data.get(IcmpPacket.U64, off + 24);
        long now = rxWall > 0 ? rxWall : wallNanos();
        long rtt = now - sentWall;
        if (rtt < 0) {
            ignoredMalformed++; // a send time from the future: not ours, or the clock was stepped back
            return;
        }
        sink.reply(target, echo, rtt);
    }

    private boolean fromTarget(MemorySegment name, int target, boolean v6) {
        int family = name.get(ValueLayout.JAVA_SHORT, 0);
        if (v6) {
            if (family != AF_INET6) {
                return false;
            }
            int base = 16 * address[target];
            for (int i = 0; i < 16; i++) {
                if (name.get(ValueLayout.JAVA_BYTE, 8 + i) != v6Addresses[base + i]) {
                    return false;
                }
            }
            return true;
        }
        return family == AF_INET && name.get(IcmpPacket.U32, 4) == address[target];
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Packets read that were not replies to this socket's echoes: another program's, an earlier
     * sweep's, or from an address other than the target's.
     *
     * @return the count; exact once the receiver stopped
     */
    public long ignoredForeign() {
        return ignoredForeign;
    }

    /**
     * Packets read that were too short, malformed or of another ICMP type.
     *
     * @return the count; exact once the receiver stopped
     */
    public long ignoredMalformed() {
        return ignoredMalformed;
    }

    /**
     * ICMP errors (unreachable, time exceeded) read; their echoes time out.
     *
     * @return the count; exact once the receiver stopped
     */
    public long icmpErrors() {
        return icmpErrors;
    }

    @Override
    public void close() {
        sockets.close();
        arena.close();
    }
}
