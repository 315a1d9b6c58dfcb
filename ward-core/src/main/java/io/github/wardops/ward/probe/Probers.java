package io.github.wardops.ward.probe;

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
     * A TCP connect prober: connects to a port and reports the connect time; refused, timed out
     * and unreachable are told apart.
     *
     * @return the prober
     */
    public static Prober tcp() {
        return new TcpConnectProber();
    }
}
