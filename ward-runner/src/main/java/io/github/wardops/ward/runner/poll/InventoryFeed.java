package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.InventorySource;
import io.github.wardops.ward.runner.http.ReadinessCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's inventory as {@code inventory-source} defines it: the devices of the file, those
 * of the {@code devices} table, or both (the table's devices, with the file's row winning for a
 * device in both). It remembers the last good read of each side, so a side that cannot be read
 * (a file saved half-way, a database away, a row ward cannot use) never empties the fleet: the
 * previous devices stay polled.
 *
 * <p>The table is read when its version counter (moved by a trigger on every change) moved since
 * the last read, so an unchanged table costs one single-row query per {@code inventory-poll}.
 * Not thread-safe: used at start, then from the runner's one task thread.
 */
final class InventoryFeed {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryFeed.class);

    /** What a read of the devices table gave. */
    enum DbRead {
        /** The version had not moved: nothing read. */
        UNCHANGED,
        /** The table was read and its devices kept. */
        CHANGED,
        /** The table holds rows ward cannot use (counted); the previous devices are kept until the table changes again. */
        REJECTED,
        /** The database could not be reached; retried at the next poll. */
        FAILED
    }

    private final InventorySource source;
    private final Storage storage;
    private final Function<Device, List<Check>> checks;
    private final io.micrometer.core.instrument.Counter rejected;
    private final boolean allowLinkLocal;
    private List<Device> fileDevices = List.of();
    private List<Device> dbDevices = List.of();
    private long dbVersion = Long.MIN_VALUE;
    private volatile boolean dbLoaded;
    private volatile String dbProblem = "not read yet";
    private boolean dbFailing;

    /**
     * Creates the feed.
     *
     * @param source where the inventory comes from
     * @param storage the database, or {@code null} when storage is off (then the source must be {@link InventorySource#FILE})
     * @param checks the checks each device of the table gets
     * @param registry where rejected reads of the table are counted
     */
    InventoryFeed(InventorySource source, Storage storage, Function<Device, List<Check>> checks,
                  io.micrometer.core.instrument.MeterRegistry registry) {
        this(source, storage, checks, registry, false);
    }

    /**
     * Creates the feed.
     *
     * @param source where the inventory comes from
     * @param storage the database, or {@code null} when storage is off (then the source must be {@link InventorySource#FILE})
     * @param checks the checks each device of the table gets
     * @param registry where rejected reads of the table are counted
     * @param allowLinkLocal whether rows with link-local addresses are used (else they are rows ward cannot use)
     */
    InventoryFeed(InventorySource source, Storage storage, Function<Device, List<Check>> checks,
                  io.micrometer.core.instrument.MeterRegistry registry, boolean allowLinkLocal) {
        this.allowLinkLocal = allowLinkLocal;
        this.source = Objects.requireNonNull(source, "source");
        if (source.readsDatabase() && storage == null) {
            throw new IllegalArgumentException("inventory-source " + source + " needs storage");
        }
        this.storage = storage;
        this.checks = checks;
        // The same meter as the poller's file rejections: one count of inventories that were not applied.
        this.rejected = io.micrometer.core.instrument.Counter.builder("ward.runner.inventory.reloads").tag("outcome", "rejected")
                .description("Inventory changes rejected as invalid or unreadable; the previous inventory stayed")
                .register(registry);
    }

    /**
     * Takes a good read of the file; with storage on, upserts it into the {@code devices} table
     * (a failure is logged, never thrown: the next change or restart writes it again).
     *
     * @param devices the file's devices
     */
    void fileRead(List<Device> devices) {
        fileDevices = List.copyOf(devices);
        if (storage != null) {
            storage.importInventory(devices);
        }
    }

    /**
     * Chooses every device's checks again (the stored SNMP credentials changed).
     *
     * @param checks the check chooser
     */
    void recheck(Function<Device, List<Check>> checks) {
        fileDevices = fileDevices.stream().map(d -> d.withChecks(checks.apply(d))).toList();
        dbDevices = dbDevices.stream().map(d -> d.withChecks(checks.apply(d))).toList();
    }

    /**
     * Reads the {@code devices} table when its version moved.
     *
     * @return what happened
     */
    DbRead refreshDatabase() {
        if (!source.readsDatabase()) {
            return DbRead.UNCHANGED;
        }
        long v = Long.MIN_VALUE;
        List<Device> read;
        try {
            v = storage.storage().devices().version();
            if (v == dbVersion) {
                return DbRead.UNCHANGED;
            }
            read = storage.storage().devices().loadAll(checks, allowLinkLocal);
        } catch (WardException e) {
            // Bad rows: say so once for this version of the table (the one read before loading, so a fix
            // committed meanwhile moves the version again and is read at the next poll), keep what we had.
            if (v != Long.MIN_VALUE) {
                dbVersion = v;
            }
            rejected.increment();
            dbProblem = e.getMessage();
            LOG.error("inventory: {}; still polling the previous {} devices of the table until it changes", e.getMessage(),
                    dbDevices.size());
            return DbRead.REJECTED;
        } catch (RuntimeException e) {
            dbProblem = "the database cannot be reached (" + e.getClass().getSimpleName() + ")";
            if (!dbFailing) {
                LOG.warn("inventory: the devices table cannot be read ({}); still polling the previous {} devices, "
                        + "retrying every inventory-poll", e.getClass().getSimpleName(), dbDevices.size());
                dbFailing = true;
            }
            return DbRead.FAILED;
        }
        if (dbFailing) {
            LOG.info("inventory: the devices table can be read again");
            dbFailing = false;
        }
        dbVersion = v;
        dbDevices = read;
        dbProblem = null;
        if (!dbLoaded && read.isEmpty() && source == InventorySource.DATABASE) {
            LOG.warn("inventory: the devices table is empty, so nothing is polled yet. Fix: import a CSV file with "
                    + "'ward import FILE.csv' (same --data-dir or --db-url), or insert rows with SQL; they are picked up "
                    + "within inventory-poll");
        }
        dbLoaded = true;
        return DbRead.CHANGED;
    }

    /**
     * The inventory now, per the source.
     *
     * @return the devices
     */
    List<Device> current() {
        return switch (source) {
            case FILE -> fileDevices;
            case DATABASE -> dbDevices;
            case BOTH -> merge(dbDevices, fileDevices);
        };
    }

    /**
     * The table's devices with the file's replacing those of the same id.
     *
     * @param db the table's devices
     * @param file the file's devices
     * @return the union, the file's devices first
     */
    static List<Device> merge(List<Device> db, List<Device> file) {
        Map<DeviceId, Device> all = new LinkedHashMap<>();
        for (Device d : file) {
            all.put(d.id(), d);
        }
        for (Device d : db) {
            all.putIfAbsent(d.id(), d);
        }
        return new ArrayList<>(all.values());
    }

    /**
     * The readiness check {@code inventory}, for the sources that read the table: ready once the
     * table has been read.
     *
     * @return the check
     */
    ReadinessCheck readiness() {
        return ReadinessCheck.of("inventory", () -> {
            String problem = dbProblem;
            if (dbLoaded) {
                return new ReadinessCheck.Result(true, "devices table read (" + source.name().toLowerCase(java.util.Locale.ROOT)
                        + ")" + (problem == null ? "" : "; last read: " + problem));
            }
            return new ReadinessCheck.Result(false, "the devices table has not been read: " + problem);
        });
    }
}
