package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward config --print}: resolves the configuration exactly as {@code ward run} would
 * (file, environment, flags) and prints every setting with its origin, secrets masked.
 */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows the effective configuration of 'ward run' (file, then WARD_* environment, then flags), "
                + "one 'key: value  # origin' line per setting. Secrets print as '***'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the configuration is valid and was printed",
            "2:bad usage or invalid configuration: every problem is listed"})
public final class ConfigCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--print", description = "Print the effective configuration.")
    boolean print;

    @Mixin
    RunOptions options = new RunOptions();

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public ConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (!print) {
            // a short answer, not the 90 lines of every setting's flag
            ctx.err().println("ward config: say what to do: 'ward config --print' shows the effective configuration "
                    + "(and checks it); 'ward config --help' lists every flag");
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        RunSettings settings;
        try {
            settings = RunSettings.resolve(options.flags(), ctx.env());
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        ctx.out().print(settings.describe());
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
