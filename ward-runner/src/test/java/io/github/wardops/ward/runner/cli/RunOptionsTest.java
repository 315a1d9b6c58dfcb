package io.github.wardops.ward.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.WardCli;
import io.github.wardops.ward.runner.config.Setting;
import io.github.wardops.ward.runner.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every command that takes the run settings has one flag per plain setting, from the table, and no secret flag. */
class RunOptionsTest {
    private static CommandLine cli() {
        CliContext ctx = new CliContext(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false, p -> {
                    throw new AssertionError("nothing starts");
                });
        return WardCli.commandLine(ctx);
    }

    private static RunOptions options(CommandLine cl) {
        Object command = cl.getCommand();
        return switch (command) {
            case RunCommand c -> c.options;
            case ConfigCommand c -> c.options;
            case DemoCommand c -> c.options;
            case ImportCommand c -> c.options;
            case CredentialsCommand.Add c -> c.options;
            case CredentialsCommand.ListCommand c -> c.options;
            case CredentialsCommand.Delete c -> c.options;
            default -> throw new AssertionError(command.getClass());
        };
    }

    @Test
    void everyPlainSettingIsAFlagOfEveryCommandThatTakesThem() {
        CommandLine root = cli();
        List<CommandLine> commands = new ArrayList<>();
        for (String name : List.of("run", "config", "demo", "import")) {
            commands.add(root.getSubcommands().get(name));
        }
        commands.addAll(root.getSubcommands().get("credentials").getSubcommands().values());
        assertEquals(7, commands.size());
        for (CommandLine cl : commands) {
            String name = cl.getCommandName();
            // a command with settings of its own (the demo) leaves some out and shows its own defaults
            RunOptions.Tailored tailored = cl.getCommand() instanceof RunOptions.Tailored t ? t : null;
            for (Setting<?> s : Settings.ALL) {
                OptionSpec o = cl.getCommandSpec().findOption("--" + s.key());
                if (s.secret() || tailored != null && tailored.notTaken().contains(s.key())) {
                    assertNull(o, name + ": no flag for " + s.key());
                    continue;
                }
                assertNotNull(o, name + " --" + s.key());
                assertEquals(s.label(), o.paramLabel(), name + " --" + s.key());
                String own = tailored == null ? null : tailored.ownDefaults().get(s.key());
                assertEquals(own == null ? s.help() : s.help(own), String.join("", o.description()), name + " --" + s.key());
            }
        }
        assertNull(root.getSubcommands().get("demo").getCommandSpec().findOption("--inventory"));
        CommandLine.Model.CommandSpec imp = root.getSubcommands().get("import").getCommandSpec();
        assertNotNull(imp.findOption("--db-url"), "import writes to the database run would use");
        assertNotNull(imp.findOption("--snmp-checks"), "import completes devices with their checks");
        assertNull(imp.findOption("--http"), "import serves nothing");
        assertNull(imp.findOption("--snmp-trap-port"), "import receives nothing");
        CommandLine.Model.CommandSpec add = root.getSubcommands().get("credentials").getSubcommands().get("add").getCommandSpec();
        assertNotNull(add.findOption("--data-dir"));
        assertNull(add.findOption("--interval"), "credentials only touch the database");
    }

    @Test
    void everyCommandsHelpRendersWithoutAFormattingWarning() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        List<String> usages = new ArrayList<>();
        try {
            CommandLine root = cli();
            java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(root));
            while (!todo.isEmpty()) {
                CommandLine c = todo.pop();
                usages.add(c.getUsageMessage(CommandLine.Help.Ansi.OFF));
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(warnings.contains("Could not format"), warnings);
        assertTrue(usages.size() > 10, "every command and subcommand: " + usages.size());
    }

    @Test
    void eachCommandFillsItsOwnOptions() {
        CommandLine root = cli();
        root.parseArgs("config", "--print", "--interval", "10s", "--snmp-checks", "none", "--config", "w.yaml");
        CommandLine config = root.getSubcommands().get("config");
        assertEquals(Map.of("config", "w.yaml", "interval", "10s", "snmp-checks", "none"), options(config).flags());
        assertEquals(Map.of(), options(root.getSubcommands().get("run")).flags(), "run was not given them");
        CommandLine again = cli();
        again.parseArgs("run", "--icmp-pps=500");
        assertEquals(Map.of("icmp-pps", "500"), options(again.getSubcommands().get("run")).flags());
    }

    @Test
    void unknownAndSecretFlagsAreRefused() {
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> cli().parseArgs("run", "--colour", "red"));
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> cli().parseArgs("run", "--http-token", "x"));
        assertTrue(e.getMessage().contains("--http-token"), e.getMessage());
        assertThrows(CommandLine.OverwrittenOptionException.class,
                () -> cli().parseArgs("run", "--interval", "1m", "--interval", "2m"));
    }
}
