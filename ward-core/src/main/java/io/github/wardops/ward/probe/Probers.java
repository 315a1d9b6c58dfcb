package io.github.wardops.ward.probe;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.icmp.IcmpEchoProber;
import io.github.wardops.ward.internal.tcp.TcpConnectProber;

/**
 * Factories of the built-in probers.
 *
 * <p>Stateless and thread-safe; arguments must not be {@code null}. What it returns documents its own contract.
 */
public final class Probers {
    private Probers() {
    }

    /**
     * An ICMP echo prober. Its sockets are opened now, so a machine that allows no ICMP socket
     * fails here, with a message that says why and how to fix it.
     *
     * @param options the options
     * @return the prober; the caller closes it
     * @throws io.github.wardops.ward.WardException when no ICMP socket can be opened
     */
    public static IcmpProber icmp(IcmpOptions options) {
        return IcmpEchoProber.open(options);
    }

    /**
     * An ICMP echo prober whose reply timeouts, send pacing and (where the kernel gives no
     * receive timestamp) round trips are measured on {@code ticker} instead of the system's: a
     * test can hold a silent host's echoes outstanding until it advances a fake ticker.
     *
     * @param options the options
     * @param ticker the ticker; {@link Ticker#system()} is what {@link #icmp(IcmpOptions)} uses
     * @return the prober; the caller closes it
     * @throws io.github.wardops.ward.WardException when no ICMP socket can be opened
     */
    public static IcmpProber icmp(IcmpOptions options, Ticker ticker) {
        return IcmpEchoProber.open(options, ticker);
    }

    /**
     * A TCP connect prober: connects to a port and reports the connect time; refused, timed out
     * and unreachable are told apart.
     *
     * @return the prober
     */
    public static Prober tcp() {
        return new TcpConnectProber();
    }
}
