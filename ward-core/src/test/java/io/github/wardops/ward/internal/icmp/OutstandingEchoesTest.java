package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching echoes by cookie, the outstanding limit, and timeouts on a fake ticker. */
class OutstandingEchoesTest {
    private static final byte[] LOCALHOST = {127, 0, 0, 1};
    private final FakeTicker ticker = new FakeTicker();
    private final IcmpCounters counters = new IcmpCounters();

    private OutstandingEchoes echoes(int limit) {
        return new OutstandingEchoes(ticker, limit, counters);
    }

    private static Echo.Outcome reply(long rtt) {
        return new Echo.Outcome(Echo.Status.REPLY, rtt, 0, 0, 0);
    }

    @Test
    void anEchoIsMatchedByItsCookieUntilItIsSettled() {
        OutstandingEchoes o = echoes(10);
        Echo e = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        assertNotEquals(0, e.cookie);
        assertFalse(e.result.isDone());
        assertEquals(1, o.size());
        assertSame(e, o.match(e.cookie));
        assertNull(o.match(e.cookie + 1), "a cookie nobody sent matches nothing");
        assertTrue(o.finish(e, reply(5)));
        assertEquals(0, o.size());
        assertNull(o.match(e.cookie), "a settled echo is no longer matched: a duplicate reply is late");
    }

    @Test
    void theFirstOutcomeWins() throws Exception {
        OutstandingEchoes o = echoes(10);
        Echo e = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        assertTrue(o.finish(e, reply(5)));
        assertFalse(o.finish(e, Echo.Outcome.TIMEOUT));
        assertEquals(Echo.Status.REPLY, e.result.get().status());
        assertEquals(0, o.size(), "settling twice does not count twice");
        assertEquals(0, counters.timeouts.sum());
    }

    @Test
    void sequenceNumbersCountUpAndWrapAt16Bits() {
        OutstandingEchoes o = echoes(70_000);
        Echo first = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        Set<Long> cookies = new HashSet<>();
        cookies.add(first.cookie);
        Echo last = null;
        for (int i = 1; i <= 65_536; i++) {
            last = o.register(LOCALHOST, false, Duration.ofSeconds(1));
            assertEquals(i & 0xffff, last.seq);
            assertTrue(cookies.add(last.cookie), "cookies are unique");
        }
        assertEquals(first.seq, last.seq, "the sequence wrapped while the first echo is outstanding");
        assertEquals(65_537, o.size());
        assertSame(first, o.match(first.cookie));
        assertSame(last, o.match(last.cookie), "two echoes with one sequence number are told apart by their cookies");
        o.finish(last, reply(1));
        assertSame(first, o.match(first.cookie), "settling one leaves the other outstanding");
    }

    @Test
    void overTheLimitAnEchoIsSettledAtOnceAndCounted() throws Exception {
        OutstandingEchoes o = echoes(2);
        o.register(LOCALHOST, false, Duration.ofSeconds(1));
        Echo second = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        Echo over = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        assertEquals(0, over.cookie);
        assertEquals(new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, -1), over.result.get());
        assertEquals(1, counters.overLimit.sum());
        assertEquals(2, o.size());
        assertFalse(o.finish(over, Echo.Outcome.TIMEOUT));
        assertEquals(2, o.size(), "settling the refused echo does not free a place");
        o.finish(second, reply(1));
        assertNotEquals(0, o.register(LOCALHOST, false, Duration.ofSeconds(1)).cookie, "a freed place is taken again");
    }

    @Test
    void anEchoTimesOutWhenTheTickerPassesItsDeadline() throws Exception {
        OutstandingEchoes o = echoes(10);
        long sentAt = ticker.read();
        Echo e = o.register(LOCALHOST, false, Duration.ofMillis(100));
        o.sent(e);
        o.admitSent();
        assertEquals(0, o.expire(sentAt + Duration.ofMillis(99).toNanos()));
        assertFalse(e.result.isDone());
        assertEquals(1, o.expire(sentAt + Duration.ofMillis(100).toNanos()));
        assertEquals(Echo.Status.TIMEOUT, e.result.get().status());
        assertEquals(1, counters.timeouts.sum());
        assertEquals(0, o.size());
        assertEquals(0, o.expire(sentAt + Duration.ofSeconds(10).toNanos()), "an echo times out once");
    }

    @Test
    void anAnsweredEchoIsNotATimeout() {
        OutstandingEchoes o = echoes(10);
        Echo e = o.register(LOCALHOST, false, Duration.ofMillis(100));
        o.sent(e);
        o.admitSent();
        o.finish(e, reply(1));
        assertEquals(0, o.expire(ticker.read() + Duration.ofSeconds(1).toNanos()));
        assertEquals(0, counters.timeouts.sum());
    }

    @Test
    void echoesExpireInDeadlineOrderWhateverTheirSendingOrder() {
        OutstandingEchoes o = echoes(10);
        long t0 = ticker.read();
        Echo slow = o.register(LOCALHOST, false, Duration.ofMillis(300));
        Echo quick = o.register(LOCALHOST, false, Duration.ofMillis(100));
        o.sent(slow);
        o.sent(quick);
        o.admitSent();
        assertEquals(1, o.expire(t0 + Duration.ofMillis(200).toNanos()));
        assertTrue(quick.result.isDone());
        assertFalse(slow.result.isDone());
    }

    @Test
    void deadlinesAcrossTickerOverflowAreOrderedAndExpired() {
        FakeTicker t = new FakeTicker(Long.MAX_VALUE - Duration.ofMillis(50).toNanos());
        OutstandingEchoes o = new OutstandingEchoes(t, 10, counters);
        Echo before = o.register(LOCALHOST, false, Duration.ofMillis(10)); // deadline below Long.MAX_VALUE
        Echo after = o.register(LOCALHOST, false, Duration.ofMillis(100)); // deadline wrapped negative
        o.sent(after);
        o.sent(before);
        o.admitSent();
        assertEquals(1, o.expire(t.read() + Duration.ofMillis(20).toNanos()));
        assertTrue(before.result.isDone());
        assertFalse(after.result.isDone(), "a deadline past the overflow is later, not earlier");
        assertEquals(1, o.expire(t.read() + Duration.ofMillis(100).toNanos()));
    }

    @Test
    void thePollTimeoutFollowsTheNextDeadlineOnTheTicker() {
        OutstandingEchoes o = echoes(10);
        assertEquals(50, o.pollTimeoutMillis(50), "nothing outstanding: the longest wait");
        Echo e = o.register(LOCALHOST, false, Duration.ofMillis(20));
        o.sent(e);
        o.admitSent();
        assertEquals(21, o.pollTimeoutMillis(50), "until the deadline, rounded up");
        ticker.advance(Duration.ofMillis(15));
        assertEquals(6, o.pollTimeoutMillis(50));
        ticker.advance(Duration.ofMillis(100));
        assertEquals(0, o.pollTimeoutMillis(50), "overdue: do not wait");
        o.finish(e, reply(1));
        assertEquals(50, o.pollTimeoutMillis(50), "a settled echo sets no deadline");
        Echo far = o.register(LOCALHOST, false, Duration.ofHours(1));
        o.sent(far);
        o.admitSent();
        assertEquals(50, o.pollTimeoutMillis(50), "never longer than the longest wait");
    }

    @Test
    void finishAllSettlesEveryOutstandingEcho() throws Exception {
        OutstandingEchoes o = echoes(10);
        Echo a = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        Echo b = o.register(LOCALHOST, false, Duration.ofSeconds(1));
        o.finishAll(Echo.Outcome.IMPAIRED);
        assertEquals(Echo.Status.IMPAIRED, a.result.get().status());
        assertEquals(Echo.Status.IMPAIRED, b.result.get().status());
        assertEquals(0, o.size());
    }
}
