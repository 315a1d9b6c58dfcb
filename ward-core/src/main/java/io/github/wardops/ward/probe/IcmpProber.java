package io.github.wardops.ward.probe;

/**
 * The built-in ICMP echo prober, from {@link Probers#icmp(IcmpOptions)}. One socket per address
 * family serves every outstanding echo. Thread-safe.
 *
 * <p>{@link #mode()} is never {@code null}.
 */
public interface IcmpProber extends Prober {

    /**
     * The socket mode in use for IPv4: {@link IcmpSocketMode#DATAGRAM} or
     * {@link IcmpSocketMode#RAW}, never {@code AUTO}.
     *
     * @return the mode
     */
    IcmpSocketMode mode();

    /**
     * The number of echoes sent and still awaiting a reply or a timeout.
     *
     * @return the count
     */
    int outstandingEchoes();

    /**
     * Tells the prober how many echoes per second its schedule plans: a {@code Ward} calls it
     * with the sum over its enabled ICMP checks of echoes per interval, at start and whenever
     * the inventory changes. The built-in prober then paces at twice the plan (room for
     * re-checks and on-demand probes), at least {@link IcmpOptions#MIN_PLANNED_PACKETS_PER_SECOND},
     * never above {@link IcmpOptions#packetsPerSecond()}; when the plan alone exceeds that cap
     * it logs a WARN line with the numbers, since probes will queue behind the pacer and the
     * schedule will lag. The default implementation ignores the plan.
     *
     * @param echoesPerSecond the planned rate, finite and not negative
     * @throws IllegalArgumentException when the rate is negative, NaN or infinite
     */
    default void planRate(double echoesPerSecond) {
        if (!(echoesPerSecond >= 0) || Double.isInfinite(echoesPerSecond)) {
            throw new IllegalArgumentException("echoesPerSecond must be finite and not negative: " + echoesPerSecond);
        }
    }
}
