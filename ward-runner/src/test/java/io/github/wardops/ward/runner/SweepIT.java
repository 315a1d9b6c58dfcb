package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward sweep} in-process against loopback: real ICMP. */
class SweepIT {
    /** Echoes to this loopback range are dropped on input (so the send itself succeeds) by an nftables rule the silent-target test adds. */
    private static final String SILENT = "127.253.77.0/24";
    private static final String TABLE = "ward_runner_sweep_it";
    private static final Pattern ANSWERED = Pattern.compile(
            "^127\\.77\\.0\\.\\d+ *: xmt/rcv/%loss = 2/2/0%, min/avg/max = \\d+\\.\\d+/\\d+\\.\\d+/\\d+\\.\\d+$");

    @TempDir
    Path dir;

    private record Result(int code, List<String> lines, String err) {
    }

    private static Result sweep(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), false, p -> {
        });
        String[] all = new String[args.length + 1];
        all[0] = "sweep";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = WardCli.execute(ctx, all);
        return new Result(code, out.toString().lines().toList(), err.toString());
    }

    @Test
    void aSmallCidrGetsOneLinePerAddressAndASummary() {
        Result r = sweep("-c", "2", "-p", "20", "127.77.0.0/28");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(15, r.lines().size(), r.lines().toString());
        for (int i = 0; i < 14; i++) {
            String line = r.lines().get(i);
            assertTrue(line.startsWith("127.77.0." + (i + 1) + " "), "target order kept: " + line);
            assertTrue(ANSWERED.matcher(line).matches(), line);
        }
        assertTrue(r.lines().get(14).startsWith("14 targets, 14 answered, 28 sent, 28 received, 0.00% loss, elapsed "),
                r.lines().get(14));
    }

    @Test
    void thousandsOfTargetsThroughFewPermitsAllAnswerInOrder() {
        Result r = sweep("--max-in-flight", "64", "127.81.0.0/19");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(8_191, r.lines().size());
        assertTrue(r.lines().get(0).startsWith("127.81.0.1 "), r.lines().get(0));
        assertTrue(r.lines().get(8_189).startsWith("127.81.31.254 : xmt/rcv/%loss = 1/1/0%"), r.lines().get(8_189));
        assertTrue(r.lines().get(8_190).startsWith("8190 targets, 8190 answered, 8190 sent, 8190 received, 0.00% loss"),
                r.lines().get(8_190));
    }

    @Test
    void targetsFromAFileAndIpv6() throws Exception {
        Path f = dir.resolve("targets.txt");
        Files.writeString(f, "# two loopback targets\n127.77.1.1\n\n127.77.1.2  # trailing comment\n");
        Result r = sweep(f.toString(), "::1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(4, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().get(0).startsWith("127.77.1.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = "), r.lines().get(0));
        assertTrue(r.lines().get(1).startsWith("127.77.1.2 : xmt/rcv/%loss = 1/1/0%"), r.lines().get(1));
        assertTrue(r.lines().get(2).startsWith("::1        : xmt/rcv/%loss = 1/1/0%"), r.lines().get(2));
        assertTrue(r.lines().get(3).startsWith("3 targets, 3 answered, 3 sent, 3 received"), r.lines().get(3));
    }

    @Test
    void aSilentTargetMakesTheExitCode1AsFpingDoes() throws Exception {
        nft("delete table inet " + TABLE); // left by a killed run, if any
        Assumptions.assumeTrue(nft("add table inet " + TABLE) == 0, "nftables is not usable here (needs root)");
        assertEquals(0, nft("add chain inet " + TABLE + " in { type filter hook input priority 0 ; }"));
        assertEquals(0, nft("add rule inet " + TABLE + " in ip daddr " + SILENT + " icmp type echo-request drop"));
        Result r = sweep("-t", "200", "127.77.2.1", "127.253.77.1");
        assertEquals(ExitCodes.FAILURE, r.code(), r.err());
        assertTrue(r.lines().get(0).startsWith("127.77.2.1   : xmt/rcv/%loss = 1/1/0%, min/avg/max = "), r.lines().get(0));
        assertEquals("127.253.77.1 : xmt/rcv/%loss = 1/0/100%", r.lines().get(1));
        assertTrue(r.lines().get(2).startsWith("2 targets, 1 answered, 2 sent, 1 received, 50.00% loss"), r.lines().get(2));

        // three echoes each, silent targets between answering ones, through few in-flight slots:
        // every silent echo times out and is counted lost, every answer counted once
        Result many = sweep("-c", "3", "-p", "10", "-t", "100", "--max-in-flight", "4", "127.77.3.0/29", "127.253.77.0/29");
        assertEquals(ExitCodes.FAILURE, many.code(), many.err());
        for (int i = 0; i < 6; i++) {
            assertTrue(many.lines().get(i).startsWith("127.77.3." + (i + 1) + " "), many.lines().get(i));
            assertTrue(many.lines().get(i).contains(": xmt/rcv/%loss = 3/3/0%, min/avg/max = "), many.lines().get(i));
            assertTrue(many.lines().get(6 + i).endsWith(": xmt/rcv/%loss = 3/0/100%"), many.lines().get(6 + i));
        }
        assertTrue(many.lines().get(12).startsWith("12 targets, 6 answered, 36 sent, 18 received, 50.00% loss"),
                many.lines().get(12));
    }

    @AfterAll
    static void dropTable() throws Exception {
        nft("delete table inet " + TABLE);
    }

    private static int nft(String command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("nft"));
        argv.addAll(List.of(command.split(" ")));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
