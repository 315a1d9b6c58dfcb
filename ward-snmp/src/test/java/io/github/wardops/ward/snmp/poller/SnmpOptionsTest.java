package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnmpOptionsTest {

    @Test
    void optionsReportEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SnmpOptions.builder()
                .maxRequestsInFlight(0).maxRequestsPerDevice(3).maxDevices(0).stateExpiryIntervals(0)
                .maxWalkVarbinds(0).receiveBufferBytes(10).localEngineId(new byte[2]).build());
        assertEquals(7, e.problems().size(), e.getMessage());
        SnmpOptions.LabelItems li = new SnmpOptions.LabelItems(Map.of("device_type", "Router"), List.of());
        assertTrue(li.matches(Map.of("device_type", "Router", "region", "x")));
        assertFalse(li.matches(Map.of("device_type", "ATM")));
    }
}
