package io.github.wardops.ward.examples.sink;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RollingJsonLinesSinkTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static ProbeResult result(int i) {
        return new ProbeResult.Unknown(DeviceId.fromKey("d" + (i % 7)), "icmp", "icmp", T0.plusSeconds(i), "result " + i);
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void rotationKeepsAtMostMaxFilesEachWithinTheLimitAndTheNewestResults() throws Exception {
        RollingOptions o = new RollingOptions(dir, "r", 1024, 3);
        long total = 0;
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            for (int b = 0; b < 20; b++) {
                List<ProbeResult> batch = new ArrayList<>();
                for (int i = b * 10; i < b * 10 + 10; i++) {
                    batch.add(result(i));
                    total += JsonLines.line(result(i)).length;
                }
                sink.write(batch);
                assertTrue(files().size() <= 3, "files: " + files());
            }
        }
        assertEquals(List.of(dir.resolve("r.1.jsonl"), dir.resolve("r.2.jsonl"), dir.resolve("r.jsonl")), files());
        long kept = 0;
        for (Path f : files()) {
            assertTrue(Files.size(f) <= 1024, f + " has " + Files.size(f) + " bytes");
            kept += Files.size(f);
        }
        List<ProbeResult> back = JsonLines.readAll(o);
        // The newest results survive, in order, ending with the last one written.
        for (int k = 0; k < back.size(); k++) {
            assertEquals(result(200 - back.size() + k), back.get(k));
        }
        assertEquals(200, counter("ward.example.jsonl.lines"));
        assertTrue(back.size() < 200 && counter("ward.example.jsonl.dropped.bytes") > 0, "old results were dropped and counted");
        assertEquals(total, kept + (long) counter("ward.example.jsonl.dropped.bytes"), "every byte is either kept or counted as dropped");
        assertEquals(counter("ward.example.jsonl.rotations") - 2, counter("ward.example.jsonl.dropped.files"));
    }

    @Test
    void withOneFileKeptRotationStartsTheFileAfresh() throws Exception {
        RollingOptions o = new RollingOptions(dir, "one", 1024, 1);
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            for (int i = 0; i < 50; i++) {
                sink.write(List.of(result(i)));
            }
        }
        assertEquals(List.of(o.current()), files());
        assertTrue(Files.size(o.current()) <= 1024);
        List<ProbeResult> back = JsonLines.readAll(o);
        assertEquals(result(49), back.getLast());
        assertEquals(counter("ward.example.jsonl.rotations"), counter("ward.example.jsonl.dropped.files"));
        assertTrue(counter("ward.example.jsonl.rotations") > 0);
    }

    @Test
    void reopeningAppendsAndCountsWhatTheFileHoldsAlready() throws Exception {
        RollingOptions o = new RollingOptions(dir, "again", 1024, 2);
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            sink.write(List.of(result(0), result(1), result(2)));
        }
        long before = Files.size(o.current());
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, new SimpleMeterRegistry())) {
            sink.write(List.of(result(3)));
            assertEquals(before + JsonLines.line(result(3)).length, Files.size(o.current()), "appended, not truncated");
            for (int i = 4; i < 30; i++) {
                sink.write(List.of(result(i)));
                assertTrue(Files.size(o.current()) <= 1024, "the existing size counts toward the limit");
            }
        }
        assertEquals(List.of(o.rotated(1), o.current()), files());
    }

    @Test
    void aLineLongerThanTheLimitGetsAFileOfItsOwn() throws Exception {
        RollingOptions o = new RollingOptions(dir, "big", 1024, 3);
        Map<String, Double> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("value_number_" + i, (double) i);
        }
        ProbeResult big = new ProbeResult.Up(DeviceId.fromKey("big"), "x", "x", T0, java.time.Duration.ofMillis(1), () -> many);
        assertTrue(JsonLines.line(big).length > 1024);
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            sink.write(List.of(result(0), big, result(1)));
        }
        assertEquals(List.of(result(0)), JsonLines.read(o.rotated(2)));
        assertEquals(1, JsonLines.read(o.rotated(1)).size());
        assertEquals(List.of(result(1)), JsonLines.read(o.current()));
    }

    @Test
    void aFailedRotationLeavesTheSinkWritingAndALaterOneSucceeds() throws Exception {
        RollingOptions o = new RollingOptions(dir, "stuck", 1024, 2);
        // A non-empty directory where the rotated file must go: deleting it fails, even for root.
        Files.createDirectories(o.rotated(1).resolve("in-the-way"));
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            List<ProbeResult> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(result(i));
            }
            assertThrows(IOException.class, () -> sink.write(many));
            // Lines before the failed rotation are written; the sink goes on with the same file.
            int before = JsonLines.read(o.current()).size();
            assertTrue(before > 0);
            Files.delete(o.rotated(1).resolve("in-the-way"));
            Files.delete(o.rotated(1));
            sink.write(List.of(result(20)));
            assertEquals(result(20), JsonLines.read(o.current()).getLast());
            assertEquals(before, JsonLines.read(o.rotated(1)).size(), "the full file was rotated");
        }
    }

    @Test
    void filesOfOtherNamesInTheDirectoryAreLeftAlone() throws Exception {
        Files.writeString(dir.resolve("other.jsonl"), "not ours\n");
        Files.writeString(dir.resolve("r.99.jsonl"), "not ours either\n");
        RollingOptions o = new RollingOptions(dir, "r", 1024, 2);
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(o, meters)) {
            for (int i = 0; i < 100; i++) {
                sink.write(List.of(result(i)));
            }
        }
        assertEquals("not ours\n", Files.readString(dir.resolve("other.jsonl")));
        assertEquals("not ours either\n", Files.readString(dir.resolve("r.99.jsonl")));
    }

    @Test
    void writingAfterCloseFails() throws Exception {
        RollingJsonLinesSink sink = RollingJsonLinesSink.open(RollingOptions.of(dir, "closed"), meters);
        sink.close();
        sink.close();
        assertThrows(IllegalStateException.class, () -> sink.write(List.of(result(0))));
        assertEquals("jsonl-closed", sink.name());
    }

    @Test
    void optionsReportEveryProblemAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new RollingOptions(null, "../up", 1023, 0));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertEquals("directory must not be null", e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("baseName = '../up'"));
        assertEquals("maxFileBytes = 1023: must be 1024-1073741824", e.problems().get(2));
        assertEquals("maxFiles = 0: must be 1-1000", e.problems().get(3));
        InvalidConfigurationException high = assertThrows(InvalidConfigurationException.class,
                () -> new RollingOptions(dir, "ok", (1L << 30) + 1, 1001));
        assertEquals(2, high.problems().size(), high.problems().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "a/b", "a\\b", "..", "tab\tname", "naïve",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void malformedBaseNamesAreRejected(String name) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new RollingOptions(dir, name, 4096, 2));
        assertEquals(1, e.problems().size());
        assertFalse(e.getMessage().contains("\t"), "control characters are not echoed");
    }

    @Test
    void aNullBaseNameIsAProblemNotANullPointer() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new RollingOptions(dir, null, 4096, 2));
        assertTrue(e.problems().getFirst().startsWith("baseName = null"));
    }
}
