package io.github.wardops.ward.probe;

/**
 * Why a target was found down. Each reason is something the network said (or did not say), told
 * apart so an operator knows where to look.
 */
public enum DownReason {
    /** Nothing came back in time. */
    TIMEOUT,
    /** A router or the local stack said the host is unreachable (ICMP destination unreachable, EHOSTUNREACH). */
    HOST_UNREACHABLE,
    /** The network is unreachable (no route: ENETUNREACH, ICMP net unreachable). */
    NETWORK_UNREACHABLE,
    /** The host answered, refusing the connection (TCP RST, ICMP port unreachable). */
    REFUSED,
    /** The host answered with an error (an SNMP error status, say). */
    ERROR_RESPONSE,
    /**
     * The local host refused to send the probe: its own packet filter (an nftables or iptables
     * rule on the output path) or another local policy (a {@code prohibit} route, a security
     * module) made the send fail with EPERM or EACCES. Nothing reached the network, so the device
     * was not asked; it is down as far as this host can tell, as {@code fping} counts it lost.
     */
    LOCAL_FIREWALL,
    /** Something else went wrong on the way (a filtered packet, an admin prohibition). */
    OTHER
}
