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
    /** Something else went wrong on the way (a filtered packet, an admin prohibition). */
    OTHER
}
