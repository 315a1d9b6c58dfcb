package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An {@code mmsghdr} vector for {@code sendmmsg} and {@code recvmmsg}: a fixed number of slots,
 * each a socket address (32 bytes), one packet buffer behind one {@code iovec}, and optionally a
 * control buffer. Every pointer is written once, here; a send or a receive then sets only the
 * lengths that vary, and every slice is made once, so a hot loop over the vector allocates
 * nothing. Not thread-safe: one thread owns a vector.
 */
final class MsgVector {
    private final int slots;
    private final int bufBytes;
    private final int controlBytes;
    private final MemorySegment msgs;
    private final MemorySegment[] names;
    private final MemorySegment[] data;
    private final MemorySegment[] controls;
    private final MemorySegment[] from;
    private final MemorySegment iovs;

    /**
     * @param arena where the native memory lives
     * @param slots how many messages one system call takes
     * @param bufBytes each packet buffer's size
     * @param controlBytes each control buffer's size; 0 for none (sending)
     */
    MsgVector(Arena arena, int slots, int bufBytes, int controlBytes) {
        this.slots = slots;
        this.bufBytes = bufBytes;
        this.controlBytes = controlBytes;
        this.msgs = arena.allocate(MMSGHDR_SIZE * slots, 8);
        this.iovs = arena.allocate(IOVEC_SIZE * slots, 8);
        MemorySegment nameBlock = arena.allocate(32L * slots, 8);
        MemorySegment dataBlock = arena.allocate((long) bufBytes * slots, 8);
        MemorySegment controlBlock = controlBytes > 0 ? arena.allocate((long) controlBytes * slots, 8) : null;
        this.names = new MemorySegment[slots];
        this.data = new MemorySegment[slots];
        this.controls = new MemorySegment[slots];
        this.from = new MemorySegment[slots];
        for (int i = 0; i < slots; i++) {
            names[i] = nameBlock.asSlice(32L * i, 32);
            data[i] = dataBlock.asSlice((long) bufBytes * i, bufBytes);
            controls[i] = controlBlock != null ? controlBlock.asSlice((long) controlBytes * i, controlBytes) : MemorySegment.NULL;
            from[i] = msgs.asSlice(MMSGHDR_SIZE * i);
            iovs.set(ValueLayout.ADDRESS, IOVEC_SIZE * i, data[i]);
            iovs.set(ValueLayout.JAVA_LONG, IOVEC_SIZE * i + 8, bufBytes);
            long m = MMSGHDR_SIZE * i;
            msgs.set(ValueLayout.ADDRESS, m + MSG_NAME, names[i]);
            msgs.set(ValueLayout.JAVA_INT, m + MSG_NAMELEN, 32);
            msgs.set(ValueLayout.ADDRESS, m + MSG_IOV, iovs.asSlice(IOVEC_SIZE * i, IOVEC_SIZE));
            msgs.set(ValueLayout.JAVA_LONG, m + MSG_IOVLEN, 1);
            msgs.set(ValueLayout.ADDRESS, m + MSG_CONTROL, controls[i]);
            msgs.set(ValueLayout.JAVA_LONG, m + MSG_CONTROLLEN, controlBytes);
            msgs.set(ValueLayout.JAVA_INT, m + MSG_FLAGS, 0);
        }
    }

    int slots() {
        return slots;
    }

    /** The vector from slot {@code i} on, for a system call that starts there. */
    MemorySegment from(int i) {
        return from[i];
    }

    /** Slot {@code i}'s socket address buffer (32 bytes: room for a {@code sockaddr_in6}). */
    MemorySegment name(int i) {
        return names[i];
    }

    /** Slot {@code i}'s packet buffer. */
    MemorySegment data(int i) {
        return data[i];
    }

    /** Slot {@code i}'s control buffer; {@link MemorySegment#NULL} in a vector without. */
    MemorySegment control(int i) {
        return controls[i];
    }

    /** Before a {@code sendmmsg}: slot {@code i} sends {@code len} bytes to an address of {@code nameLen} bytes. */
    void toSend(int i, int nameLen, long len) {
        long m = MMSGHDR_SIZE * i;
        msgs.set(ValueLayout.JAVA_INT, m + MSG_NAMELEN, nameLen);
        iovs.set(ValueLayout.JAVA_LONG, IOVEC_SIZE * i + 8, len);
    }

    /** Before a {@code recvmmsg}: resets what the kernel wrote into the first {@code n} slots. */
    void toReceive(int n) {
        for (int i = 0; i < n; i++) {
            long m = MMSGHDR_SIZE * i;
            msgs.set(ValueLayout.JAVA_INT, m + MSG_NAMELEN, 32);
            msgs.set(ValueLayout.JAVA_LONG, m + MSG_CONTROLLEN, controlBytes);
            msgs.set(ValueLayout.JAVA_INT, m + MSG_FLAGS, 0);
        }
    }

    /** After a {@code recvmmsg}: the bytes received into slot {@code i}, at most the buffer's size. */
    int received(int i) {
        return Math.min(msgs.get(ValueLayout.JAVA_INT, MMSGHDR_SIZE * i + MMSG_LEN), bufBytes);
    }

    /**
     * After a {@code recvmmsg}: the {@code SO_TIMESTAMPNS} receive time in slot {@code i}'s
     * control messages, wall-clock nanoseconds, or -1 when there is none (or the messages are
     * malformed).
     */
    long timestamp(int i) {
        if (controlBytes == 0) {
            return -1;
        }
        long clen = Math.min(msgs.get(ValueLayout.JAVA_LONG, MMSGHDR_SIZE * i + MSG_CONTROLLEN), controlBytes);
        return timestamp(controls[i], clen);
    }

    /** The {@code SO_TIMESTAMPNS} receive time in the first {@code clen} bytes of control messages, or -1. */
    static long timestamp(MemorySegment control, long clen) {
        long off = 0;
        while (off + CMSG_HDR <= clen) {
            long len = control.get(ValueLayout.JAVA_LONG, off);
            if (len < CMSG_HDR || off + len > clen) {
                break;
            }
            if (control.get(ValueLayout.JAVA_INT, off + 8) == SOL_SOCKET && control.get(ValueLayout.JAVA_INT, off + 12) == SO_TIMESTAMPNS
                    && len >= CMSG_HDR + 16) {
                return control.get(ValueLayout.JAVA_LONG, off + 16) * 1_000_000_000L + control.get(ValueLayout.JAVA_LONG, off + 24);
            }
            off += (len + 7) & ~7L;
        }
        return -1;
    }
}
