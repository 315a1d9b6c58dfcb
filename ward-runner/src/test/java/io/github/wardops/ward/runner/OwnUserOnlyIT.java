package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker on the same host: any local user can connect to 127.0.0.1. Without a token, the
 * runner's API answers only its own user (and root); another user gets 403 but for {@code /health}
 * and the page shell (the page without the fleet's data, which only the runner's own user gets inline). With a token, whoever holds it gets in. The other user is {@code nobody}
 * (setpriv; the suite runs as root).
 */
class OwnUserOnlyIT {
    private static final String TOKEN = "an-http-token-of-32-characters!!";

    @TempDir
    Path dir;

    /** The status code of curl's GET, run as uid/gid 65534 (nobody) or as this user. */
    private static int curl(boolean asNobody, String url, String token) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5"));
        if (token != null) {
            cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return Integer.parseInt(out);
    }

    /** The body of curl's GET, run as nobody or as this user. */
    private static String page(boolean asNobody, String url) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("curl", "-s", "--max-time", "5", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    private Path inventory() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address\n6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0201,a,127.47.0.1\n");
        return csv;
    }

    @Test
    void withoutATokenAnotherLocalUserGets403ButTheRunnersOwnUserGetsIn() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", inventory().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            String base = "http://127.0.0.1:" + r.poller.httpAddress().orElseThrow().getPort();
            for (String path : List.of("/api/devices", "/api/alerts", "/metrics", "/ready")) {
                assertEquals(403, curl(true, base + path, null), path);
                assertEquals(200, curl(false, base + path, null), path);
            }
            assertEquals(200, curl(true, base + "/health", null));
            assertEquals(200, curl(true, base + "/", null), "the page shell holds no data");
            // The page carries the fleet's data inline only for the runner's own user.
            String theirs = page(true, base + "/");
            assertTrue(theirs.contains("<title>ward status</title>"), theirs);
            assertFalse(theirs.contains("id=\"initial\""), "another user got the fleet's data in the page");
            assertTrue(page(false, base + "/").contains("<script type=\"application/json\" id=\"initial\">{\"status\":{"),
                    "the runner's own user gets the page with its data");
        }
    }

    @Test
    void withATokenWhoeverHoldsItGetsIn() throws Exception {
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_HTTP_TOKEN", TOKEN), "run", "--inventory",
                inventory().toString(), "--interval", "1s", "--http", "127.0.0.1:0")) {
            String base = "http://127.0.0.1:" + r.poller.httpAddress().orElseThrow().getPort();
            assertEquals(401, curl(true, base + "/api/devices", null));
            assertEquals(401, curl(false, base + "/api/devices", null), "the token binds the runner's own user too");
            assertEquals(200, curl(true, base + "/api/devices", TOKEN));
        }
    }

    private static double requests(InProcessRunner r, String status) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ward_http_requests_total\\{status=\"" + status
                + "\"\\} ([0-9.E]+)").matcher(r.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * Regression (review): a client that sent its request and closed at once was looked up after
     * the kernel had orphaned its socket, listed with uid 0, and passed for root: any local user
     * could acknowledge alerts. Every such request from nobody must get 403, none reach the handler.
     */
    @Test
    void anotherUserWhoSendsAndClosesAtOnceIsStillRefused() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", inventory().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            int port = r.poller.httpAddress().orElseThrow().getPort();
            double forbidden = requests(r, "403");
            double notFound = requests(r, "404");
            String script = "for i in $(seq 1 20); do exec 3<>/dev/tcp/127.0.0.1/" + port + "; printf 'POST /api/alerts/"
                    + java.util.UUID.randomUUID() + "/ack HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json"
                    + "\\r\\nContent-Length: 2\\r\\n\\r\\n{}' >&3; exec 3>&-; done";
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", script)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
            InProcessRunner.await("20 refusals counted", java.time.Duration.ofSeconds(10),
                    () -> requests(r, "403") - forbidden >= 20);
            assertEquals(notFound, requests(r, "404"), "no request of nobody's reached the acknowledgement handler");
        }
    }

    /**
     * Regression (review): all local users share 127.0.0.1, so one holding every connection that
     * address may open (32) locked out liveness probes from it. Its longest-waiting connection now
     * makes room.
     */
    @Test
    void aLocalUserHoldingEveryLoopbackConnectionCannotLockOutHealth() throws Exception {
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", inventory().toString(), "--interval", "1s",
                "--http", "127.0.0.1:0")) {
            int port = r.poller.httpAddress().orElseThrow().getPort();
            List<java.net.Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                    s.getOutputStream().write("GET /api/devices HT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    held.add(s);
                }
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    assertEquals(200, r.get("/health").statusCode());
                    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "health answered within 1 s");
                }
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
