package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.testkit.ManualClock;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's delivery rules against a small HTTP server on loopback ({@link TinyHttpServer}), which can answer
 * with any status: batching, retries, rejection, the bounded buffer, auth, gzip and close. The
 * round trip through a real VictoriaMetrics is {@code VictoriaMetricsSinkIT}.
 */
class VictoriaMetricsSinkTest {
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    record Request(String path, String contentEncoding, String authorization, String body) {
        List<String> lines() {
            return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
        }
    }

    TinyHttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    final AtomicInteger defaultStatus = new AtomicInteger(204);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new TinyHttpServer(ex -> {
            try {
                String enc = ex.headers().get("content-encoding");
                InputStream in = "gzip".equals(enc) ? new GZIPInputStream(new ByteArrayInputStream(ex.body()))
                        : new ByteArrayInputStream(ex.body());
                requests.add(new Request(ex.path(), enc, ex.headers().get("authorization"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Integer st = statuses.poll();
            return st == null ? defaultStatus.get() : st;
        });
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.close();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    VictoriaMetricsOptions.Builder options(URI uri) {
        return VictoriaMetricsOptions.builder(uri).retries(3, Duration.ofMillis(1), Duration.ofMillis(4))
                .requestTimeout(Duration.ofSeconds(5)).maxWriteTime(Duration.ofSeconds(20)).closeTimeout(Duration.ofSeconds(5));
    }

    VictoriaMetricsSink sink(VictoriaMetricsOptions o) {
        return sink(o, id -> Optional.empty());
    }

    VictoriaMetricsSink sink(VictoriaMetricsOptions o, Function<DeviceId, Optional<Device>> devices) {
        VictoriaMetricsSink s = new VictoriaMetricsSink(o, devices, registry);
        toClose.add(s);
        return s;
    }

    /** An ICMP up result: three samples (status, rtt, loss). */
    static ProbeResult up(int i) {
        return new ProbeResult.Up(DeviceId.fromKey("d" + i), "icmp", "icmp", T0.plusSeconds(i), Duration.ofMillis(1),
                PingStats.of(1, new long[] {1_000_000}, 1));
    }

    /** A TCP down result: two samples (status, port). */
    static ProbeResult tcpDown(int i) {
        return new ProbeResult.Down(DeviceId.fromKey("d" + i), "web", "tcp", T0.plusSeconds(i),
                io.github.wardops.ward.probe.DownReason.REFUSED, "", new io.github.wardops.ward.probe.TcpConnect(80, null));
    }

    double count(String name, String... tags) {
        RequiredSearch s = registry.get(name).tags(tags);
        return s.counter().count();
    }

    List<String> sentLines() {
        return requests.stream().flatMap(r -> r.lines().stream()).toList();
    }

    @Test
    void postsGzippedTextToTheImportPathWithTheBearerToken() throws Exception {
        VictoriaMetricsSink s = sink(options(base()).bearerToken(Secret.of("tok-123")).build());
        s.write(List.of(up(1)));
        assertEquals(1, requests.size());
        Request r = requests.getFirst();
        assertEquals("/api/v1/import/prometheus", r.path());
        assertEquals("gzip", r.contentEncoding());
        assertEquals("Bearer tok-123", r.authorization());
        String id = DeviceId.fromKey("d1").toString();
        long ms = T0.plusSeconds(1).toEpochMilli();
        assertEquals(List.of(
                "device_ping_status{device_id=\"" + id + "\"} 1 " + ms,
                "device_ping_rtt_ms{device_id=\"" + id + "\"} 1 " + ms,
                "device_ping_packet_loss{device_id=\"" + id + "\"} 0 " + ms), r.lines());
        assertEquals(3, count("ward.export.samples.sent", "sink", "victoriametrics"));
        assertEquals(1, count("ward.export.batches.sent"));
        assertEquals(0, registry.get("ward.export.buffer.size").gauge().value());
    }

    @Test
    void basicAuthAndUncompressedBodies() throws Exception {
        VictoriaMetricsSink s = sink(options(base()).basicAuth("ops", Secret.of("pä:ss")).compress(false).build());
        s.write(List.of(tcpDown(1)));
        Request r = requests.getFirst();
        assertNull(r.contentEncoding());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("ops:pä:ss".getBytes(StandardCharsets.UTF_8)),
                r.authorization());
        assertEquals(2, r.lines().size());
        assertTrue(r.lines().get(0).startsWith("ward_tcp_status{device_id=\""), r.body());
    }

    @Test
    void splitsTheBufferIntoBatchesInOrder() throws Exception {
        VictoriaMetricsSink s = sink(options(base()).batchSize(4).build());
        s.write(List.of(up(1), up(2), up(3)));
        assertEquals(List.of(4, 4, 1), requests.stream().map(r -> r.lines().size()).toList());
        List<String> lines = sentLines();
        assertEquals(9, lines.size());
        assertTrue(lines.get(0).startsWith("device_ping_status{device_id=\"" + DeviceId.fromKey("d1")));
        assertTrue(lines.get(8).startsWith("device_ping_packet_loss{device_id=\"" + DeviceId.fromKey("d3")));
        assertEquals(3, count("ward.export.batches.sent"));
    }

    @Test
    void retriesServerErrorsAndThrottlingWithBackoffThenSucceeds() throws Exception {
        statuses.addAll(List.of(503, 429, 500));
        VictoriaMetricsSink s = sink(options(base()).build());
        s.write(List.of(up(1)));
        assertEquals(4, requests.size(), "three failures, then success");
        assertEquals(requests.get(0).body(), requests.get(3).body(), "the same batch is sent again");
        assertEquals(3, count("ward.export.retries"));
        assertEquals(2, count("ward.export.batches.failed", "reason", "http_5xx"));
        assertEquals(1, count("ward.export.batches.failed", "reason", "http_429"));
        assertEquals(3, count("ward.export.samples.sent"));
        assertEquals(0, s.bufferedSamples());
    }

    @Test
    void aRejectedBatchIsDroppedAndCountedNotRetried() throws Exception {
        statuses.add(400);
        VictoriaMetricsSink s = sink(options(base()).batchSize(3).build());
        s.write(List.of(up(1), up(2)));
        assertEquals(2, requests.size(), "the rejected batch is not retried; the next one goes");
        assertEquals(3, count("ward.export.samples.dropped", "reason", "rejected"));
        assertEquals(1, count("ward.export.batches.failed", "reason", "http_4xx"));
        assertEquals(0, count("ward.export.retries"));
        assertEquals(3, count("ward.export.samples.sent"));
    }

    @Test
    void aBatchWithMoreSamplesThanTheBufferReachesAServerThatTakesThemWhole() throws Exception {
        // one engine batch of SNMP results can hold more samples than the buffer: none may be lost to a healthy server
        VictoriaMetricsSink s = sink(options(base()).maxBufferedSamples(5).batchSize(4).build());
        s.write(List.of(up(1), up(2), up(3), up(4)));
        List<String> lines = sentLines();
        assertEquals(12, lines.size(), lines.toString());
        for (int i = 1; i <= 4; i++) {
            String id = DeviceId.fromKey("d" + i).toString();
            assertEquals(3, lines.stream().filter(l -> l.contains("device_id=\"" + id + "\"")).count(), lines.toString());
        }
        assertTrue(lines.get(0).contains(DeviceId.fromKey("d1").toString()), "in order: " + lines);
        assertTrue(lines.get(11).contains(DeviceId.fromKey("d4").toString()), "in order: " + lines);
        assertEquals(0, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(12, count("ward.export.samples.sent"));
        assertEquals(0, s.bufferedSamples());
        assertTrue(requests.stream().allMatch(r -> r.lines().size() <= 4), "requests of at most batchSize");
    }

    @Test
    void whenSendingAFullBufferFailsTheRestOfTheWriteOnlyBuffersAndDropsTheOldest() throws Exception {
        statuses.add(204); // the first request goes through, then the server fails
        defaultStatus.set(503);
        VictoriaMetricsSink s = sink(options(base()).maxBufferedSamples(5).batchSize(5).build());
        s.write(List.of(up(1), up(2), up(3), up(4)));
        // samples 1-5 went out when the 6th found the buffer full; the 11th found it full again, that send failed
        // (an attempt and 3 retries), and samples 6 and 7 were dropped for 11 and 12; no further attempt in this write
        assertEquals(5, requests.size(), "1 sent, then 1 attempt and 3 retries");
        assertEquals(5, count("ward.export.samples.sent"));
        assertEquals(2, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(5, s.bufferedSamples());
        assertEquals(4, count("ward.export.batches.failed", "reason", "http_5xx"));

        defaultStatus.set(204);
        requests.clear();
        s.write(List.of());
        List<String> lines = sentLines();
        assertEquals(5, lines.size(), "the newest five, kept for the next write: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains(DeviceId.fromKey("d1").toString())), lines.toString());
        assertTrue(lines.getLast().contains(DeviceId.fromKey("d4").toString()), lines.toString());
    }

    @Test
    void whileTheServerFailsTheBufferKeepsTheNewestSamplesAndCountsTheOldestDropped() throws Exception {
        defaultStatus.set(503);
        VictoriaMetricsSink s = sink(options(base()).maxBufferedSamples(5).retries(2, Duration.ofMillis(1), Duration.ofMillis(2)).build());
        s.write(List.of(up(1), up(2), up(3)));
        assertEquals(3, requests.size(), "one attempt and two retries");
        assertEquals(4, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(5, s.bufferedSamples());
        assertEquals(5, registry.get("ward.export.buffer.size").gauge().value());
        s.write(List.of(tcpDown(4)));
        assertEquals(4, requests.size(), "while the server is down a write tries once, without retries");
        assertEquals(6, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(4, count("ward.export.batches.failed", "reason", "http_5xx"));

        defaultStatus.set(204);
        requests.clear();
        s.write(List.of(up(5)));
        List<String> lines = sentLines();
        assertEquals(5, lines.size(), "the buffer held 5 and one ICMP result pushed 3 more out: " + lines);
        assertTrue(lines.get(0).startsWith("ward_tcp_status"), lines.toString());
        assertTrue(lines.get(1).startsWith("ward_tcp_port"), lines.toString());
        assertTrue(lines.get(2).startsWith("device_ping_status{device_id=\"" + DeviceId.fromKey("d5")), lines.toString());
        assertEquals(9, count("ward.export.samples.dropped", "reason", "buffer_full"));
        assertEquals(0, s.bufferedSamples());
    }

    @Test
    void aRefusedConnectionIsCountedAndTheSamplesStayBuffered() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        VictoriaMetricsSink s = sink(options(URI.create("http://127.0.0.1:" + port)).build());
        s.write(List.of(up(1)));
        assertEquals(4, count("ward.export.batches.failed", "reason", "connect"));
        assertEquals(3, count("ward.export.retries"));
        assertEquals(3, s.bufferedSamples());
        assertEquals(0, count("ward.export.samples.sent"));
    }

    @Test
    void aServerThatNeverAnswersCostsAWriteNoMoreThanItsBound() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            VictoriaMetricsSink s = sink(options(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .requestTimeout(Duration.ofMillis(150)).retries(100, Duration.ofMillis(1), Duration.ofMillis(1))
                    .maxWriteTime(Duration.ofMillis(600)).closeTimeout(Duration.ofMillis(200)).build());
            // generous: the bound is 600 ms; this only proves the write cannot hang
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> s.write(List.of(up(1))));
            double timeouts = count("ward.export.batches.failed", "reason", "timeout");
            assertTrue(timeouts >= 1 && timeouts < 100, "maxWriteTime, not the 100 retries, ended the write: " + timeouts);
            assertEquals(3, s.bufferedSamples());
            assertTimeoutPreemptively(Duration.ofSeconds(30), s::close);
            assertEquals(3, count("ward.export.samples.dropped", "reason", "shutdown"));
            for (Socket c : accepted) {
                c.close();
            }
            silent.close();
            acceptor.join();
        }
    }

    @Test
    void closeFlushesWhatIsBufferedAndLaterWritesAreCountedAsDropped() throws Exception {
        defaultStatus.set(503);
        VictoriaMetricsSink s = sink(options(base()).build());
        s.write(List.of(up(1)));
        assertEquals(3, s.bufferedSamples());
        defaultStatus.set(204);
        s.close();
        assertEquals(3, count("ward.export.samples.sent"));
        assertEquals(0, count("ward.export.samples.dropped", "reason", "shutdown"));
        s.write(List.of(up(2), tcpDown(3)));
        assertEquals(5, count("ward.export.samples.dropped", "reason", "closed"));
        s.close();
    }

    @Test
    void closeWithTheServerDownDropsAndCountsTheRest() throws Exception {
        defaultStatus.set(500);
        VictoriaMetricsSink s = sink(options(base()).closeTimeout(Duration.ofMillis(300)).build());
        s.write(List.of(up(1), up(2)));
        s.close();
        assertEquals(6, count("ward.export.samples.dropped", "reason", "shutdown"));
        assertEquals(0, registry.get("ward.export.buffer.size").gauge().value());
    }

    @Test
    void deviceMetadataComesFromTheLookupAndALookupThatThrowsIsCounted() throws Exception {
        Device d = Device.builder(DeviceId.fromKey("d1"), "ATM \"7\"", InetAddress.getByName("127.0.0.9"))
                .label("device_type", "ATM").build();
        AtomicInteger calls = new AtomicInteger();
        VictoriaMetricsSink s = sink(options(base()).build(), id -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("inventory is reloading");
            }
            return id.equals(d.id()) ? Optional.of(d) : null;
        });
        s.write(List.of(up(1), up(1), up(2)));
        List<String> lines = sentLines();
        assertEquals("device_ping_status{device_id=\"" + d.id() + "\",device_ip=\"127.0.0.9\",device_name=\"ATM \\\"7\\\"\","
                + "device_type=\"ATM\"} 1 " + T0.plusSeconds(1).toEpochMilli(), lines.get(0));
        assertTrue(lines.get(3).startsWith("device_ping_status{device_id=\"" + d.id() + "\"}"), lines.get(3));
        assertTrue(lines.get(6).startsWith("device_ping_status{device_id=\"" + DeviceId.fromKey("d2") + "\"}"),
                "a lookup returning null is an unknown device");
        assertEquals(1, count("ward.export.device.lookup.failures"));
    }

    @Test
    void aMeasurementThatThrowsOrReturnsNullSkipsOnlyItsResult() throws Exception {
        VictoriaMetricsSink s = sink(options(base()).build());
        io.github.wardops.ward.probe.Measurement throwing = () -> {
            throw new IllegalStateException("half-built");
        };
        io.github.wardops.ward.probe.Measurement nulls = () -> null;
        s.write(List.of(
                new ProbeResult.Up(DeviceId.fromKey("x"), "c", "snmp", T0, Duration.ZERO, throwing),
                up(1),
                new ProbeResult.Up(DeviceId.fromKey("y"), "c", "snmp", T0, Duration.ZERO, nulls)));
        assertEquals(3, sentLines().size(), "the good result's three samples: " + sentLines());
        assertEquals(2, count("ward.export.samples.skipped", "reason", "bad_measurement"));
    }

    /**
     * The replaced system posted its metrics to the wrong host: 216 collected, 0 stored, and
     * nobody noticed. A wrong address or credentials must show in the meters and keep the data.
     */
    @Test
    void wrongAddressOrCredentialsAreCountedAndTheSamplesKeptUntilFixed() throws Exception {
        statuses.addAll(List.of(404, 401, 403));
        VictoriaMetricsSink s = sink(options(base()).retries(2, Duration.ofMillis(1), Duration.ofMillis(1)).build());
        s.write(List.of(up(1)));
        assertEquals(1, count("ward.export.batches.failed", "reason", "http_404"));
        assertEquals(2, count("ward.export.batches.failed", "reason", "http_auth"));
        assertEquals(3, s.bufferedSamples(), "kept, not dropped");
        assertEquals(0, count("ward.export.samples.dropped", "reason", "rejected"));
        requests.clear();
        s.write(List.of(up(2)));
        assertEquals(6, count("ward.export.samples.sent"), "once fixed, the kept samples arrive with the new ones");
        assertEquals(6, sentLines().size());
    }

    /**
     * The write's deadline is kept on the options' ticker: a server that (on the fake ticker)
     * takes two minutes to fail leaves a write with a one-minute budget no time to retry. On
     * real time the first failure takes milliseconds and all three retries would go.
     */
    @Test
    void theWriteDeadlineIsKeptOnTheTicker() throws Exception {
        ManualClock clock = new ManualClock(T0);
        server.close();
        server = new TinyHttpServer(ex -> {
            requests.add(new Request(ex.path(), null, null, ""));
            clock.advance(Duration.ofMinutes(2));
            return 503;
        });
        VictoriaMetricsSink s = sink(options(base()).retries(3, Duration.ZERO, Duration.ZERO)
                .maxWriteTime(Duration.ofMinutes(1)).ticker(clock).build());
        s.write(List.of(up(1)));
        assertEquals(1, requests.size(), "no retry after the deadline passed on the ticker");
        assertEquals(0, count("ward.export.retries"));
        assertEquals(1, count("ward.export.batches.failed", "reason", "http_5xx"));
        assertEquals(3, s.bufferedSamples());
    }

    /**
     * A backoff wait ends when the ticker reaches it, not after the same time really passed: a
     * one-minute backoff on a fake ticker is over as soon as the test moves the ticker on.
     */
    @Test
    void backoffWaitsOnTheTicker() throws Exception {
        ManualClock clock = new ManualClock(T0);
        statuses.add(503);
        VictoriaMetricsSink s = sink(options(base()).retries(1, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .maxWriteTime(Duration.ofMinutes(10)).ticker(clock).build());
        java.util.concurrent.CompletableFuture<Void> write = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                s.write(List.of(up(1)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // the writer waits 30-60 s (jittered) on the ticker; move it on until the write is done, a
        // fake half-minute at a time (it may read the ticker after a move, so one move may not do)
        long realDeadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        int moves = 0;
        while (!write.isDone()) {
            assertTrue(System.nanoTime() - realDeadline < 0, "the backoff did not end when the ticker passed it");
            if (!requests.isEmpty()) {
                clock.advance(Duration.ofSeconds(30));
                moves++;
            }
            try {
                write.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // keep moving
            }
        }
        write.get();
        assertTrue(moves >= 1, "the write cannot end before the ticker moved past the backoff");
        assertEquals(2, requests.size());
        assertEquals(1, count("ward.export.retries"));
        assertEquals(3, count("ward.export.samples.sent"));
    }
}
