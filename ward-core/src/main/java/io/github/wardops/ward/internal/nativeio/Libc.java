package io.github.wardops.ward.internal.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * The few libc calls ward makes through the Foreign Function &amp; Memory API, on Linux
 * (x86_64 and aarch64, which share these constants and struct layouts). Every call captures
 * {@code errno} into a caller-provided segment, so the value cannot be clobbered by the JVM.
 *
 * <p>Thread-safe: the method handles are immutable.
 */
@SuppressWarnings("restricted") // the FFM downcalls are the point of this class
public final class Libc {
    // socket(2)
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_ICMPV6 = 58;
    // setsockopt(2)
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_TIMESTAMPNS = 35;
    public static final int SOL_IP = 0;
    public static final int IP_RECVERR = 11;
    public static final int SOL_IPV6 = 41;
    public static final int IPV6_RECVERR = 25;
    public static final int SOL_RAW = 255;
    public static final int ICMP_FILTER = 1;
    public static final int SOL_ICMPV6 = 58;
    public static final int ICMP6_FILTER = 1;
    // recvmsg(2) flags
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x8;
    // poll(2)
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    // open(2) / setns(2)
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    // sock_extended_err origins
    public static final int SO_EE_ORIGIN_LOCAL = 1;
    public static final int SO_EE_ORIGIN_ICMP = 2;
    public static final int SO_EE_ORIGIN_ICMP6 = 3;

    // errno values used by ward
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;

    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(EINTR, "EINTR"), Map.entry(EAGAIN, "EAGAIN"),
            Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(EMFILE, "EMFILE"), Map.entry(EMSGSIZE, "EMSGSIZE"), Map.entry(EPROTO, "EPROTO"),
            Map.entry(EPROTONOSUPPORT, "EPROTONOSUPPORT"), Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"),
            Map.entry(ENETUNREACH, "ENETUNREACH"), Map.entry(ENOBUFS, "ENOBUFS"),
            Map.entry(ECONNREFUSED, "ECONNREFUSED"), Map.entry(EHOSTUNREACH, "EHOSTUNREACH"),
            Map.entry(EHOSTDOWN, "EHOSTDOWN"),
            Map.entry(2, "ENOENT"), Map.entry(9, "EBADF"), Map.entry(38, "ENOSYS"));

    /** struct msghdr (56 bytes on LP64). */
    public static final long MSGHDR_SIZE = 56;
    public static final long MSG_NAME = 0;
    public static final long MSG_NAMELEN = 8;
    public static final long MSG_IOV = 16;
    public static final long MSG_IOVLEN = 24;
    public static final long MSG_CONTROL = 32;
    public static final long MSG_CONTROLLEN = 40;
    public static final long MSG_FLAGS = 48;
    /** struct iovec. */
    public static final long IOVEC_SIZE = 16;
    /** struct cmsghdr header: size_t len, int level, int type. */
    public static final long CMSG_HDR = 16;
    /** struct mmsghdr: a msghdr, then unsigned int msg_len (and padding to 8). */
    public static final long MMSGHDR_SIZE = 64;
    /** Offset of msg_len in struct mmsghdr. */
    public static final long MMSG_LEN = 56;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = handle("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMMSG = handle("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle RECVMMSG = handle("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETUID = LINKER.downcallHandle(LOOKUP.find("getuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETGID = LINKER.downcallHandle(LOOKUP.find("getgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        MemorySegment sym = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
    }

    /**
     * A segment that receives errno; allocate one per thread or call site.
     *
     * @param arena the arena
     * @return the segment
     */
    public static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /**
     * The size of an errno segment, for callers that carve one out of a larger block (aligned
     * to 8 bytes).
     *
     * @return the bytes
     */
    public static long errnoBytes() {
        return CAPTURE.byteSize();
    }

    /**
     * The errno captured by the last call that used the segment.
     *
     * @param state the capture segment
     * @return errno
     */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * An errno's symbolic name, such as {@code EACCES}.
     *
     * @param errno the value
     * @return the name, or {@code errno N}
     */
    public static String errnoName(int errno) {
        return ERRNO_NAMES.getOrDefault(errno, "errno " + errno);
    }

    public static int socket(MemorySegment err, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(err, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(MemorySegment err, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(err, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockoptInt(MemorySegment err, int fd, int level, int name, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return setsockopt(err, fd, level, name, v, 4);
        }
    }

    public static long sendto(MemorySegment err, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(err, fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recvmsg(MemorySegment err, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(err, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code sendmmsg(2)}: sends up to {@code vlen} messages in one system call.
     *
     * @param err the errno capture segment
     * @param fd the socket
     * @param msgvec {@code vlen} {@code struct mmsghdr}s ({@link #MMSGHDR_SIZE} bytes each)
     * @param vlen how many
     * @param flags such as {@link #MSG_DONTWAIT}
     * @return how many were sent (their {@code msg_len} set), or -1 with errno
     */
    public static int sendmmsg(MemorySegment err, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(err, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code recvmmsg(2)} without a timeout: reads up to {@code vlen} queued messages in one
     * system call.
     *
     * @param err the errno capture segment
     * @param fd the socket
     * @param msgvec {@code vlen} {@code struct mmsghdr}s ({@link #MMSGHDR_SIZE} bytes each)
     * @param vlen how many
     * @param flags such as {@link #MSG_DONTWAIT}
     * @return how many were read (their {@code msg_len} set), or -1 with errno
     */
    public static int recvmmsg(MemorySegment err, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(err, fd, msgvec, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int poll(MemorySegment err, MemorySegment fds, long nfds, int timeoutMs) {
        try {
            return (int) POLL.invokeExact(err, fds, nfds, timeoutMs);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(MemorySegment err, int fd) {
        try {
            return (int) CLOSE.invokeExact(err, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int open(MemorySegment err, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(err, path, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setns(MemorySegment err, int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(err, fd, nstype);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getgid() {
        try {
            return (int) GETGID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /**
     * Whether this platform is one whose constants and layouts this class knows.
     *
     * @return {@code true} on Linux x86_64 or aarch64
     */
    public static boolean supported() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return os.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }
}
