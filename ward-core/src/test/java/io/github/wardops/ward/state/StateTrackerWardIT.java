package io.github.wardops.ward.state;

import static io.github.wardops.ward.testing.Results.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker plugged into the real engine as a result listener: real ICMP to loopback for the
 * reachability of two devices, and a TCP check to a closed loopback port as the reachability
 * check of a third, so it goes DOWN and alerts.
 */
class StateTrackerWardIT {

    @Test
    void theTrackerFollowsTheEngine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, Addresses.parse("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Device a = Device.builder(DeviceId.fromKey("it-a"), "a", Addresses.parse("127.0.0.2"))
                .check(Check.icmp(Duration.ofMillis(500))).build();
        Device b = Device.builder(DeviceId.fromKey("it-b"), "b", Addresses.parse("127.0.0.3")).parent(a.id())
                .check(Check.icmp(Duration.ofMillis(500))).build();
        Device c = Device.builder(DeviceId.fromKey("it-c"), "c", Addresses.parse("127.0.0.1"))
                .check(Check.tcp(closedPort, Duration.ofMillis(300))).build();
        try (Alerting alerting = Alerting.builder()
                     .rules(List.of(AlertRule.of("Down", "status == down", Severity.CRITICAL, LabelSelector.any()))).build();
             StateTracker tracker = StateTracker.builder().downAfter(2).reachabilityTypes(List.of("icmp", "tcp"))
                     .listener(alerting).build()) {
            tracker.replaceInventory(List.of(a, b, c));
            alerting.start();
            tracker.start();
            try (Ward ward = Ward.builder().listener(tracker).devices(List.of(a, b, c)).build()) {
                ward.start();
                await("a and b up", () -> tracker.status(a.id()) == DeviceStatus.UP && tracker.status(b.id()) == DeviceStatus.UP);
                await("c down", () -> tracker.status(c.id()) == DeviceStatus.DOWN);
                await("c alerted", () -> alerting.openAlerts().size() == 1);
            }
            assertEquals(c.id(), alerting.openAlerts().get(0).device());
            assertTrue(tracker.state(c.id()).orElseThrow().consecutiveFailures() >= 2);
            assertTrue(tracker.view(a.id()).orElseThrow().values().containsKey("avg_ping_ms"));
            assertEquals(1, tracker.view(a.id()).orElseThrow().dependents());
        }
    }
}
