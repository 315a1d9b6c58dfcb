package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
