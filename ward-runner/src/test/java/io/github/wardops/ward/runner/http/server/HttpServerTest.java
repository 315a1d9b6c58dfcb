package io.github.wardops.ward.runner.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ward's HTTP server on real loopback sockets, with raw clients: strict parsing, deadlines that
 * trickling cannot stretch, the connection bounds, the write deadline, the slots, and the headers
 * on every answer.
 */
class HttpServerTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress OTHER_LOOPBACK = InetAddress.ofLiteral("127.0.0.2");
    private static final int BIG = 20 * 1024 * 1024;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private static HttpLimits limits(int max, int perAddress, int requests, Duration header, Duration body, Duration idle,
                                     Duration write) {
        return new HttpLimits(max, perAddress, requests, header, body, idle, write, List.of("ward.example"));
    }

    private InetSocketAddress start(HttpLimits limits) throws IOException {
        return start(limits, HttpLimits.SLOT_WAIT);
    }

    private InetSocketAddress start(HttpLimits limits, Duration slotWait) throws IOException {
        Router router = new Router()
                .guard((q, r) -> {
                    if (q.rawPath().equals("/secret")) {
                        r.header("WWW-Authenticate", "Bearer realm=\"test\"");
                        r.send(401, "application/json", "{\"error\":\"token\"}");
                        return false;
                    }
                    return true;
                })
                .getLight("/health", (q, r) -> r.send(200, "application/json", "{\"status\":\"ok\"}"))
                .get("/work", (q, r) -> r.send(200, "text/plain", "done"))
                .getLight("/hold", (q, r) -> {
                    holding.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    r.send(200, "text/plain", "held");
                })
                .get("/slow", (q, r) -> {
                    holding.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    r.send(200, "text/plain", "late");
                })
                .get("/big", (q, r) -> {
                    OutputStream out = r.stream(200, "application/octet-stream");
                    byte[] chunk = new byte[8192];
                    for (int i = 0; i < BIG / chunk.length; i++) {
                        out.write(chunk);
                    }
                })
                .post("/echo", (q, r) -> r.send(200, "application/octet-stream", q.body()))
                .get("/items/{id}", (q, r) -> r.send(200, "text/plain", q.param("id")))
                .get("/nice", (q, r) -> r.send(200, "text/plain", nice()))
                .get("/broken", (q, r) -> {
                    throw new IllegalStateException("a handler bug");
                });
        server = HttpServer.start(new InetSocketAddress(LOOPBACK, 0), limits, router, registry, slotWait);
        return server.address();
    }

    private InetSocketAddress start() throws IOException {
        return start(limits(64, 16, 2, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private double rejected(String reason) {
        return registry.get("ward.http.rejected").tag("reason", reason).counter().count();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static void assertCommonHeaders(RawHttp.Answer a, String what) {
        assertEquals("no-store", a.header("Cache-Control"), what);
        assertEquals("nosniff", a.header("X-Content-Type-Options"), what);
        assertNotNull(a.header("Date"), what);
        assertTrue(a.header("Date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), a.header("Date"));
    }

    /** The thread's nice value (field 19 of /proc/thread-self/stat), or "?" elsewhere. */
    private static String nice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[16];
        } catch (IOException e) {
            return "?";
        }
    }

    @Test
    void malformedAndAmbiguousRequestsGetTheirStatusAndTheConnectionIsClosed() throws Exception {
        InetSocketAddress at = start();
        String h = "Host: localhost\r\n";
        Object[][] cases = {
            {"GET /health HTTP/1.1\r\n" + h + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", 501},
            {"GET /health HTTP/1.1\r\n" + h + "X-A: a\rb\r\n\r\n", 400},
            {"GET /health HTTP/1.1\n" + "Host: localhost\n\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + "X-A: a\r\n b\r\n\r\n", 400},
            {"GET /h\u00e9alth HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /items/%ff%fe HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /items/%zz HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /items/a\"b HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET  /health HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /health  HTTP/1.1\r\n" + h + "\r\n", 400},
            {"HELLO\r\n\r\n", 400},
            {"G(T /health HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET * HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /health#frag HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /health HTTP/2.0\r\n" + h + "\r\n", 505},
            {"GET /health HTTP/1.2\r\n" + h + "\r\n", 505},
            {"GET /health HTTP/11\r\n" + h + "\r\n", 400},
            {"GET /health http/1.1\r\n" + h + "\r\n", 400},
            {"GET /health HTTP/1.1\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + h + "\r\n", 400},
            {"GET /health HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\nHost: localhost:99999\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n", 421},
            {"GET http://evil.example/health HTTP/1.1\r\n" + h + "\r\n", 421},
            {"GET http://user@localhost/health HTTP/1.1\r\n" + h + "\r\n", 400},
            {"GET /" + "a".repeat(HttpLimits.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n" + h + "\r\n", 414},
            {"GET /health HTTP/1.1\r\n" + h + "X-Big: " + "b".repeat(HttpLimits.MAX_HEADER_BYTES) + "\r\n\r\n", 431},
            {"GET /health HTTP/1.1\r\n" + h + "X-Many: 1\r\n".repeat(HttpLimits.MAX_HEADERS) + "\r\n", 431},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: abc\r\n\r\n", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: +1\r\n\r\nx", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: 1,1\r\n\r\nx", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n", 400},
            {"POST /echo HTTP/1.1\r\n" + h + "Content-Length: " + (HttpLimits.MAX_BODY_BYTES + 1) + "\r\n\r\n"
                    + "x".repeat(HttpLimits.MAX_BODY_BYTES + 1), 413},
            {"POST /echo HTTP/1.1\r\n" + h + "Expect: magic\r\nContent-Length: 1\r\n\r\nx", 417},
            {"GET /health HTTP/1.1\r\n" + h + "Bad Name: x\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + "Name : x\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + ": x\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + "X-Nul: a\u0000b\r\n\r\n", 400},
            {"GET /health HTTP/1.1\r\n" + h + "X-Del: a\u007fb\r\n\r\n", 400},
            {"\r\n\r\n\r\n\r\n\r\n\r\nGET /health HTTP/1.1\r\n" + h + "\r\n", 400},
        };
        for (Object[] c : cases) {
            String request = (String) c[0];
            String what = request.length() > 80 ? request.substring(0, 80) + "..." : request;
            try (RawHttp client = RawHttp.connect(at)) {
                byte[] bytes = request.contains("\u00e9") ? request.getBytes(StandardCharsets.UTF_8)
                        : request.getBytes(StandardCharsets.ISO_8859_1);
                client.send(bytes);
                RawHttp.Answer a = client.read();
                assertEquals((int) c[1], a.status(), what + " answered " + a.text());
                assertCommonHeaders(a, what);
                assertEquals("close", a.header("Connection"), what);
                assertTrue(a.text().startsWith("{\"error\":"), a.text());
                assertTrue(client.closedWithin(Duration.ofSeconds(3)), what + ": the server keeps the connection");
            }
        }
        assertTrue(rejected("malformed") >= 30, "malformed counted: " + rejected("malformed"));
        assertEquals(4, rejected("too-large"));
        assertEquals(2, rejected("not-implemented"));
        assertEquals(2, rejected("misdirected"));
        // A few empty lines before the request line are tolerated; an absolute target for an allowed host is fine.
        assertEquals(200, RawHttp.once(at, "\r\n\r\nGET /health HTTP/1.1\r\n" + h + "\r\n").status());
        assertEquals(200, RawHttp.once(at, "GET http://LOCALHOST:1/health HTTP/1.1\r\nHost: evil.example\r\n\r\n").status());
        assertEquals("caf\u00e9 au lait", RawHttp.once(at, get("/items/caf%C3%A9%20au%20lait")).text());
        assertEquals(500, RawHttp.once(at, get("/broken")).status());
    }

    @Test
    void keepAliveHeadHttp10AndExpectContinue() throws Exception {
        InetSocketAddress at = start();
        try (RawHttp c = RawHttp.connect(at)) {
            RawHttp.Answer a = c.exchange(get("/health"));
            assertEquals(200, a.status());
            assertNull(a.header("Connection"));
            assertEquals("done", c.exchange(get("/work")).text(), "a second request on the same connection");
            RawHttp.Answer head = c.exchange("HEAD /big HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, head.status());
            assertEquals(String.valueOf(BIG), head.header("Content-Length"));
            assertEquals(0, head.body().length);
            RawHttp.Answer big = c.exchange(get("/big"));
            assertEquals("chunked", big.header("Transfer-Encoding"));
            assertEquals(BIG, big.body().length);
            assertEquals(405, c.exchange("DELETE /health HTTP/1.1\r\nHost: localhost\r\n\r\n").status());
            RawHttp.Answer post = c.exchange("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(405, post.status());
            assertEquals("POST", post.header("Allow"));
            RawHttp.Answer notFound = c.exchange(get("/nothing"));
            assertEquals(404, notFound.status());
            assertEquals("{\"error\":\"not found\",\"path\":\"/nothing\"}", notFound.text());
            c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals(100, c.read().status(), "100 Continue before the body");
            c.send("hello");
            assertEquals("hello", c.read().text());
            RawHttp.Answer last = c.exchange("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
        try (RawHttp c = RawHttp.connect(at)) {
            // HTTP/1.0 without Host: allowed (no browser sends it), answered, then closed.
            RawHttp.Answer a = c.exchange("GET /big HTTP/1.0\r\n\r\n");
            assertEquals(200, a.status());
            assertEquals("close", a.header("Connection"));
            assertNull(a.header("Transfer-Encoding"));
            assertEquals(BIG, a.body().length);
        }
    }

    @Test
    void aClientTricklingBytesIsCutOffAtTheHeaderAndBodyDeadlines() throws Exception {
        InetSocketAddress at = start(limits(64, 16, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5)));
        byte[] request = ("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(200) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (RawHttp c = RawHttp.connect(at)) {
            long t0 = System.nanoTime();
            RawHttp.Answer a = null;
            // One byte every 100 ms would take 25 s; every byte resets an idle timeout, never a deadline.
            for (byte b : request) {
                try {
                    c.send(new byte[] {b});
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(100);
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(4)) {
                    break;
                }
            }
            a = c.read();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(408, a.status(), a.text());
            assertCommonHeaders(a, "408");
            assertTrue(ms < 4500, "cut off after " + ms + " ms");
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
        try (RawHttp c = RawHttp.connect(at)) {
            c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
            long t0 = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                try {
                    c.send("x");
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(100);
            }
            RawHttp.Answer a = c.read();
            assertEquals(408, a.status());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 4500);
        }
        assertEquals(1, rejected("header-timeout"));
        assertEquals(1, rejected("body-timeout"));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeaderDeadlineAndAnIdleOneAtTheIdleTimeout() throws Exception {
        InetSocketAddress at = start(limits(64, 16, 2, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(700),
                Duration.ofSeconds(5)));
        try (RawHttp silent = RawHttp.connect(at); RawHttp kept = RawHttp.connect(at)) {
            assertEquals(200, kept.exchange(get("/health")).status());
            assertTrue(silent.closedWithin(Duration.ofSeconds(3)), "a connection without a request is closed");
            assertTrue(kept.closedWithin(Duration.ofSeconds(3)), "an idle kept-alive connection is closed");
        }
        assertEquals(1, rejected("header-timeout"));
        assertEquals(1, registry.get("ward.http.idle.closed").counter().count());
        InProcessAwait.until("the connections are released", () -> server.openConnections() == 0);
    }

    @Test
    void connectionsBeyondThePerAddressBoundMakeRoomAmongTheirOwnAddressWhileAnotherAddressGetsThrough() throws Exception {
        InetSocketAddress at = start(limits(8, 3, 2, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20),
                Duration.ofSeconds(5)));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(RawHttp.connect(at, LOOPBACK, 0));
                Thread.sleep(20);
            }
            InProcessAwait.until("3 connections open", () -> server.openConnections() == 3);
            // All local users share 127.0.0.1: one holding its 3 connections must not lock out a
            // liveness probe from it. The probe gets in; the oldest silent connection of 127.0.0.1 goes.
            try (RawHttp probe = RawHttp.connect(at, LOOPBACK, 0)) {
                assertEquals(200, probe.exchange(get("/health")).status(), "a fourth client from 127.0.0.1 gets in");
            }
            assertTrue(held.get(0).closedWithin(Duration.ofSeconds(2)), "the oldest waiting connection of 127.0.0.1 made room");
            assertFalse(held.get(1).closedWithin(Duration.ofMillis(50)), "the others stay");
            try (RawHttp other = RawHttp.connect(at, OTHER_LOOPBACK, 0)) {
                assertEquals(200, other.exchange(get("/health")).status(), "127.0.0.2 gets through");
            }
            assertEquals(1, rejected("evicted"));
            assertEquals(0, rejected("max-connections-per-address"));
            held.remove(0).close();
            InProcessAwait.until("a slot from 127.0.0.1 is free", () -> server.openConnections() == 2);
            try (RawHttp again = RawHttp.connect(at, LOOPBACK, 0)) {
                assertEquals(200, again.exchange(get("/health")).status());
            }
            InProcessAwait.until("the extra connection released", () -> server.openConnections() == 2);
            // The total bound, 8: a new client gets in by closing the connection that has waited longest.
            for (int i = 0; i < 6; i++) {
                held.add(RawHttp.connect(at, InetAddress.ofLiteral("127.0.1." + (i + 1)), 0));
                Thread.sleep(20);
            }
            InProcessAwait.until("8 connections open", () -> server.openConnections() == 8, () -> server.openConnections());
            try (RawHttp ninth = RawHttp.connect(at, InetAddress.ofLiteral("127.0.2.1"), 0)) {
                assertEquals(200, ninth.exchange(get("/health")).status(), "a new client gets in");
            }
            assertTrue(held.get(0).closedWithin(Duration.ofSeconds(2)), "the oldest waiting connection made room");
            for (RawHttp c : held.subList(1, held.size())) {
                assertFalse(c.closedWithin(Duration.ofMillis(50)), "the others stay");
            }
            assertEquals(2, rejected("evicted"), "one for 127.0.0.1's bound, one for the total bound");
            assertEquals(0, rejected("max-connections"));
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
    }

    @Test
    void whenEveryConnectionIsHandlingARequestANewOneIsClosedAtOnce() throws Exception {
        InetSocketAddress at = start(limits(4, 4, 2, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20),
                Duration.ofSeconds(20)));
        List<RawHttp> busy = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                busy.add(RawHttp.connect(at, InetAddress.ofLiteral("127.0.3." + (i + 1)), 0).send(get("/hold")));
            }
            InProcessAwait.until("4 requests held", () -> holding.get() == 4, holding::get);
            assertTrue(closedAtOnce(at, InetAddress.ofLiteral("127.0.3.9")), "nothing to evict: refused");
            assertEquals(1, rejected("max-connections"));
            assertEquals(0, rejected("evicted"));
            release.countDown();
            for (RawHttp c : busy) {
                assertEquals("held", c.read().text());
            }
        } finally {
            for (RawHttp c : busy) {
                c.close();
            }
        }
    }

    @Test
    void aRequestWaitingForASlotMakesRoomForANewClientWhenNothingElseCan() throws Exception {
        InetSocketAddress at = start(limits(3, 3, 1, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20),
                Duration.ofSeconds(20)), Duration.ofSeconds(10));
        try (RawHttp slow = RawHttp.connect(at, InetAddress.ofLiteral("127.0.4.1"), 0);
             RawHttp queued1 = RawHttp.connect(at, InetAddress.ofLiteral("127.0.4.2"), 0);
             RawHttp queued2 = RawHttp.connect(at, InetAddress.ofLiteral("127.0.4.3"), 0)) {
            slow.send(get("/slow"));
            InProcessAwait.until("/slow in its slot", () -> holding.get() == 1);
            queued1.send(get("/work"));
            InProcessAwait.until("one request queued", () -> server.queuedRequests() == 1);
            queued2.send(get("/work"));
            InProcessAwait.until("two requests queued", () -> server.queuedRequests() == 2);
            // Every connection has a complete request: /slow in the one slot, two waiting for it.
            try (RawHttp health = RawHttp.connect(at, InetAddress.ofLiteral("127.0.4.9"), 0)) {
                assertEquals(200, health.exchange(get("/health")).status(), "a liveness probe still gets in");
            }
            assertTrue(queued1.closedWithin(Duration.ofSeconds(3)), "the longest-queued request made room");
            assertEquals(1, rejected("evicted"));
            release.countDown();
            assertEquals("late", slow.read().text());
            assertEquals("done", queued2.read().text(), "the other one got the slot in the end");
        }
    }

    /** Whether a new connection from this address is reset or closed by the server within 2 s. */
    private static boolean closedAtOnce(InetSocketAddress at, InetAddress from) throws IOException {
        try (RawHttp c = RawHttp.connect(at, from, 0)) {
            return c.closedWithin(Duration.ofSeconds(2));
        } catch (java.net.SocketException e) {
            return true; // reset while connecting
        }
    }

    @Test
    void aClientThatDoesNotReadItsAnswerIsDisconnectedAndFreesItsSlot() throws Exception {
        InetSocketAddress at = start(limits(64, 16, 1, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1)));
        try (RawHttp stalled = RawHttp.connect(at, LOOPBACK, 4096)) {
            stalled.send(get("/big"));
            Thread.sleep(500);
            // The one slot is held by /big while it streams; the watchdog ends it after the write deadline.
            InProcessAwait.until("the stalled answer is cut off", () -> rejected("write-timeout") == 1);
            assertEquals(200, RawHttp.once(at, get("/work")).status(), "the slot is free again");
            assertTrue(stalled.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void busyRequestsGet503AfterASecondWhileLightRoutesStillAnswer() throws Exception {
        InetSocketAddress at = start(limits(64, 16, 1, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5)));
        try (RawHttp slow = RawHttp.connect(at)) {
            slow.send(get("/slow"));
            InProcessAwait.until("/slow holds the slot", () -> holding.get() == 1);
            long t0 = System.nanoTime();
            RawHttp.Answer busy = RawHttp.once(at, get("/work"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(503, busy.status());
            assertEquals("1", busy.header("Retry-After"));
            assertCommonHeaders(busy, "503");
            assertTrue(ms >= 900, "waited for a slot first: " + ms + " ms");
            assertEquals(200, RawHttp.once(at, get("/health")).status(), "/health needs no slot");
            release.countDown();
            assertEquals("late", slow.read().text());
        }
        assertEquals(1, rejected("busy"));
    }

    @Test
    void guardAnswersCarryTheHeadersToo() throws Exception {
        InetSocketAddress at = start();
        RawHttp.Answer a = RawHttp.once(at, get("/secret"));
        assertEquals(401, a.status());
        assertEquals("Bearer realm=\"test\"", a.header("WWW-Authenticate"));
        assertCommonHeaders(a, "401");
    }

    @Test
    void httpThreadsRunAtALowerCpuPriority() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        InetSocketAddress at = start();
        assertEquals(String.valueOf(ThreadNice.HTTP_NICE), RawHttp.once(at, get("/nice")).text());
        assertEquals(String.valueOf(ThreadNice.HTTP_NICE), RawHttp.once(at, get("/nice")).text());
        assertFalse(nice().equals(String.valueOf(ThreadNice.HTTP_NICE)), "the test's own thread is unchanged");
    }

    @Test
    void closeEndsIdleConnectionsAndStopsListening() throws Exception {
        InetSocketAddress at = start();
        try (RawHttp idle = RawHttp.connect(at)) {
            assertEquals(200, idle.exchange(get("/health")).status());
            long t0 = System.nanoTime();
            server.close();
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1500);
            assertTrue(idle.closedWithin(Duration.ofSeconds(2)));
        }
        try (RawHttp late = RawHttp.connect(at)) {
            throw new AssertionError("still listening: " + late);
        } catch (IOException expected) {
            // connection refused
        }
    }

    /** Polls a condition for up to 10 s. */
    static final class InProcessAwait {
        static void until(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
            until(what, condition, () -> "");
        }

        static void until(String what, java.util.function.BooleanSupplier condition, java.util.function.Supplier<Object> last)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(what + ": not within 10 s; last: " + last.get());
                }
                Thread.sleep(20);
            }
        }
    }
}
