package io.github.wardops.ward.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.TcpConnect;
import io.github.wardops.ward.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123456789Z");

    static final class Losses implements Spool.Listener {
        final Map<String, AtomicLong> dropped = new java.util.HashMap<>();
        final List<String> corrupt = new ArrayList<>();

        @Override
        public void dropped(long rows, String reason) {
            dropped.computeIfAbsent(reason, k -> new AtomicLong()).addAndGet(rows);
        }

        @Override
        public void corrupt(String message) {
            corrupt.add(message);
        }

        long dropped(String reason) {
            AtomicLong a = dropped.get(reason);
            return a == null ? 0 : a.get();
        }
    }

    static List<ProbeResult> batch(int from, int n) {
        List<ProbeResult> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            DeviceId d = DeviceId.fromKey("dev-" + i);
            Instant at = T0.plusMillis(i);
            out.add(switch (i % 4) {
                case 0 -> new ProbeResult.Up(d, "icmp", "icmp", at, Duration.ofNanos(41_000 + i),
                        PingStats.of(3, new long[] {40_000, 41_000 + i, 45_000}, 3));
                case 1 -> new ProbeResult.Down(d, "icmp", "icmp", at, DownReason.TIMEOUT, "no reply",
                        new PingStats(3, 0, null, null, null, null));
                case 2 -> new ProbeResult.Up(d, "tcp:443", "tcp", at, Duration.ofMillis(2),
                        new TcpConnect(443, Duration.ofMillis(2)));
                default -> new ProbeResult.Unknown(d, "icmp", "icmp", at, "prober failed: é\ttab");
            });
        }
        return out;
    }

    private static List<ProbeResult> drainAll(Spool s) throws Exception {
        List<ProbeResult> got = new ArrayList<>();
        s.replay(got::addAll, Integer.MAX_VALUE);
        return got;
    }

    /** Compares what matters to storage: identity, time, status and values. */
    static void assertSameResults(List<ProbeResult> expected, List<ProbeResult> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            ProbeResult e = expected.get(i);
            ProbeResult a = actual.get(i);
            assertEquals(e.getClass(), a.getClass());
            assertEquals(e.device(), a.device());
            assertEquals(e.check(), a.check());
            assertEquals(e.type(), a.type());
            assertEquals(e.at(), a.at());
            assertEquals(e.measurement().values(), a.measurement().values());
            if (e instanceof ProbeResult.Down d) {
                assertEquals(d.reason(), ((ProbeResult.Down) a).reason());
                assertEquals(d.detail(), ((ProbeResult.Down) a).detail());
            }
        }
    }

    @Test
    void replaysInOrderAcrossSegmentsAndReopens(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(T0);
        Losses losses = new Losses();
        List<ProbeResult> all = new ArrayList<>();
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 4096, clock, losses)) {
            for (int b = 0; b < 20; b++) {
                List<ProbeResult> batch = batch(b * 10, 10);
                all.addAll(batch);
                s.append(batch);
            }
            assertTrue(s.bytes() > 4096, "several segments");
            assertEquals(200, s.pendingRows());
        }
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 4096, clock, losses)) {
            assertEquals(200, s.pendingRows());
            assertEquals(T0.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), s.oldest().orElseThrow());
            assertSameResults(all, drainAll(s));
            assertTrue(s.isEmpty());
            assertEquals(0, s.bytes());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("segment-")).count(),
                    "replayed segments are deleted");
        }
        assertEquals(Map.of(), losses.dropped);
    }

    /** Spooled results are the operator's data: no other local user may read them or plant a segment. */
    @Test
    void theSpoolDirectoryAndItsFilesAreForTheOwnerOnly(@TempDir Path parent) throws Exception {
        Path dir = parent.resolve("spool");
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), new Losses())) {
            s.append(batch(0, 3));
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(dir)));
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void aFailingHandlerKeepsTheRecord(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), new Losses())) {
            s.append(batch(0, 3));
            s.append(batch(3, 3));
            List<ProbeResult> got = new ArrayList<>();
            int[] calls = {0};
            assertThrows(IOException.class, () -> s.replay(b -> {
                if (calls[0]++ == 1) {
                    throw new IOException("database away");
                }
                got.addAll(b);
            }, 10));
            assertEquals(3, got.size());
            assertEquals(3, s.pendingRows());
            got.addAll(drainAll(s));
            assertSameResults(batch(0, 6), got);
        }
    }

    @Test
    void theByteCapDropsTheOldestSegmentAndCountsItsRows(@TempDir Path dir) throws Exception {
        Losses losses = new Losses();
        ManualClock clock = new ManualClock(T0);
        try (Spool s = new Spool(dir, 16_384, Duration.ofHours(1), 4096, clock, losses)) {
            int appended = 0;
            for (int b = 0; b < 100; b++) {
                s.append(batch(b * 10, 10));
                appended += 10;
            }
            assertTrue(s.bytes() <= 16_384, "bytes " + s.bytes());
            long kept = s.pendingRows();
            assertTrue(losses.dropped("bytes") > 0);
            assertEquals(appended, kept + losses.dropped("bytes"), "every row is either kept or counted as dropped");
            List<ProbeResult> got = drainAll(s);
            assertEquals(kept, got.size());
            // what is kept is the newest, in order
            assertSameResults(batch(appended - (int) kept, (int) kept), got);
        }
    }

    @Test
    void theAgeCapDropsOldSegments(@TempDir Path dir) throws Exception {
        Losses losses = new Losses();
        ManualClock clock = new ManualClock(T0);
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofMinutes(10), 4096, clock, losses)) {
            s.append(batch(0, 5));
            clock.advance(Duration.ofMinutes(11));
            s.append(batch(5, 5));
            assertEquals(5, losses.dropped("age"));
            assertSameResults(batch(5, 5), drainAll(s));
        }
    }

    @Test
    void aCorruptRecordIsSkippedReportedAndTheRestReplayed(@TempDir Path dir) throws Exception {
        Losses losses = new Losses();
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), losses)) {
            s.append(batch(0, 4));
            s.append(batch(4, 4));
            s.append(batch(8, 4));
        }
        Path seg;
        try (Stream<Path> files = Files.list(dir)) {
            seg = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(seg);
        int second = secondRecordOffset(bytes);
        bytes[second + Spool.HEADER + 10] ^= 0x5A; // flip bits in the second record's payload
        Files.write(seg, bytes);
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), losses)) {
            List<ProbeResult> got = drainAll(s);
            List<ProbeResult> expected = new ArrayList<>(batch(0, 4));
            expected.addAll(batch(8, 4));
            assertSameResults(expected, got);
            assertEquals(1, losses.corrupt.size());
            assertTrue(losses.corrupt.getFirst().contains("checksum mismatch"), losses.corrupt.getFirst());
            assertTrue(losses.corrupt.getFirst().contains(seg.getFileName().toString()));
        }
        assertTrue(Files.exists(seg.resolveSibling(seg.getFileName() + ".corrupt")), "kept for inspection");
        assertFalse(Files.exists(seg));
    }

    @Test
    void aTornTailIsCutAndEarlierRecordsKept(@TempDir Path dir) throws Exception {
        Losses losses = new Losses();
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), losses)) {
            s.append(batch(0, 4));
            s.append(batch(4, 4));
        }
        Path seg;
        try (Stream<Path> files = Files.list(dir)) {
            seg = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), losses)) {
            assertEquals(4, s.pendingRows());
            assertSameResults(batch(0, 4), drainAll(s));
        }
    }

    @Test
    void garbageFilesInTheDirectoryAreNotSegments(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.write(dir.resolve("segment-0000000000000000001.spool"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26});
        Losses losses = new Losses();
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), losses)) {
            s.append(batch(0, 2));
            assertSameResults(batch(0, 2), drainAll(s));
            assertEquals(1, losses.corrupt.size(), "the damaged segment is reported");
        }
        assertTrue(Files.exists(dir.resolve("notes.txt")));
    }

    @Test
    void aDirectoryIsUsedByOneSpoolAtATime(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), new Losses())) {
            IOException e = assertThrows(IOException.class,
                    () -> new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), new Losses()));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertTrue(s.isEmpty());
        }
        new Spool(dir, 1 << 20, Duration.ofHours(1), 1 << 16, new ManualClock(T0), new Losses()).close();
    }

    @Test
    void codecRoundTripsEveryKind() throws Exception {
        List<ProbeResult> b = batch(0, 8);
        List<ProbeResult> back = SpoolCodec.decode(SpoolCodec.encode(b));
        assertSameResults(b, back);
        assertEquals(PingStats.class, back.get(0).measurement().getClass());
        assertEquals(Measurement.NONE, back.get(3).measurement());
        assertThrows(IOException.class, () -> SpoolCodec.decode(new byte[] {0, 0, 0, 1, 9}));
    }

    private static int secondRecordOffset(byte[] bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        int len = b.getInt(4);
        return Spool.HEADER + len;
    }
}
