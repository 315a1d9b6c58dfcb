package io.github.wardops.ward.testing;

import java.nio.file.Path;

/** A network namespace made by a test (loopback up), deleted by {@link #close()}. */
public final class NetNs implements AutoCloseable {
    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates a namespace with loopback up and the given ping_group_range. */
    public static NetNs create(String pingGroupRange) {
        Host.require("ip");
        String name = "ward-t-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
        Host.run(null, "ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("sysctl", "-q", "-w", "net.ipv4.ping_group_range=" + pingGroupRange);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's name. */
    public String name() {
        return name;
    }

    /** The namespace file, for IcmpOptions.networkNamespace. */
    public Path file() {
        return Path.of("/var/run/netns", name);
    }

    /** Runs a command inside the namespace. */
    public String exec(String... cmd) {
        return Host.run(null, Netfilter.concat(new String[] {"ip", "netns", "exec", name}, cmd));
    }

    @Override
    public void close() {
        Host.exec(null, "ip", "netns", "delete", name);
    }
}
