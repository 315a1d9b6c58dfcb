package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.runner.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code ward} command. Its subcommands are added by
 * {@link io.github.wardops.ward.runner.WardCli#commandLine}.
 */
@Command(name = "ward", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Monitors network devices: ICMP and SNMP polling of a fleet (run), the whole system on simulated agents (demo), "
                + "fast one-off sweeps (sweep), one-shot probes (probe icmp|tcp|snmp-get), SNMP walks (walk), CSV import into the "
                + "database (import), simulated agents for a CSV (simulate) and the effective configuration (config --print).%n"
                + "With no command, 'run' is meant.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok: run stopped cleanly (143 when stopped by SIGTERM, as the JVM reports it), or every sweep target answered",
            "1:runtime failure (no ICMP socket, HTTP port taken...), or some sweep target did not answer",
            "2:bad usage or invalid configuration (an invalid inventory, a bad flag); nothing was started"})
public final class WardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Creates the command. */
    public WardCommand() {
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
