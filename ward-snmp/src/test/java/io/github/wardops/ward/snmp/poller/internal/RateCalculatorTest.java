package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateCalculatorTest {
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final long MAX32 = 0xFFFF_FFFFL;
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger overSpeed = new AtomicInteger();
    private final RateCalculator.Drops drops = new RateCalculator.Drops() {
        @Override
        public void reset() {
            resets.incrementAndGet();
        }

        @Override
        public void overSpeed() {
            overSpeed.incrementAndGet();
        }
    };

    private static CounterSample sample(long seconds, long upTicks, long octets, boolean hc) {
        return sample(seconds, upTicks, -1, octets, hc);
    }

    private static CounterSample sample(long seconds, long upTicks, long disc, long octets, boolean hc) {
        return new CounterSample(T0.plusSeconds(seconds), upTicks, disc,
                new InterfaceCounters(octets, octets, octets / 100, octets / 100, 0L, 0L, 0L, 0L, hc));
    }

    @Test
    void ratesFromTwoSamples() {
        InterfaceRates r = RateCalculator.rates(sample(0, 100, 1_000, true), sample(60, 6100, 7_501_000, true),
                100_000_000, drops);
        assertEquals(1_000_000.0, r.inBitsPerSecond(), 1e-6);
        assertEquals(1.0, r.inUtilizationPct(), 1e-9);
        assertEquals(1_250.0, r.inPacketsPerSecond(), 1e-6);
        assertEquals(0.0, r.inErrorsPerSecond());
    }

    @Test
    void firstSampleGivesNothing() {
        assertSame(InterfaceRates.NONE, RateCalculator.rates(null, sample(60, 1, 1, true), 1_000, drops));
    }

    @Test
    void thirtyTwoBitWrapIsCountedOnce() {
        // 10 MB/s over 60 s across the 2^32 boundary
        long before = MAX32 - 100_000_000L;
        long after = (before + 600_000_000L) & MAX32;
        CounterSample a = new CounterSample(T0, 0, -1, new InterfaceCounters(before, before, null, null, null, null,
                null, null, false));
        CounterSample b = new CounterSample(T0.plusSeconds(60), 6000, -1, new InterfaceCounters(after, after, null, null,
                null, null, null, null, false));
        InterfaceRates r = RateCalculator.rates(a, b, 1_000_000_000, drops);
        assertEquals(80_000_000.0, r.inBitsPerSecond(), 1e-3);
        assertEquals(8.0, r.inUtilizationPct(), 1e-9);
        assertEquals(0, resets.get());
    }

    @Test
    void thirtyTwoBitDropThatWouldExceedSpeedIsAResetNotAWrap() {
        // A 10 Mbit/s port cannot move ~4 GB in 60 s: the counter was reset, not wrapped.
        InterfaceRates r = RateCalculator.rates(sample(0, 0, 1_000_000, false), sample(60, 6000, 500, false),
                10_000_000, drops);
        assertTrue(Double.isNaN(r.inBitsPerSecond()));
        assertTrue(Double.isNaN(r.inUtilizationPct()));
        assertEquals(true, resets.get() > 0);
    }

    @Test
    void thirtyTwoBitDropWithUnknownSpeedIsAWrapOnlyWhenSmall() {
        InterfaceRates wrapped = RateCalculator.rates(sample(0, 0, MAX32 - 1000, false), sample(10, 1000, 1000, false),
                0, drops);
        assertEquals(2001 * 8 / 10.0, wrapped.inBitsPerSecond(), 1e-9);
        assertTrue(Double.isNaN(wrapped.inUtilizationPct()), "no utilisation without a speed");
        InterfaceRates reset = RateCalculator.rates(sample(0, 0, 1_000_000, false), sample(10, 1000, 10, false), 0, drops);
        assertTrue(Double.isNaN(reset.inBitsPerSecond()));
    }

    @Test
    void sixtyFourBitDecreaseIsAReset() {
        InterfaceRates r = RateCalculator.rates(sample(0, 0, 5_000_000, true), sample(60, 6000, 10, true), 0, drops);
        assertTrue(Double.isNaN(r.inBitsPerSecond()));
        assertEquals(true, resets.get() > 0);
    }

    @Test
    void sixtyFourBitValuesAboveTwoToThe63AreUnsigned() {
        long big = Long.MIN_VALUE + 10; // 2^63 + 10 read unsigned
        InterfaceRates r = RateCalculator.rates(sample(0, 0, big, true), sample(1, 100, big + 1000, true), 0, drops);
        assertEquals(8000.0, r.inBitsPerSecond(), 1e-9);
    }

    @Test
    void agentRestartGivesNoRates() {
        assertSame(InterfaceRates.NONE, RateCalculator.rates(sample(0, 50_000, 100, true),
                sample(60, 3_000, 200, true), 1_000_000, drops));
        assertEquals(1, resets.get());
    }

    @Test
    void discontinuityGivesNoRates() {
        assertSame(InterfaceRates.NONE, RateCalculator.rates(sample(0, 100, 0, 100, true),
                sample(60, 6100, 5000, 200, true), 1_000_000, drops));
    }

    @Test
    void switchBetween32And64BitGivesNoRates() {
        assertSame(InterfaceRates.NONE, RateCalculator.rates(sample(0, 100, 100, true), sample(60, 6100, 200, false),
                1_000_000, drops));
    }

    @Test
    void noTimeStepGivesNoRates() {
        assertSame(InterfaceRates.NONE, RateCalculator.rates(sample(60, 100, 100, true), sample(60, 100, 200, true),
                1_000_000, drops));
        assertSame(InterfaceRates.NONE, RateCalculator.rates(sample(60, 100, 100, true), sample(30, 200, 200, true),
                1_000_000, drops));
    }

    @Test
    void aboveSpeedIsDroppedWithinToleranceIsCapped() {
        // 1 Mbit/s port: 125,000 B/s is the cap
        InterfaceRates slightly = RateCalculator.rates(sample(0, 0, 0, true), sample(10, 1000, 1_290_000, true),
                1_000_000, drops);
        assertEquals(1_000_000.0, slightly.inBitsPerSecond(), 1e-9);
        assertEquals(100.0, slightly.inUtilizationPct(), 1e-9);
        InterfaceRates far = RateCalculator.rates(sample(0, 0, 0, true), sample(10, 1000, 2_000_000, true),
                1_000_000, drops);
        assertTrue(Double.isNaN(far.inBitsPerSecond()));
        assertEquals(true, overSpeed.get() > 0);
    }

    @Test
    void missingCountersGiveNoRateForThatCounterOnly() {
        CounterSample a = new CounterSample(T0, 0, -1, new InterfaceCounters(0L, null, 0L, 0L, 0L, 0L, 0L, 0L, true));
        CounterSample b = new CounterSample(T0.plusSeconds(10), 1000, -1,
                new InterfaceCounters(1000L, 1000L, 10L, 10L, 1L, 1L, 1L, 1L, true));
        InterfaceRates r = RateCalculator.rates(a, b, 0, drops);
        assertEquals(800.0, r.inBitsPerSecond(), 1e-9);
        assertTrue(Double.isNaN(r.outBitsPerSecond()));
        assertEquals(0.1, r.inErrorsPerSecond(), 1e-9);
    }

    @Test
    void ratesAreNeverNegative() {
        for (long p : new long[] {0, 1, MAX32 / 2, MAX32 - 1, MAX32}) {
            for (long c : new long[] {0, 1, MAX32 / 2, MAX32 - 1, MAX32}) {
                Double r = RateCalculator.rate(p, c, false, 1.0, 0, RateCalculator.Drops.NONE);
                if (r != null) {
                    assertEquals(true, r >= 0, p + " -> " + c);
                }
                Double r64 = RateCalculator.rate(p, c, true, 1.0, 1e6, RateCalculator.Drops.NONE);
                if (r64 != null) {
                    assertEquals(true, r64 >= 0 && r64 <= 1e6, p + " -> " + c);
                }
            }
        }
    }
}
