package io.github.wardops.ward.internal.icmp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Builds echo requests and parses what comes back: echo replies, and ICMP errors that quote one
 * of ward's echoes. Everything that is not clearly ward's is {@link #IGNORE}d: short packets,
 * foreign echoes, other ICMP types, bad headers. Pure functions; thread-safe.
 */
final class IcmpPacket {
    static final int ECHO_REQUEST_V4 = 8;
    static final int ECHO_REPLY_V4 = 0;
    static final int DEST_UNREACH_V4 = 3;
    static final int TIME_EXCEEDED_V4 = 11;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;
    static final int DEST_UNREACH_V6 = 1;
    static final int TIME_EXCEEDED_V6 = 3;
    /** "WARD": the first payload bytes of every echo ward sends. */
    static final int MAGIC = 0x57415244;
    /** Header (8) + magic (4) + cookie (8). */
    static final int MIN_ECHO = 20;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What a received packet is. */
    enum Kind { REPLY, ERROR, IGNORE }

    /**
     * A parsed packet.
     *
     * @param kind what it is
     * @param id the echo id (as seen on the wire)
     * @param seq the echo sequence number
     * @param cookie the echo's cookie
     * @param errType for an error, the ICMP type
     * @param errCode for an error, the ICMP code
     */
    record Parsed(Kind kind, int id, int seq, long cookie, int errType, int errCode) {
    }

    static final Parsed IGNORE = new Parsed(Kind.IGNORE, 0, 0, 0, 0, 0);

    private IcmpPacket() {
    }

    /**
     * Writes an echo request.
     *
     * @param buf where to write; at least {@code 8 + payloadBytes} long
     * @param v6 ICMPv6 or ICMP
     * @param id the echo id (ignored by the kernel on datagram sockets)
     * @param seq the sequence number
     * @param cookie the random cookie that identifies this echo
     * @param payloadBytes the payload size, at least 12
     * @param checksum whether to compute the ICMPv4 checksum (raw IPv4 sockets)
     * @return the packet length
     */
    static int writeEcho(MemorySegment buf, boolean v6, int id, int seq, long cookie, int payloadBytes, boolean checksum) {
        int len = 8 + payloadBytes;
        buf.set(ValueLayout.JAVA_BYTE, 0, (byte) (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4));
        buf.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        buf.set(U16, 2, (short) 0);
        buf.set(U16, 4, (short) id);
        buf.set(U16, 6, (short) seq);
        buf.set(U32, 8, MAGIC);
        buf.set(U64, 12, cookie);
        for (int i = 20; i < len; i++) {
            buf.set(ValueLayout.JAVA_BYTE, i, (byte) (i & 0xff));
        }
        if (checksum && !v6) {
            buf.set(U16, 2, (short) checksum(buf, len));
        }
        return len;
    }

    /**
     * The Internet checksum (RFC 1071) of the first {@code len} bytes.
     *
     * @param buf the bytes
     * @param len how many
     * @return the checksum, to store as is
     */
    static int checksum(MemorySegment buf, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += Short.toUnsignedInt(buf.get(U16, i));
        }
        if (i < len) {
            sum += (buf.get(ValueLayout.JAVA_BYTE, i) & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * Parses a packet read from an ICMP socket's normal queue.
     *
     * @param p the bytes
     * @param len how many were received
     * @param v6 whether the socket is ICMPv6
     * @param ipHeader whether the data starts with an IPv4 header (raw IPv4 sockets)
     * @return what it is
     */
    static Parsed parse(MemorySegment p, int len, boolean v6, boolean ipHeader) {
        if (len > p.byteSize()) {
            return IGNORE;
        }
        int off = 0;
        if (ipHeader) {
            if (len < 20) {
                return IGNORE;
            }
            int b0 = p.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
            int ihl = (b0 & 0x0f) * 4;
            if ((b0 >> 4) != 4 || ihl < 20 || ihl > len) {
                return IGNORE;
            }
            off = ihl;
        }
        if (len - off < 8) {
            return IGNORE;
        }
        int type = p.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        int code = p.get(ValueLayout.JAVA_BYTE, off + 1) & 0xff;
        int replyType = v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4;
        if (type == replyType) {
            if (code != 0 || len - off < MIN_ECHO || p.get(U32, off + 8) != MAGIC) {
                return IGNORE;
            }
            return new Parsed(Kind.REPLY, Short.toUnsignedInt(p.get(U16, off + 4)), Short.toUnsignedInt(p.get(U16, off + 6)),
                    p.get(U64, off + 12), 0, 0);
        }
        boolean error = v6 ? (type == DEST_UNREACH_V6 || type == TIME_EXCEEDED_V6)
                : (type == DEST_UNREACH_V4 || type == TIME_EXCEEDED_V4);
        if (!error) {
            return IGNORE;
        }
        int inner = off + 8;
        Parsed quoted = parseQuotedEcho(p, inner, len, v6);
        if (quoted == null) {
            return IGNORE;
        }
        return new Parsed(Kind.ERROR, quoted.id, quoted.seq, quoted.cookie, type, code);
    }

    /** Parses the IP header + echo request quoted in an ICMP error, or {@code null}. */
    private static Parsed parseQuotedEcho(MemorySegment p, int start, int len, boolean v6) {
        int icmp;
        if (v6) {
            if (len - start < 40) {
                return null;
            }
            int version = (p.get(ValueLayout.JAVA_BYTE, start) & 0xff) >> 4;
            int next = p.get(ValueLayout.JAVA_BYTE, start + 6) & 0xff;
            if (version != 6 || next != 58) {
                return null;
            }
            icmp = start + 40;
        } else {
            if (len - start < 20) {
                return null;
            }
            int b0 = p.get(ValueLayout.JAVA_BYTE, start) & 0xff;
            int ihl = (b0 & 0x0f) * 4;
            int proto = p.get(ValueLayout.JAVA_BYTE, start + 9) & 0xff;
            if ((b0 >> 4) != 4 || ihl < 20 || proto != 1) {
                return null;
            }
            icmp = start + ihl;
        }
        return parseEchoRequest(p, icmp, len, v6);
    }

    /**
     * Parses one of ward's echo requests at an offset: the body of an ICMP error, or what a
     * datagram socket's error queue returns (the echo as sent).
     *
     * @param p the bytes
     * @param off where the ICMP header starts
     * @param len the end of the data
     * @param v6 ICMPv6 or not
     * @return the echo's id, seq and cookie, or {@code null} when it is not one of ward's
     */
    static Parsed parseEchoRequest(MemorySegment p, int off, int len, boolean v6) {
        if (off < 0 || len > p.byteSize() || len - off < MIN_ECHO) {
            return null;
        }
        int type = p.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        if (type != (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4) || p.get(U32, off + 8) != MAGIC) {
            return null;
        }
        return new Parsed(Kind.ERROR, Short.toUnsignedInt(p.get(U16, off + 4)), Short.toUnsignedInt(p.get(U16, off + 6)),
                p.get(U64, off + 12), 0, 0);
    }
}
