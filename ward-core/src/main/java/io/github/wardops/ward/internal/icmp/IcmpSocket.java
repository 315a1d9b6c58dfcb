package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.probe.IcmpSocketMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** One non-blocking ICMP or ICMPv6 socket, datagram or raw. */
final class IcmpSocket {
    final int fd;
    final boolean v6;
    final IcmpSocketMode mode;
    final int receiveBuffer;

    IcmpSocket(int fd, boolean v6, IcmpSocketMode mode, int receiveBuffer) {
        this.fd = fd;
        this.v6 = v6;
        this.mode = mode;
        this.receiveBuffer = receiveBuffer;
    }

    /** Raw IPv4 sockets deliver the IP header; nothing else does. */
    boolean ipHeader() {
        return !v6 && mode == IcmpSocketMode.RAW;
    }

    /** One failed attempt, for the error message. */
    record Attempt(IcmpSocketMode mode, int errno, String call) {
        @Override
        public String toString() {
            return mode.name().toLowerCase(java.util.Locale.ROOT) + " socket: " + call + " failed with " + errnoName(errno);
        }
    }

    /**
     * Opens a socket, trying the modes in order.
     *
     * @param v6 ICMPv6 or ICMP
     * @param ladder the modes to try
     * @param rcvbuf the receive buffer to ask for
     * @param attempts filled with each failure
     * @return the socket, or {@code null} when every mode failed
     */
    static IcmpSocket open(boolean v6, List<IcmpSocketMode> ladder, int rcvbuf, List<Attempt> attempts) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            for (IcmpSocketMode mode : ladder) {
                int type = (mode == IcmpSocketMode.RAW ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
                int fd = socket(err, v6 ? AF_INET6 : AF_INET, type, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
                if (fd < 0) {
                    attempts.add(new Attempt(mode, errno(err), "socket()"));
                    continue;
                }
                List<Attempt> optFailures = new ArrayList<>();
                // A big receive buffer, so a burst of replies is not dropped by the kernel. FORCE needs
                // CAP_NET_ADMIN; without it, the plain option is capped by net.core.rmem_max.
                if (setsockoptInt(err, fd, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf) != 0) {
                    setsockoptInt(err, fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
                }
                setsockoptInt(err, fd, SOL_SOCKET, SO_SNDBUF, 1 << 20);
                if (setsockoptInt(err, fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) != 0) {
                    optFailures.add(new Attempt(mode, errno(err), "SO_TIMESTAMPNS"));
                }
                if (mode == IcmpSocketMode.DATAGRAM) {
                    // Deliver ICMP errors (host unreachable...) to the error queue.
                    setsockoptInt(err, fd, v6 ? SOL_IPV6 : SOL_IP, v6 ? IPV6_RECVERR : IP_RECVERR, 1);
                } else if (!v6) {
                    // Raw sockets see every ICMP packet of the host: keep only replies and errors.
                    int blocked = ~((1 << IcmpPacket.ECHO_REPLY_V4) | (1 << IcmpPacket.DEST_UNREACH_V4)
                            | (1 << IcmpPacket.TIME_EXCEEDED_V4));
                    setsockoptInt(err, fd, SOL_RAW, ICMP_FILTER, blocked);
                } else {
                    MemorySegment filter = arena.allocate(32);
                    filter.fill((byte) 0xff);
                    for (int t : new int[] {IcmpPacket.ECHO_REPLY_V6, IcmpPacket.DEST_UNREACH_V6, IcmpPacket.TIME_EXCEEDED_V6}) {
                        long word = (t >> 5) * 4L;
                        int v = filter.get(ValueLayout.JAVA_INT, word);
                        filter.set(ValueLayout.JAVA_INT, word, v & ~(1 << (t & 31)));
                    }
                    setsockopt(err, fd, SOL_ICMPV6, ICMP6_FILTER, filter, 32);
                }
                return new IcmpSocket(fd, v6, mode, rcvbuf);
            }
            return null;
        }
    }

    void close() {
        try (Arena arena = Arena.ofConfined()) {
            io.github.wardops.ward.internal.nativeio.Libc.close(errnoSegment(arena), fd);
        }
    }

}
