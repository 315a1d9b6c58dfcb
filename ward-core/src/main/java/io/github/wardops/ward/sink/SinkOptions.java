package io.github.wardops.ward.sink;

import io.github.wardops.ward.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the engine feeds one sink: its queue capacity and its batches.
 *
 * @param queueCapacity the most results waiting for this sink (1-16,777,216); more are dropped
 *     and counted
 * @param maxBatchSize the most results in one {@link ResultSink#write} call
 * @param maxLinger the longest a result waits for its batch to fill
 *
 * <p>Immutable and thread-safe; {@code maxLinger} is never {@code null}.
 */
public record SinkOptions(int queueCapacity, int maxBatchSize, Duration maxLinger) {

    /**
     * Validates, reporting every problem at once.
     */
    public SinkOptions {
        List<String> p = new ArrayList<>();
        if (queueCapacity < 1 || queueCapacity > 16_777_216) {
            p.add("queueCapacity = " + queueCapacity + ": must be 1-16777216");
        }
        if (maxBatchSize < 1 || maxBatchSize > 1_000_000) {
            p.add("maxBatchSize = " + maxBatchSize + ": must be 1-1000000");
        }
        if (maxLinger == null || maxLinger.isNegative() || maxLinger.compareTo(Duration.ofMinutes(1)) > 0) {
            p.add("maxLinger = " + maxLinger + ": must be 0-60 s");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("SinkOptions", p);
        }
    }

    /**
     * The defaults: 65,536 queued results, batches of up to 1,000, 200 ms linger.
     *
     * @return the options
     */
    public static SinkOptions defaults() {
        return new SinkOptions(65_536, 1_000, Duration.ofMillis(200));
    }
}
