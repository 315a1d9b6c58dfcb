package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.Shards;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which shard a device belongs to in cluster mode: its {@code zone} label ({@code ""} without one)
 * and {@link Shards#of} of its root's id, the root being its top-most ancestor in the inventory
 * (a device whose parent is not in the inventory is its own root). A parent and its children share
 * a shard, so one runner sees a whole dependency tree (unreachable, not down). Stateless.
 */
public final class ShardOf {
    /** The label naming a device's zone (monitoring location). */
    public static final String ZONE_LABEL = "zone";

    private ShardOf() {
    }

    /**
     * A device's shard key.
     *
     * <p>Follows {@code parentId} through the inventory to the top-most ancestor. A cycle of
     * parents (a bad inventory) cannot loop: every device of the cycle takes the smallest id of
     * the cycle as its root, so they all land in the same shard, whichever of them one starts from.
     *
     * @param device the device; never {@code null}
     * @param inventory finds a device of the inventory by id; never {@code null}
     * @return the key
     */
    public static ShardKey key(Device device, Function<DeviceId, Optional<Device>> inventory) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(inventory, "inventory");
        String zone = device.labels().getOrDefault(ZONE_LABEL, "");
        return Shards.key(zone, root(device, inventory).value());
    }

    /**
     * The id of a device's top-most ancestor in the inventory (see {@link #key}).
     *
     * @param device the device; never {@code null}
     * @param inventory finds a device of the inventory by id; never {@code null}
     * @return the root's id (the device's own when it has no parent in the inventory)
     */
    public static DeviceId root(Device device, Function<DeviceId, Optional<Device>> inventory) {
        Device d = device;
        Set<DeviceId> seen = null;
        int steps = 0;
        while (d.parentId() != null) {
            Optional<Device> parent = inventory.apply(d.parentId());
            if (parent.isEmpty()) {
                return d.id();
            }
            // Most trees are shallow: remember the path only once it is long.
            if (++steps > 16) {
                if (seen == null) {
                    seen = new HashSet<>();
                }
                if (!seen.add(d.id())) {
                    return smallestInCycle(d, inventory);
                }
            } else if (parent.get().id().equals(device.id()) || parent.get().id().equals(d.id())) {
                return smallestInCycle(d, inventory);
            }
            d = parent.get();
        }
        return d.id();
    }

    /** The smallest id of the cycle that {@code start} lies on. */
    private static DeviceId smallestInCycle(Device start, Function<DeviceId, Optional<Device>> inventory) {
        DeviceId min = start.id();
        Device d = inventory.apply(start.parentId()).orElseThrow();
        while (!d.id().equals(start.id())) {
            if (d.id().value().compareTo(min.value()) < 0) {
                min = d.id();
            }
            d = inventory.apply(d.parentId()).orElseThrow();
        }
        return min;
    }
}
