package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Pacing on a fake ticker: no sleeps, exact slots. */
class PacerTest {
    private static final long MS = 1_000_000;

    @Test
    void theFirstEchoGoesAtOnce() {
        assertEquals(0, new Pacer(new FakeTicker(), 1000).claim());
    }

    @Test
    void aBurstAtOneInstantIsSpreadOverOnePeriodEach() {
        Pacer p = new Pacer(new FakeTicker(), 1000);
        assertEquals(MS, p.periodNanos());
        for (int i = 0; i < 10; i++) {
            assertEquals(i * MS, p.claim(), "echo " + i);
        }
    }

    @Test
    void echoesAtTheRateNeverWait() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 200);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, p.claim());
            t.advance(Duration.ofMillis(5));
        }
    }

    @Test
    void fasterThanTheRateWaitsForTheDifference() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 100); // 10 ms apart
        assertEquals(0, p.claim());
        t.advance(Duration.ofMillis(4));
        assertEquals(6 * MS, p.claim(), "the second slot is 10 ms after the first");
        t.advance(Duration.ofMillis(4));
        assertEquals(12 * MS, p.claim(), "the third is 20 ms after the first, now at 8 ms");
    }

    @Test
    void idleTimeEarnsNoBurstCredit() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000);
        p.claim();
        t.advance(Duration.ofSeconds(10));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(p.claim());
        }
        assertEquals(List.of(0L, MS, 2 * MS, 3 * MS, 4 * MS), waits, "after 10 quiet seconds, a burst still leaves at the rate");
    }

    @Test
    void aRateAboveOnePerNanosecondPacesOneNanosecondApart() {
        Pacer p = new Pacer(new FakeTicker(), Integer.MAX_VALUE);
        assertEquals(1, p.periodNanos());
        assertEquals(0, p.claim());
        assertEquals(1, p.claim());
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(new FakeTicker(), 0));
    }

    @Test
    void slotsStayInOrderWhereTheTickerOverflows() {
        FakeTicker t = new FakeTicker(Long.MAX_VALUE - MS / 2);
        Pacer p = new Pacer(t, 1000);
        assertEquals(0, p.claim());
        assertEquals(MS, p.claim(), "the slot past Long.MAX_VALUE is still one period later");
        t.advance(Duration.ofMillis(1)); // the reading wraps to a negative value
        assertEquals(MS, p.claim());
    }

    @Test
    void concurrentCallersNeverShareASlot() throws Exception {
        Pacer p = new Pacer(new FakeTicker(), 1000);
        int threads = 8;
        int each = 500;
        ConcurrentLinkedQueue<Long> waits = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int j = 0; j < each; j++) {
                    waits.add(p.claim());
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        List<Long> sorted = waits.stream().sorted().toList();
        for (int i = 0; i < threads * each; i++) {
            assertEquals(i * MS, sorted.get(i), "slot " + i);
        }
    }

    @Test
    void aNewRateSpacesLaterSlotsAndTheBacklogSaysHowFarBehind() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000);
        assertEquals(0, p.backlogNanos(), "idle: no backlog");
        for (int i = 0; i < 10; i++) {
            p.claim();
        }
        assertEquals(10 * MS, p.backlogNanos(), "ten slots of 1 ms claimed ahead");
        p.rate(100);
        assertEquals(10 * MS, p.claim(), "the claimed slots keep their times");
        assertEquals(20 * MS, p.claim(), "then 10 ms apart");
        assertThrows(IllegalArgumentException.class, () -> p.rate(0));
    }

    @Test
    void theSenderTakesSlotsUpToItsToleranceAheadAndNoMore() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000); // 1 ms apart
        long now = t.read();
        int taken = 0;
        while (p.take(now, 3 * MS)) {
            taken++;
        }
        assertEquals(4, taken, "slots at 0, 1, 2 and 3 ms lie within 3 ms of now");
        assertEquals(4 * MS, p.waitNanos(now));
        assertFalse(p.take(now + MS, 2 * MS), "the slot at 4 ms is 3 ms after 1 ms");
        assertTrue(p.take(now + 2 * MS, 2 * MS));
        // idle time earns no credit: after a quiet second the next slots start from then
        long later = now + 1000 * MS;
        assertEquals(0, p.waitNanos(later));
        assertTrue(p.take(later, 0));
        assertFalse(p.take(later, 0), "one slot per period, however long the pacer was idle");
    }
}
