package io.github.wardops.ward.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.WardCli;
import io.github.wardops.ward.runner.sweep.Sweep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SweepCommandTest {

    private static Sweep.Options options(String... args) {
        CliContext ctx = new CliContext(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false,
                p -> {
                });
        CommandLine cl = WardCli.commandLine(ctx);
        cl.parseArgs(args);
        return ((SweepCommand) cl.getSubcommands().get("sweep").getCommand()).options();
    }

    @Test
    void defaultsFollowFping() {
        Sweep.Options o = options("sweep", "127.0.0.1");
        assertEquals(1, o.count());
        assertEquals(Duration.ofSeconds(1), o.spacing(), "fping -p default");
        assertEquals(Duration.ofMillis(500), o.replyTimeout(), "fping -t default");
        assertEquals(100_000, o.packetsPerSecond());
        assertEquals(100_000, o.maxInFlight());
    }

    @Test
    void inFlightLimitIsTheFlagElseTheDefault() {
        assertEquals(100_000, options("sweep", "-c", "3", "127.0.0.1").maxInFlight());
        assertEquals(77, options("sweep", "-c", "3", "--max-in-flight", "77", "127.0.0.1").maxInFlight());
        Sweep.Options o = options("sweep", "--count", "2", "--interval-ms", "20", "--timeout-ms", "300", "--pps", "5000", "127.0.0.1");
        assertEquals(2, o.count());
        assertEquals(Duration.ofMillis(20), o.spacing());
        assertEquals(Duration.ofMillis(300), o.replyTimeout());
        assertEquals(5_000, o.packetsPerSecond());
    }
}
