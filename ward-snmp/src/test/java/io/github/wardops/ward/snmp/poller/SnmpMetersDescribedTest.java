package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every meter the SNMP prober registers says what it counts (a Prometheus HELP line is not empty). */
class SnmpMetersDescribedTest {
    @Test
    void everyMeterHasADescription() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(InetAddress.getByName("127.0.0.1"))
                .meterRegistry(registry).build())) {
            List<Meter> meters = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("ward.snmp")).toList();
            assertTrue(meters.size() > 10, "the prober registered its meters: " + meters.size());
            TreeSet<String> undescribed = new TreeSet<>();
            for (Meter m : meters) {
                String d = m.getId().getDescription();
                if (d == null || d.isBlank()) {
                    undescribed.add(m.getId().getName());
                }
            }
            assertEquals(new TreeSet<String>(), undescribed);
        }
    }
}
