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
}
