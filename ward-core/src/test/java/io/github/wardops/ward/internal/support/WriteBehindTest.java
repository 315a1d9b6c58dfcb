package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.internal.support.WriteBehind.DropReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteBehindTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final Recorder rec = new Recorder();
    final List<WriteBehind<?, ?>> opened = new ArrayList<>();

    /** Everything the listener heard. */
    static final class Recorder implements WriteBehind.Listener<String> {
        final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        final List<List<String>> written = new CopyOnWriteArrayList<>();
        final List<Long> retryIn = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void dropped(DropReason reason, long units) {
            drops.merge(reason, units, Long::sum);
        }

        synchronized long drops(DropReason reason) {
            return drops.getOrDefault(reason, 0L);
        }

        @Override
        public void written(List<String> batch, long units, long nanos) {
            written.add(List.copyOf(batch));
        }

        @Override
        public void failed(List<String> batch, Throwable error, int attempt, long retryInNanos, long nanos) {
            errors.add(error);
            retryIn.add(retryInNanos);
        }

        List<String> all() {
            List<String> out = new ArrayList<>();
            written.forEach(out::addAll);
            return out;
        }
    }

    @AfterEach
    void closeAll() {
        opened.forEach(w -> w.close(Duration.ofSeconds(1)));
    }

    WriteBehind.Builder<String, String> builder(WriteBehind.BatchWriter<String> writer) {
        return WriteBehind.<String, String>builder("test-write-behind", writer).listener(rec).ticker(now::get);
    }

    <W extends WriteBehind<?, ?>> W track(W w) {
        opened.add(w);
        return w;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void fifoWritesInOfferOrderInBatchesOfAtMostTheBatchSize() throws Exception {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        var w = track(builder(b -> seen.add(List.copyOf(b))).capacity(100).batching(3, Duration.ZERO).start());
        List<String> offered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            offered.add("v" + i);
            assertTrue(w.offer("v" + i));
        }
        assertTrue(w.flush(Duration.ofSeconds(10)));
        List<String> all = new ArrayList<>();
        seen.forEach(b -> {
            assertTrue(b.size() <= 3, "batch " + b);
            all.addAll(b);
        });
        assertEquals(offered, all);
        assertEquals(0, w.pending());
    }

    @Test
    void lingerWaitsForTheBatchToFillAndEndsOnTheTicker() throws Exception {
        var w = track(builder(b -> { }).capacity(100).batching(10, Duration.ofSeconds(1)).start());
        for (int i = 0; i < 10; i++) {
            w.offer("a" + i);
        }
        await(() -> rec.written.size() == 1, "the full batch");
        assertEquals(10, rec.written.get(0).size(), "the fake ticker did not move, so only a full batch ends the linger");
        w.offer("b0");
        w.offer("b1");
        assertEquals(1, rec.written.size());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        await(() -> rec.written.size() == 2, "the lingered batch");
        assertEquals(List.of("b0", "b1"), rec.written.get(1));
    }

    @Test
    void flushCutsTheLingerShort() throws Exception {
        var w = track(builder(b -> { }).batching(10, Duration.ofHours(1)).start());
        w.offer("x");
        assertTrue(w.flush(Duration.ofSeconds(10)), "written without the fake ticker moving");
        assertEquals(List.of("x"), rec.all());
    }

    @Test
    void coalescingReplacesTheQueuedValueInPlaceWithoutGrowing() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        var w = builder(b -> seen.add(List.copyOf(b))).capacity(2).batching(10, Duration.ZERO)
                .coalescing(v -> v.substring(0, 1)).buildWithoutThread();
        assertTrue(w.offer("a1"));
        assertTrue(w.offer("b1"));
        assertTrue(w.offer("a2"), "a known key is replaced even at capacity");
        assertEquals(2, w.queued());
        assertFalse(w.offer("c1"), "a new key does not fit");
        assertEquals(1, rec.drops(DropReason.QUEUE_FULL));
        w.drainNow();
        assertEquals(List.of(List.of("a2", "b1")), seen, "a2 kept a1's place, before b1");
    }

    @Test
    void coalescingMergesOlderAndNewer() throws Exception {
        List<String> seen = new ArrayList<>();
        var w = builder(seen::addAll).coalescing(v -> v.substring(0, 1), (older, newer) -> older + "+" + newer)
                .batching(10, Duration.ZERO).buildWithoutThread();
        w.offer("a1");
        w.offer("a2");
        w.drainNow();
        assertEquals(List.of("a1+a2"), seen);
    }

    @Test
    void theBoundDropsAndCountsWhatDoesNotFit() {
        var w = builder(b -> { }).capacity(3).buildWithoutThread();
        for (int i = 0; i < 5; i++) {
            w.offer("v" + i);
        }
        assertEquals(3, w.queued());
        assertEquals(2, rec.drops(DropReason.QUEUE_FULL));
    }

    @Test
    void aWeigherBoundsUnitsNotValues() {
        var w = builder(b -> { }).capacity(5).weigher(String::length).buildWithoutThread();
        assertTrue(w.offer("aaa"));
        assertFalse(w.offer("bbb"));
        assertTrue(w.offer("cc"));
        assertEquals(5, w.queued());
        assertEquals(3, rec.drops(DropReason.QUEUE_FULL), "counted in units");
    }

    @Test
    void aFailedBatchGoesBackToTheHeadAndNewerValuesAreMergedOverIt() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        List<String> seen = new ArrayList<>();
        WriteBehind.BatchWriter<String> writer = b -> {
            if (fail.get()) {
                throw new IOException("away");
            }
            seen.addAll(b);
        };
        var fifo = builder(writer).batching(10, Duration.ZERO).buildWithoutThread();
        fifo.offer("1");
        fifo.offer("2");
        assertThrows(IOException.class, fifo::drainNow);
        assertEquals(2, fifo.pending(), "put back, not lost");
        fifo.offer("3");
        fail.set(false);
        fifo.drainNow();
        assertEquals(List.of("1", "2", "3"), seen);

        seen.clear();
        fail.set(true);
        var keyed = WriteBehind.<String, String>builder("keyed", writer).listener(rec).batching(10, Duration.ZERO)
                .coalescing(v -> v.substring(0, 1), (older, newer) -> older + "+" + newer).buildWithoutThread();
        keyed.offer("a1");
        keyed.offer("b1");
        assertThrows(IOException.class, keyed::drainNow);
        keyed.offer("c1");
        keyed.offer("b2");
        fail.set(false);
        keyed.drainNow();
        assertEquals(List.of("a1", "b1+b2", "c1"), seen, "the failed batch first, merged with what came since");
        assertEquals(0, rec.drops(DropReason.QUEUE_FULL));
    }

    @Test
    void whatNoLongerFitsWhenAFailedBatchIsPutBackIsCounted() throws Exception {
        @SuppressWarnings("unchecked")
        WriteBehind<String, String>[] self = new WriteBehind[1];
        AtomicBoolean first = new AtomicBoolean(true);
        self[0] = builder(b -> {
            if (first.getAndSet(false)) {
                // the batch is out of the queue while it is written: room for two more meanwhile
                self[0].offer("x");
                self[0].offer("y");
            }
            throw new IOException("away");
        }).capacity(3).batching(3, Duration.ZERO).buildWithoutThread();
        self[0].offer("1");
        self[0].offer("2");
        self[0].offer("3");
        assertThrows(IOException.class, self[0]::drainNow);
        assertEquals(3, self[0].queued(), "never over the bound");
        assertEquals(2, rec.drops(DropReason.QUEUE_FULL), "1 and 2 no longer fitted back");
    }

    @Test
    void retriesWithDoublingBackoffThenGivesUpAndCounts() throws Exception {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        var w = track(builder(b -> {
            attemptsAt.add(now.get());
            throw new IOException("away");
        }).retry(4, Duration.ofMillis(100), Duration.ofMillis(300)).start());
        w.offer("v");
        for (int failed = 1; failed < 4; failed++) {
            int f = failed;
            await(() -> rec.retryIn.size() == f, "failure " + f);
            long backoff = rec.retryIn.get(f - 1);
            now.addAndGet(backoff / 2);
            now.addAndGet(backoff - backoff / 2);
        }
        await(() -> rec.drops(DropReason.GAVE_UP) == 1, "giving up");
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(List.of(100 * ms, 200 * ms, 300 * ms, -1L), rec.retryIn, "doubling, capped, then given up");
        assertEquals(4, attemptsAt.size());
        for (int i = 1; i < 4; i++) {
            assertTrue(attemptsAt.get(i) - attemptsAt.get(i - 1) >= rec.retryIn.get(i - 1),
                    "attempt " + (i + 1) + " waited for its backoff: " + attemptsAt);
        }
        await(() -> w.pending() == 0, "nothing pending once given up");
        assertTrue(w.offer("next"), "the worker goes on after giving up");
    }

    @Test
    void aSucceedingRetryWritesTheBatchOnce() throws Exception {
        AtomicLong calls = new AtomicLong();
        var w = track(builder(b -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("once");
            }
        }).retry(3, Duration.ofMillis(10), Duration.ofMillis(10)).start());
        w.offer("v");
        await(() -> rec.retryIn.size() == 1, "the failure");
        now.addAndGet(Duration.ofMillis(10).toNanos());
        assertTrue(w.flush(Duration.ofSeconds(10)));
        assertEquals(List.of(List.of("v")), rec.written);
        assertEquals(0, rec.drops(DropReason.GAVE_UP));
    }

    @Test
    void offersAfterCloseAreCountedAsClosed() {
        var w = builder(b -> { }).start();
        w.close(Duration.ofSeconds(1));
        assertFalse(w.offer("late"));
        assertEquals(1, rec.drops(DropReason.CLOSED));
        assertTrue(w.isClosed());
        assertEquals(0, w.close(Duration.ofSeconds(1)), "idempotent");
    }

    @Test
    void closeDrainsWhatIsQueued() {
        var w = builder(b -> { }).capacity(1_000).batching(7, Duration.ofHours(1)).start();
        for (int i = 0; i < 500; i++) {
            w.offer("v" + i);
        }
        assertEquals(0, w.close(Duration.ofSeconds(10)));
        assertEquals(500, rec.all().size(), "close cuts the linger and drains");
        assertEquals(0, rec.drops(DropReason.SHUTDOWN));
    }

    @Test
    void whatCannotBeWrittenBeforeTheCloseTimeoutIsCountedAsShutdown() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        var w = builder(b -> {
            entered.countDown();
            stuck.await();
        }).start();
        w.offer("in-flight");
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        w.offer("q1");
        w.offer("q2");
        long lost = w.close(Duration.ofMillis(50));
        // The worker was interrupted out of the writer: its batch is counted too.
        assertEquals(3, lost);
        assertEquals(3, rec.drops(DropReason.SHUTDOWN));
        assertEquals(0, w.pending());
    }

    @Test
    void aRetryThatWouldEndAfterTheCloseDeadlineIsNotWaitedFor() throws Exception {
        var w = builder(b -> {
            throw new IOException("away");
        }).retry(10, Duration.ofHours(1), Duration.ofHours(1)).start();
        w.offer("v");
        await(() -> rec.retryIn.size() == 1, "first failure");
        long lost = w.close(Duration.ofSeconds(10));
        assertEquals(1, rec.drops(DropReason.SHUTDOWN), "one more attempt at close, then dropped");
        assertEquals(2, rec.errors.size());
        assertEquals(1, lost, "what the worker dropped is part of close's count");
    }

    @Test
    void anErrorIsNotRetriedReachesTheUncaughtExceptionHandlerAndTheWorkerGoesOn() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            StackOverflowError boom = new StackOverflowError("test");
            AtomicLong calls = new AtomicLong();
            var w = track(builder(b -> {
                if (calls.incrementAndGet() == 1) {
                    throw boom;
                }
            }).retry(5, Duration.ZERO, Duration.ZERO).start());
            w.offer("first");
            await(() -> rec.drops(DropReason.GAVE_UP) == 1, "the batch given up");
            assertEquals(List.of(-1L), rec.retryIn, "never retried");
            await(() -> reported.size() == 1, "the handler");
            assertSame(boom, reported.get(0));
            w.offer("second");
            assertTrue(w.flush(Duration.ofSeconds(10)));
            assertEquals(List.of("second"), rec.all());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void stopWorkerLeavesTheQueueForTheCallerToDrain() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean fail = new AtomicBoolean(true);
        var w = builder(b -> {
            if (fail.get()) {
                throw new IOException("away");
            }
            seen.addAll(b);
        }).retry(Integer.MAX_VALUE, Duration.ofHours(1), Duration.ofHours(1)).start();
        w.offer("a");
        await(() -> rec.retryIn.size() == 1, "first failure");
        w.stopWorker(Duration.ofSeconds(10));
        assertFalse(w.offer("late"));
        assertEquals(1, rec.drops(DropReason.CLOSED));
        assertEquals(1, w.pending(), "nothing dropped by stopping");
        fail.set(false);
        w.drainNow();
        assertEquals(List.of("a"), seen);
        assertEquals(0, w.close(Duration.ZERO));
    }

    @Test
    void queuesThatShareAWriteLockNeverWriteAtTheSameTime() throws Exception {
        java.util.concurrent.locks.ReentrantLock shared = new java.util.concurrent.locks.ReentrantLock();
        CountDownLatch inA = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        // the system ticker: flush's timeout below is real time
        var a = track(WriteBehind.<String, String>builder("a", x -> {
            inA.countDown();
            releaseA.await();
            order.add("a");
        }).writeLock(shared).start());
        var b = track(WriteBehind.<String, String>builder("b", x -> order.add("b")).writeLock(shared).start());
        a.offer("1");
        assertTrue(inA.await(10, TimeUnit.SECONDS));
        b.offer("2");
        assertFalse(b.flush(Duration.ofMillis(100)), "b waits while a writes");
        releaseA.countDown();
        assertTrue(b.flush(Duration.ofSeconds(10)));
        assertEquals(List.of("a", "b"), order);
    }

    @Test
    void storageGrowsWithUseNotWithTheCapacity() {
        // A capacity of a billion would need gigabytes if it were allocated up front.
        var w = builder(b -> { }).capacity(1_000_000_000).buildWithoutThread();
        assertTrue(w.offer("one"));
        assertEquals(1, w.queued());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> builder(b -> { }).capacity(0));
        assertThrows(IllegalArgumentException.class, () -> builder(b -> { }).batching(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder(b -> { }).batching(1, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder(b -> { }).retry(0, Duration.ZERO, Duration.ZERO));
    }
}
