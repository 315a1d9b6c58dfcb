package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.poll.Poller;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ward run}: polls the inventory until stopped. Every flag has an environment variable
 * ({@code --interval} and {@code WARD_INTERVAL}); flags win. Values are taken as text and
 * validated together by {@link RunSettings#resolve}, so every problem is reported at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Pings every enabled device of a CSV inventory on its interval, serves the HTTP API "
                + "(/health, /metrics, /api/devices) and logs a one-line summary each interval.",
            "Without --inventory, the bundled 875-device fleet (loopback addresses) is polled.",
            "The inventory file is re-read when it changes; an invalid new file is logged and the previous inventory kept.",
            "SIGTERM or SIGINT stops it cleanly within about 10 seconds.",
            "Each option can also be set by an environment variable: --interval by WARD_INTERVAL, and so on."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (143 or 130 when stopped by SIGTERM or SIGINT, as the JVM reports it)",
            "1:runtime failure: no ICMP socket could be opened, the HTTP address is taken...",
            "2:bad usage or invalid configuration: every bad inventory row or setting is listed; nothing was started"})
public final class RunCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--inventory", paramLabel = "FILE.csv",
            description = "CSV inventory: id,name,address required; enabled, parent_id optional; other columns become labels. "
                    + "Default: the bundled fleet.")
    String inventory;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "ICMP check interval of every device, 1s-1d, such as 30s or 1m (default: 30s).")
    String interval;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "HTTP API listen address; port 0 picks a free port; 'off' disables it (default: 127.0.0.1:9090).")
    String http;

    @Option(names = "--max-probes-in-flight", paramLabel = "N",
            description = "The most probes running at once (default: 4096).")
    String maxProbesInFlight;

    @Option(names = "--icmp-pps", paramLabel = "N",
            description = "The most ICMP echoes sent per second (default: 10000).")
    String icmpPps;

    @Option(names = "--inventory-poll", paramLabel = "DURATION",
            description = "How often the inventory file is checked for changes (default: 2s).")
    String inventoryPoll;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The flags given, by setting key.
     *
     * @return key to value; unset flags are left out
     */
    Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "inventory", inventory);
        put(f, "interval", interval);
        put(f, "http", http);
        put(f, "max-probes-in-flight", maxProbesInFlight);
        put(f, "icmp-pps", icmpPps);
        put(f, "inventory-poll", inventoryPoll);
        return f;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    @Override
    public Integer call() {
        RunSettings settings;
        Poller poller;
        // The hook goes in before the start, so a SIGTERM right after it still closes the poller.
        AtomicReference<Poller> started = new AtomicReference<>();
        Thread hook = Thread.ofPlatform().name("ward-shutdown").unstarted(() -> {
            Poller p = started.get();
            if (p != null) {
                p.close();
            }
        });
        if (ctx.shutdownHook()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            settings = RunSettings.resolve(flags(), ctx.env());
            poller = Poller.start(settings);
            started.set(poller);
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().println("ward: nothing was started.");
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (WardException | IOException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        try {
            ctx.onStarted().accept(poller);
            poller.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            poller.close();
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        return ExitCodes.OK;
    }
}
