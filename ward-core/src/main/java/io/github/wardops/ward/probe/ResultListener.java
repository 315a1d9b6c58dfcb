package io.github.wardops.ward.probe;

/**
 * Receives every probe result as soon as it is produced, on the probing thread, before results
 * are queued for sinks. This is where fast, in-memory processing belongs (state machines, rule
 * evaluation); slow work belongs in a {@link io.github.wardops.ward.sink.ResultSink}.
 *
 * <p>Called concurrently for different (device, check) pairs and never concurrently for the same
 * pair. A listener that throws is counted and logged at most once a minute; probing goes on.
 */
@FunctionalInterface
public interface ResultListener {
    /**
     * Handles one result. Must be fast and must not block on I/O.
     *
     * @param result the result; never {@code null}
     */
    void onResult(ProbeResult result);
}
