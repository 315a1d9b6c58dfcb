package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.runner.http.ShardOf;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What the engine polls as shards are gained and lost ({@link Cluster#gained}, {@link Cluster#lost})
 * and the inventory is reloaded: exactly the fleet's devices of the shards owned, by their keys of
 * the inventory now (a child in its root's shard, a device whose zone changed in its new shard).
 * A lost shard is handed over from the shard-to-devices index, not a scan of the engine.
 */
class ClusterHandoverTest {
    private static Device device(int i, String zone, DeviceId parent) {
        Device.Builder b = Device.builder(DeviceId.fromKey("handover-" + i), "h" + i,
                InetAddress.ofLiteral("127.51." + (i / 250) + "." + (1 + i % 250)));
        if (zone != null) {
            b.label(ShardOf.ZONE_LABEL, zone);
        }
        if (parent != null) {
            b.parent(parent);
        }
        return b.build();
    }

    private static Map<DeviceId, ShardKey> keys(List<Device> fleet) {
        Map<DeviceId, Device> byId = new LinkedHashMap<>();
        fleet.forEach(d -> byId.put(d.id(), d));
        Map<DeviceId, ShardKey> k = new LinkedHashMap<>();
        for (Device d : fleet) {
            k.put(d.id(), ShardOf.key(d, id -> Optional.ofNullable(byId.get(id))));
        }
        return k;
    }

    private static Set<String> polled(Ward ward) {
        Set<String> names = new TreeSet<>();
        ward.inventory().devices().forEach(d -> names.add(d.name()));
        return names;
    }

    private static Set<String> namesOf(List<Device> fleet, Predicate<ShardKey> owned) {
        Map<DeviceId, ShardKey> k = keys(fleet);
        Set<String> names = new TreeSet<>();
        for (Device d : fleet) {
            if (owned.test(k.get(d.id()))) {
                names.add(d.name());
            }
        }
        return names;
    }

    @Test
    void theEnginePollsExactlyTheDevicesOfTheShardsOwnedThroughHandoversAndReloads() throws Exception {
        List<Device> fleet = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            fleet.add(device(i, null, null));
        }
        Map<DeviceId, ShardKey> k = keys(fleet);
        ShardKey a = k.get(fleet.get(0).id());
        Device inB = fleet.stream().filter(d -> !k.get(d.id()).equals(a)).findFirst().orElseThrow();
        ShardKey b = k.get(inB.id());
        Device other = fleet.stream().filter(d -> !k.get(d.id()).equals(a) && !k.get(d.id()).equals(b))
                .findFirst().orElseThrow();
        fleet.add(device(600, null, other.id()));   // a child of a device of neither shard: in its root's shard
        fleet.add(device(601, null, fleet.get(0).id()));   // a child in shard a
        try (Ward ward = Ward.builder().build();
             StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
             Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build()) {
            Cluster cluster = new Cluster(ward, tracker, alerting, null, null, new SimpleMeterRegistry(),
                    DeviceId.fromKey("handover-health"));
            try {
                cluster.gained(a, 1);
                cluster.gained(b, 1);
                cluster.inventoryChanged(fleet);
                Set<String> ab = namesOf(fleet, key -> key.equals(a) || key.equals(b));
                assertTrue(ab.contains("h601") && !ab.contains("h600"), ab.toString());
                assertEquals(ab, polled(ward), "the devices of shards a and b");

                cluster.lost(a);
                assertEquals(namesOf(fleet, b::equals), polled(ward), "a handed over, b kept");
                cluster.lost(a);   // again: nothing to hand over
                cluster.lost(new ShardKey("nowhere", 7));
                assertEquals(namesOf(fleet, b::equals), polled(ward));

                // a reload moves a device of b into zone east, whose shard this runner owns too
                List<Device> reloaded = new ArrayList<>(fleet);
                reloaded.replaceAll(d -> d.id().equals(inB.id()) ? device(Integer.parseInt(inB.name().substring(1)), "east", null) : d);
                ShardKey east = keys(reloaded).get(inB.id());
                assertNotEquals(b, east);
                cluster.gained(east, 1);
                cluster.inventoryChanged(reloaded);
                Set<String> bAndEast = namesOf(reloaded, key -> key.equals(b) || key.equals(east));
                assertTrue(bAndEast.contains(inB.name()), bAndEast.toString());
                assertEquals(bAndEast, polled(ward));

                cluster.lost(b);
                assertEquals(Set.of(inB.name()), polled(ward), "the moved device is east's now: kept when b goes");
                cluster.lost(east);
                assertEquals(Set.of(), polled(ward));

                cluster.gained(a, 2);   // taken up again: the index follows the adoption
                cluster.inventoryChanged(reloaded);
                assertEquals(namesOf(reloaded, a::equals), polled(ward));
                cluster.lost(a);
                assertEquals(Set.of(), polled(ward));
            } finally {
                cluster.close();
            }
        }
    }
}
