package io.github.wardops.ward.simulator.net;


/**
 * Faulty hosts on loopback, for tests: sub-ranges of 127.0.0.0/8 whose echoes are dropped
 * (silent hosts) or answered with ICMP host-unreachable, and whose TCP connects time out or are
 * rejected. Made with an nftables table of its own on the input hook, removed by
 * {@link #close()}. Needs root (or CAP_NET_ADMIN) and the {@code nft} command. Traffic never
 * leaves the machine.
 *
 * <p>Not thread-safe; one instance per test class is typical.
 *
 * <p>Nothing it returns is {@code null}.
 */
public final class LoopbackFaults implements AutoCloseable {
    /** Echo requests to this range are dropped: the hosts never answer ICMP. */
    public static final String SILENT = "127.248.0.0/14";
    /** Echo requests and TCP connects to this range get ICMP host-unreachable. */
    public static final String UNREACHABLE = "127.252.0.0/16";
    /** TCP connects to this range time out. */
    public static final String TCP_SILENT = "127.253.0.0/16";

    private final String table;

    private LoopbackFaults(String table) {
        this.table = table;
    }

    /**
     * Installs the rules.
     *
     * @return the installed faults
     * @throws IllegalStateException when {@code nft} fails (not root, not installed)
     */
    public static LoopbackFaults install() {
        Nft.reapStale();
        String table = Nft.tableName("testkit");
        String script = """
                table inet %s {
                  chain in {
                    type filter hook input priority -10; policy accept;
                    ip daddr %s icmp type echo-request drop
                    ip daddr %s icmp type echo-request reject with icmp type host-unreachable
                    ip daddr %s tcp flags syn reject with icmp type host-unreachable
                    ip daddr %s tcp flags syn drop
                  }
                }
                """.formatted(table, SILENT, UNREACHABLE, UNREACHABLE, TCP_SILENT);
        Nft.run(script, "-f", "-");
        return new LoopbackFaults(table);
    }

    /**
     * An address in the silent range.
     *
     * @param i an index, 0-65,000
     * @return the address text
     */
    public static String silentHost(int i) {
        return "127.248." + (i / 250) + "." + (i % 250 + 1);
    }

    /**
     * An address in the unreachable range.
     *
     * @param i an index, 0-65,000
     * @return the address text
     */
    public static String unreachableHost(int i) {
        return "127.252." + (i / 250) + "." + (i % 250 + 1);
    }

    @Override
    public void close() {
        try {
            Nft.run(null, "delete", "table", "inet", table);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
