package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Building and parsing ICMP packets, including malformed and foreign ones. */
class IcmpPacketTest {
    private final Arena arena = Arena.ofAuto();

    private MemorySegment echo(boolean v6, int id, int seq, long cookie, boolean checksum) {
        MemorySegment b = arena.allocate(64);
        IcmpPacket.writeEcho(b, v6, id, seq, cookie, 56, checksum);
        return b;
    }

    /** Turns a request into a reply in place (type 0 / 129), as an echoing host would. */
    private static MemorySegment asReply(MemorySegment req, boolean v6) {
        req.set(ValueLayout.JAVA_BYTE, 0, (byte) (v6 ? 129 : 0));
        return req;
    }

    @Test
    void checksumOfAWrittenEchoVerifiesToZero() {
        MemorySegment b = echo(false, 0x1234, 7, 42L, true);
        assertEquals(0, IcmpPacket.checksum(b, 64), "a packet with its checksum in place sums to 0");
    }

    @Test
    void checksumMatchesKnownVector() {
        // RFC 1071 example bytes: 00 01 f2 03 f4 f5 f6 f7 -> sum ddf2, checksum 220d
        MemorySegment b = arena.allocate(8);
        byte[] v = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        MemorySegment.copy(v, 0, b, ValueLayout.JAVA_BYTE, 0, 8);
        assertEquals(0x220d, IcmpPacket.checksum(b, 8));
    }

    @Test
    void parsesAReplyOnADatagramSocket() {
        MemorySegment b = asReply(echo(false, 99, 65535, 0xCAFEBABEL, false), false);
        IcmpPacket.Parsed p = IcmpPacket.parse(b, 64, false, false);
        assertEquals(IcmpPacket.Kind.REPLY, p.kind());
        assertEquals(99, p.id());
        assertEquals(65535, p.seq());
        assertEquals(0xCAFEBABEL, p.cookie());
    }

    @Test
    void parsesAReplyBehindAnIpv4HeaderOnARawSocket() {
        MemorySegment pkt = arena.allocate(20 + 64);
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        pkt.set(ValueLayout.JAVA_BYTE, 9, (byte) 1);
        MemorySegment.copy(asReply(echo(false, 5, 6, -7L, true), false), 0, pkt, 20, 64);
        IcmpPacket.Parsed p = IcmpPacket.parse(pkt, 84, false, true);
        assertEquals(IcmpPacket.Kind.REPLY, p.kind());
        assertEquals(-7L, p.cookie());
        assertEquals(6, p.seq());
    }

    @Test
    void parsesAHostUnreachableQuotingOurEcho() {
        // outer IP (20) + ICMP type 3 code 1 (8) + inner IP (20) + our echo request (64)
        MemorySegment pkt = arena.allocate(112);
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        pkt.set(ValueLayout.JAVA_BYTE, 20, (byte) 3);
        pkt.set(ValueLayout.JAVA_BYTE, 21, (byte) 1);
        pkt.set(ValueLayout.JAVA_BYTE, 28, (byte) 0x45);
        pkt.set(ValueLayout.JAVA_BYTE, 37, (byte) 1);
        MemorySegment.copy(echo(false, 5, 9, 1234L, true), 0, pkt, 48, 64);
        IcmpPacket.Parsed p = IcmpPacket.parse(pkt, 112, false, true);
        assertEquals(IcmpPacket.Kind.ERROR, p.kind());
        assertEquals(1234L, p.cookie());
        assertEquals(9, p.seq());
        assertEquals(3, p.errType());
        assertEquals(1, p.errCode());
    }

    @Test
    void parsesAnIcmpv6AddressUnreachable() {
        MemorySegment pkt = arena.allocate(8 + 40 + 64);
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        pkt.set(ValueLayout.JAVA_BYTE, 1, (byte) 3);
        pkt.set(ValueLayout.JAVA_BYTE, 8, (byte) 0x60);
        pkt.set(ValueLayout.JAVA_BYTE, 8 + 6, (byte) 58);
        MemorySegment.copy(echo(true, 1, 2, 77L, false), 0, pkt, 48, 64);
        IcmpPacket.Parsed p = IcmpPacket.parse(pkt, 112, true, false);
        assertEquals(IcmpPacket.Kind.ERROR, p.kind());
        assertEquals(77L, p.cookie());
        assertEquals(3, p.errCode());
    }

    @Test
    void ignoresForeignEchoRepliesWithoutOurMagic() {
        MemorySegment b = asReply(echo(false, 1, 1, 1L, false), false);
        b.set(IcmpPacket.U32, 8, 0x12345678); // someone else's payload (ping's timestamp, say)
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(b, 64, false, false).kind());
    }

    @Test
    void ignoresTruncatedAndMalformedPackets() {
        MemorySegment b = asReply(echo(false, 1, 1, 1L, false), false);
        for (int len = 0; len < IcmpPacket.MIN_ECHO; len++) {
            assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(b, len, false, false).kind(), "length " + len);
        }
        // a length larger than the buffer
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(b, 1000, false, false).kind());
        // a raw packet whose IP header claims a bad version or length
        MemorySegment pkt = arena.allocate(84);
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x65);
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(pkt, 84, false, true).kind());
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x4F); // IHL 60 > what we have after it is fine, but then no ICMP
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(pkt, 64, false, true).kind());
        // an echo request (our own outgoing packet seen on a raw socket) is not a reply
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(echo(false, 1, 1, 1L, false), 64, false, false).kind());
        // a reply with a non-zero code
        MemorySegment c = asReply(echo(false, 1, 1, 1L, false), false);
        c.set(ValueLayout.JAVA_BYTE, 1, (byte) 5);
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(c, 64, false, false).kind());
        // an unreachable quoting a UDP packet, not an echo
        MemorySegment u = arena.allocate(112);
        u.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        u.set(ValueLayout.JAVA_BYTE, 20, (byte) 3);
        u.set(ValueLayout.JAVA_BYTE, 28, (byte) 0x45);
        u.set(ValueLayout.JAVA_BYTE, 37, (byte) 17);
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(u, 112, false, true).kind());
        // an unreachable cut short before the quoted echo's cookie
        assertEquals(IcmpPacket.Kind.IGNORE, IcmpPacket.parse(u, 52, false, true).kind());
    }

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(1);
        MemorySegment b = arena.allocate(256);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[rnd.nextInt(257)];
            rnd.nextBytes(junk);
            MemorySegment.copy(junk, 0, b, ValueLayout.JAVA_BYTE, 0, junk.length);
            boolean v6 = rnd.nextBoolean();
            IcmpPacket.Parsed p = IcmpPacket.parse(b, junk.length, v6, !v6 && rnd.nextBoolean());
            assertNotNull(p);
            assertNull(junk.length < 20 ? IcmpPacket.parseEchoRequest(b, 0, junk.length, v6) : null);
            IcmpPacket.parseEchoRequest(b, rnd.nextInt(40), junk.length, v6);
        }
    }
}
