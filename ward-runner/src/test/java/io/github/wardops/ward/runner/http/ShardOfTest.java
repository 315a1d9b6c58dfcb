package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.Shards;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardOf}: a device's shard is its zone and its root's shard, a tree shares one shard,
 * a parent outside the inventory ends the walk, and a cycle of parents ends on one root for all.
 */
class ShardOfTest {
    private static Device device(String key, String parent, String zone) {
        Device.Builder b = Device.builder(DeviceId.fromKey(key), key, InetAddress.ofLiteral("127.0.0.1"));
        if (parent != null) {
            b.parent(DeviceId.fromKey(parent));
        }
        if (zone != null) {
            b.label("zone", zone);
        }
        return b.build();
    }

    private static Function<DeviceId, Optional<Device>> inventory(List<Device> devices) {
        Map<DeviceId, Device> m = new HashMap<>();
        devices.forEach(d -> m.put(d.id(), d));
        return id -> Optional.ofNullable(m.get(id));
    }

    @Test
    void aTreeSharesItsRootsShardAndEachDeviceKeepsItsZone() {
        Device core = device("core", null, null);
        Device branch = device("branch", "core", "west");
        Device atm = device("atm", "branch", "west");
        var inv = inventory(List.of(core, branch, atm));
        int rootShard = Shards.of(core.id().value());
        assertEquals(new ShardKey("", rootShard), ShardOf.key(core, inv));
        assertEquals(new ShardKey("west", rootShard), ShardOf.key(branch, inv));
        assertEquals(new ShardKey("west", rootShard), ShardOf.key(atm, inv));
        assertEquals(core.id(), ShardOf.root(atm, inv));
    }

    @Test
    void aParentOutsideTheInventoryEndsTheWalk() {
        Device orphan = device("orphan", "gone", null);
        var inv = inventory(List.of(orphan));
        assertEquals(orphan.id(), ShardOf.root(orphan, inv));
        assertEquals(new ShardKey("", Shards.of(orphan.id().value())), ShardOf.key(orphan, inv));
    }

    @Test
    void aCycleOfParentsEndsOnTheSmallestIdOfTheCycleFromEveryStart() {
        // a -> b -> c -> a, and d -> a hangs off the cycle (a device cannot be its own parent)
        Device a = device("a", "b", null);
        Device b = device("b", "c", null);
        Device c = device("c", "a", null);
        Device d = device("d", "a", null);
        var inv = inventory(List.of(a, b, c, d));
        DeviceId min = List.of(a.id(), b.id(), c.id()).stream().min((x, y) -> x.value().compareTo(y.value())).orElseThrow();
        for (Device x : List.of(a, b, c, d)) {
            assertEquals(min, ShardOf.root(x, inv), x.name());
        }
    }

    @Test
    void aLongChainAndACycleFarFromTheStartAreFollowed() {
        // 40 devices in a chain, the last pointing back to the 30th: the walk must notice the cycle
        List<Device> chain = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chain.add(device("n" + i, i == 39 ? "n30" : "n" + (i + 1), null));
        }
        var inv = inventory(chain);
        DeviceId min = chain.subList(30, 40).stream().map(Device::id).min((x, y) -> x.value().compareTo(y.value()))
                .orElseThrow();
        assertEquals(min, ShardOf.root(chain.get(0), inv));
        assertEquals(min, ShardOf.root(chain.get(35), inv));
        // without the cycle: the top of the chain
        List<Device> line = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            line.add(device("m" + i, i == 39 ? null : "m" + (i + 1), null));
        }
        assertEquals(line.get(39).id(), ShardOf.root(line.get(0), inventory(line)));
    }
}
