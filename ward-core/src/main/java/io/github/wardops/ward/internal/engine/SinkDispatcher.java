package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sink from its own bounded queue on its own thread. Offering never blocks: a full
 * queue drops the result and counts it. A sink that throws is counted and logged at most once a
 * minute; one that hangs only fills its own queue.
 */
final class SinkDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDispatcher.class);
    private static final LogLimiter LOG_LIMIT = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    private final ResultSink sink;
    private final String name;
    private final SinkOptions options;
    private final ArrayBlockingQueue<ProbeResult> queue;
    private final Counter dropped;
    private final Counter droppedAtClose;
    private final Counter written;
    private final Counter failures;
    private final Timer writeTime;
    private volatile boolean closing;
    private final Thread thread;

    SinkDispatcher(ResultSink sink, SinkOptions options, MeterRegistry registry, int index) {
        this.sink = sink;
        String n;
        try {
            n = sink.name();
        } catch (RuntimeException e) {
            n = "sink";
        }
        this.name = n == null || n.isBlank() ? "sink-" + index : n;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.dropped = Counter.builder("ward.sink.dropped").tag("sink", name).tag("reason", "queue_full")
                .description("Results dropped because the sink's queue was full").register(registry);
        this.droppedAtClose = Counter.builder("ward.sink.dropped").tag("sink", name).tag("reason", "shutdown")
                .description("Results dropped because the sink did not drain before the drain timeout").register(registry);
        this.written = Counter.builder("ward.sink.written").tag("sink", name)
                .description("Results handed to the sink in batches that it accepted").register(registry);
        this.failures = Counter.builder("ward.sink.failures").tag("sink", name)
                .description("Batches the sink threw on").register(registry);
        this.writeTime = Timer.builder("ward.sink.write").tag("sink", name)
                .description("Time the sink took to write one batch").register(registry);
        Gauge.builder("ward.sink.queue.depth", queue, ArrayBlockingQueue::size).tag("sink", name)
                .description("Results waiting for the sink").register(registry);
        this.thread = Thread.ofPlatform().name("ward-sink-" + name).daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    /** Never blocks. */
    void offer(ProbeResult r) {
        if (closing || !queue.offer(r)) {
            dropped.increment();
        }
    }

    int depth() {
        return queue.size();
    }

    private void loop() {
        List<ProbeResult> batch = new ArrayList<>(Math.min(options.maxBatchSize(), 4096));
        long lingerNanos = options.maxLinger().toNanos();
        try {
            while (!closing || !queue.isEmpty()) {
                ProbeResult first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < options.maxBatchSize()) {
                    queue.drainTo(batch, options.maxBatchSize() - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= options.maxBatchSize() || left <= 0 || closing) {
                        break;
                    }
                    ProbeResult more = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (more == null) {
                        break;
                    }
                    batch.add(more);
                }
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<ProbeResult> batch) {
        long t0 = System.nanoTime();
        try {
            sink.write(java.util.Collections.unmodifiableList(batch));
            written.increment(batch.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.increment();
        } catch (Throwable e) {
            failures.increment();
            if (e instanceof Error) {
                Guard.fatal("sink '" + name + "'", e);
            }
            if (LOG_LIMIT.allow(name)) {
                LOG.warn("sink '{}' failed to write a batch of {} results ({}: {}); results go on to it; "
                        + "this message repeats at most once a minute", name, batch.size(), e.getClass().getName(), e.getMessage());
            }
        } finally {
            writeTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops accepting results and waits until the queue is drained or the deadline passes. */
    void close(long deadlineNanos) {
        closing = true;
        long left = deadlineNanos - System.nanoTime();
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.max(left, 0))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            int lost = queue.size();
            queue.clear();
            droppedAtClose.increment(lost);
            thread.interrupt();
            LOG.warn("sink '{}' did not drain before the drain timeout; {} results were dropped", name, lost);
        }
    }
}
