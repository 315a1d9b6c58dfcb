package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.poll.Poller;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ward run}: polls the inventory until stopped. Every flag has an environment variable
 * ({@code --interval} and {@code WARD_INTERVAL}); flags win. Values are taken as text and
 * validated together by {@link RunSettings#resolve}, so every problem is reported at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Pings every enabled device of a CSV inventory on its interval, serves the HTTP API "
                + "(/, /health, /ready, /metrics, /api/devices, /api/alerts), tracks UP/DOWN/UNREACHABLE state and flapping, "
                + "raises alerts from the alert rules and logs a one-line summary each interval.",
            "Without --inventory, the bundled 875-device fleet (loopback addresses) is polled.",
            "Results go to the embedded PostgreSQL in ./ward-data/pg (or --db-url; --storage off for none); devices with "
                + "snmp_version 2c are also polled over SNMP when WARD_SNMP_COMMUNITY is set; --redis-url shares device "
                + "state through Redis.",
            "The inventory file is re-read when it changes; an invalid new file is logged and the previous inventory kept.",
            "SIGTERM or SIGINT stops it cleanly within about 10 seconds.",
            "Settings come from ./ward.yaml (or --config FILE), overridden by environment variables (--interval by "
                + "WARD_INTERVAL, and so on), overridden by flags. Secrets (WARD_HTTP_TOKEN, WARD_WEBHOOK_SECRET...) come "
                + "from the environment or from a file named by WARD_..._FILE; 'ward config --print' shows the result."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (143 or 130 when stopped by SIGTERM or SIGINT, as the JVM reports it)",
            "1:runtime failure: no ICMP socket could be opened, the HTTP address is taken, the embedded PostgreSQL "
                + "could not start, another runner uses the database...",
            "2:bad usage or invalid configuration: every bad inventory row or setting is listed; nothing was started"})
public final class RunCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RunOptions options = new RunOptions();

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public RunCommand(CliContext ctx) {
        this.ctx = ctx;
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
            settings = RunSettings.resolve(options.flags(), ctx.env());
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
        if (poller.failure().isPresent()) {
            ctx.err().println("ward: " + poller.failure().get());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
