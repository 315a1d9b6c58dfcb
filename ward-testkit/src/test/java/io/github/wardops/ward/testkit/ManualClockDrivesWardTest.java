package io.github.wardops.ward.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CheckSettings;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A whole Ward on a ManualClock: checks run exactly when the fake time reaches them, and only then. */
class ManualClockDrivesWardTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    record Settings() implements CheckSettings {
        @Override
        public String type() {
            return "recorded";
        }
    }

    /** What one probe saw: when it was planned, and the fake time when it ran. */
    record Probe(DeviceId device, Instant planned, Instant ran) {
    }

    /** Records every probe at the fake time it runs. */
    static final class RecordingProber implements Prober {
        final ManualClock clock;
        final List<Probe> probes = new CopyOnWriteArrayList<>();

        RecordingProber(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public String type() {
            return "recorded";
        }

        @Override
        public ProbeResult probe(ProbeRequest request) {
            Instant now = clock.instant();
            probes.add(new Probe(request.device().id(), request.plannedAt(), now));
            return new ProbeResult.Up(request.device().id(), request.check().name(), type(), now, Duration.ZERO,
                    Measurement.NONE);
        }
    }

    @Test
    void checksRunExactlyAtTheirFakeTimesAndNeverBetween() throws Exception {
        ManualClock clock = new ManualClock(T0);
        RecordingProber prober = new RecordingProber(clock);
        List<ProbeResult> results = new CopyOnWriteArrayList<>();
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            devices.add(Device.builder(DeviceId.fromKey("dev-" + i), "dev-" + i, Addresses.parse("127.0.0." + i))
                    .check(new Check("r", new Settings(), INTERVAL, INTERVAL)).build());
        }
        try (Ward ward = Ward.builder().clock(clock).ticker(clock).prober(prober).listener(results::add).build()) {
            ward.inventory().replaceAll(devices);
            ward.start();
            FakeTime.settle(ward);
            assertEquals(List.of(), prober.probes, "no check is due before the fake time moves");

            // one whole interval at once: every check runs once, late, and knows when it was planned
            clock.advance(INTERVAL);
            FakeTime.settle(ward);
            assertEquals(5, prober.probes.size(), "each device once in its first interval: " + prober.probes);
            Map<DeviceId, Instant> next = new TreeMap<>(Comparator.comparing(DeviceId::toString));
            for (Probe p : prober.probes) {
                assertEquals(T0.plus(INTERVAL), p.ran());
                assertTrue(!p.planned().isBefore(T0) && !p.planned().isAfter(T0.plus(INTERVAL)), "planned " + p.planned());
                assertEquals(null, next.put(p.device(), p.planned().plus(INTERVAL)), "twice: " + p.device());
            }

            // then step the clock to each next planned time: one nanosecond early nothing runs, on time exactly that check
            for (int round = 0; round < 3; round++) {
                List<Map.Entry<DeviceId, Instant>> due = new ArrayList<>(next.entrySet());
                due.sort(Map.Entry.comparingByValue());
                for (Map.Entry<DeviceId, Instant> e : due) {
                    Instant at = e.getValue();
                    int before = prober.probes.size();
                    clock.advance(Duration.between(clock.instant(), at).minusNanos(1));
                    FakeTime.settle(ward);
                    assertEquals(before, prober.probes.size(), "nothing runs a nanosecond before " + at);
                    clock.advance(Duration.ofNanos(1));
                    FakeTime.settle(ward);
                    assertEquals(List.of(new Probe(e.getKey(), at, at)), prober.probes.subList(before, prober.probes.size()),
                            "exactly " + e.getKey() + " runs at " + at);
                    next.put(e.getKey(), at.plus(INTERVAL));
                }
            }
            assertEquals(5 + 15, results.size(), "every probe's result reached the listener by the time the Ward settled");
            assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), results.getLast().at(),
                    "results are stamped with the fake time, to the microsecond (the precision of storage)");
        }
    }
}
