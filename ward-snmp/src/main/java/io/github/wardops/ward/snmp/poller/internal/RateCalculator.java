package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import java.time.Duration;

/**
 * Computes interface rates from two samples, by the rules in {@code docs/snmp.md}:
 * <ul>
 *   <li>no previous sample, a non-positive time step, sysUpTime going backwards, a changed
 *       ifCounterDiscontinuityTime, or a change between 32- and 64-bit counters: no rates;</li>
 *   <li>a 64-bit counter that went down was reset: no rate for it;</li>
 *   <li>a 32-bit counter that went down wrapped once, if the wrapped delta is plausible (below
 *       the speed cap, or below 2^31 when the speed is unknown); otherwise it was reset: no rate;</li>
 *   <li>a rate above the speed cap by more than {@link #SPEED_TOLERANCE} is dropped; within the
 *       tolerance it is reported as the cap. Bits are capped by the speed, packets, errors and
 *       discards by the speed over a minimal 64-byte frame;</li>
 *   <li>utilisation is bits/s over the speed, 0-100, only when the speed is known.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class RateCalculator {
    /** How far above the speed a rate may be (timing jitter) before it is dropped rather than capped. */
    public static final double SPEED_TOLERANCE = 0.05;
    private static final double TWO_32 = 4294967296.0;
    private static final double MIN_FRAME_BITS = 64 * 8;

    /** Counts why rates were not given. */
    public interface Drops {
        /** A counter was reset (or a wrap was implausible). */
        void reset();

        /** A rate was above the speed cap. */
        void overSpeed();

        /** No drop counting. */
        Drops NONE = new Drops() {
            @Override
            public void reset() {
            }

            @Override
            public void overSpeed() {
            }
        };
    }

    private RateCalculator() {
    }

    /**
     * Rates between two samples of one interface.
     *
     * @param prev the previous sample, or {@code null}
     * @param cur the current sample
     * @param speedBps the interface speed in bits/s, 0 when unknown
     * @param drops where to count dropped rates
     * @return the rates; {@link InterfaceRates#NONE} when no rate can be given
     */
    public static InterfaceRates rates(CounterSample prev, CounterSample cur, long speedBps, Drops drops) {
        if (prev == null || cur == null) {
            return InterfaceRates.NONE;
        }
        double seconds = Duration.between(prev.at(), cur.at()).toNanos() / 1e9;
        if (seconds <= 0) {
            return InterfaceRates.NONE;
        }
        if (prev.upTimeTicks() >= 0 && cur.upTimeTicks() >= 0 && cur.upTimeTicks() < prev.upTimeTicks()) {
            drops.reset();
            return InterfaceRates.NONE;
        }
        if (prev.discontinuity() != cur.discontinuity()) {
            drops.reset();
            return InterfaceRates.NONE;
        }
        InterfaceCounters p = prev.counters();
        InterfaceCounters c = cur.counters();
        if (p.highCapacity() != c.highCapacity()) {
            return InterfaceRates.NONE;
        }
        boolean hc = c.highCapacity();
        double maxBps = speedBps > 0 ? speedBps : 0;
        double maxOctetsPs = maxBps / 8;
        double maxPps = speedBps > 0 ? speedBps / MIN_FRAME_BITS : 0;
        Double inOct = rate(p.inOctets(), c.inOctets(), hc, seconds, maxOctetsPs, drops);
        Double outOct = rate(p.outOctets(), c.outOctets(), hc, seconds, maxOctetsPs, drops);
        Double inBps = inOct == null ? null : inOct * 8;
        Double outBps = outOct == null ? null : outOct * 8;
        Double inPps = rate(p.inUcastPkts(), c.inUcastPkts(), hc, seconds, maxPps, drops);
        Double outPps = rate(p.outUcastPkts(), c.outUcastPkts(), hc, seconds, maxPps, drops);
        Double inErr = rate(p.inErrors(), c.inErrors(), false, seconds, maxPps, drops);
        Double outErr = rate(p.outErrors(), c.outErrors(), false, seconds, maxPps, drops);
        Double inDisc = rate(p.inDiscards(), c.inDiscards(), false, seconds, maxPps, drops);
        Double outDisc = rate(p.outDiscards(), c.outDiscards(), false, seconds, maxPps, drops);
        Double inUtil = inBps == null || speedBps <= 0 ? null : Math.min(100.0, inBps * 100.0 / speedBps);
        Double outUtil = outBps == null || speedBps <= 0 ? null : Math.min(100.0, outBps * 100.0 / speedBps);
        return new InterfaceRates(d(inBps), d(outBps), d(inPps), d(outPps), d(inErr), d(outErr), d(inDisc), d(outDisc),
                d(inUtil), d(outUtil));
    }

    private static double d(Double v) {
        return v == null ? Double.NaN : v;
    }

    /**
     * The per-second rate of one counter.
     *
     * @param prev the previous value (unsigned), or {@code null}
     * @param cur the current value (unsigned), or {@code null}
     * @param sixtyFourBit whether the counter is 64-bit (else 32-bit)
     * @param seconds the time between the samples, positive
     * @param cap the highest plausible rate, 0 when unknown
     * @param drops where to count drops
     * @return the rate, never negative, or {@code null} when none can be given
     */
    static Double rate(Long prev, Long cur, boolean sixtyFourBit, double seconds, double cap, Drops drops) {
        if (prev == null || cur == null) {
            return null;
        }
        double delta;
        boolean wrapped = false;
        if (sixtyFourBit) {
            if (Long.compareUnsigned(cur, prev) < 0) {
                drops.reset();
                return null;
            }
            delta = unsigned(cur - prev);
        } else {
            long p = prev & 0xFFFF_FFFFL;
            long c = cur & 0xFFFF_FFFFL;
            if (c >= p) {
                delta = c - p;
            } else {
                delta = c + TWO_32 - p;
                wrapped = true;
            }
        }
        double r = delta / seconds;
        if (wrapped && cap <= 0 && delta >= TWO_32 / 2) {
            drops.reset();
            return null;
        }
        if (cap > 0 && r > cap) {
            if (r > cap * (1 + SPEED_TOLERANCE)) {
                if (wrapped) {
                    drops.reset();
                } else {
                    drops.overSpeed();
                }
                return null;
            }
            r = cap;
        }
        return r;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }
}
