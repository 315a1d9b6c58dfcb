package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which open zone alerts {@link Cluster#checkZones} resolves because their zone left the
 * inventory: decided by the alert's device id against the zones known, not by its name.
 * (ClusterIT covers the alert opening and resolving with real runners.)
 */
class ClusterZoneAlertsTest {
    private static final Instant T = Instant.parse("2026-12-07T06:00:00Z");

    private static Alert alert(DeviceId device, String name, String rule) {
        return new Alert(UUID.randomUUID(), device, name, 0, rule, Severity.HIGH, name + " has no live ward runner", T, T,
                null, null, null, null, 0);
    }

    @Test
    void onlyZoneAlertsOfZonesNoLongerKnownAreResolved() {
        Alert west = alert(Cluster.zoneAlertDevice("west"), "zone west", Cluster.ZONE_RULE);
        Alert north = alert(Cluster.zoneAlertDevice("north"), "zone north", Cluster.ZONE_RULE);
        Alert spaced = alert(Cluster.zoneAlertDevice("zone a b"), "zone zone a b", Cluster.ZONE_RULE);
        Alert down = alert(DeviceId.fromKey("router-1"), "zone north", "Down");
        Alert misnamed = alert(Cluster.zoneAlertDevice("gone"), "zone west", Cluster.ZONE_RULE);
        List<Alert> open = List.of(west, north, spaced, down, misnamed);

        assertEquals(List.of(north, misnamed), Cluster.zoneAlertsOfZonesGone(open, Set.of("west", "zone a b")),
                "north left the fleet; a device alert named like a zone is not a zone alert; the id decides, not the name");
        assertEquals(List.of(west, north, spaced, misnamed), Cluster.zoneAlertsOfZonesGone(open, Set.of()),
                "no zone left: every zone alert resolves");
        assertEquals(List.of(), Cluster.zoneAlertsOfZonesGone(List.of(west, down), Set.of("west")));
    }
}
