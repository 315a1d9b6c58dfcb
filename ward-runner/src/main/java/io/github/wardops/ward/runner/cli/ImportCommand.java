package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.poll.Checks;
import io.github.wardops.ward.runner.poll.InventoryFile;
import io.github.wardops.ward.runner.poll.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
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
                + "--data-dir, or --db-url."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every device was written",
            "1:the database could not be reached or refused the import; nothing was written",
            "2:bad usage, invalid settings or an invalid file (every bad line listed); nothing was written"})
public final class ImportCommand implements Callable<Integer> {
    private final CliContext ctx;

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
            devices = InventoryFile.of(file, Checks.of(settings)).load();
        } catch (InvalidConfigurationException e) {
            ctx.err().println("ward: " + e.getMessage());
            ctx.err().println("ward: nothing was imported.");
            ctx.err().flush();
            return ExitCodes.USAGE;
        } catch (IOException e) {
            ctx.err().println("ward: " + file + " cannot be read: " + e.getClass().getSimpleName());
            ctx.err().flush();
            return ExitCodes.USAGE;
        }
        ctx.out().println(devices.size() + " devices valid; writing them in one transaction ...");
        ctx.out().flush();
        long start = System.nanoTime();
        try (Storage storage = Storage.open(settings, new SimpleMeterRegistry())) {
            int n = storage.storage().devices().upsertAll(devices);
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
