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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.snmp4j.SNMP4JSettings;
import picocli.CommandLine;

/**
 * The entry point of {@code java -jar ward-runner.jar}: the {@code ward} command line.
 * {@code run} is the default command: with no arguments, or with options but no command,
 * {@code run} is meant.
 */
public final class WardCli {
    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");
    /** The subcommands that never touch SNMP: SNMP4J's classes stay unloaded for them. */
    private static final Set<String> WITHOUT_SNMP = Set.of("sweep", "config", "credentials", "-V", "--version");

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
        String[] line = withDefaultCommand(args);
        if (!WITHOUT_SNMP.contains(line[0])) {
            SNMP4JSettings.setReportSecurityLevelStrategy(SNMP4JSettings.ReportSecurityLevelStrategy.noAuthNoPrivIfNeeded);
        }
        return commandLine(ctx, line[0]).execute(line);
    }

    /**
     * The picocli command line, wired to the context.
     *
     * @param ctx the context
     * @return the command line
     */
    public static CommandLine commandLine(CliContext ctx) {
        return commandLine(ctx, null);
    }

    /**
     * The command line with only what {@code first} (the first argument) needs: a one-shot
     * command such as {@code sweep} or {@code --version} builds its own subcommand or none, so
     * the classes of the others (the poller, the simulator, SNMP, the settings of {@code run})
     * are never loaded. That is start-up time a short command pays in full. Anything else
     * (help, an unknown word) builds them all.
     */
    static CommandLine commandLine(CliContext ctx, String first) {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", () -> new RunCommand(ctx));
        all.put("sweep", () -> new SweepCommand(ctx));
        all.put("config", () -> new ConfigCommand(ctx));
        all.put("walk", () -> new WalkCommand(ctx));
        all.put("import", () -> new ImportCommand(ctx));
        all.put("demo", () -> new DemoCommand(ctx));
        all.put("simulate", () -> new SimulateCommand(ctx));
        all.put("credentials", () -> new CredentialsCommand(ctx));
        all.put("probe", () -> {
            CommandLine probe = new CommandLine(new ProbeCommand(ctx));
            probe.addSubcommand("snmp-get", new ProbeCommand.SnmpGet(ctx));
            return probe;
        });
        CommandLine cl = new CommandLine(new WardCommand());
        boolean versionOnly = "-V".equals(first) || "--version".equals(first);
        for (Map.Entry<String, Supplier<Object>> e : all.entrySet()) {
            if (versionOnly || (first != null && all.containsKey(first) && !first.equals(e.getKey()))) {
                continue;
            }
            cl.addSubcommand(e.getKey(), e.getValue().get());
        }
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
