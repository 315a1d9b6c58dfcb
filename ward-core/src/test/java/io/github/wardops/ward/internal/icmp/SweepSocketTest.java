package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.IcmpSocketMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a sweep socket does with each packet it reads: a reply to one of its echoes, from the
 * target, is handed on with its target index and echo number; everything else is counted and
 * dropped. Packets are handed to it directly (the sockets are never opened).
 */
class SweepSocketTest {
    private final Arena arena = Arena.ofShared();
    private final IcmpSocket datagram = new IcmpSocket(-1, false, IcmpSocketMode.DATAGRAM, 0);
    private final IcmpSocket raw = new IcmpSocket(-1, false, IcmpSocketMode.RAW, 0);
    private final List<long[]> got = new ArrayList<>();
    private final SweepSocket.Replies sink = (t, e, rtt) -> got.add(new long[] {t, e, rtt});

    @AfterEach
    void close() {
        arena.close();
    }

    private static SweepSocket socket(IcmpSocket s) throws Exception {
        List<InetAddress> targets = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"),
                InetAddress.getByName("127.0.0.3"));
        return new SweepSocket(new IcmpSockets(s, null, "none"), targets, 3, true);
    }

    /** The reply a target would send to echo {@code echo}: our echo with its type turned. */
    private MemorySegment reply(SweepSocket s, IcmpSocket sock, int target, int echo) {
        MemorySegment p = arena.allocate(256, 8);
        s.writeEcho(p, sock, target, echo);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) IcmpPacket.ECHO_REPLY_V4);
        return p;
    }

    private MemorySegment from(String dotted) throws Exception {
        MemorySegment sa = arena.allocate(32, 8);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
        MemorySegment.copy(InetAddress.getByName(dotted).getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
        return sa;
    }

    @Test
    void aReplyFromTheTargetIsMatchedToItsIndexAndEcho() throws Exception {
        SweepSocket s = socket(datagram);
        s.onPacket(datagram, reply(s, datagram, 1, 2), 64, from("127.0.0.2"), -1, sink);
        assertEquals(1, got.size());
        assertEquals(1, got.get(0)[0]);
        assertEquals(2, got.get(0)[1]);
        assertEquals(0, s.ignoredForeign() + s.ignoredMalformed());
    }

    @Test
    void aReplyFromAnotherAddressIsForeign() throws Exception {
        SweepSocket s = socket(datagram);
        s.onPacket(datagram, reply(s, datagram, 1, 0), 64, from("127.0.0.3"), -1, sink);
        assertEquals(0, got.size());
        assertEquals(1, s.ignoredForeign());
    }

    @Test
    void anotherSweepsOrProgramsEchoIsForeign() throws Exception {
        SweepSocket s = socket(datagram);
        SweepSocket other = socket(datagram);
        s.onPacket(datagram, reply(other, datagram, 0, 0), 64, from("127.0.0.1"), -1, sink);
        MemorySegment p = reply(s, datagram, 0, 0);
        p.set(IcmpPacket.U32, 8, IcmpPacket.MAGIC); // the engine's echoes, not a sweep's
        s.onPacket(datagram, p, 64, from("127.0.0.1"), -1, sink);
        MemorySegment beyond = reply(s, datagram, 0, 0);
        beyond.set(IcmpPacket.U32, 16, 3); // no fourth target
        s.onPacket(datagram, beyond, 64, from("127.0.0.1"), -1, sink);
        MemorySegment badSeq = reply(s, datagram, 0, 1);
        badSeq.set(IcmpPacket.U16, 6, (short) 7);
        s.onPacket(datagram, badSeq, 64, from("127.0.0.1"), -1, sink);
        assertEquals(0, got.size());
        assertEquals(4, s.ignoredForeign());
    }

    @Test
    void malformedPacketsAreCountedNotMatched() throws Exception {
        SweepSocket s = socket(datagram);
        s.onPacket(datagram, reply(s, datagram, 0, 0), 7, from("127.0.0.1"), -1, sink); // shorter than a header
        s.onPacket(datagram, reply(s, datagram, 0, 0), 20, from("127.0.0.1"), -1, sink); // payload cut
        MemorySegment code = reply(s, datagram, 0, 0);
        code.set(ValueLayout.JAVA_BYTE, 1, (byte) 3);
        s.onPacket(datagram, code, 64, from("127.0.0.1"), -1, sink);
        MemorySegment request = reply(s, datagram, 0, 0);
        request.set(ValueLayout.JAVA_BYTE, 0, (byte) IcmpPacket.ECHO_REQUEST_V4);
        s.onPacket(datagram, request, 64, from("127.0.0.1"), -1, sink);
        s.onPacket(datagram, reply(s, datagram, 0, 0), 64, from("127.0.0.1"), 1, sink); // received before it was sent
        assertEquals(0, got.size());
        assertEquals(5, s.ignoredMalformed());
    }

    @Test
    void rawSocketsCheckTheIpHeaderAndTheIdentifier() throws Exception {
        SweepSocket s = socket(raw);
        MemorySegment withIp = arena.allocate(256, 8);
        withIp.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        MemorySegment.copy(reply(s, raw, 2, 1), 0, withIp, 20, 64);
        s.onPacket(raw, withIp, 84, from("127.0.0.3"), -1, sink);
        assertEquals(1, got.size());
        assertEquals(2, got.get(0)[0]);
        withIp.set(IcmpPacket.U16, 24, (short) ((withIp.get(IcmpPacket.U16, 24) + 1) & 0xffff)); // another id
        s.onPacket(raw, withIp, 84, from("127.0.0.3"), -1, sink);
        withIp.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x65); // not IPv4
        s.onPacket(raw, withIp, 84, from("127.0.0.3"), -1, sink);
        assertEquals(1, got.size());
        assertEquals(1, s.ignoredForeign());
        assertEquals(1, s.ignoredMalformed());
    }

    // ------------------------------------------------------------------ real ICMP on loopback

    private static void everyEchoAnsweredOnLoopback(IcmpOptions options, IcmpSocketMode expected) throws Exception {
        List<InetAddress> targets = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            targets.add(InetAddress.getByName("127.0.9." + i));
        }
        int[][] seen = new int[200][2];
        try (SweepSocket s = SweepSocket.open(options, targets, 2, true)) {
            assertEquals(expected, s.mode());
            for (int e = 0; e < 2; e++) {
                for (int t = 0; t < 200; t++) {
                    s.send(t, e);
                }
            }
            s.flush();
            long end = System.nanoTime() + 5_000_000_000L;
            int[] total = {0};
            while (total[0] < 400 && System.nanoTime() < end) {
                s.receive(50, (t, e, rtt) -> {
                    seen[t][e]++;
                    total[0]++;
                });
            }
            assertEquals(0, s.sendErrors());
        }
        for (int t = 0; t < 200; t++) {
            assertEquals(1, seen[t][0], "target " + t + " echo 0");
            assertEquals(1, seen[t][1], "target " + t + " echo 1");
        }
    }

    @Test
    void everyEchoIsAnsweredOnceOverTheDefaultSocket() throws Exception {
        IcmpSocketMode mode;
        try (SweepSocket s = SweepSocket.open(IcmpOptions.defaults(), List.of(), 1, true)) {
            mode = s.mode();
        }
        everyEchoAnsweredOnLoopback(IcmpOptions.defaults(), mode);
    }

    @Test
    void everyEchoIsAnsweredOnceOverADatagramSocketThatRewritesTheIdentifier() throws Exception {
        try (NetNs ns = NetNs.create("0 2147483647")) {
            everyEchoAnsweredOnLoopback(IcmpOptions.builder().socketMode(IcmpSocketMode.DATAGRAM)
                    .networkNamespace(ns.file()).build(), IcmpSocketMode.DATAGRAM);
        }
    }
}
