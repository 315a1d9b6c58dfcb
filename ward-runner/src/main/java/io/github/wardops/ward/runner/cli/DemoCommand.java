package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.Durations;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.Settings;
import io.github.wardops.ward.runner.demo.DemoFaults;
import io.github.wardops.ward.runner.demo.FleetAgents;
import io.github.wardops.ward.runner.poll.Checks;
import io.github.wardops.ward.runner.poll.InventoryFile;
import io.github.wardops.ward.runner.poll.Poller;
import io.github.wardops.ward.simulator.net.LoopbackOutages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ward demo}: simulated SNMP agents for the bundled 875-device fleet on their loopback
 * addresses, the poller against them with SNMP on, and a timer that takes a few devices down and
 * brings them back, so alerts open and resolve.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Starts simulated SNMP agents for the bundled 875-device fleet on their loopback addresses "
                + "(UDP port 1161; the ten duplicate addresses are skipped), then runs the poller against them with SNMP "
                + "on (a generated community), storing into the embedded PostgreSQL in ward-data/demo.",
            "Outages repeat every 10 minutes, staggered: --faults devices each for 6 min from 0:30, 2.5 min from 1:30 "
                + "and 75 s from 5:00 (their agents go silent and, as root with nft, their echoes are dropped on loopback), "
                + "so the page shows them failing, DOWN, one alert escalating at 1, 2 and 5 minutes, and recovering; "
                + "the log says what to expect when. Open http://127.0.0.1:9090/.",
            "Takes the flags of 'ward run' but --inventory and --inventory-source (the demo polls the bundled fleet), "
                + "with the demo's own defaults where shown."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (143 or 130 when stopped by SIGTERM or SIGINT)",
            "1:runtime failure: an agent's port is taken, no ICMP socket...",
            "2:bad usage or invalid configuration"})
public final class DemoCommand implements Callable<Integer>, RunOptions.Tailored {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /** The demo's defaults where they are not 'ward run''s: shown in its --help, applied when not given. */
    static final Map<String, String> DEFAULTS = Map.of("data-dir", "ward-data/demo", "snmp-port", "1161",
            "snmp-interval", "30s", "interval", "10s");
    private final CliContext ctx;

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--fault-every", paramLabel = "DURATION",
            description = "Instead of the staggered outages, take devices down and bring them back every DURATION, 1s-1h.")
    String faultEvery;

    @Option(names = "--faults", paramLabel = "N", defaultValue = "2", description = "Devices per outage, 0-50 (default: ${DEFAULT-VALUE}).")
    int faults;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Map<String, String> ownDefaults() {
        return DEFAULTS;
    }

    @Override
    public java.util.Set<String> notTaken() {
        return java.util.Set.of("inventory", "inventory-source");
    }

    @Override
    public Integer call() throws IOException {
        Duration every = null;
        try {
            if (faultEvery != null) {
                every = Durations.parse(faultEvery);
            }
            if (every != null && (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(Duration.ofHours(1)) > 0)
                    || faults < 0 || faults > 50) {
                throw new IllegalArgumentException("--fault-every must be 1s-1h and --faults 0-50");
            }
        } catch (IllegalArgumentException e) {
            ctx.err().println("ward demo: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        Map<String, String> flags = new HashMap<>(options.flags());
        DEFAULTS.forEach(flags::putIfAbsent);
        Map<String, String> env = new HashMap<>(ctx.env());
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String community = "demo-" + HexFormat.of().formatHex(random);
        env.put(Settings.SNMP_COMMUNITY.env(), community);
        env.remove("WARD_SNMP_COMMUNITY_FILE");
        RunSettings settings;
        Path csv;
        String fleet;
        List<Device> devices;
        try {
            Path dataDir = RunSettings.resolve(flags, env).dataDir();
            io.github.wardops.ward.internal.support.PrivateFiles.directory(dataDir);
            csv = dataDir.resolve("demo-fleet.csv");
            try (InputStream in = DemoCommand.class.getResourceAsStream(InventoryFile.BUNDLED)) {
                fleet = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Files.writeString(csv, fleet, StandardCharsets.UTF_8);
            flags.put("inventory", csv.toString());
            flags.put("inventory-source", "file");  // the demo fleet is the bundled file, whatever the environment says
            settings = RunSettings.resolve(flags, env);
            devices = InventoryFile.of(csv, Checks.of(settings)).load();
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        FleetAgents agents;
        try {
            agents = FleetAgents.start(devices, settings.snmpPort(), community);
        } catch (UncheckedIOException e) {
            ctx.err().println("ward demo: " + e.getMessage() + " (is another demo or snmpd on UDP port " + settings.snmpPort()
                    + "? choose another with --snmp-port)");
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        LOG.info("demo: {} simulated SNMP agents on UDP port {} ({} devices skipped: their address is listed twice)",
                agents.agents(), settings.snmpPort(), agents.skippedDuplicates());
        LoopbackOutages rules = null;
        try {
            rules = LoopbackOutages.install();
        } catch (IllegalStateException e) {
            LOG.warn("demo: the nftables rules for outages could not be installed (they need root and nft): devices taken "
                    + "down only lose SNMP, since ICMP on loopback always answers");
        }
        // Devices on an address of their own only: moving one of two devices that share an address proves nothing.
        Map<java.net.InetAddress, Long> perAddress = devices.stream()
                .collect(java.util.stream.Collectors.groupingBy(Device::address, java.util.stream.Collectors.counting()));
        // Loopback IPv4 only: the outages never touch another host's traffic.
        List<Device> candidates = devices.stream().filter(Device::enabled).filter(Checks::hasSnmp)
                .filter(d -> d.parentId() == null).filter(d -> perAddress.get(d.address()) == 1)
                .filter(d -> d.address() instanceof java.net.Inet4Address && d.address().isLoopbackAddress()).toList();
        LoopbackOutages echoes = rules;
        DemoFaults.Effect effect = (d, down) -> {
            agents.silent(d.address(), down);
            if (echoes != null) {
                if (down) {
                    echoes.drop(d.address());
                } else {
                    echoes.restore(d.address());
                }
            }
        };
        DemoFaults outages = every == null
                ? new DemoFaults(candidates, effect, faults, DemoFaults.STORY, DemoFaults.STORY_CYCLE)
                : new DemoFaults(candidates, effect, faults, DemoFaults.toggling(every), every.multipliedBy(2));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ward-demo-faults").daemon(true).factory());
        AtomicReference<Poller> started = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        LoopbackOutages installed = rules;
        Runnable stopAll = () -> {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            timer.shutdownNow();
            Poller p = started.get();
            if (p != null) {
                p.close();
            }
            agents.close();
            if (installed != null) {
                installed.close();
            }
        };
        if (ctx.shutdownHook()) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ward-demo-shutdown").unstarted(stopAll));
        }
        Poller poller;
        try {
            poller = Poller.start(settings);
            started.set(poller);
        } catch (InvalidConfigurationException e) {
            stopAll.run();
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (WardException | IOException e) {
            stopAll.run();
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        if (faults > 0) {
            long startedAt = System.nanoTime();
            for (String line : outages.describe()) {
                LOG.info("demo: {}", line);
            }
            timer.scheduleWithFixedDelay(Guard.periodic("demo outages", LOG,
                    () -> outages.tick(Duration.ofNanos(System.nanoTime() - startedAt))), 0, 500, TimeUnit.MILLISECONDS);
        }
        poller.httpAddress().ifPresent(a -> LOG.info("demo: open http://{}:{}/ to watch the fleet",
                a.getAddress().getHostAddress(), a.getPort()));
        try {
            ctx.onStarted().accept(poller);
            poller.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopAll.run();
        }
        if (poller.failure().isPresent()) {
            ctx.err().println("ward: " + poller.failure().get());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
