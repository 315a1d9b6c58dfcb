package io.github.wardops.ward.testing;

/**
 * A private nftables table for one test class: loopback sub-ranges whose echoes are dropped
 * (silent hosts) or rejected (unreachable hosts). Rules sit on the input hook, so the request is
 * sent normally and only the answer is suppressed; dropping on output would make sendto fail
 * with EPERM instead ({@link #custom} installs such rules, for the tests of that). Removed by
 * {@link #close()}; a table left by a killed test JVM is removed by the next installation.
 */
public final class Netfilter implements AutoCloseable {
    /** Echo requests to this range are dropped: the hosts never answer. */
    public static final String SILENT_V4 = "127.248.0.0/14";
    /** Echo requests and TCP SYNs to this range are answered by ICMP host-unreachable. */
    public static final String UNREACHABLE_V4 = "127.252.0.0/16";
    /** TCP SYNs to this range are dropped: connects time out. */
    public static final String TCP_SILENT_V4 = "127.253.0.0/16";

    private final String table;
    private final String[] prefix;

    private Netfilter(String table, String[] prefix) {
        this.table = table;
        this.prefix = prefix;
    }

    /** Installs the rules in the current network namespace. */
    public static Netfilter install() {
        return install(null);
    }

    /** Installs the rules in a named network namespace, or the current one when {@code null}. */
    public static Netfilter install(String netns) {
        Host.require("nft");
        reapStale();
        String table = "ward_test_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        String[] prefix = netns == null ? new String[0] : new String[] {"ip", "netns", "exec", netns};
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
                """.formatted(table, SILENT_V4, UNREACHABLE_V4, UNREACHABLE_V4, TCP_SILENT_V4);
        Host.run(script, concat(prefix, "nft", "-f", "-"));
        return new Netfilter(table, prefix);
    }

    /**
     * Installs a table of the caller's own chains under a fresh unique name, in a named network
     * namespace or the current one when {@code netns} is {@code null}. Close it in a
     * try-with-resources so the table goes even when the test fails.
     *
     * @param chains the body of {@code table inet NAME { ... }}: one or more chains with their rules
     */
    public static Netfilter custom(String netns, String chains) {
        Host.require("nft");
        reapStale();
        String table = "ward_test_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        String[] prefix = netns == null ? new String[0] : new String[] {"ip", "netns", "exec", netns};
        Host.run("table inet " + table + " {\n" + chains + "\n}\n", concat(prefix, "nft", "-f", "-"));
        return new Netfilter(table, prefix);
    }

    /**
     * Deletes the ward tables ({@code ward_<kind>_<pid>_<hex>}) of processes that are gone: a test
     * JVM killed before {@link #close()} leaves its table behind, still dropping echoes to the
     * addresses the next run uses.
     */
    public static void reapStale() {
        Host.Result tables = Host.exec(null, "nft", "list", "tables");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^table inet (ward_[a-z]+_(\\d+)_[0-9a-f]+)\\s*$")
                .matcher(tables.out());
        while (tables.exit() == 0 && m.find()) {
            if (ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                Host.exec(null, "nft", "delete", "table", "inet", m.group(1));
            }
        }
    }

    /** The table's name, unique to this installation. */
    public String table() {
        return table;
    }

    @Override
    public void close() {
        Host.exec(null, concat(prefix, "nft", "delete", "table", "inet", table));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
