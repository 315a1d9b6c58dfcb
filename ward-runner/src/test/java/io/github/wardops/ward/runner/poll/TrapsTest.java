package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.TrapLog;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.github.wardops.ward.snmp.poller.TrapEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Matching a trap's address to a device of the inventory, and the per-device bound on kept traps. */
class TrapsTest {
    private static final DeviceId A = DeviceId.fromKey("trap-a");
    private static final DeviceId B = DeviceId.fromKey("trap-b");
    private static final DeviceId C = DeviceId.fromKey("trap-c");

    private static Device device(DeviceId id, String address) {
        return Device.builder(id, id.toString(), InetAddress.ofLiteral(address)).build();
    }

    private static TrapEvent trap(String oid, int sysUpTime) {
        return new TrapEvent(Instant.EPOCH.plusSeconds(sysUpTime), new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40000),
                null, SnmpVersion.V2C, false, null, SnmpOid.parse(oid), null, sysUpTime, List.of(), null, 0, 0);
    }

    @Test
    void aTrapIsStoredWithItsKindAddressesAndBindings() {
        TrapEvent e = new TrapEvent(Instant.EPOCH, new InetSocketAddress(InetAddress.ofLiteral("::1"), 40000),
                InetAddress.ofLiteral("127.47.0.1"), SnmpVersion.V2C, true, null, SnmpOid.parse("1.3.6.1.6.3.1.1.5.3"),
                "linkDown", -1, List.of(new io.github.wardops.ward.snmp.SnmpVarBind(SnmpOid.parse("1.3.6.1.2.1.2.2.1.1.3"),
                        new io.github.wardops.ward.snmp.SnmpValue.Integer32(3))), 3, 1, 0);
        io.github.wardops.ward.postgres.TrapStore.Trap t = Traps.stored(A, e);
        assertEquals(new io.github.wardops.ward.postgres.TrapStore.Trap(A.value(), Instant.EPOCH, "linkDown",
                "1.3.6.1.6.3.1.1.5.3", 3, "v2c", true, "0:0:0:0:0:0:0:1", "127.47.0.1", null, null,
                List.of(new io.github.wardops.ward.postgres.TrapStore.Binding("1.3.6.1.2.1.2.2.1.1.3", "INTEGER", "3")), 1, 0), t);
        assertEquals("other", Traps.stored(A, trap("1.3.6.1.4.1.9.0.1", 5)).kind());
    }

    @Test
    void theFirstDeviceOfAnAddressGetsItsTraps() {
        Map<InetAddress, DeviceId> m = Traps.byAddress(List.of(device(A, "127.0.0.10"), device(B, "::1"),
                device(C, "127.0.0.10")));
        assertEquals(Map.of(InetAddress.ofLiteral("127.0.0.10"), A, InetAddress.ofLiteral("::1"), B), m);
    }

    @Test
    void theMapFollowsTheInventoryAndForgetsDevicesThatLeft() {
        // an engine that never starts: enterprise traps probe nothing, and these devices are not its own
        try (io.github.wardops.ward.Ward ward = io.github.wardops.ward.Ward.builder().sink(b -> { }).build()) {
            followsTheInventory(ward);
        }
    }

    private void followsTheInventory(io.github.wardops.ward.Ward ward) {
        Traps t = new Traps(new TrapLog.InMemory(3), null, ward, Duration.ofSeconds(10), System::nanoTime, new SimpleMeterRegistry());
        t.inventoryChanged(List.of(device(A, "127.0.0.10"), device(B, "127.0.0.11")));
        assertEquals(Optional.of(A), t.resolve(InetAddress.ofLiteral("127.0.0.10")));
        assertEquals(Optional.of(B), t.resolve(InetAddress.ofLiteral("127.0.0.11")));
        assertEquals(Optional.empty(), t.resolve(InetAddress.ofLiteral("127.0.0.12")));
        // enterprise traps are kept but probe nothing (no engine needed)
        for (int i = 1; i <= 5; i++) {
            t.onTrap(A, trap("1.3.6.1.4.1.9.9.41.2.0." + i, i));
        }
        t.onTrap(B, trap("1.3.6.1.4.1.9.9.41.2.0.1", 1));
        List<io.github.wardops.ward.postgres.TrapStore.Trap> latest = t.log().latest(A, 10);
        assertEquals(3, latest.size(), "snmp-trap-keep 3");
        assertEquals(List.of(5L, 4L, 3L), latest.stream().map(io.github.wardops.ward.postgres.TrapStore.Trap::sysUpTime).toList(), "newest first");
        assertEquals(2, t.log().latest(A, 2).size(), "limit");
        t.inventoryChanged(List.of(device(A, "127.0.0.20")));
        assertEquals(Optional.empty(), t.resolve(InetAddress.ofLiteral("127.0.0.10")), "A moved");
        assertEquals(Optional.of(A), t.resolve(InetAddress.ofLiteral("127.0.0.20")));
        assertEquals(Optional.empty(), t.resolve(InetAddress.ofLiteral("127.0.0.11")), "B left");
        assertTrue(t.log().latest(B, 10).isEmpty(), "B's traps are forgotten with it");
        assertEquals(3, t.memory().size());
        t.close();
    }

    @Test
    void theLatestTrapIsHeldForTheRulesUntilANewerOneOrTheHoldEnds() {
        List<io.github.wardops.ward.probe.ProbeResult> told = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        try (io.github.wardops.ward.Ward ward = io.github.wardops.ward.Ward.builder().sink(b -> { }).build()) {
            ward.inventory().replaceAll(List.of(device(A, "127.0.0.10")));
            Traps t = new Traps(new TrapLog.InMemory(3), null, ward, Duration.ofSeconds(10), now::get,
                    new SimpleMeterRegistry(), told::add, Duration.ofMinutes(15));
            try {
                TrapEvent linkDown = new TrapEvent(Instant.EPOCH, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.10"), 40000),
                        null, SnmpVersion.V2C, false, null, SnmpOid.parse("1.3.6.1.6.3.1.1.5.3"), "linkDown", 5, List.of(), 3, 0, 0);
                t.onTrap(A, linkDown);
                assertEquals(1, told.size());
                assertEquals("trap", told.getFirst().check());
                assertEquals(Map.of("trap:linkDown", 1.0), told.getFirst().measurement().values());
                t.onTrap(B, linkDown);
                assertEquals(1, told.size(), "not a device of this runner: nothing for the rules");

                now.addAndGet(Duration.ofMinutes(14).toNanos());
                t.expireHeld();
                assertEquals(1, told.size(), "still held");
                t.onTrap(A, trap("1.3.6.1.4.1.9.9.41.2.0.1", 6));
                assertEquals(Map.of("trap:1.3.6.1.4.1.9.9.41.2.0.1", 1.0), told.getLast().measurement().values(),
                        "a trap without a well-known name is its OID; it replaces the linkDown");
                now.addAndGet(Duration.ofMinutes(14).toNanos());
                t.expireHeld();
                assertEquals(2, told.size(), "the newer trap restarted the hold");
                now.addAndGet(Duration.ofMinutes(1).toNanos());
                t.expireHeld();
                assertEquals(3, told.size());
                assertEquals(Map.of(), told.getLast().measurement().values(), "the hold is over: trap reads none");
                assertEquals(0, t.held());
                t.expireHeld();
                assertEquals(3, told.size(), "told once");
            } finally {
                t.close();
            }
        }
    }

    @Test
    void vendorTrapsAreNamedByTheTemplatesInForceTheUsersFirst() {
        io.github.wardops.ward.snmp.poller.VendorTemplate mine = io.github.wardops.ward.snmp.poller.VendorTemplate.parse(
                "cisco.tmpl", "vendor cisco\nmatch 1.3.6.1.4.1.9\ntrap configChanged 1.3.6.1.4.1.9.9.43.2.0.1\n");
        Map<SnmpOid, String> builtIns = Traps.vendorTrapNames(io.github.wardops.ward.snmp.poller.VendorTemplate.builtIn(), List.of());
        assertEquals("ciscoConfigManEvent", builtIns.get(SnmpOid.parse("1.3.6.1.4.1.9.9.43.2.0.1")));
        Map<SnmpOid, String> names = Traps.vendorTrapNames(io.github.wardops.ward.snmp.poller.VendorTemplate.builtIn(), List.of(mine));
        assertEquals("configChanged", names.get(SnmpOid.parse("1.3.6.1.4.1.9.9.43.2.0.1")), "the user's cisco replaces the built-in");
        assertEquals(null, names.get(SnmpOid.parse("1.3.6.1.4.1.9.9.109.2.0.1")), "...with its trap lines");
        assertEquals("jnxFanFailure", names.get(SnmpOid.parse("1.3.6.1.4.1.2636.4.1.2")), "other vendors stay");

        TrapEvent config = trap("1.3.6.1.4.1.9.9.43.2.0.1", 7);
        assertEquals("configChanged", Traps.stored(A, config, names).kind());
        assertEquals("other", Traps.stored(A, trap("1.3.6.1.4.1.9.9.999.0.1", 7), names).kind(), "a trap no template names");
        assertEquals("linkDown", Traps.name(new TrapEvent(Instant.EPOCH, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40000),
                null, SnmpVersion.V2C, false, null, SnmpOid.parse("1.3.6.1.6.3.1.1.5.3"), "linkDown", 5, List.of(), 3, 0, 0), names));
    }
}
