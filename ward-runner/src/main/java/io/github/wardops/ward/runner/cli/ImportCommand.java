package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.poll.Checks;
import io.github.wardops.ward.runner.poll.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.wardops.ward.inventory.CsvInventory;
import io.github.wardops.ward.inventory.CsvOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ward import FILE.csv}: validates a fleet CSV file whole, then upserts its devices into
 * the database (the embedded one, or {@code db-url}) in one transaction: all or nothing.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Imports a CSV inventory into the devices table: the whole file is validated first (every bad "
                + "line is listed with its number, and nothing is written), then every device is upserted by id in one "
                + "transaction.",
            "The database is the one 'ward run' would use with the same settings: the embedded PostgreSQL in "
                + "--data-dir, or --db-url.",
            "A progress line shows how much is read and written: rewritten in place on a terminal; elsewhere a line "
                + "per 10%% for files of 1 MB or more and imports of 5,000 devices or more."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every device was written",
            "1:the database could not be reached or refused the import; nothing was written",
            "2:bad usage, invalid settings or an invalid file (every bad line listed); nothing was written"})
public final class ImportCommand implements Callable<Integer>, RunOptions.Tailored {
    /** What import reads: the database 'ward run' would use, and what validates and completes a device. */
    static final java.util.Set<String> NOT_TAKEN = RunOptions.Tailored.allBut("storage", "db-url", "db-user", "data-dir",
            "allow-link-local", "interval", "snmp-checks", "tcp-checks", "snmp-port", "snmp-interval", "snmp-v3-user",
            "snmp-v3-level", "snmp-v3-auth-protocol", "snmp-v3-priv-protocol");
    /** Off a terminal, files smaller than this get no reading progress lines. */
    static final long PROGRESS_MIN_BYTES = 1_000_000;
    /** Off a terminal, imports of fewer devices get no writing progress lines. */
    static final int PROGRESS_MIN_DEVICES = 5_000;

    private final CliContext ctx;
    private final boolean terminal;

    @Mixin
    RunOptions options = new RunOptions();

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV inventory (the format of ward run --inventory).")
    Path file;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public ImportCommand(CliContext ctx) {
        this.ctx = ctx;
        this.terminal = ctx.shutdownHook() && ProgressLine.stdoutIsTerminal();
    }


    @Override
    public java.util.Set<String> notTaken() {
        return NOT_TAKEN;
    }

    /** Reads and validates the file whole, with a progress line by bytes read. */
    private List<Device> read(java.util.function.Function<Device, List<io.github.wardops.ward.inventory.Check>> checks,
                              CsvOptions csv) throws IOException {
        // A pipe or a device (/dev/stdin) has no size to measure progress against: no reading progress then.
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        ProgressLine reading = new ProgressLine(ctx.out(), "reading " + file.getFileName(), size, terminal && size > 0,
                size > 0 ? PROGRESS_MIN_BYTES : Long.MAX_VALUE, ProgressLine::bytes, "");
        // Bytes, read line by line with a bound on each line; bytes that are not UTF-8 are an error of
        // their line, never silently replaced.
        try (InputStream in = reading.counting(Files.newInputStream(file))) {
            return CsvInventory.read(in, file.toString(), checks, csv);
        } finally {
            reading.end();
        }
    }

    @Override
    public Integer call() {
        Logging.rootLevel("WARN");
        RunSettings settings;
        List<Device> devices;
        try {
            settings = RunSettings.resolve(options.flags(), ctx.env());
            if (!settings.storage()) {
                throw new InvalidConfigurationException("ward import", List.of("storage is off: there is no database to import into"));
            }
            ctx.out().println("reading " + file + " ...");
            ctx.out().flush();
            devices = read(Checks.of(settings), CsvOptions.defaults().withAllowLinkLocal(settings.allowLinkLocal()));
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().println("ward: nothing was imported.");
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (NoSuchFileException e) {
            ctx.err().println("ward: " + file + ": no such file; nothing was imported.");
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (IOException e) {
            ctx.err().println("ward: " + file + " cannot be read (" + e.getClass().getSimpleName() + "); nothing was imported.");
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        ctx.out().println(devices.size() + " devices valid; writing them in one transaction ...");
        ctx.out().flush();
        long start = System.nanoTime();
        try (Storage storage = Storage.open(settings, new SimpleMeterRegistry())) {
            ProgressLine writing = new ProgressLine(ctx.out(), "writing", devices.size(), terminal, PROGRESS_MIN_DEVICES,
                    String::valueOf, " devices");
            int n;
            try {
                n = storage.storage().devices().upsertAll(devices, writing::update);
            } finally {
                writing.end();
            }
            ctx.out().println("imported " + n + " devices in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            ctx.out().flush();
            return ExitCodes.OK;
        } catch (RuntimeException e) {
            ctx.err().println("ward: the import failed, nothing was written: " + e.getMessage());
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
    }
}
