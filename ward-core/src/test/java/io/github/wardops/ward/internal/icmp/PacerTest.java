package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing on a fake clock: no sleeps, exact slots. */
class PacerTest {
    private static final long MS = 1_000_000;

    /** What the sender does for one echo at {@code now}: wait for the next slot, then take it. */
    private static long send(Pacer p, long now) {
        long wait = p.waitNanos(now);
        assertTrue(p.take(now + wait, 0), "the slot is free after its wait");
        return wait;
    }

    @Test
    void theFirstEchoGoesAtOnce() {
        FakeTicker t = new FakeTicker();
        assertEquals(0, send(new Pacer(t, 1000), t.read()));
    }

    @Test
    void aBurstAtOneInstantIsSpreadOverOnePeriodEach() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000);
        assertEquals(MS, p.periodNanos());
        long now = t.read();
        for (int i = 0; i < 10; i++) {
            assertEquals(i * MS, p.waitNanos(now), "echo " + i);
            assertTrue(p.take(now, i * MS), "echo " + i + " within its tolerance");
        }
    }

    @Test
    void echoesAtTheRateNeverWait() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 200);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, send(p, t.read() + i * 5 * MS));
        }
    }

    @Test
    void fasterThanTheRateWaitsForTheDifference() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 100); // 10 ms apart
        long now = t.read();
        assertEquals(0, send(p, now));
        assertEquals(6 * MS, p.waitNanos(now + 4 * MS), "the second slot is 10 ms after the first");
        assertFalse(p.take(now + 4 * MS, 5 * MS), "not 6 ms early with a tolerance of 5");
        assertTrue(p.take(now + 4 * MS, 6 * MS));
        assertEquals(12 * MS, p.waitNanos(now + 8 * MS), "the third is 20 ms after the first, now at 8 ms");
    }

    @Test
    void idleTimeEarnsNoBurstCredit() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000);
        long now = t.read();
        send(p, now);
        long later = now + 10_000 * MS;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(p.waitNanos(later));
            assertTrue(p.take(later, 10 * MS));
        }
        assertEquals(List.of(0L, MS, 2 * MS, 3 * MS, 4 * MS), waits, "after 10 quiet seconds, a burst still leaves at the rate");
        assertEquals(0, p.waitNanos(later + 20_000 * MS));
        assertTrue(p.take(later + 20_000 * MS, 0));
        assertFalse(p.take(later + 20_000 * MS, 0), "one slot per period, however long the pacer was idle");
    }

    @Test
    void aRateAboveOnePerNanosecondPacesOneNanosecondApart() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, Integer.MAX_VALUE);
        assertEquals(1, p.periodNanos());
        assertEquals(0, send(p, t.read()));
        assertEquals(1, send(p, t.read()));
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(new FakeTicker(), 0));
        Pacer p = new Pacer(new FakeTicker(), 10);
        assertThrows(IllegalArgumentException.class, () -> p.rate(0));
    }

    @Test
    void slotsStayInOrderWhereTheClockOverflows() {
        FakeTicker t = new FakeTicker(Long.MAX_VALUE - MS / 2);
        Pacer p = new Pacer(t, 1000);
        long now = t.read();
        assertEquals(0, send(p, now));
        assertEquals(MS, p.waitNanos(now), "the slot past Long.MAX_VALUE is still one period later");
        long wrapped = now + MS; // a negative reading
        assertEquals(0, send(p, wrapped));
        assertEquals(MS, p.waitNanos(wrapped));
    }

    @Test
    void aNewRateKeepsTheNextSlotAndSpacesTheOnesAfterIt() {
        FakeTicker t = new FakeTicker();
        Pacer p = new Pacer(t, 1000);
        long now = t.read();
        for (int i = 0; i < 10; i++) {
            assertTrue(p.take(now, 10 * MS));
        }
        assertEquals(10 * MS, p.waitNanos(now), "ten slots of 1 ms taken ahead");
        p.rate(100);
        assertEquals(10 * MS, send(p, now), "the next slot keeps its time");
        assertEquals(20 * MS, p.waitNanos(now), "then 10 ms apart");
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
    }
}
