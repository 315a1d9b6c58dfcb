package io.github.wardops.ward.probe;

import java.time.Duration;
import java.util.Map;

/**
 * The result of a TCP connect probe.
 *
 * @param port the port
 * @param connectTime the time the connection took, or {@code null} when it failed
 *
 * <p>Immutable and thread-safe.
 */
public record TcpConnect(int port, Duration connectTime) implements Measurement {
    @Override
    public Map<String, Double> values() {
        return connectTime == null
                ? Map.of("port", (double) port)
                : Map.of("port", (double) port, "connect_ms", PingStats.millis(connectTime));
    }
}
