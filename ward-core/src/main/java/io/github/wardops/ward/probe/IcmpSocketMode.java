package io.github.wardops.ward.probe;

/**
 * How the ICMP prober opens its sockets.
 */
public enum IcmpSocketMode {
    /** Try {@link #DATAGRAM}, then {@link #RAW}; fail at start when neither is allowed. */
    AUTO,
    /**
     * An unprivileged ICMP datagram socket ({@code SOCK_DGRAM, IPPROTO_ICMP}), allowed where the
     * sysctl {@code net.ipv4.ping_group_range} covers the process's group. The kernel sets the
     * echo id and checksum.
     */
    DATAGRAM,
    /** A raw ICMP socket ({@code SOCK_RAW}), which needs {@code CAP_NET_RAW}. */
    RAW
}
