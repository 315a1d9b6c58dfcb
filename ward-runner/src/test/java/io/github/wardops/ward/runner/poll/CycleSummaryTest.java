package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CycleSummaryTest {

    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertEquals(50.0, CycleSummary.percentile(v, 100, 0.50));
        assertEquals(95.0, CycleSummary.percentile(v, 100, 0.95));
        assertEquals(7.0, CycleSummary.percentile(new double[] {7}, 1, 0.95));
        assertTrue(Double.isNaN(CycleSummary.percentile(new double[0], 0, 0.5)));
    }

    @Test
    void lineHasEveryFigure() {
        assertEquals("875 devices: 873 up, 0 down, 2 unknown; rtt p50 0.045 ms, p95 0.090 ms; overruns 1 this cycle, 4 total",
                new CycleSummary(875, 873, 0, 0, 2, 0.045, 0.09, 4).line(1));
        assertEquals("875 devices: 872 up (3 failing), 1 down, 2 unknown; rtt p50 0.045 ms, p95 0.090 ms; overruns 1 this cycle, 4 total",
                new CycleSummary(875, 872, 3, 1, 2, 0.045, 0.09, 4).line(1), "failing devices are shown before they are confirmed");
        assertEquals("0 devices: 0 up, 0 down, 0 unknown; rtt p50 n/a, p95 n/a; overruns 0 this cycle, 0 total",
                new CycleSummary(0, 0, 0, 0, 0, Double.NaN, Double.NaN, 0).line(0));
    }

    @Test
    void overrunsSumEverySkippedCounter() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        assertEquals(0, CycleSummary.overruns(r));
        Counter.builder("ward.probes.skipped").tags("type", "icmp", "reason", "overrun").register(r).increment(3);
        Counter.builder("ward.probes.skipped").tags("type", "tcp", "reason", "overrun").register(r).increment(2);
        Counter.builder("ward.probes").tags("type", "icmp").register(r).increment(100);
        assertEquals(5, CycleSummary.overruns(r));
    }
}
