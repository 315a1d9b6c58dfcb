package io.github.wardops.ward.snmp.poller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceStatesTest {
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final Duration MIN = Duration.ofMinutes(1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Object> removed = new ArrayList<>();

    @Test
    void stateOfADeviceNotPolledForNIntervalsIsFreed() {
        DeviceStates<String, Object> s = new DeviceStates<>(10, 3, meters, removed::add);
        Object a = s.get("a", MIN, T0, Object::new);
        assertSame(a, s.get("a", MIN, T0.plusSeconds(170), Object::new));
        s.get("b", MIN, T0.plusSeconds(200), Object::new);
        s.sweep(T0.plusSeconds(360));
        assertEquals(List.of(a), removed);
        assertEquals(1, s.size());
        assertEquals(1.0, meters.get("ward.snmp.state.expired").counter().count());
    }

    @Test
    void anExpiredEntryIsReplacedOnAccess() {
        DeviceStates<String, Object> s = new DeviceStates<>(10, 2, meters, removed::add);
        Object a = s.get("a", MIN, T0, Object::new);
        Object again = s.get("a", MIN, T0.plusSeconds(121), Object::new);
        assertNotSame(a, again);
        assertEquals(List.of(a), removed);
    }

    @Test
    void theMapIsBoundedAndCountsEvictions() {
        DeviceStates<Integer, Object> s = new DeviceStates<>(3, 3, meters, removed::add);
        List<Object> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(s.get(i, MIN, T0, Object::new));
        }
        assertEquals(3, s.size());
        assertEquals(List.of(made.get(0), made.get(1)), removed);
        assertEquals(2.0, meters.get("ward.snmp.state.evicted").counter().count());
        assertEquals(3.0, meters.get("ward.snmp.state.devices").gauge().value());
    }
}
