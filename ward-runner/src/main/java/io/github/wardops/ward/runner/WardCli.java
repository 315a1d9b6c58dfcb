package io.github.wardops.ward.runner;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.runner.cli.ConfigCommand;
import io.github.wardops.ward.runner.cli.CredentialsCommand;
import io.github.wardops.ward.runner.cli.DemoCommand;
import io.github.wardops.ward.runner.cli.ImportCommand;
import io.github.wardops.ward.runner.cli.SimulateCommand;
import io.github.wardops.ward.runner.cli.ProbeCommand;
import io.github.wardops.ward.runner.cli.RunOptions;
import io.github.wardops.ward.runner.cli.WalkCommand;
import io.github.wardops.ward.runner.cli.RunCommand;
import io.github.wardops.ward.runner.cli.SweepCommand;
import io.github.wardops.ward.runner.cli.WardCommand;
import io.github.wardops.ward.runner.log.LogSafety;
import java.util.Set;
import org.snmp4j.SNMP4JSettings;
import picocli.CommandLine;

/**
 * The entry point of {@code java -jar ward-runner.jar}: the {@code ward} command line.
 * {@code run} is the default command: with no arguments, or with options but no command,
 * {@code run} is meant.
 */
public final class WardCli {
    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

    private WardCli() {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        FatalErrors.install();
        CliContext ctx = CliContext.system();
        int code = execute(ctx, args);
        ctx.out().flush();
        ctx.err().flush();
        System.exit(code);
    }

    /**
     * Runs the command line in this process. {@code run} blocks until the poller is closed (by the
     * shutdown hook, or by whoever {@link CliContext#onStarted()} handed it to).
     *
     * @param ctx the context
     * @param args the arguments
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int execute(CliContext ctx, String... args) {
        // Before any library logs: no protocol trace (passwords) at any level, JUL through the safe encoders.
        LogSafety.install();
        // An agent answers a wrong v3 passphrase with an unauthenticated usmStatsWrongDigests report.
        // SNMP4J drops such reports by default (RFC 3412 7.2.11b), so the operator would only see
        // TIMEOUT; net-snmp shows "Authentication failure". The runner owns its JVM, so it makes
        // SNMP4J accept them: a report only ever ends a request early, it never carries values.
        SNMP4JSettings.setReportSecurityLevelStrategy(SNMP4JSettings.ReportSecurityLevelStrategy.noAuthNoPrivIfNeeded);
        return commandLine(ctx).execute(withDefaultCommand(args));
    }

    /**
     * The picocli command line, wired to the context.
     *
     * @param ctx the context
     * @return the command line
     */
    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new WardCommand());
        cl.addSubcommand("run", new RunCommand(ctx));
        cl.addSubcommand("sweep", new SweepCommand(ctx));
        cl.addSubcommand("config", new ConfigCommand(ctx));
        cl.addSubcommand("walk", new WalkCommand(ctx));
        cl.addSubcommand("import", new ImportCommand(ctx));
        cl.addSubcommand("demo", new DemoCommand(ctx));
        cl.addSubcommand("simulate", new SimulateCommand(ctx));
        cl.addSubcommand("credentials", new CredentialsCommand(ctx));
        CommandLine probe = new CommandLine(new ProbeCommand(ctx));
        probe.addSubcommand("snmp-get", new ProbeCommand.SnmpGet(ctx));
        cl.addSubcommand("probe", probe);
        RunOptions.addSettings(cl);
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("ward: " + e.getMessage());
            line.getErr().flush();
            return e instanceof InvalidConfigurationException ? ExitCodes.USAGE : ExitCodes.FAILURE;
        });
        return cl;
    }

    /** Puts {@code run} in front when no command is given. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) {
            return new String[] {"run"};
        }
        if (args[0].startsWith("-") && !TOP_LEVEL.contains(args[0])) {
            String[] out = new String[args.length + 1];
            out[0] = "run";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return args;
    }
}
