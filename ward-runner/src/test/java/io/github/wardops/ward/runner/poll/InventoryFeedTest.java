package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.config.InventorySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryFeedTest {
    private static Device d(String key, String name) throws Exception {
        return Device.builder(DeviceId.fromKey(key), name, InetAddress.getByName("127.49.1.1")).build();
    }

    @Test
    void bothTakesEveryDeviceOfTheTableAndTheFilesRowWins() throws Exception {
        List<Device> db = List.of(d("a", "a in db"), d("b", "b in db"));
        List<Device> file = List.of(d("b", "b in file"), d("c", "c in file"));
        List<Device> merged = InventoryFeed.merge(db, file);
        assertEquals(List.of("b in file", "c in file", "a in db"), merged.stream().map(Device::name).toList());
    }

    @Test
    void theFileSourceNeedsNoDatabaseButTheOthersDo() {
        InventoryFeed file = new InventoryFeed(InventorySource.FILE, null, x -> List.of(), new SimpleMeterRegistry());
        assertEquals(InventoryFeed.DbRead.UNCHANGED, file.refreshDatabase(), "never reads a table");
        assertThrows(IllegalArgumentException.class, () -> new InventoryFeed(InventorySource.DATABASE, null, x -> List.of(), new SimpleMeterRegistry()));
        assertThrows(IllegalArgumentException.class, () -> new InventoryFeed(InventorySource.BOTH, null, x -> List.of(), new SimpleMeterRegistry()));
    }
}
