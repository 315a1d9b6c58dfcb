package io.github.wardops.ward.simulator.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Outages of chosen loopback hosts, for tests and {@code ward demo}: the echo requests to an
 * address in the outage set are dropped at the input hook, so the echo is sent normally and the
 * host just never answers (a silent outage, the same as a cut link), while the device keeps its
 * address. Made with an nftables table of its own holding one set of IPv4 addresses,
 * removed by {@link #close()}. Only addresses in 127.0.0.0/8 are accepted, so traffic never
 * leaves the machine. Needs root (or CAP_NET_ADMIN) and the {@code nft} command.
 *
 * <p>Thread-safe: each change is one {@code nft} command, and the kernel applies them in order.
 * No argument may be null; a null address throws {@link NullPointerException}.
 */
public final class LoopbackOutages implements AutoCloseable {
    /** The most addresses the outage set holds at once. */
    public static final int MAX_ADDRESSES = 65_536;

    private final String table;

    private LoopbackOutages(String table) {
        this.table = table;
    }

    /**
     * Installs the table with an empty outage set.
     *
     * @return the installed outages
     * @throws IllegalStateException when {@code nft} fails (not root, not installed); the
     *     message says why
     */
    public static LoopbackOutages install() {
        Nft.reapStale();
        String table = Nft.tableName("outages");
        String script = """
                table inet %s {
                  set down { type ipv4_addr; size %d; }
                  chain in {
                    type filter hook input priority -10; policy accept;
                    ip daddr @down icmp type echo-request drop
                  }
                }
                """.formatted(table, MAX_ADDRESSES);
        Nft.run(script, "-f", "-");
        return new LoopbackOutages(table);
    }

    /**
     * Starts an outage: the host stops answering echoes. Idempotent.
     *
     * @param address a loopback IPv4 address
     * @throws IllegalArgumentException when the address is not in 127.0.0.0/8
     * @throws IllegalStateException when {@code nft} fails
     */
    public void drop(InetAddress address) {
        Nft.run(null, "add", "element", "inet", table, "down", "{ " + loopback(address) + " }");
    }

    /**
     * Ends an outage: the host answers again. Idempotent.
     *
     * @param address a loopback IPv4 address
     * @throws IllegalArgumentException when the address is not in 127.0.0.0/8
     * @throws IllegalStateException when {@code nft} fails
     */
    public void restore(InetAddress address) {
        String a = loopback(address);
        try {
            Nft.run(null, "delete", "element", "inet", table, "down", "{ " + a + " }");
        } catch (IllegalStateException e) {
            // Not in the set: already restored.
            if (!e.getMessage().contains("No such file or directory") && !e.getMessage().contains("does not exist")) {
                throw e;
            }
        }
    }

    private static String loopback(InetAddress address) {
        java.util.Objects.requireNonNull(address, "address");
        if (!(address instanceof Inet4Address) || !address.isLoopbackAddress()) {
            throw new IllegalArgumentException("only IPv4 loopback addresses (127.0.0.0/8) may be taken down, not "
                    + address.getHostAddress());
        }
        return address.getHostAddress();
    }

    /** Removes the table, ending every outage. Idempotent. */
    @Override
    public void close() {
        try {
            Nft.run(null, "delete", "table", "inet", table);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
