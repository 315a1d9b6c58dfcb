package io.github.wardops.ward.runner.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Which local user holds the other end of a loopback TCP connection, as {@code identd} and
 * {@code ss -p} tell it: the kernel lists every TCP socket of this network namespace with its
 * owner's uid in {@code /proc/net/tcp} and {@code /proc/net/tcp6}, so the client's socket (local
 * address = the connection's remote address) names the uid. Used to keep the HTTP API of a runner
 * without a token for its own user: another local user on the same host gets 403.
 *
 * <p>Unknown (empty) when the client's socket is not listed any more (it closed), or the tables
 * cannot be read; callers treat unknown as "another user". Thread-safe; stateless.
 */
public final class LoopbackPeer {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    /** The longest table read, in lines: a host with more sockets than this is not searched further. */
    static final int MAX_LINES = 1_000_000;
    /** ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT: states in which the client's socket can still be held. */
    private static final java.util.Set<String> LIVE_STATES = java.util.Set.of("01", "04", "05", "08");

    private LoopbackPeer() {
    }

    /**
     * The uid owning the client's end of a loopback connection.
     *
     * @param client the connection's remote address, as the server sees it
     * @param server the connection's local address, as the server sees it
     * @return the uid, or empty when unknown
     */
    public static OptionalInt uid(InetSocketAddress client, InetSocketAddress server) {
        if (!client.getAddress().isLoopbackAddress()) {
            return OptionalInt.empty();
        }
        for (Path table : new Path[] {TCP, TCP6}) {
            OptionalInt u = search(table, client, server);
            if (u.isPresent()) {
                return u;
            }
        }
        return OptionalInt.empty();
    }

    static OptionalInt search(Path table, InetSocketAddress client, InetSocketAddress server) {
        // Only lines holding the client's port (upper-case hex after a colon) are parsed: the table
        // has a line per socket of the host, and most are not this one.
        String port = String.format(":%04X ", client.getPort());
        try (BufferedReader r = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
            r.readLine(); // the header
            String line;
            for (int n = 0; n < MAX_LINES && (line = r.readLine()) != null; n++) {
                if (!line.contains(port)) {
                    continue;
                }
                OptionalInt u = match(line, client, server);
                if (u.isPresent()) {
                    return u;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such table (IPv6 off), or a line we do not understand: unknown
        }
        return OptionalInt.empty();
    }

    /** The uid of one table line when its local end is the client and its remote end the server. */
    static OptionalInt match(String line, InetSocketAddress client, InetSocketAddress server) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
            return OptionalInt.empty();
        }
        // Only a socket a process still holds tells its owner: once the client closed and the
        // kernel keeps an orphan (FIN_WAIT, TIME_WAIT), the line shows inode 0 and uid 0, which
        // would pass for root. A client that closed is nobody we know.
        if (f[9].equals("0") || !LIVE_STATES.contains(f[3])) {
            return OptionalInt.empty();
        }
        InetSocketAddress local = parse(f[1]);
        InetSocketAddress remote = parse(f[2]);
        if (local == null || remote == null || !same(local, client) || !same(remote, server)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(f[7]));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean same(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort() && unmapped(a.getAddress()).equals(unmapped(b.getAddress()));
    }

    /** {@code ::ffff:127.0.0.1} as {@code 127.0.0.1}. */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    /** {@code 0100007F:1F90}: the address as host-order 32-bit words in hex, the port in hex. */
    static InetSocketAddress parse(String field) {
        int colon = field.indexOf(':');
        if (colon != 8 && colon != 32) {
            return null;
        }
        String hex = field.substring(0, colon);
        ByteBuffer out = ByteBuffer.allocate(hex.length() / 2);
        for (int w = 0; w < hex.length(); w += 8) {
            int word = (int) Long.parseLong(hex.substring(w, w + 8), 16);
            out.put(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(word).array());
        }
        try {
            InetAddress a = InetAddress.getByAddress(out.array());
            if (!(a instanceof Inet4Address) && !(a instanceof Inet6Address)) {
                return null;
            }
            return new InetSocketAddress(a, Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
