package io.github.wardops.ward.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.InventoryChange;
import io.github.wardops.ward.probe.TcpSettings;
import io.github.wardops.ward.state.StateTracker;
import java.time.Instant;
import java.util.Map;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The device state cache fed by a real engine probing real TCP ports on loopback. */
class DeviceStateCacheWardTest {

    private static Check reach(int port) {
        return new Check("reach", new TcpSettings(port), Duration.ofMinutes(5), Duration.ofSeconds(2));
    }

    @Test
    void theEngineFeedsTheCacheAndRemovedDevicesLeaveIt() throws Exception {
        try (ServerSocket open = new ServerSocket()) {
            open.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                closedPort = s.getLocalPort();
            }
            Device up = Device.builder(DeviceId.fromKey("up"), "up", Addresses.parse("127.0.0.1"))
                    .check(reach(open.getLocalPort())).build();
            Device down = Device.builder(DeviceId.fromKey("down"), "down", Addresses.parse("127.0.0.1"))
                    .check(reach(closedPort)).build();
            MapTier tier = new MapTier();
            try (DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(1)).reachabilityCheck("reach")
                         .shared(tier).flushInterval(Duration.ofMinutes(1)).build();
                 Ward ward = Ward.builder().listener(states).devices(List.of(up, down)).build()) {
                states.followInventory(ward.inventory());
                ward.probeNow(up.id(), "reach").get(10, TimeUnit.SECONDS);
                ward.probeNow(down.id(), "reach").get(10, TimeUnit.SECONDS);
                states.flush();
                DeviceSnapshot u = states.get(up.id()).orElseThrow();
                assertEquals(DeviceStatus.UP, u.status());
                assertNotNull(u.lastRtt());
                DeviceSnapshot d = states.get(down.id()).orElseThrow();
                assertEquals(DeviceStatus.DOWN, d.status());
                assertNotNull(d.downSince());

                ward.inventory().apply(List.of(InventoryChange.remove(down.id())));
                states.flush();
                assertEquals(1, states.trackedDevices());
                assertTrue(states.get(down.id()).isEmpty());
                assertTrue(tier.values.keySet().stream().noneMatch(k -> k.endsWith(down.id().toString())));
            }
        }
    }

    @Test
    void theStateMachineDrivesStatusFlappingAndInterfaces() throws Exception {
        try (ServerSocket open = new ServerSocket()) {
            open.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                closedPort = s.getLocalPort();
            }
            Device router = Device.builder(DeviceId.fromKey("router"), "router", Addresses.parse("127.0.0.1"))
                    .check(reach(open.getLocalPort())).build();
            Device atm = Device.builder(DeviceId.fromKey("atm"), "atm", Addresses.parse("127.0.0.1"))
                    .check(reach(closedPort)).build();
            MapTier tier = new MapTier();
            try (DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(1)).reachabilityCheck("reach")
                         .statusFromResults(false).shared(tier).flushInterval(Duration.ofMinutes(1)).build();
                 StateTracker tracker = StateTracker.builder().reachabilityTypes(List.of("tcp")).downAfter(1)
                         .listener(states).build();
                 Ward ward = Ward.builder().listener(tracker).listener(states).devices(List.of(router, atm)).build()) {
                tracker.replaceInventory(List.of(router, atm));
                tracker.start();
                ward.probeNow(router.id(), "reach").get(10, TimeUnit.SECONDS);
                ward.probeNow(atm.id(), "reach").get(10, TimeUnit.SECONDS);
                Instant at = Instant.now();
                tracker.onInterfaceStatus(router.id(), 2, false, at);
                tracker.onInterfaceValues(router.id(), 1, Map.of("if_in_bps", 1.5e6, "if_out_bps", 2.5e6), at);
                tracker.onInterfaceStatus(router.id(), 1, true, at);
                states.flush();

                DeviceSnapshot r = states.get(router.id()).orElseThrow();
                assertEquals(DeviceStatus.UP, r.status());
                assertNotNull(r.lastRtt(), "RTT still comes from the results");
                DeviceSnapshot a = states.get(atm.id()).orElseThrow();
                assertEquals(DeviceStatus.DOWN, a.status(), "confirmed by the tracker (downAfter 1)");
                assertNotNull(a.downSince());
                InterfaceSnapshots ifs = states.interfaces(router.id()).orElseThrow();
                assertEquals(2, ifs.interfaces().size());
                InterfaceSnapshot if1 = ifs.interfaces().get(0);
                assertEquals(1, if1.ifIndex());
                assertEquals(1.5e6, if1.inBps());
                assertEquals(2.5e6, if1.outBps());
                assertEquals(InterfaceSnapshot.Status.DOWN, ifs.interfaces().get(1).oper());

                tracker.apply(List.of(InventoryChange.remove(atm.id())));
                assertTrue(states.get(atm.id()).isEmpty(), "the tracker's removal reaches the cache");
                assertEquals(1, states.trackedDevices());
            }
        }
    }
}
