package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.probe.DownReason;

/**
 * What an errno the local network stack gave for an echo says about the device: the table
 * docs/icmp.md publishes. The errno comes from {@code sendto}, or from a datagram socket's error
 * queue when the kernel itself (not an ICMP message) failed the echo.
 *
 * <p>An errno that means the echo cannot reach the device (the host's packet filter refused it, no
 * route, the next hop is unreachable) is a failed probe, as {@code fping} counts it lost. An errno
 * that means ward itself is short of something (buffers, memory, a payload larger than the local
 * MTU) or misused the socket says nothing about the device: UNKNOWN. So does any errno not in
 * the table.
 */
final class EchoErrors {
    private EchoErrors() {
    }

    /**
     * The judgement of one errno.
     *
     * @param reason the reason the device is down, or {@code null} when the device was not judged
     * @param detail what happened, naming the errno, for {@code ProbeResult}'s detail
     */
    record Verdict(DownReason reason, String detail) {
        /** Whether the errno makes the probe a failed one (DOWN) rather than UNKNOWN. */
        boolean down() {
            return reason != null;
        }
    }

    /**
     * Judges the errno of an echo that could not be sent.
     *
     * @param errno the errno, or {@code -1} for an echo ward did not send because too many were
     *     outstanding
     * @param maxOutstanding the outstanding-echo limit, for the detail of {@code -1}
     */
    static Verdict judge(int errno, int maxOutstanding) {
        if (errno < 0) {
            return unknown("over the limit of " + maxOutstanding + " outstanding echoes");
        }
        String name = errnoName(errno);
        // "on send": from sendto, or from the error queue when the kernel failed the echo after
        // sendto returned; either way the echo never left this host as a usable question
        return switch (errno) {
            case EPERM, EACCES -> new Verdict(DownReason.LOCAL_FIREWALL,
                    name + " on send: this host's packet filter or policy refused the echo");
            case ENETUNREACH -> new Verdict(DownReason.NETWORK_UNREACHABLE,
                    name + " on send: no route to the network");
            case EHOSTUNREACH, EHOSTDOWN -> new Verdict(DownReason.HOST_UNREACHABLE,
                    name + " on send: the host is unreachable");
            case ECONNREFUSED -> new Verdict(DownReason.REFUSED,
                    name + " on send: an ICMP port unreachable came back");
            case EMSGSIZE -> unknown(name + " on send: the echo is larger than the local MTU");
            case ENOBUFS, ENOMEM, EAGAIN -> unknown(name + " on send: this host ran short of buffers");
            case EINTR -> unknown(name + " on send: the probe was interrupted");
            default -> unknown(name + " on send");
        };
    }

    private static Verdict unknown(String detail) {
        return new Verdict(null, "no echo could be sent: " + detail);
    }
}
