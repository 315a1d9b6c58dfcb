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
import java.util.function.Function;
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
    void theKeptGroupIndexAnswersTheSameBytesAsACountFromTheLabels() throws Exception {
        // the index (slots found once per inventory) against the count that reads every device's labels
        // each time, with bounds small enough that regions and branches are left out
        Random rnd = new Random(1616);
        List<Device> devices = new ArrayList<>();
        Map<DeviceId, DeviceState> states = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String region = rnd.nextInt(12) == 0 ? null : "r" + rnd.nextInt(9);
            String branch = rnd.nextInt(10) == 0 ? null : "b" + rnd.nextInt(40);
            Device d = device(i, region, branch);
            devices.add(d);
            int k = rnd.nextInt(5);
            if (k < 4) {
                states.put(d.id(), state(d, DeviceStatus.values()[k], rnd.nextBoolean(), rnd.nextInt(4) == 0));
            }
        }
        for (int max : new int[] {10_000, 5, 30}) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            SummaryResource.write(SummaryResource.summarize(devices, states::get, max), AT, 3, a);
            SummaryResource.write(summarizeEachTime(devices, states::get, max), AT, 3, b);
            assertEquals(b.toString(java.nio.charset.StandardCharsets.UTF_8), a.toString(java.nio.charset.StandardCharsets.UTF_8),
                    "max groups " + max);
        }
    }

    @Test
    void anInventoryChangeRebuildsTheGroupIndex() throws Exception {
        List<Device> first = List.of(device(1, "r1", "b1"), device(2, "r1", "b2"));
        // device 2 moves to another region: a new Device instance, in a new list
        List<Device> second = List.of(first.get(0), device(2, "r2", "b2"));
        java.util.concurrent.atomic.AtomicReference<List<Device>> inventory = new java.util.concurrent.atomic.AtomicReference<>(first);
        SummaryResource always = new SummaryResource(inventory::get, id -> -1, () -> 0, java.time.Clock.systemUTC(), 0, 0);
        JsonNode a = new ObjectMapper().readTree(always.answer());
        assertEquals(1, a.get("regions").size());
        assertEquals(2, a.get("regions").get(0).get("devices").asInt());
        inventory.set(new ArrayList<>(first)); // same devices in a new list: same groups
        assertEquals(1, new ObjectMapper().readTree(always.answer()).get("regions").size());
        inventory.set(second);
        JsonNode b = new ObjectMapper().readTree(always.answer());
        assertEquals(2, b.get("regions").size());
        assertEquals("r2", b.get("regions").get(1).get("region").asText());
        assertEquals(1, b.get("regions").get(1).get("devices").asInt());
        assertEquals("r2", b.get("branches").get(1).get("region").asText());
    }

    @Test
    void theTrackersStatusBitsAreTheStatesStatusAndFlags() throws Exception {
        // ward's tracker answers the bits without a DeviceState copy: they must say what state() says
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            devices.add(device(i, "r", "b"));
        }
        try (io.github.wardops.ward.state.StateTracker tracker = io.github.wardops.ward.state.StateTracker.builder()
                .downAfter(3).upAfter(1).flapping(4, 20, 30).build()) {
            tracker.replaceInventory(devices);
            tracker.start();
            Random rnd = new Random(7);
            Instant at = Instant.now();
            for (int round = 0; round < 12; round++) {
                at = at.plusSeconds(30);
                for (int i = 0; i < 30; i++) { // the last 10 are never probed
                    DeviceId id = devices.get(i).id();
                    if (rnd.nextInt(3) == 0 || i % 5 == 0) {
                        tracker.onResult(new io.github.wardops.ward.probe.ProbeResult.Down(id, "icmp", "icmp", at,
                                io.github.wardops.ward.probe.DownReason.TIMEOUT, "", io.github.wardops.ward.probe.Measurement.NONE));
                    } else {
                        tracker.onResult(new io.github.wardops.ward.probe.ProbeResult.Up(id, "icmp", "icmp", at,
                                java.time.Duration.ofMillis(2), io.github.wardops.ward.probe.Measurement.NONE));
                    }
                }
            }
            java.util.function.ToIntFunction<DeviceId> fast = SummaryResource.statusOf(tracker);
            java.util.function.ToIntFunction<DeviceId> slow = SummaryResource.bits(id -> tracker.state(id).orElse(null));
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (Device d : devices) {
                assertEquals(slow.applyAsInt(d.id()), fast.applyAsInt(d.id()), d.name());
                seen.add(fast.applyAsInt(d.id()));
            }
            assertEquals(-1, fast.applyAsInt(DeviceId.fromKey("not-in-the-inventory")));
            assertTrue(seen.size() >= 3, "several statuses and flags seen: " + seen);
        }
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
        }, id -> -1, () -> 0, clock, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
        byte[] first = kept.answer();
        assertTrue(first == kept.answer(), "the kept count, not a new one");
        assertEquals(1, counts.get());
        SummaryResource always = new SummaryResource(() -> {
            counts.incrementAndGet();
            return devices;
        }, id -> -1, () -> 3, clock, 0, 0);
        JsonNode a = new ObjectMapper().readTree(always.answer());
        always.answer();
        assertEquals(3, counts.get(), "no count kept: each answer counts");
        assertEquals(3, a.get("alerts").asInt());
        assertEquals(AT.toString(), a.get("at").asText());
        assertEquals(1, a.get("counts").get("UNKNOWN").asInt());
    }

    /** The counts as they were made before the group index: every device's labels read each time; the oracle of the index. */
    private static SummaryResource.Summary summarizeEachTime(List<Device> devices, Function<DeviceId, DeviceState> state, int maxGroups) {
        int[] totals = new int[7];
        Map<String, SummaryResource.Region> regions = new HashMap<>();
        int branches = 0;
        boolean truncated = false;
        for (Device d : devices) {
            DeviceState s = state.apply(d.id());
            int status = s == null ? SummaryResource.UNKNOWN : switch (s.status()) {
                case UP -> SummaryResource.UP;
                case DOWN -> SummaryResource.DOWN;
                case UNREACHABLE -> SummaryResource.UNREACHABLE;
                case UNKNOWN -> SummaryResource.UNKNOWN;
            };
            boolean failing = s != null && s.failing();
            boolean flapping = s != null && s.flapping();
            SummaryResource.add(totals, status, failing, flapping);
            Map<String, String> labels = d.labels();
            String regionName = labels.get(SummaryResource.REGION);
            SummaryResource.Region region = regions.get(regionName);
            if (region == null) {
                if (regions.size() >= maxGroups) {
                    truncated = true;
                    continue;
                }
                region = new SummaryResource.Region();
                regions.put(regionName, region);
            }
            SummaryResource.add(region.counts, status, failing, flapping);
            String branchName = labels.get(SummaryResource.BRANCH);
            int[] branch = region.branches.get(branchName);
            if (branch == null) {
                if (branches >= maxGroups) {
                    truncated = true;
                    continue;
                }
                branch = new int[7];
                region.branches.put(branchName, branch);
                branches++;
            }
            SummaryResource.add(branch, status, failing, flapping);
        }
        return new SummaryResource.Summary(totals, regions, branches, truncated);
    }
}
