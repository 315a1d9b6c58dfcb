package io.github.wardops.ward.sink;

import io.github.wardops.ward.probe.ProbeResult;
import java.util.List;

/**
 * Receives probe results in batches, to store or export them.
 *
 * <p>The engine never blocks probing on a sink: each sink has its own bounded queue and its own
 * thread. Results that find the queue full are dropped and counted ({@code ward.sink.dropped}).
 * {@link #write} is never called concurrently for one sink. A sink that throws is counted and
 * logged at most once a minute, and gets the next batch as usual; a sink that hangs only fills
 * its own queue.
 *
 * <p>The engine does not close sinks handed to it: they stay the caller's.
 */
@FunctionalInterface
public interface ResultSink extends AutoCloseable {

    /**
     * Writes one batch.
     *
     * @param batch the results, oldest first; never {@code null} or empty; do not keep it after
     *     returning
     * @throws Exception when the batch could not be written; the engine counts it and goes on
     */
    void write(List<ProbeResult> batch) throws Exception;

    /**
     * A name for metrics and logs (the {@code sink} tag). Defaults to the simple class name.
     *
     * @return the name
     */
    default String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "sink" : n;
    }

    /** Releases the sink's resources. The default does nothing. */
    @Override
    default void close() throws Exception {
    }
}
