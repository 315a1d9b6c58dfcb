package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.SilenceStore;
import io.github.wardops.ward.runner.http.HttpApi;
import io.github.wardops.ward.runner.http.Notifications;
import io.github.wardops.ward.runner.http.SharedFleetView;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page's first paint and its phone layout, in headless Chromium (through
 * {@link StatusPageIT.WebDriver}), on an API over a fleet with three devices down, each with an
 * open alert: two share a name (told apart by address and branch), one is named
 * {@code </script><img src=x onerror=alert(1)>}.
 *
 * <ul>
 *   <li>For the runner's own user (no token), the page carries the overview's data inline: with
 *       every {@code /api/} request blocked in the browser, the page loaded shows the counts, the
 *       down devices and the alert rows, and "updated" with the snapshot's time, not "never" or
 *       "Loading…". The hostile name is text in its row: it neither ends the data block nor makes
 *       an element.</li>
 *   <li>With a token (a browser sends it only with the page's own requests) the page comes without
 *       data and says it is loading; with the token in {@code Authorization} it carries the data.</li>
 *   <li>At 420 px wide, nothing is wider than the viewport (the page, every table, every scroll
 *       box) and every Ack and Resolve button is inside it; each alert row still shows its
 *       device's address and region / branch.</li>
 * </ul>
 * Needs {@code chromium} and {@code chromium-driver}: skipped without them, failed in CI
 * ({@code CI=true}).
 */
class StatusPageFirstRenderIT {
    private static final String TOKEN = "first-render-token-0123456789";
    private static final String HOSTILE = "</script><img src=x onerror=alert(1)>";
    private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String BLOCK_OPEN = "<script type=\"application/json\" id=\"initial\">";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * What sticks out at the current width, or {@code fits}: the page, a shown table or scroll
     * box wider than the viewport, or an Ack or Resolve button not wholly inside it sideways.
     */
    static final String PHONE_FIT = """
            var w = window.innerWidth, bad = [];
            var where = function (e) { var p = e.closest('[id]'); return p ? '#' + p.id : '?'; };
            if (document.scrollingElement.scrollWidth > w) { bad.push('the page is ' + document.scrollingElement.scrollWidth + ' px wide'); }
            document.querySelectorAll('main table').forEach(function (t) {
              if (!t.offsetParent) { return; }
              var r = t.getBoundingClientRect();
              if (r.left < -0.5 || r.right > w + 0.5) { bad.push('a table in ' + where(t) + ' spans ' + Math.round(r.left) + '-' + Math.round(r.right)); }
            });
            document.querySelectorAll('main .scroll').forEach(function (s) {
              if (s.offsetParent && s.scrollWidth > s.clientWidth + 1) { bad.push('the scroll box in ' + where(s) + ' holds ' + s.scrollWidth + ' px in ' + s.clientWidth); }
            });
            document.querySelectorAll('main button.ack, main button.resolve').forEach(function (b) {
              if (!b.offsetParent) { return; }
              var r = b.getBoundingClientRect();
              if (r.width === 0 || r.left < -0.5 || r.right > w + 0.5) { bad.push(b.className + ' in ' + where(b) + ' at ' + Math.round(r.left) + '-' + Math.round(r.right)); }
            });
            return bad.length ? bad.slice(0, 8).join('; ') : 'fits';""";

    @TempDir
    Path dir;

    private static Path required(String name, String pkg) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (TestFaults.ci()) {
            throw new AssertionError(name + " is not on PATH but CI=true: install the Debian package " + pkg);
        }
        Assumptions.abort(name + " is not installed (Debian package " + pkg + ")");
        return null;
    }

    private static HttpResponse<String> page(HttpApi api, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(api, "/")).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(CSP, r.headers().firstValue("Content-Security-Policy").orElse(""), "the page keeps its policy");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        return r;
    }

    /** The page's data block, parsed; fails when it has none. */
    private static JsonNode block(String html) throws Exception {
        int from = html.indexOf(BLOCK_OPEN);
        assertTrue(from >= 0, "the page carries its data");
        int to = html.indexOf("</script>", from);
        return InProcessRunner.JSON.readTree(html.substring(from + BLOCK_OPEN.length(), to));
    }

    private static URI uri(HttpApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }

    private static Device device(String key, String name, String address, Map<String, String> labels) {
        return Device.builder(DeviceId.fromKey(key), name, InetAddress.ofLiteral(address)).labels(labels).build();
    }

    @Test
    void theFirstPaintShowsTheFleetFromThePageItselfAndAPhoneSeesEveryAlertAndItsButtons() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        Instant now = Instant.now();
        List<Device> fleetDevices = List.of(
                device("first-a", "Batumi1-811", "127.0.0.21", Map.of("region", "Achara", "branch", "Batumi")),
                device("first-b", "Batumi1-811", "127.0.0.22", Map.of("region", "Achara", "branch", "Batumi Port")),
                device("first-c", HOSTILE, "127.0.0.23", Map.of("branch", "Vake", "device_type", "Router")),
                device("first-d", "tbilisi-core", "127.0.0.24", Map.of("region", "Tbilisi", "branch", "Vake")));
        List<DeviceState> states = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        for (Device d : fleetDevices) {
            boolean down = !d.name().equals("tbilisi-core");
            Instant since = now.minusSeconds(down ? 300 : 3600);
            states.add(new DeviceState(new StateKey(d.id(), 0), down ? DeviceStatus.DOWN : DeviceStatus.UP, since, false, 0,
                    down ? 3 : 0, 0, now));
            if (down) {
                alerts.add(new Alert(UUID.randomUUID(), d.id(), d.name(), d.address().getHostAddress(), d.labels(), 0,
                        "reachability", "Device Down - Critical with a long rule name", Severity.CRITICAL, d.name() + " is down",
                        since, since, null, null, null, null, 0, List.of()));
            }
        }
        try (Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build();
             StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
             Ward ward = Ward.builder().build()) {
            SharedFleetView fleet = new SharedFleetView(() -> fleetDevices, ward, tracker, alerting, () -> states, () -> alerts,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), io.github.wardops.ward.Ticker.system());
            HttpApi.Backend backend = new HttpApi.Backend(ward, tracker, alerting, AlertStore.inMemory(10),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(), Clock.systemUTC()).withFleet(fleet, null)
                    .withNotifications(new Notifications(SilenceStore.inMemory(100), NotificationLog.inMemory(100),
                            List::<MaintenanceWindow>of));
            // Without a token the API (and the page's data) is this user's; the browser runs as this user too.
            try (HttpApi own = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), null, HttpLimits.DEFAULTS, backend);
                 HttpApi tokened = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), HttpLimits.DEFAULTS, backend);
                 StatusPageIT.WebDriver browser = StatusPageIT.WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
                // The page as sent: one data block, the hostile name escaped in it, the same JSON as the API's.
                String html = page(own, null).body();
                assertFalse(html.contains(HOSTILE) || html.contains("<img"), "the name is never markup in the page");
                assertEquals(2, html.split("</script>", -1).length - 1, "only the data block and the page's script end: " + html.length());
                assertTrue(html.contains("\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e"), "escaped in the block");
                JsonNode data = block(html);
                assertEquals(3, data.get("status").get("counts").get("DOWN").asInt(), data.toString());
                assertEquals(3, data.get("status").get("alerts").size());
                assertEquals(3, data.get("status").get("devices").size(), "only the problem devices");
                assertEquals(4, data.get("summary").get("devices").asInt(), data.get("summary").toString());
                assertTrue(data.get("silences").isArray() && data.get("silences").isEmpty(), "no silence yet");
                assertTrue(data.get("status").get("alerts").findValuesAsText("deviceName").contains(HOSTILE));

                // With a token: no data without it (the page shell), the data with it.
                assertFalse(page(tokened, null).body().contains(BLOCK_OPEN), "the shell holds no data");
                assertEquals(3, block(page(tokened, TOKEN).body()).get("status").get("counts").get("DOWN").asInt());

                // The first paint, with every API request blocked: all it shows comes from the page itself.
                browser.cdp("Network.enable", InProcessRunner.JSON.createObjectNode());
                ObjectNode blocked = InProcessRunner.JSON.createObjectNode();
                blocked.putArray("urls").add("*/api/*");
                browser.cdp("Network.setBlockedURLs", blocked);
                browser.navigate(uri(own, "/?refresh=3600").toString());
                assertEquals("3", browser.eval("return document.getElementById('count-DOWN').textContent"));
                assertEquals("1", browser.eval("return document.getElementById('count-UP').textContent"));
                assertEquals("3", browser.eval("return document.getElementById('count-ALERTS').textContent"));
                assertEquals("updated ", browser.eval("return document.getElementById('updated-line').textContent"));
                String updated = browser.eval("return document.getElementById('updated').textContent");
                assertTrue(updated.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), updated);
                assertTrue(Duration.between(Instant.parse(updated), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, updated);
                assertEquals("", browser.eval("return document.getElementById('view-overview').textContent.indexOf('Loading') >= 0"
                        + " ? 'a section still loading' : ''"));
                assertEquals("3", browser.eval("return String(document.querySelectorAll('#down tr.down-device').length)"));
                assertEquals("none", browser.eval("return getComputedStyle(document.getElementById('error')).display"), "no error");
                assertEquals("", browser.eval("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => n.indexOf('/api/') >= 0).join(' ')"), "the page read nothing from the API");
                assertEquals("0", browser.eval("return String(document.querySelectorAll('img').length)"), "the name made no element");
                assertEquals(HOSTILE, browser.eval("return Array.from(document.querySelectorAll('#alerts tr.alert td.device'))"
                        + ".map(t => t.textContent).filter(t => t.indexOf('script') >= 0).join()"), "the name shown as text");
                // Each alert row names its device: name, address, region / branch.
                assertEquals(HOSTILE + " 127.0.0.23 (no region) / Vake|Batumi1-811 127.0.0.21 Achara / Batumi|"
                        + "Batumi1-811 127.0.0.22 Achara / Batumi Port", rows(browser));

                // A phone: nothing sticks out sideways, every Ack and Resolve button is on screen, every row still says which device.
                browser.viewport(420, 900);
                Thread.sleep(300);
                assertEquals("420", browser.eval("return String(window.innerWidth)"));
                assertEquals("fits", browser.eval(PHONE_FIT), "the overview at 420 px");
                assertEquals("3", browser.eval("return String(Array.from(document.querySelectorAll('#alerts button.ack'))"
                        + ".filter(b => b.offsetParent).length)"), "an Ack button shown for each alert");
                assertEquals(HOSTILE + " 127.0.0.23 (no region) / Vake|Batumi1-811 127.0.0.21 Achara / Batumi|"
                        + "Batumi1-811 127.0.0.22 Achara / Batumi Port", rows(browser), "at 420 px too");
                browser.eval("document.getElementById('alerts').scrollIntoView(); return 'ok'");
                Thread.sleep(200);
                Path shots = Files.createDirectories(Path.of("target", "screenshots"));
                Files.write(shots.resolve("first-render-alerts-420.png"), browser.screenshot());
                browser.viewport(0, 0);

                // With a token, the page sent without data says it is loading (its requests are blocked here, so it stays so).
                browser.navigate(uri(tokened, "/?refresh=3600").toString());
                assertEquals("loading\u2026", browser.eval("return document.getElementById('updated-line').textContent"));
                assertEquals("hidden", browser.eval("return document.getElementById('updated').hidden ? 'hidden' : 'shown'"));
                assertEquals("Loading\u2026", browser.eval("return document.getElementById('alerts').textContent"));
                // Unblocked, with the token handed over: the first refresh fills it.
                blocked.putArray("urls");
                browser.cdp("Network.setBlockedURLs", blocked);
                // (another query: only the fragment changed would not load the page again)
                browser.navigate(uri(tokened, "/?refresh=3599#token=" + TOKEN).toString());
                browser.await("the first refresh shown", "return document.getElementById('count-DOWN').textContent", "3");
                browser.await("the time of the first refresh", "return document.getElementById('updated-line').textContent", "updated ");
                assertEquals("none", browser.eval("return getComputedStyle(document.getElementById('error')).display"), "no error");
            }
        }
    }

    /** The overview's alert rows as "name address where", joined by {@code |}, sorted. */
    private static String rows(StatusPageIT.WebDriver browser) throws Exception {
        return browser.eval("return Array.from(document.querySelectorAll('#alerts tr.alert')).map(r => r.querySelector('td.device')"
                + ".textContent + ' ' + r.querySelector('td.address').textContent + ' ' + r.querySelector('td.where').textContent"
                + " + (r.querySelector('td.address').offsetParent && r.querySelector('td.where').offsetParent ? '' : ' (hidden)'))"
                + ".sort().join('|')");
    }
}
