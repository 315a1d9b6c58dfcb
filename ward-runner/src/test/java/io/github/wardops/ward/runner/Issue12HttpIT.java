package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.RawHttp;
import io.github.wardops.ward.runner.poll.Poller;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, the HTTP part, through {@code ward run}: slow clients cannot take the API down,
 * a foreign {@code Host} gets 421, every answer carries {@code no-store} and {@code nosniff},
 * listening beyond loopback needs a token (or an explicit {@code http-allow-insecure}), and a
 * token must be usable. Real sockets on loopback only.
 */
class Issue12HttpIT {
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final String DEVICE = DeviceId.fromKey("issue12-a").toString();

    @TempDir
    Path dir;

    private Path csv() throws Exception {
        return Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n" + DEVICE + ",a,127.46.0.1\n"
                + DeviceId.fromKey("issue12-b") + ",b,127.46.0.2\n");
    }

    private static InetSocketAddress at(InProcessRunner r) {
        return new InetSocketAddress("127.0.0.1", r.poller.httpAddress().orElseThrow().getPort());
    }

    private static double metric(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), series + " in /metrics");
        return Double.parseDouble(m.group(1));
    }

    private static void assertHeaders(RawHttp.Answer a, String what) {
        assertEquals("no-store", a.header("Cache-Control"), what);
        assertEquals("nosniff", a.header("X-Content-Type-Options"), what);
    }

    @Test
    void slowBodiesAndPartialRequestLinesNeitherStopHealthNorTheApiAndAreClosedAtTheirDeadline() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0", "--http-header-timeout", "8s", "--http-body-timeout", "8s",
                "--http-max-connections", "2000", "--http-max-connections-per-address", "2000")) {
            InetSocketAddress at = at(r);
            List<RawHttp> slowBodies = new ArrayList<>();
            List<RawHttp> partialLines = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    slowBodies.add(RawHttp.connect(at).send("POST /api/alerts/" + UUID.randomUUID() + "/ack HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"us"));
                }
                for (int i = 0; i < 1000; i++) {
                    partialLines.add(RawHttp.connect(at).send("GET /api/dev"));
                }
                // All 1,100 accepted (on a loaded machine the first may already have met their deadline)
                InProcessRunner.await("1,100 slow connections accepted", Duration.ofSeconds(30), () -> {
                    String m = r.get("/metrics").body();
                    return metric(m, "ward_http_connections") + metric(m, "ward_http_rejected_total{reason=\"header-timeout\"}")
                            + metric(m, "ward_http_rejected_total{reason=\"body-timeout\"}") >= 1100;
                });

                long t0 = System.nanoTime();
                HttpResponse<String> health = r.get("/health");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, health.statusCode());
                assertTrue(ms < 1000, "/health answered after " + ms + " ms");
                assertEquals(200, r.get("/ready").statusCode(), "/ready");
                assertEquals(200, r.get("/api/devices").statusCode(), "the API's slots are free");

                // Every slow connection is answered 408 and closed once its deadline passed.
                RawHttp.Answer first = slowBodies.get(0).read();
                assertEquals(408, first.status(), first.text());
                assertHeaders(first, "408");
                RawHttp.Answer line = partialLines.get(0).read();
                assertEquals(408, line.status(), line.text());
                for (RawHttp c : slowBodies) {
                    assertTrue(c.closedWithin(Duration.ofSeconds(15)), "a slow body still open");
                }
                for (RawHttp c : partialLines) {
                    assertTrue(c.closedWithin(Duration.ofSeconds(15)), "a partial request line still open");
                }
            } finally {
                for (RawHttp c : slowBodies) {
                    c.close();
                }
                for (RawHttp c : partialLines) {
                    c.close();
                }
            }
            String metrics = r.get("/metrics").body();
            assertEquals(100, metric(metrics, "ward_http_rejected_total{reason=\"body-timeout\"}"));
            assertEquals(1000, metric(metrics, "ward_http_rejected_total{reason=\"header-timeout\"}"));
            InProcessRunner.await("the slow connections released", Duration.ofSeconds(10),
                    () -> metric(r.get("/metrics").body(), "ward_http_connections") <= 2);
        }
    }

    @Test
    void withTheDefaultLimitsSlowClientsFromManyAddressesCannotLockOutHealth() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", csv().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            InetSocketAddress at = at(r);
            List<RawHttp> slow = new ArrayList<>();
            try {
                // 300 partial request lines from 75 addresses, 4 each: under the per-address bound, over the total.
                for (int i = 0; i < 300; i++) {
                    try {
                        slow.add(RawHttp.connect(at, java.net.InetAddress.ofLiteral("127.47.0." + (i % 75 + 1)), 0)
                                .send("GET /api/dev"));
                    } catch (java.io.IOException e) {
                        // reset: evicted to make room for a later one
                    }
                }
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    assertEquals(200, r.get("/health").statusCode());
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertTrue(ms < 1000, "/health answered after " + ms + " ms");
                }
                String metrics = r.get("/metrics").body();
                assertTrue(metric(metrics, "ward_http_rejected_total{reason=\"evicted\"}") >= 44, metrics);
                assertTrue(metric(metrics, "ward_http_connections") <= 256, metrics);
            } finally {
                for (RawHttp c : slow) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aForeignHostGets421AndEveryAnswerCarriesNoStoreAndNosniff() throws Exception {
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_HTTP_TOKEN", TOKEN), "run", "--inventory", csv().toString(),
                "--interval", "1s", "--http", "127.0.0.1:0", "--http-hosts", "ward.example.org")) {
            InetSocketAddress at = at(r);
            int port = at.getPort();
            String auth = "Authorization: Bearer " + TOKEN + "\r\n";
            for (String path : List.of("/health", "/", "/ready", "/metrics", "/api/devices", "/api/alerts", "/nothing")) {
                for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.nip.io:" + port,
                        "ward.example.org.evil.example", "localhost.evil.example")) {
                    RawHttp.Answer a = RawHttp.once(at, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n");
                    assertEquals(421, a.status(), path + " for " + host);
                    assertHeaders(a, "421");
                }
            }
            RawHttp.Answer post = RawHttp.once(at, "POST /api/alerts/" + UUID.randomUUID() + "/ack HTTP/1.1\r\nHost: "
                    + "rebound.example\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"user\":\"eve\"}  ");
            assertEquals(421, post.status(), "an acknowledgement through a rebound name");
            for (String host : List.of("localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST.",
                    "ward.example.org", "WARD.example.org:8443")) {
                RawHttp.Answer a = RawHttp.once(at, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertEquals(200, a.status(), host);
            }

            // Every answer of the API, errors included, with the two headers.
            String h = "Host: 127.0.0.1:" + port + "\r\n";
            String ack = "/api/alerts/" + UUID.randomUUID() + "/ack";
            Object[][] cases = {
                {"GET /health HTTP/1.1\r\n" + h + "\r\n", 200},
                {"GET / HTTP/1.1\r\n" + h + "\r\n", 200},
                {"GET /ready HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"GET /metrics HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"GET /api/devices HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"HEAD /api/devices HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"GET /api/devices/" + DEVICE + " HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"GET /api/alerts HTTP/1.1\r\n" + h + auth + "\r\n", 200},
                {"GET /api/devices HTTP/1.1\r\n" + h + "\r\n", 401},
                {"GET /api/devices?status=sideways HTTP/1.1\r\n" + h + auth + "\r\n", 400},
                {"GET /api/devices/not-a-uuid HTTP/1.1\r\n" + h + auth + "\r\n", 400},
                {"GET /nothing HTTP/1.1\r\n" + h + auth + "\r\n", 404},
                {"GET /api/devices/" + UUID.randomUUID() + " HTTP/1.1\r\n" + h + auth + "\r\n", 404},
                {"POST " + ack + " HTTP/1.1\r\n" + h + auth + "Content-Type: application/json\r\nContent-Length: 16\r\n\r\n"
                        + "{\"user\":\"alice\"}", 404},
                {"DELETE /health HTTP/1.1\r\n" + h + "\r\n", 405},
                {"POST " + ack + " HTTP/1.1\r\n" + h + auth + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi", 415},
                {"POST " + ack + " HTTP/1.1\r\n" + h + auth + "Content-Length: 5000\r\n\r\n" + "x".repeat(5000), 413},
                {"POST " + ack + " HTTP/1.1\r\n" + h + auth + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501},
                {"GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n", 421},
                {"GET /health HTTP/3.0\r\n" + h + "\r\n", 505},
            };
            for (Object[] c : cases) {
                String request = (String) c[0];
                RawHttp.Answer a = RawHttp.once(at, request);
                String what = request.substring(0, request.indexOf('\r'));
                assertEquals((int) c[1], a.status(), what + ": " + a.text());
                assertHeaders(a, what);
                if (request.startsWith("GET / ")) {
                    assertTrue(a.header("Content-Security-Policy").startsWith("default-src 'none'"), what);
                }
                if (request.startsWith("HEAD ")) {
                    assertEquals(0, a.body().length);
                    assertTrue(Integer.parseInt(a.header("Content-Length")) > 2, "HEAD has the GET's length");
                }
            }
            r.token = TOKEN;
            String metrics = r.get("/metrics").body();
            assertEquals(37, metric(metrics, "ward_http_rejected_total{reason=\"misdirected\"}"), metrics);
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenIsRefusedUnlessAllowedExplicitly() throws Exception {
        InProcessRunner.Failed refused = InProcessRunner.runToExit("run", "--http", "0.0.0.0:0", "--inventory", csv().toString());
        assertEquals(ExitCodes.USAGE, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("http = '0.0.0.0:0' (from --http): listens beyond loopback, but no bearer token"),
                refused.err());
        assertTrue(refused.err().contains("WARD_HTTP_TOKEN_FILE") && refused.err().contains("http-allow-insecure: true"),
                refused.err());

        Logger poller = (Logger) LoggerFactory.getLogger(Poller.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        poller.addAppender(log);
        try (InProcessRunner r = InProcessRunner.start("run", "--http", "0.0.0.0:0", "--http-allow-insecure", "true",
                "--inventory", csv().toString(), "--interval", "1s")) {
            assertEquals(200, r.get("/health").statusCode());
            assertEquals(200, r.get("/api/devices").statusCode(), "an open API, as asked");
            ILoggingEvent warn = log.list.stream().filter(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("has no bearer token (http-allow-insecure: true)")).findFirst().orElse(null);
            assertNotNull(warn, "a WARN line at start: " + log.list);
        } finally {
            poller.detachAppender(log);
        }
    }

    @Test
    void aBlankOrShortTokenIsAConfigurationErrorThatNamesTheSettingButNotTheValue() throws Exception {
        for (String token : List.of("   ", "sh0rt-s3cret")) {
            Path file = Files.writeString(dir.resolve("token"), token + "\n");
            InProcessRunner.Failed f = InProcessRunner.runToExit(Map.of("WARD_HTTP_TOKEN_FILE", file.toString()),
                    "run", "--inventory", csv().toString(), "--http", "127.0.0.1:0");
            assertEquals(ExitCodes.USAGE, f.exitCode(), f.err());
            assertTrue(f.err().contains("http-token (from WARD_HTTP_TOKEN_FILE (file " + file + ")): is "), f.err());
            assertFalse(f.err().contains("s3cret") || f.out().contains("s3cret"), f.err());
        }
    }

    @Test
    void anEmptyInventoryIsAWarningNotASilentStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "id,name,address\n");
        Logger poller = (Logger) LoggerFactory.getLogger(Poller.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        poller.addAppender(log);
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", empty.toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            assertEquals(200, r.get("/health").statusCode());
            assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("has no devices: nothing is polled")), log.list.toString());
        } finally {
            poller.detachAppender(log);
        }
    }

    @Test
    void aTakenHttpPortIsReportedBeforeTheDatabaseStartsAndNamesItsHolder() throws Exception {
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"))) {
            Path data = dir.resolve("data");
            InProcessRunner.Failed f = InProcessRunner.runToExit(java.util.Map.of("WARD_STORAGE", "postgres"), "run",
                    "--inventory", csv().toString(), "--http", "127.0.0.1:" + held.getLocalPort(), "--data-dir", data.toString());
            assertEquals(ExitCodes.FAILURE, f.exitCode(), f.err());
            assertTrue(f.err().contains("cannot listen on 127.0.0.1:" + held.getLocalPort()), f.err());
            assertTrue(f.err().contains("held by java (pid " + ProcessHandle.current().pid() + ")"), f.err());
            assertTrue(!Files.exists(data.resolve("pg")), "the embedded database was not started first");
        }
    }
}
