package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.demo.FleetAgents;
import io.github.wardops.ward.runner.poll.InventoryFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ward simulate FILE.csv}: simulated SNMP v2c agents for every distinct address of a CSV
 * inventory, until stopped; for testing another ward (or any SNMP poller).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a simulated SNMP v2c agent on every distinct address of a CSV inventory (a system group "
                + "and two Gigabit ports with moving counters) until stopped. Addresses must be local (127.0.0.0/8).",
            "The community comes from WARD_SNMP_COMMUNITY, else --community."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (143 or 130 when stopped by SIGTERM or SIGINT)",
            "1:an agent's socket could not be bound (the address is not local, or the port is taken)",
            "2:bad usage or an invalid file (every bad line listed)"})
public final class SimulateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV inventory.")
    Path file;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "1161", description = "UDP port of every agent (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--community", paramLabel = "COMMUNITY", defaultValue = "public",
            description = "v2c community when WARD_SNMP_COMMUNITY is not set (default: ${DEFAULT-VALUE}).")
    String community;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public SimulateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            ctx.err().println("ward simulate: --port " + port + ": must be 1-65535");
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        List<Device> devices;
        try {
            devices = InventoryFile.of(file, d -> List.of(Check.icmp(Duration.ofSeconds(30)))).load();
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (IOException e) {
            ctx.err().println("ward: " + file + " cannot be read: " + e.getClass().getSimpleName());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        String c = ctx.env().getOrDefault("WARD_SNMP_COMMUNITY", community);
        FleetAgents agents;
        try {
            agents = FleetAgents.start(devices, port, c);
        } catch (UncheckedIOException e) {
            ctx.err().println("ward simulate: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        if (ctx.shutdownHook()) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                agents.close();
                stop.countDown();
            }));
        }
        ctx.out().println("simulating " + agents.agents() + " SNMP v2c agents on UDP port " + port + " ("
                + agents.skippedDuplicates() + " devices skipped: address listed twice); stop with Ctrl-C");
        ctx.out().flush();
        try {
            stop.await();
        } finally {
            agents.close();
        }
        return ExitCodes.OK;
    }
}
