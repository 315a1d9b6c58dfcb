package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The status snapshot: its statuses and its alerts come from one moment, or it says they do not. */
class StatusResourceTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30Z");
    private final Device a = device("a-router", "127.44.0.1");
    private final Device b = device("b-switch", "127.44.0.2");
    private final Device c = device("c-atm", "127.44.0.3");

    private static Device device(String name, String address) {
        return Device.builder(DeviceId.fromKey(name), name, InetAddress.ofLiteral(address)).build();
    }

    private static DeviceState state(Device d, DeviceStatus s, int failures) {
        return new DeviceState(StateKey.of(d.id()), s, AT, false, 0, failures, failures == 0 ? 1 : 0, AT,
                failures == 0 ? null : AT, null, "");
    }

    @Test
    void stillStatusesGiveAConsistentSnapshotAtTheFirstAttempt() {
        Map<DeviceId, DeviceState> states = Map.of(a.id(), state(a, DeviceStatus.DOWN, 5), b.id(), state(b, DeviceStatus.UP, 1));
        AtomicInteger alertReads = new AtomicInteger();
        var s = StatusResource.snapshot(List.of(c, b, a), states::get, () -> {
            alertReads.incrementAndGet();
            return List.of("alert on a");
        });
        assertTrue(s.consistent());
        assertEquals(1, alertReads.get());
        assertEquals(List.of(a, b, c), s.devices(), "sorted by name");
        assertEquals(List.of("alert on a"), s.alerts());
        Map<String, Integer> counts = StatusResource.counts(s);
        assertEquals(List.of("UP", "DOWN", "UNKNOWN", "UNREACHABLE", "FAILING", "FLAPPING", "ALERTS").stream().sorted().toList(),
                counts.keySet().stream().sorted().toList(), "every count is present");
        assertEquals(1, counts.get("UP"));
        assertEquals(1, counts.get("DOWN"));
        assertEquals(1, counts.get("UNKNOWN"), "an untracked device counts as UNKNOWN");
        assertEquals(0, counts.get("UNREACHABLE"));
        assertEquals(1, counts.get("FAILING"), "the UP device with a failed probe is failing");
        assertEquals(1, counts.get("ALERTS"));
    }

    @Test
    void aStatusThatMovesWhileAlertsAreReadIsReadAgain() {
        // Device a recovers while the alerts are read: the alert read then may still be open. The
        // snapshot must not pair that alert with the UP status; it reads again.
        Map<DeviceId, DeviceState> states = new HashMap<>(Map.of(a.id(), state(a, DeviceStatus.DOWN, 5)));
        AtomicInteger alertReads = new AtomicInteger();
        var s = StatusResource.snapshot(List.of(a), states::get, () -> {
            if (alertReads.incrementAndGet() == 1) {
                states.put(a.id(), state(a, DeviceStatus.UP, 0));
                return List.of("alert on a");
            }
            return List.of();
        });
        assertTrue(s.consistent());
        assertEquals(2, alertReads.get());
        assertEquals(DeviceStatus.UP, s.states().get(a.id()).status());
        assertEquals(List.of(), s.alerts(), "the alert of the recovered device is not paired with UP");
    }

    @Test
    void statusesThatNeverSettleAreAnsweredAsInconsistentAfterTheLastAttempt() {
        Map<DeviceId, DeviceState> states = new HashMap<>(Map.of(a.id(), state(a, DeviceStatus.DOWN, 5)));
        AtomicInteger alertReads = new AtomicInteger();
        var s = StatusResource.snapshot(List.of(a), states::get, () -> {
            alertReads.incrementAndGet();
            DeviceStatus now = states.get(a.id()).status();
            states.put(a.id(), state(a, now == DeviceStatus.DOWN ? DeviceStatus.UP : DeviceStatus.DOWN, 0));
            return List.of("alert " + alertReads.get());
        });
        assertFalse(s.consistent());
        assertEquals(StatusResource.ATTEMPTS, alertReads.get(), "bounded: it gives up");
    }

    @Test
    void aDeviceThatAppearsInTheTrackerMeanwhileIsAMove() {
        Map<DeviceId, DeviceState> states = new HashMap<>();
        AtomicInteger alertReads = new AtomicInteger();
        var s = StatusResource.snapshot(List.of(a), states::get, () -> {
            if (alertReads.incrementAndGet() == 1) {
                states.put(a.id(), state(a, DeviceStatus.DOWN, 3));
            }
            return List.of();
        });
        assertTrue(s.consistent());
        assertEquals(2, alertReads.get());
        assertEquals(1, StatusResource.counts(s).get("DOWN"));
        assertFalse(StatusResource.sameStatuses(Map.of(), Map.of(a.id(), state(a, DeviceStatus.UP, 0))));
    }

    @Test
    void theProblemDevicesAreDownUnreachableFailingOrFlapping() {
        assertTrue(StatusResource.problem(state(a, DeviceStatus.DOWN, 3)));
        assertTrue(StatusResource.problem(state(a, DeviceStatus.UNREACHABLE, 3)));
        assertTrue(StatusResource.problem(state(a, DeviceStatus.UP, 1)), "failing: a failed probe, DOWN not confirmed");
        assertFalse(StatusResource.problem(state(a, DeviceStatus.UP, 0)));
        assertFalse(StatusResource.problem(state(a, DeviceStatus.UNKNOWN, 0)));
        assertFalse(StatusResource.problem(null), "not tracked yet");
    }

    @Test
    void theQueryTakesOnlyDevicesAllOrProblemsAndNamesEveryBadParameter() {
        List<String> problems = new java.util.ArrayList<>();
        assertFalse(StatusResource.onlyProblems(null, problems));
        assertFalse(StatusResource.onlyProblems("", problems));
        assertFalse(StatusResource.onlyProblems("devices=all", problems));
        assertTrue(StatusResource.onlyProblems("devices=problems", problems));
        assertEquals(List.of(), problems);
        StatusResource.onlyProblems("devices=some&x=1&devices=all", problems);
        assertEquals(List.of("devices 'some' is not all or problems",
                "unknown parameter 'x' (/api/status takes only devices=all or devices=problems)",
                "devices is given more than once"), problems);
    }
}
