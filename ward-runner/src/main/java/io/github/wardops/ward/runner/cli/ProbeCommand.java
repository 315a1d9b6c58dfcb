package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.probe.Probers;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ward probe icmp|tcp|snmp-get}: one-shot troubleshooting with ward's own probers ("can
 * ward reach this device with these credentials?").
 */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "One-shot troubleshooting with ward's own probers: icmp ADDRESS..., tcp ADDRESS:PORT..., "
                + "snmp-get [net-snmp flags] TARGET OID...",
        subcommands = {ProbeCommand.Icmp.class, ProbeCommand.Tcp.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every target answered",
            "1:some target did not answer, or a runtime failure",
            "2:bad usage: every bad flag, target or OID is listed"})
public final class ProbeCommand implements Callable<Integer> {
    private final CliContext ctx;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public ProbeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.err().println("ward probe: name a probe: icmp, tcp or snmp-get");
        ctx.err().flush();
        return ExitCodes.USAGE;
    }

    static int usage(CliContext ctx, String command, List<String> problems) {
        ctx.err().println(command + ": " + problems.size() + " problem(s):");
        for (String p : problems) {
            ctx.err().println("  - " + p);
        }
        ctx.err().flush();
        return ExitCodes.USAGE;
    }

    static int run(CliContext ctx, Prober prober, List<Device> devices) throws InterruptedException {
        int failures = 0;
        for (Device d : devices) {
            ProbeResult r = prober.probe(new ProbeRequest(d, d.checks().get(0), Instant.now()));
            String line = switch (r) {
                case ProbeResult.Up up -> d.name() + " : up, " + String.format(java.util.Locale.ROOT, "%.2f ms",
                        up.latency().toNanos() / 1e6) + " " + up.measurement().values();
                case ProbeResult.Down down -> d.name() + " : down, " + down.reason()
                        + (down.detail() == null || down.detail().isEmpty() ? "" : " (" + down.detail() + ")");
                case ProbeResult.Unknown u -> d.name() + " : unknown, " + u.detail();
            };
            if (!(r instanceof ProbeResult.Up)) {
                failures++;
            }
            ctx.out().println(line);
        }
        ctx.out().flush();
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** {@code ward probe icmp ADDRESS...}. */
    @Command(name = "icmp", mixinStandardHelpOptions = true, description = "Pings each address (3 echoes, 1 s timeout each).")
    static final class Icmp implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ProbeCommand parent;

        @Parameters(paramLabel = "ADDRESS", arity = "1..*")
        List<String> addresses;

        @picocli.CommandLine.Option(names = "--allow-link-local",
                description = "Accept link-local addresses (169.254.0.0/16, fe80::/10).")
        boolean allowLinkLocal;

        @Override
        public Integer call() throws InterruptedException {
            Logging.rootLevel("WARN");
            List<String> problems = new ArrayList<>();
            List<Device> devices = new ArrayList<>();
            for (String a : addresses) {
                try {
                    InetAddress ip = Addresses.parseTarget(a, allowLinkLocal);
                    devices.add(Device.builder(DeviceId.fromKey(a), a, ip).check(Check.icmp(Duration.ofSeconds(30))).build());
                } catch (IllegalArgumentException e) {
                    problems.add("'" + a + "': " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                return usage(parent.ctx, "ward probe icmp", problems);
            }
            try (Prober p = Probers.icmp(IcmpOptions.defaults())) {
                return run(parent.ctx, p, devices);
            }
        }
    }

    /** {@code ward probe tcp ADDRESS:PORT...}. */
    @Command(name = "tcp", mixinStandardHelpOptions = true, description = "Opens a TCP connection to each ADDRESS:PORT.")
    static final class Tcp implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ProbeCommand parent;

        @Parameters(paramLabel = "ADDRESS:PORT", arity = "1..*")
        List<String> targets;

        @picocli.CommandLine.Option(names = "--allow-link-local",
                description = "Accept link-local addresses (169.254.0.0/16, fe80::/10).")
        boolean allowLinkLocal;

        @Override
        public Integer call() throws Exception {
            Logging.rootLevel("WARN");
            List<String> problems = new ArrayList<>();
            List<Device> devices = new ArrayList<>();
            for (String t : targets) {
                int colon = t.lastIndexOf(':');
                try {
                    if (colon < 0) {
                        throw new IllegalArgumentException("expected ADDRESS:PORT");
                    }
                    String host = t.substring(0, colon);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    int port;
                    try {
                        port = Integer.parseInt(t.substring(colon + 1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("the port is not a number");
                    }
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException("the port must be 1-65535");
                    }
                    devices.add(Device.builder(DeviceId.fromKey(t), t, Addresses.parseTarget(host, allowLinkLocal))
                            .check(Check.tcp(port, Duration.ofSeconds(30))).build());
                } catch (IllegalArgumentException e) {
                    problems.add("'" + t + "': " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                return usage(parent.ctx, "ward probe tcp", problems);
            }
            try (Prober p = Probers.tcp()) {
                return run(parent.ctx, p, devices);
            }
        }
    }

    /** {@code ward probe snmp-get [flags] TARGET OID...}. */
    @Command(name = "snmp-get", mixinStandardHelpOptions = true, sortOptions = false,
            description = "GETs the OIDs from an agent with net-snmp's flags and prints '.OID = TYPE: value' lines "
                    + "as 'snmpget -On' does.")
    public static final class SnmpGet implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        SnmpFlags flags = new SnmpFlags();

        @Parameters(index = "0", paramLabel = "TARGET", description = "ADDRESS[:PORT] of the agent (default port 161).")
        String target;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "OID", description = "Numeric OIDs.")
        List<String> oids;

        /**
         * Creates the command.
         *
         * @param ctx the context
         */
        public SnmpGet(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws InterruptedException {
            Logging.rootLevel("WARN");
            List<String> problems = new ArrayList<>();
            SnmpFlags.Resolved r = flags.resolve(target, ctx.env(), problems);
            List<SnmpOid> list = SnmpFlags.oids(oids, problems);
            if (!problems.isEmpty()) {
                return usage(ctx, "ward probe snmp-get", problems);
            }
            try (SnmpProber snmp = SnmpProbers.create(SnmpOptions.defaults())) {
                return WalkCommand.print(ctx, snmp.get(r.target(), r.credentials(), list));
            }
        }
    }
}
