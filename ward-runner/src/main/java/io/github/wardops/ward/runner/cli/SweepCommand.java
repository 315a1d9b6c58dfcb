package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.sweep.Sweep;
import io.github.wardops.ward.runner.sweep.SweepOutput;
import io.github.wardops.ward.runner.sweep.SweepTargets;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ward sweep}: pings every target N times as fast as is safe and prints one line per
 * target like {@code fping -c N -q}, then a summary line.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Pings every address N times, as fast as is safe, and prints one line per address the way "
                + "'fping -c N -q' does, then a summary line (targets, sent, received, elapsed).",
            "A TARGET is a file (one address or CIDR range per line, '#' comments, blank lines allowed), "
                + "a CIDR range such as 127.0.0.0/24, or an IP address. Host names are not resolved."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every target answered",
            "1:some target did not answer, or a runtime failure (no ICMP socket)",
            "2:bad usage: malformed targets (every one listed), a bad option"})
public final class SweepCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "1",
            description = "Echoes per target, 1-100 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-p", "--interval-ms"}, paramLabel = "MS", defaultValue = "1000",
            description = "Time between the echoes to one target, 0-10000 ms, as fping -p (default: ${DEFAULT-VALUE}).")
    int intervalMs;

    @Option(names = {"-t", "--timeout-ms"}, paramLabel = "MS", defaultValue = "500",
            description = "How long to wait for each reply, 1-60000 ms, as fping -t (default: ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--pps", paramLabel = "N", defaultValue = "" + SweepCommand.DEFAULT_PPS,
            description = "The most echoes sent per second, 1-1000000 (default: ${DEFAULT-VALUE}).")
    int pps;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "The most targets with an echo still unanswered and not timed out, 1-1000000 "
                    + "(default: " + SweepCommand.DEFAULT_IN_FLIGHT + "). A silent address holds its slot until its timeout.")
    Integer maxInFlight;

    @Option(names = "--max-targets", paramLabel = "N", defaultValue = "" + SweepTargets.DEFAULT_MAX_TARGETS,
            description = "The most targets accepted, a guard against a mistyped range (default: ${DEFAULT-VALUE}).")
    int maxTargets;

    @Option(names = "--allow-link-local", description = "Accept link-local addresses (169.254.0.0/16, fe80::/10). "
            + "Multicast, broadcast and unspecified addresses are never pinged.")
    boolean allowLinkLocal;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO (default: warnings only).")
    boolean verbose;

    @Parameters(paramLabel = "TARGET", arity = "1..*", description = "Files, CIDR ranges or addresses.")
    List<String> targets = new ArrayList<>();

    /** The default pacing, echoes per second. */
    static final int DEFAULT_PPS = 100_000;
    /**
     * The default limit on unfinished targets. A target costs the same few bytes whether it is
     * in flight or not, so the limit only bounds the replies that can arrive at once: a second
     * of echoes at the default rate.
     */
    static final int DEFAULT_IN_FLIGHT = 100_000;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public SweepCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The limit on unfinished targets: the flag, else {@value #DEFAULT_IN_FLIGHT}.
     *
     * @return the most targets with an echo outstanding
     */
    int maxInFlight() {
        return maxInFlight != null ? maxInFlight : DEFAULT_IN_FLIGHT;
    }

    /**
     * The sweep options from the flags.
     *
     * @return the options
     * @throws InvalidConfigurationException listing every invalid flag
     */
    Sweep.Options options() {
        List<String> p = new ArrayList<>();
        Sweep.Options o = null;
        try {
            o = new Sweep.Options(count, Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs), maxInFlight(), pps);
        } catch (InvalidConfigurationException e) {
            p.addAll(e.problems());
        }
        if (maxTargets < 1 || maxTargets > 16_777_216) {
            p.add("max-targets = " + maxTargets + ": must be 1-16777216");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("ward sweep", p);
        }
        return o;
    }

    @Override
    public Integer call() {
        if (!verbose) {
            Logging.rootLevel("WARN");
        }
        Sweep.Options options;
        List<InetAddress> list;
        try {
            List<String> problems = new ArrayList<>();
            options = null;
            list = List.of();
            try {
                options = options();
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
            try {
                list = SweepTargets.parse(targets, Math.max(1, maxTargets), allowLinkLocal);
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException("ward sweep", problems);
            }
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        IcmpOptions icmp = IcmpOptions.builder()
                .packetsPerSecond(pps)
                .receiveBufferBytes(32 * 1024 * 1024)
                .build();
        Sweep.Report report;
        try {
            report = new Sweep(icmp, options).run(list);
        } catch (WardException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILURE;
        }
        SweepOutput.write(report, ctx.out());
        return report.allAnswered() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
