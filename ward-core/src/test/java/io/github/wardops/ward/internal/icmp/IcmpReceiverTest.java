package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.IcmpSocketMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the receiver does with each packet it reads: replies settle their echo, and everything
 * else (short, malformed, foreign, duplicate, late) is counted once and ignored, never ending the
 * loop. The first tests hand packets to the receiver directly; the last run its loop on a UDP
 * socket standing in for an ICMP datagram socket, so they need no privilege.
 */
class IcmpReceiverTest {
    private static final byte[] LOCALHOST = {127, 0, 0, 1};
    private static final int RAW_ID = 0x4242;
    private static final int BUF = 4096;

    private final Arena arena = Arena.ofShared();
    private final FakeTicker ticker = new FakeTicker();
    private final IcmpCounters counters = new IcmpCounters();
    private final OutstandingEchoes echoes = new OutstandingEchoes(ticker, 100_000, counters);
    private final IcmpSocket datagram = new IcmpSocket(-1, false, IcmpSocketMode.DATAGRAM, 0);
    private final IcmpSocket raw = new IcmpSocket(-1, false, IcmpSocketMode.RAW, 0);
    private final IcmpSocket datagram6 = new IcmpSocket(-1, true, IcmpSocketMode.DATAGRAM, 0);
    private final IcmpReceiver receiver = new IcmpReceiver(new IcmpSockets(datagram, null, "none"), echoes, counters,
            RAW_ID, ticker);
    private IcmpSockets udp;
    private IcmpReceiver running;

    @AfterEach
    void tearDown() {
        if (running != null) {
            running.close();
        }
        if (udp != null) {
            udp.close();
        }
        arena.close();
    }

    // ------------------------------------------------------------------ packets, one by one

    private MemorySegment name(int family, byte[] address) {
        MemorySegment sa = arena.allocate(32, 8);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) family);
        MemorySegment.copy(address, 0, sa, ValueLayout.JAVA_BYTE, family == Libc.AF_INET6 ? 8 : 4, address.length);
        return sa;
    }

    private MemorySegment from127001() {
        return name(Libc.AF_INET, LOCALHOST);
    }

    /** An echo reply as the kernel hands it to a datagram socket: 64 bytes, ICMP header first. */
    private MemorySegment reply(boolean v6, int id, int seq, long cookie) {
        MemorySegment b = arena.allocate(BUF, 8);
        IcmpPacket.writeEcho(b, v6, id, seq, cookie, 56, false);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) (v6 ? IcmpPacket.ECHO_REPLY_V6 : IcmpPacket.ECHO_REPLY_V4));
        return b;
    }

    /** An echo request as a datagram socket's error queue returns it. */
    private MemorySegment request(int seq, long cookie) {
        MemorySegment b = arena.allocate(BUF, 8);
        IcmpPacket.writeEcho(b, false, 0, seq, cookie, 56, false);
        return b;
    }

    /** A destination unreachable quoting the IPv4 header and the echo request. */
    private MemorySegment unreachable(int code, int seq, long cookie) {
        MemorySegment b = arena.allocate(BUF, 8);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) IcmpPacket.DEST_UNREACH_V4);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) code);
        b.set(ValueLayout.JAVA_BYTE, 8, (byte) 0x45);
        b.set(ValueLayout.JAVA_BYTE, 8 + 9, (byte) 1);
        IcmpPacket.writeEcho(b.asSlice(28), false, 0, seq, cookie, 56, false);
        return b;
    }

    private Echo sent(byte[] target, Duration timeout) {
        Echo e = echoes.register(target, target.length == 16, timeout);
        e.sentNano = ticker.read();
        echoes.sent(e);
        return e;
    }

    private Echo sent() {
        return sent(LOCALHOST, Duration.ofSeconds(1));
    }

    @Test
    void aMatchingReplySettlesItsEchoWithTheRoundTripOnTheTicker() throws Exception {
        Echo e = sent();
        ticker.advance(Duration.ofMillis(7));
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie), 64, from127001(), -1);
        assertEquals(new Echo.Outcome(Echo.Status.REPLY, Duration.ofMillis(7).toNanos(), 0, 0, 0), e.result.get());
        assertEquals(1, counters.replies.sum());
        assertEquals(0, counters.ignored());
        assertEquals(0, echoes.size());
    }

    @Test
    void theKernelTimestampIsPreferredWhenItIsNotBeforeTheSend() throws Exception {
        Echo e = sent();
        e.sentWall = 1_000_000_000_000L;
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie), 64, from127001(), e.sentWall + 3_000_000);
        assertEquals(3_000_000, e.result.get().rttNanos());
        assertEquals(1, counters.kernelTimestamps.sum());

        Echo stepped = sent();
        stepped.sentWall = 1_000_000_000_000L;
        ticker.advance(Duration.ofMillis(2));
        // the wall clock stepped back between send and receive: the ticker is used instead
        receiver.onPacket(datagram, reply(false, 0, stepped.seq, stepped.cookie), 64, from127001(), stepped.sentWall - 5);
        assertEquals(2_000_000, stepped.result.get().rttNanos());
        assertEquals(1, counters.kernelTimestamps.sum());
    }

    @Test
    void aDuplicateReplyIsLateAndChangesNothing() throws Exception {
        Echo e = sent();
        MemorySegment r = reply(false, 0, e.seq, e.cookie);
        receiver.onPacket(datagram, r, 64, from127001(), -1);
        Echo.Outcome first = e.result.get();
        receiver.onPacket(datagram, r, 64, from127001(), -1);
        assertSame(first, e.result.get());
        assertEquals(1, counters.replies.sum());
        assertEquals(1, counters.ignoredLate.sum());
    }

    @Test
    void aReplyAfterTheTimeoutIsLate() throws Exception {
        Echo e = sent(LOCALHOST, Duration.ofMillis(100));
        echoes.admitSent();
        ticker.advance(Duration.ofMillis(100));
        echoes.expire(ticker.read());
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie), 64, from127001(), -1);
        assertEquals(Echo.Status.TIMEOUT, e.result.get().status());
        assertEquals(1, counters.ignoredLate.sum());
        assertEquals(0, counters.replies.sum());
    }

    @Test
    void aReplyWithACookieNobodySentIsLate() {
        Echo e = sent();
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie ^ 1), 64, from127001(), -1);
        assertFalse(e.result.isDone());
        assertEquals(1, counters.ignoredLate.sum());
    }

    @Test
    void aReplyWithTheRightCookieButAnotherSequenceOrSourceIsForeign() {
        Echo e = sent();
        receiver.onPacket(datagram, reply(false, 0, (e.seq + 1) & 0xffff, e.cookie), 64, from127001(), -1);
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie), 64, name(Libc.AF_INET, new byte[] {127, 0, 0, 2}), -1);
        receiver.onPacket(datagram, reply(false, 0, e.seq, e.cookie), 64, name(Libc.AF_INET6, new byte[16]), -1);
        assertFalse(e.result.isDone());
        assertEquals(3, counters.ignoredForeign.sum());
        assertSame(e, echoes.match(e.cookie), "still outstanding: the real reply may yet come");
    }

    @Test
    void onARawSocketAReplyToAnotherProgramsEchoIsForeign() throws Exception {
        Echo e = sent();
        MemorySegment pkt = arena.allocate(BUF, 8);
        pkt.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        pkt.set(ValueLayout.JAVA_BYTE, 9, (byte) 1);
        MemorySegment.copy(reply(false, RAW_ID + 1, e.seq, e.cookie), 0, pkt, 20, 64);
        receiver.onPacket(raw, pkt, 84, from127001(), -1);
        assertEquals(1, counters.ignoredForeign.sum());
        assertFalse(e.result.isDone());
        MemorySegment.copy(reply(false, RAW_ID, e.seq, e.cookie), 0, pkt, 20, 64);
        receiver.onPacket(raw, pkt, 84, from127001(), -1);
        assertEquals(Echo.Status.REPLY, e.result.get().status());
    }

    @Test
    void everyTruncationOfAReplyIsMalformedAndSettlesNothing() {
        Echo e = sent();
        MemorySegment r = reply(false, 0, e.seq, e.cookie);
        for (int len = 0; len < IcmpPacket.MIN_ECHO; len++) {
            receiver.onPacket(datagram, r, len, from127001(), -1);
        }
        assertEquals(IcmpPacket.MIN_ECHO, counters.ignoredMalformed.sum());
        assertFalse(e.result.isDone());
        // a length beyond the buffer (a kernel that said more than it wrote) is malformed too
        receiver.onPacket(datagram, r, BUF + 1, from127001(), -1);
        assertEquals(IcmpPacket.MIN_ECHO + 1, counters.ignoredMalformed.sum());
    }

    @Test
    void aRawPacketWithABadIpHeaderIsMalformed() {
        Echo e = sent();
        MemorySegment pkt = arena.allocate(BUF, 8);
        MemorySegment.copy(reply(false, RAW_ID, e.seq, e.cookie), 0, pkt, 20, 64);
        for (byte b0 : new byte[] {0x4f, 0x44, 0x65, 0x00, (byte) 0xff}) { // IHL past the end, IHL < 5, IPv6, zero, all ones
            pkt.set(ValueLayout.JAVA_BYTE, 0, b0);
            receiver.onPacket(raw, pkt, 84, from127001(), -1);
            receiver.onPacket(raw, pkt, 30, from127001(), -1);
        }
        assertEquals(10, counters.ignoredMalformed.sum());
        assertFalse(e.result.isDone());
    }

    @Test
    void anIcmpErrorQuotingAnEchoSettlesItAndOneQuotingGarbageIsMalformed() throws Exception {
        Echo e = sent();
        MemorySegment garbage = unreachable(1, e.seq, e.cookie);
        garbage.set(ValueLayout.JAVA_BYTE, 8 + 9, (byte) 17); // the quoted packet is UDP, not ICMP
        receiver.onPacket(datagram, garbage, 92, from127001(), -1);
        receiver.onPacket(datagram, unreachable(1, e.seq, e.cookie), 40, from127001(), -1); // cut inside the quote
        assertEquals(2, counters.ignoredMalformed.sum());
        assertFalse(e.result.isDone());
        // an ICMP error comes from a router, not from the target: its source is not checked
        receiver.onPacket(datagram, unreachable(1, e.seq, e.cookie), 92, name(Libc.AF_INET, new byte[] {127, 9, 9, 9}), -1);
        assertEquals(new Echo.Outcome(Echo.Status.ICMP_ERROR, 0, IcmpPacket.DEST_UNREACH_V4, 1, 0), e.result.get());
        assertEquals(1, counters.icmpErrors.sum());
        receiver.onPacket(datagram, unreachable(1, e.seq, e.cookie), 92, from127001(), -1);
        assertEquals(1, counters.ignoredLate.sum(), "a second error for a settled echo is late");
    }

    @Test
    void anotherIcmpTypeIsMalformed() {
        Echo e = sent();
        MemorySegment r = reply(false, 0, e.seq, e.cookie);
        for (int type : new int[] {IcmpPacket.ECHO_REQUEST_V4, 5, 13, 255}) {
            r.set(ValueLayout.JAVA_BYTE, 0, (byte) type);
            receiver.onPacket(datagram, r, 64, from127001(), -1);
        }
        r.set(ValueLayout.JAVA_BYTE, 0, (byte) IcmpPacket.ECHO_REPLY_V4);
        r.set(ValueLayout.JAVA_BYTE, 1, (byte) 1); // a reply with a non-zero code
        receiver.onPacket(datagram, r, 64, from127001(), -1);
        receiver.onPacket(datagram6, reply(false, 0, e.seq, e.cookie), 64, from127001(), -1); // an ICMPv4 reply on ICMPv6
        assertEquals(6, counters.ignoredMalformed.sum());
        assertFalse(e.result.isDone());
    }

    @Test
    void errorQueueMessagesAreMatchedLikeReplies() throws Exception {
        Echo e = sent();
        receiver.onError(datagram, request(e.seq, e.cookie), 12, Libc.SO_EE_ORIGIN_ICMP, 3, 1, 113);
        assertEquals(1, counters.ignoredMalformed.sum(), "too short to carry a cookie");
        receiver.onError(datagram, request(e.seq, e.cookie ^ 1), 64, Libc.SO_EE_ORIGIN_ICMP, 3, 1, 113);
        receiver.onError(datagram, request((e.seq + 1) & 0xffff, e.cookie), 64, Libc.SO_EE_ORIGIN_ICMP, 3, 1, 113);
        assertEquals(2, counters.ignoredLate.sum());
        assertFalse(e.result.isDone());
        receiver.onError(datagram, request(e.seq, e.cookie), 64, Libc.SO_EE_ORIGIN_ICMP, 3, 1, 113);
        assertEquals(new Echo.Outcome(Echo.Status.ICMP_ERROR, 0, 3, 1, 113), e.result.get());

        Echo local = sent();
        receiver.onError(datagram, request(local.seq, local.cookie), 64, Libc.SO_EE_ORIGIN_LOCAL, 0, 0, 90);
        assertEquals(new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, 90), local.result.get(),
                "an error the kernel raised itself is a send error");
        Echo none = sent();
        receiver.onError(datagram, request(none.seq, none.cookie), 64, -1, 0, 0, 0);
        assertEquals(Echo.Status.SEND_ERROR, none.result.get().status(), "no extended error at all");
    }

    @Test
    void randomBytesAreAlwaysCountedOnceAndNeverSettleAnything() {
        Echo e = sent();
        Random rnd = new Random(13);
        MemorySegment pkt = arena.allocate(BUF, 8);
        IcmpSocket[] socks = {datagram, raw, datagram6, new IcmpSocket(-1, true, IcmpSocketMode.RAW, 0)};
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int len = rnd.nextInt(200);
            for (int j = 0; j < len; j++) {
                pkt.set(ValueLayout.JAVA_BYTE, j, (byte) rnd.nextInt());
            }
            if (rnd.nextBoolean() && len >= 24) {
                // ward's magic at a plausible place, so parsing gets past it to the cookie
                pkt.set(IcmpPacket.U32, rnd.nextInt(len - 12), IcmpPacket.MAGIC);
            }
            IcmpSocket s = socks[rnd.nextInt(socks.length)];
            MemorySegment from = name(rnd.nextBoolean() ? Libc.AF_INET : Libc.AF_INET6, new byte[16]);
            if (rnd.nextInt(4) == 0) {
                receiver.onError(s, pkt, len, rnd.nextInt(5) - 1, rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(200));
            } else {
                receiver.onPacket(s, pkt, len, from, rnd.nextLong());
            }
        }
        assertEquals(n, counters.ignored(), "each packet is counted exactly once");
        assertFalse(e.result.isDone());
        assertEquals(0, counters.replies.sum() + counters.icmpErrors.sum());
    }

    // ------------------------------------------------------------------ the loop, on a UDP socket

    /** A peer on 127.0.0.1 and the address of the UDP socket the receiver reads. */
    private record Link(DatagramChannel peer, InetSocketAddress receiverAddress) implements AutoCloseable {
        void send(MemorySegment data, int len) throws Exception {
            peer.send(ByteBuffer.wrap(data.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)), receiverAddress);
        }

        @Override
        public void close() throws Exception {
            peer.close();
        }
    }

    /**
     * Starts the receiver on a non-blocking UDP socket: what a peer sends it arrives as an ICMP
     * datagram socket delivers a packet, ICMP header first, from a {@code sockaddr_in}.
     */
    private Link startOnUdp() throws Exception {
        assumeTrue(Libc.supported(), "Linux only");
        int fd;
        MemorySegment bound;
        DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(a);
            fd = Libc.socket(err, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            assertTrue(fd >= 0, "socket: " + Libc.errnoName(Libc.errno(err)));
            udp = new IcmpSockets(new IcmpSocket(fd, false, IcmpSocketMode.DATAGRAM, 0), null, "none");
            // sending binds the socket to a port; the peer learns it from the datagram
            InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
            bound = a.allocate(16);
            bound.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
            bound.set(IcmpPacket.U16, 2, (short) to.getPort());
            MemorySegment.copy(LOCALHOST, 0, bound, ValueLayout.JAVA_BYTE, 4, 4);
            MemorySegment hello = a.allocate(1);
            assertEquals(1, Libc.sendto(err, fd, hello, 1, 0, bound, 16));
        }
        InetSocketAddress receiverAddress = (InetSocketAddress) peer.receive(ByteBuffer.allocate(8));
        running = new IcmpReceiver(udp, echoes, counters, RAW_ID, ticker);
        running.start();
        return new Link(peer, receiverAddress);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - until < 0, () -> "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void theLoopSurvivesGarbageAndStillMatchesTheReplyThatFollows() throws Exception {
        Echo e = sent(LOCALHOST, Duration.ofHours(1));
        try (Link link = startOnUdp()) {
            MemorySegment r = reply(false, 0, e.seq, e.cookie);
            link.send(r, 0);
            link.send(r, 1);
            link.send(r, 7);
            link.send(r, IcmpPacket.MIN_ECHO - 1);
            link.send(reply(false, 0, e.seq, e.cookie ^ 1), 64);
            link.send(reply(false, 0, (e.seq + 1) & 0xffff, e.cookie), 64);
            long expected = 6;
            await(() -> counters.ignored() == 6, "six packets are ignored");
            Random rnd = new Random(7);
            MemorySegment junk = arena.allocate(BUF, 8);
            for (int batch = 0; batch < 10; batch++) {
                // in batches, so the socket's receive buffer never overflows and drops some
                for (int i = 0; i < 50; i++) {
                    int len = rnd.nextInt(300);
                    for (int j = 0; j < len; j++) {
                        junk.set(ValueLayout.JAVA_BYTE, j, (byte) rnd.nextInt());
                    }
                    link.send(junk, len);
                }
                expected += 50;
                long want = expected;
                await(() -> counters.ignored() == want, want + " packets are ignored");
            }
            assertFalse(e.result.isDone());
            ticker.advance(Duration.ofMillis(3));
            link.send(r, 64);
            assertEquals(new Echo.Outcome(Echo.Status.REPLY, Duration.ofMillis(3).toNanos(), 0, 0, 0),
                    e.result.get(10, TimeUnit.SECONDS));
            link.send(r, 64);
            await(() -> counters.ignoredLate.sum() == 2, "the duplicate is late");
            assertEquals(1, counters.replies.sum());
            assertEquals(expected + 1, counters.ignored());
            assertTrue(running.alive());
            assertNull(running.stopReason());
        }
    }

    @Test
    void echoesTimeOutWhenTheReceiversTickerPassesTheirDeadline() throws Exception {
        Echo e = sent(LOCALHOST, Duration.ofMillis(100));
        try (Link link = startOnUdp()) {
            MemorySegment junk = arena.allocate(8, 8);
            // two packets read one after the other: the turn that read the first swept the
            // deadlines afterwards, with the echo admitted, and the ticker had not moved
            link.send(junk, 8);
            await(() -> counters.ignored() == 1, "the first packet is read");
            link.send(junk, 8);
            await(() -> counters.ignored() == 2, "the second packet is read");
            assertFalse(e.result.isDone(), "real time passes, the ticker does not: no timeout");
            ticker.advance(Duration.ofMillis(100));
            assertEquals(Echo.Outcome.TIMEOUT, e.result.get(10, TimeUnit.SECONDS));
            assertEquals(1, counters.timeouts.sum());
            link.send(reply(false, 0, e.seq, e.cookie), 64);
            await(() -> counters.ignoredLate.sum() == 1, "the reply after the timeout is late");
        }
    }

    @Test
    void aLoopThatFailsSettlesEveryEchoImpairedAndSaysWhy() throws Exception {
        Echo e = sent(LOCALHOST, Duration.ofHours(1));
        try (Link link = startOnUdp()) {
            running.failOnce(new IllegalStateException("injected by the test"));
            assertEquals(Echo.Outcome.IMPAIRED, e.result.get(10, TimeUnit.SECONDS));
            await(() -> !running.alive(), "the receiver has stopped");
            assertEquals("IllegalStateException", running.stopReason());
            assertEquals(0, echoes.size());
        }
    }

    @Test
    void closingStopsTheLoopAndSettlesWhatIsOutstanding() throws Exception {
        Echo e = sent(LOCALHOST, Duration.ofHours(1));
        try (Link link = startOnUdp()) {
            running.close();
            assertFalse(running.alive());
            assertEquals("closed", running.stopReason());
            assertEquals(Echo.Outcome.IMPAIRED, e.result.getNow(null));
        }
    }

    @Test
    void onlyErrorsAndRuntimeExceptionsCanBeInjected() {
        assertThrows(IllegalArgumentException.class, () -> receiver.failOnce(new Exception("checked")));
    }
}
