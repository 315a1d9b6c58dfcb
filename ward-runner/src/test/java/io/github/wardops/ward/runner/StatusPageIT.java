package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in headless Chromium, driven through chromedriver (W3C WebDriver over the JDK
 * HTTP client): it renders the fleet's state, and, without a reload, shows a device going down
 * (grouped by region and branch, with its alert). The bearer token is handed over in the URL
 * fragment, as an operator would. Needs the Debian packages {@code chromium} and
 * {@code chromium-driver}: skipped without them, failed in CI ({@code CI=true}).
 */
class StatusPageIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String TOKEN = "page-token-0123456789";
    private static final String A = DeviceId.fromKey("page-a").toString();
    private static final String B = DeviceId.fromKey("page-b").toString();
    private static final String C = DeviceId.fromKey("page-c").toString();
    /** Markup in a name must show as text: the page never parses data as HTML. */
    private static final String C_NAME = "kutaisi-<b>switch</b>";
    private static final String OFF = DeviceId.fromKey("page-off").toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static Optional<Path> onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path required(String name, String pkg) {
        Optional<Path> p = onPath(name);
        if (p.isEmpty()) {
            if (TestFaults.ci()) {
                throw new AssertionError(name + " is not on PATH but CI=true: install the Debian package " + pkg);
            }
            Assumptions.abort(name + " is not installed (Debian package " + pkg + ")");
        }
        return p.get();
    }

    private Path writeCsv(String cAddress) throws Exception {
        String csv = "id,name,address,region,branch,enabled\n"
                + A + ",batumi-router,127.44.0.1,Achara,Batumi,true\n"
                + B + ",batumi-atm,127.44.0.2,Achara,Batumi,true\n"
                + C + "," + C_NAME + "," + cAddress + ",Imereti,Kutaisi,true\n"
                + OFF + ",spare,127.44.0.9,Imereti,Kutaisi,false\n";
        Path tmp = dir.resolve("fleet.csv.tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        return Files.move(tmp, dir.resolve("fleet.csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void thePageRendersTheFleetAndShowsADeviceGoingDownWithoutAReload() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        try (LoopbackFaults faults = TestFaults.installOrSkip()) {
            Path csv = writeCsv("127.44.0.3");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_HTTP_TOKEN", TOKEN), "run", "--inventory", csv.toString(),
                    "--interval", "1s", "--http", "127.0.0.1:0", "--inventory-poll", "100ms", "--down-after", "1");
                 WebDriver browser = WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
                r.token = TOKEN;
                r.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 3);

                browser.navigate(r.uri("/?refresh=1#token=" + TOKEN).toString());
                browser.await("the fleet rendered", "return document.getElementById('count-UP').textContent", "3");
                assertEquals("1", browser.eval("return document.getElementById('count-UNKNOWN').textContent"));
                assertEquals("0", browser.eval("return document.getElementById('count-DOWN').textContent"));
                assertEquals("0", browser.eval("return document.getElementById('count-ALERTS').textContent"));
                assertEquals("No device is down.", browser.eval("return document.getElementById('down').textContent"));
                assertEquals("4", browser.eval("return document.body.getAttribute('data-devices')"));
                assertFalse(browser.eval("return location.href").contains(TOKEN), "the token left the address bar");
                assertEquals("none", browser.eval("return document.getElementById('error').style.display"));

                // The switch in Kutaisi goes silent; the open page must show it on its own.
                writeCsv(LoopbackFaults.silentHost(44));
                browser.await("the device shown down", "return document.getElementById('count-DOWN').textContent", "1");
                assertEquals("2", browser.eval("return document.getElementById('count-UP').textContent"));
                assertEquals("Imereti / Kutaisi (1)", browser.eval("return document.querySelector('#down h3.group').textContent"));
                assertEquals(C, browser.eval("return document.querySelector('#down tr.down-device').getAttribute('data-id')"));
                assertEquals(C_NAME, browser.eval("return document.querySelector('#down tr.down-device td.name').textContent"));
                assertEquals("0", browser.eval("return String(document.querySelectorAll('main b').length)"), "a name is never markup");
                assertTrue(browser.eval("return document.querySelector('#down tr.down-device td.since').textContent")
                        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z"), "down-since shown");
                browser.await("the alert shown", "return Array.from(document.querySelectorAll('#alerts tr.alert td.device'))"
                        + ".some(td => td.textContent.startsWith('" + C_NAME + " (')) ? 'yes' : 'no'", "yes");
                // the alert says which device: name, address, region and branch
                assertTrue(browser.eval("return document.querySelector('#alerts tr.alert td.device').textContent")
                        .matches(".* \\(\\S+, region Imereti, branch Kutaisi\\)"),
                        browser.eval("return document.querySelector('#alerts tr.alert td.device').textContent"));
                assertTrue(browser.eval("return document.getElementById('alerts').textContent").contains("Ping Unavailable"));
                assertTrue(Integer.parseInt(browser.eval("return document.getElementById('count-ALERTS').textContent")) >= 1);

                Path shot = Path.of("target", "status-page.png");
                Files.write(shot, browser.screenshot());
                assertTrue(Files.size(shot) > 1000, "a screenshot was taken");
            }
        }
    }

    /** A minimal W3C WebDriver client for one chromedriver and one headless Chromium session. */
    static final class WebDriver implements AutoCloseable {
        private final Process driver;
        private final URI base;
        private final String session;

        private WebDriver(Process driver, URI base, String session) {
            this.driver = driver;
            this.base = base;
            this.session = session;
        }

        static WebDriver start(Path chromedriver, Path chromium, Path profile) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            URI base = URI.create("http://127.0.0.1:" + port);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (true) {
                    try {
                        if (HTTP.send(HttpRequest.newBuilder(base.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200) {
                            break;
                        }
                    } catch (java.io.IOException e) {
                        // not listening yet
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("chromedriver did not start");
                    }
                    Thread.sleep(100);
                }
                ObjectNode caps = InProcessRunner.JSON.createObjectNode();
                ObjectNode opts = caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                        .putObject("goog:chromeOptions").put("binary", chromium.toString());
                // Only loopback: no background traffic, and every host name but the runner's address fails to resolve.
                for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1280,900",
                        "--user-data-dir=" + profile)) {
                    opts.withArray("args").add(arg);
                }
                JsonNode created = call("POST", base.resolve("/session"), caps);
                return new WebDriver(p, base, created.get("value").get("sessionId").asText());
            } catch (Exception | Error e) {
                p.destroyForcibly();
                throw e;
            }
        }

        private static JsonNode call(String method, URI uri, JsonNode body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(InProcessRunner.JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("WebDriver " + method + " " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
            }
            return InProcessRunner.JSON.readTree(r.body());
        }

        private URI path(String p) {
            return base.resolve("/session/" + session + p);
        }

        void navigate(String url) throws Exception {
            call("POST", path("/url"), InProcessRunner.JSON.createObjectNode().put("url", url));
        }

        /** Runs a script in the page; its result as text ({@code null} as "null"). */
        String eval(String script) throws Exception {
            ObjectNode body = InProcessRunner.JSON.createObjectNode().put("script", script);
            body.putArray("args");
            return call("POST", path("/execute/sync"), body).get("value").asText();
        }

        /** Waits until the script returns the expected text, or fails with the last value and the page's error box. */
        void await(String what, String script, String expected) throws Exception {
            long deadline = System.nanoTime() + BOUND.toNanos();
            String last;
            do {
                last = eval(script);
                if (last.equals(expected)) {
                    return;
                }
                Thread.sleep(200);
            } while (System.nanoTime() - deadline < 0);
            throw new AssertionError(what + ": expected '" + expected + "' within " + BOUND + ", last '" + last + "'; page error: "
                    + eval("return document.getElementById('error').textContent"));
        }

        byte[] screenshot() throws Exception {
            return Base64.getDecoder().decode(call("GET", path("/screenshot"), null).get("value").asText());
        }

        @Override
        public void close() throws Exception {
            try {
                call("DELETE", path(""), null);
            } finally {
                driver.destroy();
                if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            }
        }
    }
}
