package io.github.wardops.ward.postgres.internal.repo;

import io.github.wardops.ward.internal.support.Guard;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.Inventory;
import io.github.wardops.ward.postgres.DeviceRepository;
import io.github.wardops.ward.postgres.InventorySync;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code inventory_version} (one row, moved by a trigger on every change to
 * {@code devices}) and, when it moved, replaces the engine's inventory with the table. Thread-safe.
 */
public final class InventoryPoller implements InventorySync {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryPoller.class);

    private final DeviceRepository devices;
    private final Inventory inventory;
    private final Function<Device, List<Check>> checks;
    private final ScheduledExecutorService timer;
    private long seen = Long.MIN_VALUE;
    private boolean failing;

    /**
     * Loads the table once now, then polls.
     *
     * @param devices the table
     * @param inventory the engine's inventory
     * @param checks the checks each device gets
     * @param interval the polling interval
     */
    public InventoryPoller(DeviceRepository devices, Inventory inventory, Function<Device, List<Check>> checks,
                           Duration interval) {
        this.devices = devices;
        this.inventory = inventory;
        this.checks = checks;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ward-pg-inventory").daemon(true).factory());
        poll();
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(Guard.periodic("devices table poll", LOG, this::poll), ms, ms, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            refresh();
            if (failing) {
                LOG.info("reading devices from PostgreSQL works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read devices from PostgreSQL (the engine keeps its current inventory; retrying): {}",
                        PgErrors.describe(e));
                failing = true;
            }
        }
    }

    @Override
    public synchronized boolean refresh() {
        long v = devices.version();
        if (v == seen) {
            return false;
        }
        List<Device> all = devices.loadAll(checks);
        inventory.replaceAll(all);
        seen = v;
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
