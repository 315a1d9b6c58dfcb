package io.github.wardops.ward.examples.prober;

import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import java.time.Duration;
import java.util.Map;

/**
 * What an HTTP check measured. Immutable.
 *
 * @param status the response's status code, or 0 when no response arrived
 * @param responseTime the time until the response headers arrived, or {@code null} when none did
 */
public record HttpCheck(int status, Duration responseTime) implements Measurement {
    /** Nothing arrived. */
    static final HttpCheck NO_RESPONSE = new HttpCheck(0, null);

    @Override
    public Map<String, Double> values() {
        return responseTime == null
                ? Map.of()
                : Map.of("status", (double) status, "response_ms", PingStats.millis(responseTime));
    }
}
