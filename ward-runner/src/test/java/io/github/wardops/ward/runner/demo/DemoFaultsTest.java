package io.github.wardops.ward.runner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's outages follow their plan: staggered, long enough for the whole story, and every device comes back. */
class DemoFaultsTest {
    private final List<Device> fleet = new ArrayList<>();
    /** Each device's outages as [from, to) seconds since the start; to is -1 while down. */
    private final Map<String, List<long[]>> outages = new LinkedHashMap<>();
    private long now;

    DemoFaultsTest() {
        for (int i = 1; i <= 20; i++) {
            fleet.add(Device.builder(DeviceId.fromKey("d" + i), "d" + i, InetAddress.ofLiteral("127.45.0." + i))
                    .label("region", "Achara").label("branch", "Batumi").build());
        }
    }

    private void effect(Device d, boolean down) {
        List<long[]> list = outages.computeIfAbsent(d.name(), k -> new ArrayList<>());
        if (down) {
            assertTrue(list.isEmpty() || list.getLast()[1] >= 0, d.name() + " taken down twice");
            list.add(new long[] {now, -1});
        } else {
            assertTrue(!list.isEmpty() && list.getLast()[1] < 0, d.name() + " brought back while up");
            list.getLast()[1] = now;
        }
    }

    private void runUntil(DemoFaults f, long seconds) {
        for (; now <= seconds; now++) {
            f.tick(Duration.ofSeconds(now));
        }
    }

    @Test
    void theStoryHasALongOutagePastEveryEscalationAndShorterStaggeredOnes() {
        DemoFaults f = new DemoFaults(fleet, this::effect, 2, DemoFaults.STORY, DemoFaults.STORY_CYCLE);
        runUntil(f, 600 + 30);
        // First cycle: long 30-390 s, medium 90-240 s, short 300-375 s, two devices each, all different.
        assertEquals(List.of("d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"), List.copyOf(outages.keySet()),
                "each outage takes the next devices; the second cycle starts at 10:30");
        assertEquals(List.of(30L, 390L), List.of(outages.get("d1").getFirst()[0], outages.get("d1").getFirst()[1]));
        assertEquals(List.of(90L, 240L), List.of(outages.get("d3").getFirst()[0], outages.get("d3").getFirst()[1]));
        assertEquals(List.of(300L, 375L), List.of(outages.get("d5").getFirst()[0], outages.get("d5").getFirst()[1]));
        long longest = outages.get("d1").getFirst()[1] - outages.get("d1").getFirst()[0];
        assertTrue(longest > 5 * 60 + 30, "the long outage outlasts the 5-minute escalation with time to see it: " + longest);
        for (String d : List.of("d1", "d2", "d3", "d4", "d5", "d6")) {
            assertEquals(1, outages.get(d).size(), d);
            assertTrue(outages.get(d).getFirst()[1] >= 0, d + " came back");
            long length = outages.get(d).getFirst()[1] - outages.get(d).getFirst()[0];
            assertTrue(length > 60, d + " is down over a minute, so the first rule fires: " + length);
        }
        assertEquals(List.of(fleet.get(6), fleet.get(7)), f.downNow(), "the second cycle's long outage is on");
        f.endAll();
        assertTrue(f.downNow().isEmpty());
        assertTrue(outages.values().stream().allMatch(l -> l.getLast()[1] >= 0), "every device came back");
    }

    @Test
    void aDeviceStillDownIsNotTakenTwiceWhenTheCandidatesRunOut() {
        DemoFaults f = new DemoFaults(fleet.subList(0, 3), this::effect, 2, DemoFaults.STORY, DemoFaults.STORY_CYCLE);
        runUntil(f, 200);
        // long holds d1 and d2; medium gets only d3, the one not down.
        assertEquals(List.of(fleet.get(0), fleet.get(1), fleet.get(2)), f.downNow());
    }

    @Test
    void togglingTakesDevicesDownEveryIntervalAndBringsThemBackAfterAnother() {
        Duration every = Duration.ofSeconds(5);
        DemoFaults f = new DemoFaults(fleet, this::effect, 1, DemoFaults.toggling(every), every.multipliedBy(2));
        runUntil(f, 21);
        assertEquals(List.of("d1", "d2"), List.copyOf(outages.keySet()));
        assertEquals(List.of(5L, 10L), List.of(outages.get("d1").getFirst()[0], outages.get("d1").getFirst()[1]));
        assertEquals(List.of(15L, 20L), List.of(outages.get("d2").getFirst()[0], outages.get("d2").getFirst()[1]));
    }

    @Test
    void aFailingEffectIsLoggedAndTheDeviceIsStillBroughtBack() {
        List<String> calls = new ArrayList<>();
        DemoFaults f = new DemoFaults(fleet, (d, down) -> {
            calls.add(d.name() + (down ? " down" : " up"));
            if (down) {
                throw new IllegalStateException("nft failed");
            }
        }, 1, DemoFaults.toggling(Duration.ofSeconds(1)), Duration.ofSeconds(2));
        f.tick(Duration.ofSeconds(1));
        f.tick(Duration.ofSeconds(2));
        assertEquals(List.of("d1 down", "d1 up"), calls);
    }

    @Test
    void anOutageMustFitItsCycleAndDescribesItself() {
        assertThrows(IllegalArgumentException.class, () -> new DemoFaults(fleet, this::effect, 1, DemoFaults.STORY,
                Duration.ofMinutes(5)));
        List<String> lines = new DemoFaults(fleet, this::effect, 2, DemoFaults.STORY, DemoFaults.STORY_CYCLE).describe();
        assertEquals(3, lines.size());
        assertTrue(lines.getFirst().startsWith("long outage: 0:30-6:30 of every 10:00 cycle, 2 device(s): "), lines.getFirst());
        assertTrue(lines.getFirst().contains("Critical at 5 min"), lines.getFirst());
        assertEquals("d1 (127.45.0.1, Achara / Batumi)", DemoFaults.names(fleet.subList(0, 1)));
    }
}
