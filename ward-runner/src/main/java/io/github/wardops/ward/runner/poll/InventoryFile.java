package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CsvInventory;
import io.github.wardops.ward.inventory.CsvOptions;
import io.github.wardops.ward.inventory.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the runner's inventory comes from: a CSV file, which is watched for changes, or the
 * fleet bundled in the jar ({@value #BUNDLED}), which never changes. Reading is all-or-nothing
 * ({@link CsvInventory}). Immutable and thread-safe.
 */
public final class InventoryFile {
    /** The class-path resource of the bundled fleet. */
    public static final String BUNDLED = "/fleet/credobank-875.csv";

    /**
     * What identifies one version of the file: its modification time and size.
     *
     * @param modified the modification time
     * @param size the size in bytes
     */
    record Stamp(FileTime modified, long size) {
    }

    private final Path file;
    private final Function<Device, List<Check>> checks;
    private final CsvOptions options;

    private InventoryFile(Path file, Function<Device, List<Check>> checks, CsvOptions options) {
        this.file = file;
        this.checks = Objects.requireNonNull(checks, "checks");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A CSV file, read with the default {@link CsvOptions} (lines of 64 KiB, no link-local addresses).
     *
     * @param file the file; never {@code null}
     * @param checks the checks each device gets
     * @return the source
     */
    public static InventoryFile of(Path file, Function<Device, List<Check>> checks) {
        return of(file, checks, CsvOptions.defaults());
    }

    /**
     * A CSV file.
     *
     * @param file the file; never {@code null}
     * @param checks the checks each device gets
     * @param options the limits and the accepted addresses
     * @return the source
     */
    public static InventoryFile of(Path file, Function<Device, List<Check>> checks, CsvOptions options) {
        return new InventoryFile(Objects.requireNonNull(file, "file"), checks, options);
    }

    /**
     * The bundled 875-device fleet.
     *
     * @param checks the checks each device gets
     * @return the source
     */
    public static InventoryFile bundled(Function<Device, List<Check>> checks) {
        return new InventoryFile(null, checks, CsvOptions.defaults());
    }

    /**
     * Whether the source is a file that can change.
     *
     * @return {@code false} for the bundled fleet
     */
    public boolean watchable() {
        return file != null;
    }

    /**
     * A name for messages: the file path or {@code bundled fleet ...}.
     *
     * @return the name
     */
    public String describe() {
        return file == null ? "bundled fleet " + BUNDLED.substring(1) : file.toString();
    }

    /**
     * Reads every device.
     *
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row, with line numbers
     * @throws IOException when the file cannot be read
     */
    public List<Device> load() throws IOException {
        if (file == null) {
            InputStream in = InventoryFile.class.getResourceAsStream(BUNDLED);
            if (in == null) {
                throw new IOException("the bundled fleet " + BUNDLED + " is missing from the class path");
            }
            try (in) {
                return CsvInventory.read(in, describe(), checks, options);
            }
        }
        try {
            return CsvInventory.read(file, checks, options);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such inventory file");
        }
    }

    /**
     * The file's current stamp.
     *
     * @return the stamp, or {@code null} for the bundled fleet or a file that cannot be read now
     */
    Stamp stamp() {
        if (file == null) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return null;
        }
    }
}
