package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpSocketMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The prober's two sockets, one per address family, opened in the configured network namespace
 * by trying the configured socket modes in order.
 *
 * <p>IPv4 is required: when no mode works, {@link #open} fails with a message that says who the
 * process is, what each attempt returned and the two ways to fix it. IPv6 is optional: without a
 * socket its devices are UNKNOWN, for the reason {@link #v6Problem()} gives.
 */
final class IcmpSockets implements AutoCloseable {
    private final IcmpSocket v4;
    private final IcmpSocket v6;
    private final String v6Problem;

    IcmpSockets(IcmpSocket v4, IcmpSocket v6, String v6Problem) {
        this.v4 = v4;
        this.v6 = v6;
        this.v6Problem = v6Problem;
    }

    /**
     * Opens the sockets the options ask for.
     *
     * @throws WardException when this platform has no ICMP sockets for ward, the namespace cannot
     *     be joined, or no IPv4 socket can be opened
     */
    static IcmpSockets open(IcmpOptions options) {
        if (!Libc.supported()) {
            throw new WardException("ward's ICMP prober needs Linux on x86_64 or aarch64; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        List<IcmpSocketMode> ladder = switch (options.socketMode()) {
            case AUTO -> List.of(IcmpSocketMode.DATAGRAM, IcmpSocketMode.RAW);
            case DATAGRAM -> List.of(IcmpSocketMode.DATAGRAM);
            case RAW -> List.of(IcmpSocketMode.RAW);
        };
        List<IcmpSocket.Attempt> a4 = new ArrayList<>();
        List<IcmpSocket.Attempt> a6 = new ArrayList<>();
        IcmpSocket[] opened = new IcmpSocket[2];
        String[] range = new String[1];
        NetworkNamespace.run(options.networkNamespace().orElse(null), () -> {
            opened[0] = IcmpSocket.open(false, ladder, options.receiveBufferBytes(), a4);
            opened[1] = IcmpSocket.open(true, ladder, options.receiveBufferBytes(), a6);
            range[0] = readPingGroupRange();
        });
        IcmpSocket s4 = opened[0];
        IcmpSocket s6 = opened[1];
        if (s4 == null) {
            if (s6 != null) {
                s6.close();
            }
            throw new WardException(noSocketMessage(a4, range[0], options));
        }
        return new IcmpSockets(s4, s6, s6 == null ? "no ICMPv6 socket could be opened (" + a6 + ")" : null);
    }

    /**
     * What to tell a user whose process may open no ICMP socket: who it runs as, what each
     * attempt returned, and how to fix it.
     */
    static String noSocketMessage(List<IcmpSocket.Attempt> attempts, String range, IcmpOptions options) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder("ward cannot open an ICMP socket (uid ")
                .append(Libc.getuid()).append(", gid ").append(Libc.getgid())
                .append(", net.ipv4.ping_group_range = \"").append(range).append("\", socket mode ")
                .append(options.socketMode()).append("):");
        for (IcmpSocket.Attempt a : attempts) {
            sb.append(nl).append("  - ").append(a);
        }
        sb.append(nl).append("Fix one of:")
                .append(nl).append("  - allow unprivileged ICMP datagram sockets for the process's group: ")
                .append("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (persist it in /etc/sysctl.d/)")
                .append(nl).append("  - give the process CAP_NET_RAW for raw sockets: AmbientCapabilities=CAP_NET_RAW in its systemd unit, ")
                .append("or setcap cap_net_raw+ep on the java binary");
        return sb.toString();
    }

    private static String readPingGroupRange() {
        // sysctl files must be read in one read() from offset 0: a second read returns EOF.
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ping_group_range"))) {
            byte[] buf = new byte[256];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).strip().replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        }
    }

    IcmpSocket v4() {
        return v4;
    }

    /** The IPv6 socket, or {@code null} when none could be opened. */
    IcmpSocket v6() {
        return v6;
    }

    /** The socket for an address family, or {@code null} when there is none. */
    IcmpSocket forFamily(boolean isV6) {
        return isV6 ? v6 : v4;
    }

    /** Why there is no IPv6 socket, or {@code null} when there is one. */
    String v6Problem() {
        return v6Problem;
    }

    /** The sockets the receiver polls: IPv4 first. */
    IcmpSocket[] all() {
        return v6 == null ? new IcmpSocket[] {v4} : new IcmpSocket[] {v4, v6};
    }

    @Override
    public void close() {
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }
}
