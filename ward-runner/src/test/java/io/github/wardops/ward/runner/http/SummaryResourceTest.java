package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The summary's counts against a direct count of the same random fleet. */
class SummaryResourceTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30Z");

    static Device device(int i, String region, String branch) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (region != null) {
            labels.put("region", region);
        }
        if (branch != null) {
            labels.put("branch", branch);
        }
        return Device.builder(DeviceId.fromKey("d" + i), "d" + i, InetAddress.ofLiteral("127.45." + (i / 250) + "." + (i % 250 + 1)))
                .labels(labels).build();
    }

    static DeviceState state(Device d, DeviceStatus s, boolean failing, boolean flapping) {
        return new DeviceState(StateKey.of(d.id()), s, AT, flapping, flapping ? 60 : 0, failing ? 1 : 0, failing ? 0 : 1, AT,
                failing ? AT : null, null, "");
    }

    @Test
    void countsMatchADirectCountOfARandomFleet() throws Exception {
        Random rnd = new Random(16);
        String[] regions = {"Achara", "Imereti", "Tbilisi", null};
        List<Device> devices = new ArrayList<>();
        Map<DeviceId, DeviceState> states = new HashMap<>();
        Map<String, int[]> expectRegion = new HashMap<>();
        Map<String, int[]> expectBranch = new HashMap<>();
        int[] expectTotal = new int[7];
        for (int i = 0; i < 2_000; i++) {
            String region = regions[rnd.nextInt(regions.length)];
            String branch = rnd.nextInt(10) == 0 ? null : (region == null ? "x" : region) + "-" + rnd.nextInt(5);
            Device d = device(i, region, branch);
            devices.add(d);
            int k = rnd.nextInt(5); // 4: untracked (UNKNOWN)
            boolean failing = rnd.nextBoolean();
            boolean flapping = rnd.nextInt(4) == 0;
            if (k < 4) {
                states.put(d.id(), state(d, DeviceStatus.values()[k], failing, flapping));
            }
            DeviceState s = states.get(d.id());
            int idx = SummaryResource.KEYS.indexOf(s == null ? "UNKNOWN" : s.status().name());
            for (int[] c : new int[][] {expectTotal, expectRegion.computeIfAbsent(region, x -> new int[7]),
                    expectBranch.computeIfAbsent(region + "/" + branch, x -> new int[7])}) {
                c[idx]++;
                c[4] += s != null && s.failing() ? 1 : 0;
                c[5] += s != null && s.flapping() ? 1 : 0;
                c[6]++;
            }
        }
        SummaryResource.Summary s = SummaryResource.summarize(devices, states::get, 10_000);
        assertArrayEquals(expectTotal, s.totals());
        assertEquals(expectRegion.size(), s.regions().size());
        expectRegion.forEach((r, c) -> assertArrayEquals(c, s.regions().get(r).counts, "region " + r));
        int branches = 0;
        for (var e : s.regions().entrySet()) {
            for (var b : e.getValue().branches.entrySet()) {
                assertArrayEquals(expectBranch.get(e.getKey() + "/" + b.getKey()), b.getValue());
                branches++;
            }
        }
        assertEquals(expectBranch.size(), branches);
        assertEquals(branches, s.branches());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SummaryResource.write(s, AT, 7, out);
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        assertEquals(2_000, json.get("devices").asInt());
        assertEquals(7, json.get("alerts").asInt());
        assertEquals(expectTotal[0], json.get("counts").get("UP").asInt());
        assertEquals(expectTotal[5], json.get("counts").get("FLAPPING").asInt());
        assertEquals(4, json.get("regions").size());
        assertEquals("Achara", json.get("regions").get(0).get("region").asText(), "sorted by name, no region last");
        assertTrue(json.get("regions").get(3).get("region").isNull());
        assertEquals(branches, json.get("branches").size());
    }

    @Test
    void groupsBeyondTheBoundAreLeftOutButStillCounted() {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            devices.add(device(i, "r" + i, "b" + i));
        }
        SummaryResource.Summary s = SummaryResource.summarize(devices, id -> null, 3);
        assertTrue(s.truncated());
        assertEquals(3, s.regions().size());
        assertEquals(3, s.branches());
        assertEquals(10, s.totals()[6]);
        assertEquals(10, s.totals()[3], "untracked devices are UNKNOWN");
    }

    @Test
    void aKeptCountIsAnsweredUntilItIsStaleAndANewOneIsMadeAfter() throws Exception {
        List<Device> devices = List.of(device(1, "r", "b"));
        java.util.concurrent.atomic.AtomicInteger counts = new java.util.concurrent.atomic.AtomicInteger();
        java.time.Clock clock = java.time.Clock.fixed(AT, java.time.ZoneOffset.UTC);
        SummaryResource kept = new SummaryResource(() -> {
            counts.incrementAndGet();
            return devices;
        }, id -> null, () -> 0, clock, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
        byte[] first = kept.answer();
        assertTrue(first == kept.answer(), "the kept count, not a new one");
        assertEquals(1, counts.get());
        SummaryResource always = new SummaryResource(() -> {
            counts.incrementAndGet();
            return devices;
        }, id -> null, () -> 3, clock, 0, 0);
        JsonNode a = new ObjectMapper().readTree(always.answer());
        always.answer();
        assertEquals(3, counts.get(), "no count kept: each answer counts");
        assertEquals(3, a.get("alerts").asInt());
        assertEquals(AT.toString(), a.get("at").asText());
        assertEquals(1, a.get("counts").get("UNKNOWN").asInt());
    }
}
