package io.github.wardops.ward.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sink dispatcher on the shared write-behind queue: its meters say what happened to every result. */
class SinkDispatcherTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    static ProbeResult result(int i) {
        return new ProbeResult.Up(DeviceId.fromKey("d" + i), "icmp", "icmp", Instant.EPOCH, Duration.ofMillis(1),
                Measurement.NONE);
    }

    double dropped(String reason) {
        return registry.counter("ward.sink.dropped", "sink", "s", "reason", reason).count();
    }

    static ResultSink sink(ResultSinkBody body) {
        return new ResultSink() {
            @Override
            public String name() {
                return "s";
            }

            @Override
            public void write(List<ProbeResult> batch) throws Exception {
                body.write(batch);
            }
        };
    }

    interface ResultSinkBody {
        void write(List<ProbeResult> batch) throws Exception;
    }

    static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out");
            Thread.sleep(2);
        }
    }

    @Test
    void aBatchTheSinkThrowsOnIsCountedAsFailedAndItsResultsAsDropped() throws Exception {
        SinkDispatcher d = new SinkDispatcher(sink(b -> {
            throw new IllegalStateException("refused");
        }), new SinkOptions(100, 10, Duration.ZERO), registry, 0);
        d.start();
        d.offer(result(1));
        await(() -> dropped("write_failed") == 1);
        assertEquals(1, registry.counter("ward.sink.failures", "sink", "s").count());
        assertEquals(0, registry.counter("ward.sink.written", "sink", "s").count());
        d.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aFullQueueAndWhatIsLeftAtCloseAreCountedUnderTheirOwnReasons() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SinkDispatcher d = new SinkDispatcher(sink(b -> {
            entered.countDown();
            release.await();
        }), new SinkOptions(2, 1, Duration.ZERO), registry, 0);
        d.start();
        d.offer(result(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        d.offer(result(1));
        d.offer(result(2));
        d.offer(result(3));
        assertEquals(1, dropped("queue_full"));
        assertEquals(2, d.depth());
        assertEquals(2.0, registry.get("ward.sink.queue.depth").gauge().value());
        d.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        // the batch in the writer was interrupted and goes with the two queued
        assertEquals(3, dropped("shutdown"));
        d.offer(result(4));
        assertEquals(2, dropped("queue_full"), "after close, counted as before");
    }

    @Test
    void resultsReachTheSinkInBatchesAndAreCountedAsWritten() throws Exception {
        List<ProbeResult> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SinkDispatcher d = new SinkDispatcher(sink(seen::addAll), new SinkOptions(100, 4, Duration.ofMillis(5)),
                registry, 0);
        d.start();
        for (int i = 0; i < 10; i++) {
            d.offer(result(i));
        }
        d.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertEquals(10, seen.size());
        assertEquals(10, registry.counter("ward.sink.written", "sink", "s").count());
        assertTrue(registry.get("ward.sink.write").timer().count() >= 3, "one timing per batch of at most 4");
    }
}
