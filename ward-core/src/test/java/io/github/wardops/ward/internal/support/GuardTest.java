package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GuardTest {
    /** Regression: a periodic task that threw once was cancelled for good by its executor, with no log line. */
    @Test
    void aPeriodicTaskThatThrowsKeepsItsSchedule() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch fiveRuns = new CountDownLatch(5);
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
        try {
            ex.scheduleWithFixedDelay(Guard.periodic("test task", LoggerFactory.getLogger(GuardTest.class), () -> {
                fiveRuns.countDown();
                if (runs.incrementAndGet() <= 3) {
                    throw new IllegalStateException("failure " + runs.get());
                }
            }), 0, 5, TimeUnit.MILLISECONDS);
            assertTrue(fiveRuns.await(10, TimeUnit.SECONDS), "ran " + runs.get() + " times");
        } finally {
            ex.shutdownNow();
        }
    }

    /** Regression: an OutOfMemoryError in the inventory reload ended that task with no log line and no exit. */
    @Test
    void anErrorInAPeriodicTaskReachesTheUncaughtExceptionHandlerAndStopsTheTask() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guard-test");
            t.setUncaughtExceptionHandler((th, e) -> reported.add(e));
            return t;
        });
        OutOfMemoryError oom = new OutOfMemoryError("injected");
        try {
            var f = ex.scheduleWithFixedDelay(Guard.periodic("test task", LoggerFactory.getLogger(GuardTest.class), () -> {
                runs.incrementAndGet();
                throw oom;
            }), 0, 5, TimeUnit.MILLISECONDS);
            var thrown = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertSame(oom, thrown.getCause());
            assertEquals(List.of(oom), reported);
            assertEquals(1, runs.get());
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void fatalHandsTheErrorToTheCurrentThreadsHandler() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        StackOverflowError soe = new StackOverflowError("injected");
        Thread t = new Thread(() -> Guard.fatal("a test", soe));
        t.setUncaughtExceptionHandler((th, e) -> reported.add(e));
        t.start();
        t.join();
        assertEquals(List.of(soe), reported);
        assertTrue(Guard.isFatal(soe));
        assertFalse(Guard.isFatal(new IllegalStateException()));
    }
}
