package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument parsing and usage errors: nothing here opens a socket. */
class WardCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CliContext ctx = new CliContext(env, new PrintWriter(out, true), new PrintWriter(err, true), false, p -> {
            throw new AssertionError("the poller must not start");
        });
        return WardCli.execute(ctx, args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void runIsTheDefaultCommand() {
        assertArrayEquals(new String[] {"run"}, WardCli.withDefaultCommand(new String[0]));
        assertArrayEquals(new String[] {"run", "--interval", "5s"}, WardCli.withDefaultCommand(new String[] {"--interval", "5s"}));
        assertArrayEquals(new String[] {"--help"}, WardCli.withDefaultCommand(new String[] {"--help"}));
        assertArrayEquals(new String[] {"-V"}, WardCli.withDefaultCommand(new String[] {"-V"}));
        assertArrayEquals(new String[] {"sweep", "127.0.0.1"}, WardCli.withDefaultCommand(new String[] {"sweep", "127.0.0.1"}));
    }

    @Test
    void aOneShotCommandBuildsOnlyItself() {
        CliContext ctx = new CliContext(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), false, p -> {
            throw new AssertionError("the poller must not start");
        });
        assertEquals(java.util.Set.of("sweep"), WardCli.commandLine(ctx, "sweep").getSubcommands().keySet());
        assertEquals(java.util.Set.of(), WardCli.commandLine(ctx, "--version").getSubcommands().keySet());
        java.util.Set<String> all = WardCli.commandLine(ctx).getSubcommands().keySet();
        assertTrue(all.containsAll(java.util.List.of("run", "sweep", "walk", "demo", "probe", "config")), all.toString());
        assertEquals(all, WardCli.commandLine(ctx, "no-such-command").getSubcommands().keySet(),
                "an unknown word gets every command, so the error can name them");
        assertEquals(2, run("no-such-command"));
        assertTrue(err.toString().contains("no-such-command"), err.toString());
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.contains("run"), help);
        assertTrue(help.contains("sweep"), help);
        assertTrue(help.contains("Exit codes:"), help);
        assertTrue(help.contains("bad usage or invalid configuration"), help);
    }

    @Test
    void subcommandHelpDocumentsOptions() {
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("--inventory=FILE.csv"), out.toString());
        assertTrue(out.toString().contains("WARD_INTERVAL"), out.toString());
        assertEquals(0, run("sweep", "--help"));
        assertTrue(out.toString().contains("fping -c N -q"), out.toString());
        assertTrue(out.toString().contains("--timeout-ms"), out.toString());
    }

    @Test
    void demoHelpShowsTheDemosOwnDefaultsAndOnlyTheFlagsItTakes() {
        assertEquals(0, run("demo", "--help"));
        String demo = out.toString().replaceAll("\\s+", " ");
        assertTrue(demo.contains("--interval=DURATION ICMP check interval of every device, 1s-1d, such as 30s or 1m (default: 10s)"),
                demo);
        assertTrue(demo.contains("--snmp-interval=DURATION SNMP check interval (default: 30s)"), demo);
        assertTrue(demo.contains("(default: 1161)"), demo);
        assertTrue(demo.contains("(default: ward-data/demo)"), demo);
        assertFalse(demo.contains("--inventory=") || demo.contains("--inventory-source="), demo);
        out.getBuffer().setLength(0);
        assertEquals(0, run("run", "--help"));
        String runHelp = out.toString().replaceAll("\\s+", " ");
        assertTrue(runHelp.contains("such as 30s or 1m (default: 30s)") && runHelp.contains("--inventory="), runHelp);
        assertEquals(2, run("demo", "--inventory", "fleet.csv"));
        assertTrue(err.toString().contains("--inventory"), err.toString());
    }

    @Test
    void configAloneIsAShortAnswerNotTheWholeHelp() {
        assertEquals(2, run("config"));
        assertTrue(err.toString().contains("'ward config --print' shows the effective configuration"), err.toString());
        assertTrue(err.toString().lines().count() <= 2, err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void versionNamesTheBuild() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("ward 0."), out.toString());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, run("frobnicate"));
        assertEquals(ExitCodes.USAGE, run("--bogus"));
        assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
        assertEquals(ExitCodes.USAGE, run("run", "--interval"));
    }

    @Test
    void everyBadRunSettingIsListedAndNothingStarts() {
        assertEquals(ExitCodes.USAGE, run(Map.of("WARD_ICMP_PPS", "0"), "run", "--interval", "5x", "--http", "nope"));
        String e = err.toString();
        assertTrue(e.contains("ward run: 3 invalid settings"), e);
        assertTrue(e.contains("interval = '5x' (from --interval)"), e);
        assertTrue(e.contains("http = 'nope' (from --http)"), e);
        assertTrue(e.contains("icmp-pps = '0' (from WARD_ICMP_PPS)"), e);
        assertTrue(e.contains("nothing was started"), e);
    }

    @Test
    void aMissingInventoryFileIsAConfigurationError() {
        Path missing = dir.resolve("missing.csv");
        assertEquals(ExitCodes.USAGE, run("run", "--inventory", missing.toString(), "--http", "off"));
        assertTrue(err.toString().contains("inventory " + missing), err.toString());
        assertTrue(err.toString().contains("cannot be read"), err.toString());
    }

    @Test
    void sweepNeedsTargets() {
        assertEquals(ExitCodes.USAGE, run("sweep"));
        assertTrue(err.toString().contains("Missing required parameter"), err.toString());
    }

    @Test
    void sweepListsEveryBadOptionAndTargetAtOnce() {
        assertEquals(ExitCodes.USAGE, run("sweep", "-c", "0", "-t", "0", "-p", "20000", "--pps", "0", "--max-in-flight", "0",
                "127.0.0.1", "bogus", "127.0.0.0/7"));
        String e = err.toString();
        for (String s : new String[] {"count = 0", "timeout = 0 ms", "interval = 20000 ms", "pps = 0", "max-in-flight = 0",
                "'bogus' is not a readable file", "'127.0.0.0/7': too many targets"}) {
            assertTrue(e.contains(s), s + " in " + e);
        }
    }

    @Test
    void sweepOptionTypesAreChecked() {
        assertEquals(ExitCodes.USAGE, run("sweep", "-c", "three", "127.0.0.1"));
        assertTrue(err.toString().contains("'three' is not an int"), err.toString());
    }

    @Test
    void configPrintShowsTheEffectiveConfigurationWithSecretsMasked() throws Exception {
        Path yaml = java.nio.file.Files.writeString(dir.resolve("ward.yaml"), "interval: 15s\nhttp: 127.0.0.1:0\n");
        assertEquals(0, run(Map.of("WARD_HTTP_TOKEN", "very-secret-token", "WARD_ICMP_PPS", "250"),
                "config", "--print", "--config", yaml.toString(), "--down-after", "4"));
        String o = out.toString();
        assertTrue(o.startsWith("# ward run: effective configuration (configuration file " + yaml + ")"), o);
        assertTrue(o.contains("interval: '15s'  # " + yaml), o);
        assertTrue(o.contains("icmp-pps: '250'  # WARD_ICMP_PPS"), o);
        assertTrue(o.contains("down-after: '4'  # --down-after"), o);
        assertTrue(o.contains("http-token: '***'  # WARD_HTTP_TOKEN"), o);
        assertFalse((o + err).contains("very-secret-token"), o + err);
        assertEquals(ExitCodes.USAGE, run("config"), "--print is required");
    }

    @Test
    void aBadConfigFileListsEveryProblemAndExitsWith2() throws Exception {
        Path yaml = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), """
                interval: 5x
                colour: red
                http: nowhere
                max-probes-in-flight: 0
                db-password: do-not-print-me
                """);
        assertEquals(ExitCodes.USAGE, run(Map.of("WARD_UP_AFTER", "zero"), "run", "--config", yaml.toString()));
        String e = err.toString();
        assertTrue(e.contains("ward run: 6 invalid settings"), e);
        for (String s : new String[] {"unknown key 'colour'", "interval = '5x' (from " + yaml + ")", "http = 'nowhere' (from " + yaml + ")",
                "max-probes-in-flight = '0' (from " + yaml + "): must be 1-1000000", "up-after = 'zero' (from WARD_UP_AFTER)",
                "db-password (in " + yaml + "): secrets are not read from the configuration file"}) {
            assertTrue(e.contains(s), s + " in " + e);
        }
        assertFalse(e.contains("do-not-print-me"), e);
        assertTrue(e.contains("nothing was started"), e);
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("config", "--print", "--config", yaml.toString()));
        assertTrue(err.toString().contains("5 invalid settings"), err.toString());
        assertEquals(ExitCodes.USAGE, run("run", "--config", dir.resolve("missing.yaml").toString()));
        assertTrue(err.toString().contains("config " + dir.resolve("missing.yaml") + ": no such file"), err.toString());
    }

    @Test
    void anAlertRuleFileThatIsMissingOrNotJsonIsAConfigurationError() throws Exception {
        Path notJson = java.nio.file.Files.writeString(dir.resolve("rules.json"), "rules: - not json");
        assertEquals(ExitCodes.USAGE, run("run", "--alert-rules", notJson.toString(), "--http", "off"));
        assertTrue(err.toString().contains("alert-rules " + notJson + ": 1 invalid setting"), err.toString());
        assertTrue(err.toString().contains("not valid JSON: line 1, column 1"), err.toString());
        assertTrue(err.toString().contains("nothing was started"), err.toString());
        Path missing = dir.resolve("missing-rules.json");
        assertEquals(ExitCodes.USAGE, run("run", "--alert-rules", missing.toString(), "--http", "off"));
        assertTrue(err.toString().contains("alert-rules " + missing + ": 1 invalid setting"), err.toString());
        assertTrue(err.toString().contains("- no such file"), err.toString());
    }

    @Test
    void addressesWardNeverProbesAreRefusedByEveryOneShotCommandBeforeAnythingIsSent() {
        String[][] cases = {
            {"probe", "icmp", "127.0.0.1", "224.0.0.1"},
            {"probe", "icmp", "169.254.1.1"},
            {"probe", "tcp", "[ff02::1]:22"},
            {"probe", "tcp", "255.255.255.255:80"},
            {"probe", "snmp-get", "0.0.0.0", ".1.3.6.1.2.1.1.1.0"},
            {"walk", "[::]:161"},
            {"walk", "::ffff:224.0.0.251"},
            {"walk", "fe80::1"},
            {"sweep", "127.0.0.1", "239.0.0.0/30"},
            {"sweep", "169.254.0.1"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            assertEquals(ExitCodes.USAGE, run(Map.of("WARD_SNMP_COMMUNITY", "public"), c), String.join(" ", c) + ": " + err);
            assertTrue(err.toString().contains("ward never probes it") || err.toString().contains("is link-local"),
                    String.join(" ", c) + ": " + err);
        }
    }

    @Test
    void importRejectsControlCharactersLongLinesAndForbiddenAddressesByLineBeforeOpeningTheDatabase() throws Exception {
        Path data = dir.resolve("data");
        Path csv = java.nio.file.Files.writeString(dir.resolve("bad.csv"), "id,name,address,site\n"
                + "b28054ed-930a-4913-a509-0f3b616e3371,nul\u0000name,127.0.0.1,a\n"
                + "7624d23c-c318-4ed3-88b0-ef3f146d6abe,esc,127.0.0.2,\u001b]0;owned\u0007\n"
                + "a3555a7e-3168-408d-9e2e-9e3efb98b21f,long," + "1".repeat(70_000) + ",a\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c19,mc,224.0.0.1,a\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c10,ll,fe80::1,a\n");
        assertEquals(ExitCodes.USAGE, run(Map.of("WARD_STORAGE", "postgres"), "import", "--data-dir", data.toString(), csv.toString()));
        String e = err.toString();
        assertTrue(e.contains("line 2, column 'name': holds the control character U+0000 at character 4"), e);
        assertTrue(e.contains("line 3, column 'site': holds the control character U+001B at character 1"), e);
        assertTrue(e.contains("line 4: longer than 65536 bytes, the limit of a line"), e);
        assertTrue(e.contains("line 5: address 224.0.0.1 is multicast"), e);
        assertTrue(e.contains("line 6: address fe80:0:0:0:0:0:0:1 is link-local"), e);
        assertFalse(e.contains("\u0000") || e.contains("\u001b"), "no raw control character is echoed");
        assertTrue(e.contains("nothing was imported"), e);
        assertFalse(java.nio.file.Files.exists(data), "the database was never opened");
    }
}
