package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The uplinks index: counts per provider by confirmed state, bounded provider labels, removed devices dropped. */
class UplinksTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Device device(int i) {
        DeviceId id = DeviceId.fromKey("uplinks-" + i);
        return Device.builder(id, "r" + i, InetAddress.ofLiteral("127.48.0." + (i % 250 + 1))).build();
    }

    private static SnmpInterface iface(int index, String role, String provider) {
        return new SnmpInterface(index, "Gi0/" + index, "GigabitEthernet0/" + index, "", 6, 1500, 1_000_000_000L, "", 1, 1,
                role, provider == null ? Map.of() : Map.of("provider", provider),
                new InterfaceCounters(1L, 2L, 3L, 4L, 0L, 0L, 0L, 0L, true), InterfaceRates.NONE);
    }

    @Test
    void countsPerProviderAndDevicesWithEveryUplinkDown() {
        Device a = device(1);
        Device b = device(2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StateTracker tracker = StateTracker.builder().downAfter(1).upAfter(1).sweepEvery(Duration.ZERO)
                .store(StateStore.inMemory()).meterRegistry(registry).build()) {
            tracker.replaceInventory(List.of(a, b));
            tracker.start();
            Uplinks u = new Uplinks(tracker, registry, Clock.systemUTC());
            u.update(a.id(), List.of(iface(1, "uplink", "Magti"), iface(2, "uplink", "Silknet"), iface(3, null, null)));
            u.update(b.id(), List.of(iface(1, "uplink", "Magti"), iface(2, "uplink", null), iface(3, "trunk", null)));
            tracker.onInterfaceStatus(a.id(), 1, false, T0);
            tracker.onInterfaceStatus(a.id(), 2, false, T0);
            tracker.onInterfaceStatus(b.id(), 1, true, T0);
            Uplinks.Counts c = u.count();
            assertEquals(2, c.devices());
            assertEquals(1, c.devicesAllDown(), "a's uplinks are both down; b's is up");
            assertEquals(List.of(new Uplinks.Provider("Magti", 1, 1, 0), new Uplinks.Provider("Silknet", 0, 1, 0),
                    new Uplinks.Provider("none", 0, 0, 1)), c.providers(), "b's second uplink is not watched");
            assertEquals(1.0, registry.get("ward.runner.uplinks").tags("provider", "Magti", "status", "down").gauge().value());
            // a device that no longer has uplinks, and one that left the inventory, count no more
            u.update(b.id(), List.of(iface(1, null, null)));
            tracker.replaceInventory(List.of(b));
            assertEquals(new Uplinks.Counts(List.of(), 0, 0), u.count());
        }
    }

    @Test
    void providerLabelsAreBounded() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Device> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(device(i));
        }
        try (StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).meterRegistry(registry)
                .sweepEvery(Duration.ZERO).build()) {
            tracker.replaceInventory(many);
            tracker.start();
            Uplinks u = new Uplinks(tracker, registry, Clock.systemUTC());
            for (int i = 0; i < many.size(); i++) {
                u.update(many.get(i).id(), List.of(iface(1, "uplink", "isp" + i)));
            }
            Uplinks.Counts c = u.count();
            assertEquals(Uplinks.MAX_PROVIDERS + 1, c.providers().size(), "100 providers and other");
            Uplinks.Provider other = c.providers().stream().filter(p -> p.provider().equals(Uplinks.OTHER)).findFirst()
                    .orElseThrow();
            assertEquals(50, other.unknown());
            long series = registry.getMeters().stream().filter(m -> m.getId().getName().equals("ward.runner.uplinks")).count();
            assertTrue(series <= 3L * (Uplinks.MAX_PROVIDERS + 1), "gauges: " + series);
        }
    }
}
