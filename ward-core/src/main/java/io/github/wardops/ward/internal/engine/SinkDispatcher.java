package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.internal.support.WriteBehind;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sink from its own bounded queue on its own thread (a {@link WriteBehind}). Offering
 * never blocks: a full queue drops the result and counts it. A sink that throws is counted, its
 * batch dropped and counted ({@code ward.sink.dropped{reason=write_failed}}), and logged at most
 * once a minute; one that hangs only fills its own queue.
 */
final class SinkDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDispatcher.class);
    private static final LogLimiter LOG_LIMIT = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    private final String name;
    private final Ticker ticker;
    private final WriteBehind<Void, ProbeResult> queue;

    SinkDispatcher(ResultSink sink, SinkOptions options, MeterRegistry registry, int index) {
        this(sink, options, registry, index, Ticker.system());
    }

    SinkDispatcher(ResultSink sink, SinkOptions options, MeterRegistry registry, int index, Ticker ticker) {
        String n;
        try {
            n = sink.name();
        } catch (RuntimeException e) {
            n = "sink";
        }
        this.name = n == null || n.isBlank() ? "sink-" + index : n;
        this.ticker = ticker;
        Counter dropped = Counter.builder("ward.sink.dropped").tag("sink", name).tag("reason", "queue_full")
                .description("Results dropped because the sink's queue was full").register(registry);
        Counter droppedAtClose = Counter.builder("ward.sink.dropped").tag("sink", name).tag("reason", "shutdown")
                .description("Results dropped because the sink did not drain before the drain timeout").register(registry);
        Counter droppedFailed = Counter.builder("ward.sink.dropped").tag("sink", name).tag("reason", "write_failed")
                .description("Results lost because the sink threw on the batch that held them").register(registry);
        Counter written = Counter.builder("ward.sink.written").tag("sink", name)
                .description("Results handed to the sink in batches that it accepted").register(registry);
        Counter failures = Counter.builder("ward.sink.failures").tag("sink", name)
                .description("Batches the sink threw on").register(registry);
        Timer writeTime = Timer.builder("ward.sink.write").tag("sink", name)
                .description("Time the sink took to write one batch").register(registry);
        String sinkName = name;
        this.queue = WriteBehind.<Void, ProbeResult>builder("ward-sink-" + name, sink::write)
                .label("sink '" + name + "'")
                .capacity(options.queueCapacity())
                .batching(options.maxBatchSize(), options.maxLinger())
                .ticker(ticker)
                .listener(new WriteBehind.Listener<>() {
                    @Override
                    public void dropped(WriteBehind.DropReason reason, long units) {
                        switch (reason) {
                            case QUEUE_FULL, CLOSED -> dropped.increment(units);
                            case SHUTDOWN -> droppedAtClose.increment(units);
                            case GAVE_UP -> droppedFailed.increment(units);
                        }
                    }

                    @Override
                    public void written(List<ProbeResult> batch, long units, long nanos) {
                        written.increment(units);
                        writeTime.record(nanos, TimeUnit.NANOSECONDS);
                    }

                    @Override
                    public void failed(List<ProbeResult> batch, Throwable e, int attempt, long retryIn, long nanos) {
                        failures.increment();
                        writeTime.record(nanos, TimeUnit.NANOSECONDS);
                        if (e instanceof InterruptedException) {
                            return;
                        }
                        if (LOG_LIMIT.allow(sinkName)) {
                            LOG.warn("sink '{}' failed to write a batch of {} results ({}: {}); results go on to it; "
                                    + "this message repeats at most once a minute", sinkName, batch.size(),
                                    e.getClass().getName(), e.getMessage());
                        }
                    }
                })
                .build();
        Gauge.builder("ward.sink.queue.depth", queue, WriteBehind::queued).tag("sink", name)
                .description("Results waiting for the sink").register(registry);
    }

    void start() {
        queue.start();
    }

    String name() {
        return name;
    }

    /** Never blocks. */
    void offer(ProbeResult r) {
        queue.offer(r);
    }

    int depth() {
        return (int) queue.queued();
    }

    /** Stops accepting results and waits until the queue is drained or the deadline passes. */
    void close(long deadlineNanos) {
        long lost = queue.close(Duration.ofNanos(Math.max(0, deadlineNanos - ticker.read())));
        if (lost > 0) {
            LOG.warn("sink '{}' did not drain before the drain timeout; {} results were dropped", name, lost);
        }
    }
}
