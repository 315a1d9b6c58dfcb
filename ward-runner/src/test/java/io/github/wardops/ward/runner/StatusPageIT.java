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
 * fragment, as an operator would. With the same runner (storage on) and browser, every other
 * view: the overview's region and branch counts (and that it never reads the whole device list),
 * the searchable device list, the device page (its RTT chart has a mark per point the history
 * API answers for the same range), the availability report printed to PDF (page 1 read with
 * poppler's pdftotext and pdftoppm); each view shot at 1400 and 420 px into
 * {@code target/screenshots/}, and at 420 px nothing sticks out sideways. Needs the Debian
 * packages {@code chromium}, {@code chromium-driver} and {@code poppler-utils}: skipped without
 * them, failed in CI ({@code CI=true}).
 */
class StatusPageIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    /**
     * How long an alert may take to show: the fleet's first rule, {@code ping_unreachable >= 1},
     * may mean a whole minute of outage, then a refresh.
     */
    private static final Duration ALERT_BOUND = Duration.ofMinutes(3);
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
            // Storage on (embedded PostgreSQL): the device page's history and events and the report read it.
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_HTTP_TOKEN", TOKEN, "WARD_STORAGE", "postgres"), "run",
                    "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0", "--inventory-poll", "100ms",
                    "--down-after", "1", "--data-dir", dir.resolve("data").toString());
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
                browser.await("the alert shown", ALERT_BOUND, "return Array.from(document.querySelectorAll('#alerts tr.alert td.device'))"
                        + ".some(td => td.textContent === '" + C_NAME + "') ? 'yes' : 'no'", "yes");
                assertTrue(browser.eval("return document.getElementById('alerts').textContent").contains("Ping Unavailable"));
                assertTrue(Integer.parseInt(browser.eval("return document.getElementById('count-ALERTS').textContent")) >= 1);

                Path shot = Path.of("target", "status-page.png");
                Files.write(shot, browser.screenshot());
                assertTrue(Files.size(shot) > 1000, "a screenshot was taken");

                // The same runner and browser, with C down and its alert open: every other page.
                overview(browser);
                deviceList(browser);
                devicePage(r, browser);
                report(r, browser);
            }
        }
    }

    /** Where the screenshots and the PDF go (the module's target/, kept by CI as an artifact). */
    private static final Path SHOTS = Path.of("target", "screenshots");
    /** The two widths every page is shot at: a desktop and a phone. */
    private static final List<Integer> WIDTHS = List.of(1400, 420);

    /** The overview: counts per region and branch from the summary, and it never reads the device list. */
    private static void overview(WebDriver browser) throws Exception {
        browser.eval("location.hash = '#/'; return 'ok'");
        browser.await("the regions listed", "return String(document.querySelectorAll('#regions tr.region').length)", "2");
        browser.await("Imereti shown with its device down", "return Array.from(document.querySelectorAll('#regions tr.region'))"
                + ".filter(r => r.cells[0].textContent === 'Imereti').map(r => r.cells[3].textContent).join()", "1");
        assertEquals("Imereti / Kutaisi", browser.eval("return document.querySelector('#branches tr.branch td').textContent"),
                "the branch with a device down comes first");
        // The page's own requests: the overview reads the status snapshot of problem devices and the summary, never the list.
        String requests = browser.eval("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname"
                + " + new URL(e.name).search).join('\\n')");
        assertTrue(requests.contains("/api/status?devices=problems"), requests);
        assertTrue(requests.contains("/api/summary"), requests);
        assertFalse(requests.lines().anyMatch(l -> l.equals("/api/devices") || l.equals("/api/status")),
                "the whole device list was read: " + requests);
        shoot(browser, "overview");
    }

    /** The device list: paged, searchable, names as text. */
    private static void deviceList(WebDriver browser) throws Exception {
        browser.eval("location.hash = '#/devices'; return 'ok'");
        browser.await("the device list", "return String(document.querySelectorAll('#device-list tr.device').length)", "4");
        assertEquals("Page 1 of 1 \u00b7 4 devices", browser.eval("return document.getElementById('page-info').textContent"));
        assertTrue(browser.eval("return Array.from(document.querySelectorAll('#device-list td.name')).map(t => t.textContent).join('|')")
                .contains(C_NAME), "the name with markup shown as text");
        assertEquals("0", browser.eval("return String(document.querySelectorAll('main b').length)"), "a name is never markup");
        // Typing in the search box narrows the list (the API's q, matching names and labels).
        browser.eval("var i = document.getElementById('search'); i.value = 'batumi';"
                + " i.dispatchEvent(new Event('input')); return 'ok'");
        browser.await("the search applied", "return location.hash", "#/devices?q=batumi");
        browser.await("two devices in Batumi", "return document.getElementById('page-info').textContent",
                "Page 1 of 1 \u00b7 2 devices");
        browser.eval("location.hash = '#/devices?q=%3Cb%3E'; return 'ok'");
        browser.await("markup searched as text", "return document.getElementById('page-info').textContent", "Page 1 of 1 \u00b7 1 device");
        browser.eval("location.hash = '#/devices?q=nothing-matches&page=7'; return 'ok'");
        browser.await("an empty page", "return document.getElementById('device-list').textContent",
                "No device matches \u201cnothing-matches\u201d.");
        browser.eval("location.hash = '#/devices'; return 'ok'");
        browser.await("the list again", "return String(document.querySelectorAll('#device-list tr.device').length)", "4");
        shoot(browser, "devices");
    }

    /**
     * The device page of the silent switch: its RTT chart has one mark per point the history API
     * gives for the same range, and a loss mark per point with loss; the timeline shows it down;
     * its alert and its events are listed.
     */
    private static void devicePage(InProcessRunner r, WebDriver browser) throws Exception {
        browser.eval("location.hash = '#/device/" + C + "'; return 'ok'");
        browser.await("the device's name", "return document.getElementById('device-name').textContent", C_NAME);
        JsonNode api = null;
        String shown = null;
        // The page and the test read at different moments: a bucket may gain its first row in between. Compare on the
        // range the page shows; read again (re-rendered) if the two differ.
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (attempt > 1) {
                browser.eval("location.hash = '#/device/" + C + "?range=7d'; return 'ok'");
                browser.eval("location.hash = '#/device/" + C + "'; return 'ok'");
                Thread.sleep(500);
            }
            browser.await("the RTT chart", "return document.querySelector('#rtt-chart') ? 'yes' : 'no'", "yes");
            JsonNode chart = InProcessRunner.JSON.readTree(browser.eval("var c = document.getElementById('rtt-chart');"
                    + " return JSON.stringify({from: c.getAttribute('data-from'), to: c.getAttribute('data-to'),"
                    + " step: c.getAttribute('data-step'), points: c.querySelectorAll('circle.pt').length,"
                    + " lost: c.querySelectorAll('circle.pt.lost').length, loss: c.querySelectorAll('rect.loss').length,"
                    + " bands: c.querySelectorAll('path.band').length})"));
            api = r.getJson("/api/devices/" + C + "/history?from=" + chart.get("from").asText() + "&to=" + chart.get("to").asText());
            assertEquals(chart.get("step").asText(), api.get("step").asText(), "the same range gives the same step");
            int withLoss = 0;
            int lost = 0;
            for (JsonNode p : api.get("points")) {
                withLoss += p.get("lossPct").asDouble() > 0 ? 1 : 0;
                lost += p.get("rttAvgMs").isNull() ? 1 : 0;
            }
            shown = chart + " vs " + api.get("points").size() + " points, " + withLoss + " with loss, " + lost + " without an answer";
            if (chart.get("points").asInt() == api.get("points").size() && chart.get("loss").asInt() == withLoss
                    && chart.get("lost").asInt() == lost) {
                assertTrue(api.get("points").size() >= 1, "the device has history: " + api);
                assertTrue(withLoss >= 1, "the silent device's points show loss: " + api);
                assertTrue(chart.get("bands").asInt() >= 1, "the min/max band is drawn while the device answered: " + chart);
                break;
            }
            if (attempt == 3) {
                throw new AssertionError("the RTT chart does not show the API's points: " + shown);
            }
        }
        System.out.println("StatusPageIT: RTT chart " + shown);
        browser.await("the timeline shows it down", "return document.querySelector('#timeline-chart rect.seg.DOWN') ? 'yes' : 'no'", "yes");
        browser.await("its alert", "return Array.from(document.querySelectorAll('#device-alerts tr.alert td.rule'))"
                + ".some(td => td.textContent.indexOf('Ping Unavailable') >= 0) ? 'yes' : 'no'", "yes");
        browser.await("its events", "return Array.from(document.querySelectorAll('#events tr.event'))"
                + ".some(tr => tr.textContent.indexOf('UP \u2192 DOWN') >= 0) ? 'yes' : 'no'", "yes");
        assertEquals("No SNMP interface known for this device.", browser.eval("return document.getElementById('interfaces').textContent"));
        assertEquals("0", browser.eval("return String(document.querySelectorAll('main b').length)"), "a name is never markup");
        shoot(browser, "device");
        // The 7-day range: a coarser step, the chart drawn again.
        browser.eval("document.querySelector('#device-ranges button[data-range=\"7d\"]').click(); return 'ok'");
        browser.await("the 7-day chart", "var c = document.getElementById('rtt-chart'); return c ? c.getAttribute('data-step') : ''", "PT15M");
        browser.eval("location.hash = '#/device/00000000-0000-0000-0000-000000000000'; return 'ok'");
        browser.await("an unknown device", "return document.getElementById('device-name').textContent", "No such device");
    }

    /** The availability report: one row a device, and printed to a PDF whose first page holds the title and a row. */
    private static void report(InProcessRunner r, WebDriver browser) throws Exception {
        // A fresh load of a link to the view with the token in it: the token is taken out, the view kept.
        browser.navigate(r.uri("/?refresh=2#/report?token=" + TOKEN + "&range=24h").toString());
        browser.await("the token taken out, the view kept", "return location.hash", "#/report?range=24h");
        assertFalse(browser.eval("return location.href").contains(TOKEN), "the token left the address bar");
        browser.await("the report", "return String(document.querySelectorAll('#report tr.report-row').length)", "4");
        assertEquals("Availability report by device", browser.eval("return document.getElementById('report-title').textContent"));
        String worst = browser.eval("return document.querySelector('#report tr.report-row td.name').textContent");
        assertEquals(C_NAME, worst, "the device that went down is the least available, first");
        shoot(browser, "report");
        byte[] pdf = browser.print();
        Files.createDirectories(SHOTS);
        Path file = Files.write(SHOTS.resolve("report.pdf"), pdf);
        assertEquals("%PDF-", new String(pdf, 0, 5, StandardCharsets.US_ASCII));
        // The first page, as text and as an image (poppler-utils).
        Path pdftotext = required("pdftotext", "poppler-utils");
        Path pdftoppm = required("pdftoppm", "poppler-utils");
        String text = run(pdftotext.toString(), "-f", "1", "-l", "1", "-layout", file.toString(), "-");
        assertTrue(text.contains("Availability report by device"), "the title on page 1: " + text);
        assertTrue(text.contains("batumi-router"), "a device row on page 1: " + text);
        assertTrue(text.contains(C_NAME), "the name as text on page 1: " + text);
        assertFalse(text.contains("Print / PDF") || text.contains("Overview"), "the controls and the navigation are not printed: " + text);
        run(pdftoppm.toString(), "-f", "1", "-l", "1", "-r", "60", "-png", "-singlefile", file.toString(),
                SHOTS.resolve("report-pdf-page1").toString());
        Path page1 = SHOTS.resolve("report-pdf-page1.png");
        long dark = darkPixels(Files.readAllBytes(page1));
        assertTrue(dark > 500, "page 1 of the PDF is not blank: " + dark + " dark pixels");
        System.out.println("StatusPageIT: report PDF " + pdf.length + " bytes, page 1 has " + dark + " dark pixels at 60 dpi");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    /** Pixels darker than light grey in a PNG: text and borders, none on a blank page. */
    private static long darkPixels(byte[] png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertTrue(img != null, "a PNG");
        long dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int lum = (((rgb >> 16) & 0xff) * 3 + ((rgb >> 8) & 0xff) * 6 + (rgb & 0xff)) / 10;
                if (lum < 160) {
                    dark++;
                }
            }
        }
        return dark;
    }

    /**
     * Screenshots of the page as it is at 1400 and 420 px wide, each checked to be a PNG of that
     * width with something drawn; at 420 px nothing may stick out sideways.
     */
    private static void shoot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SHOTS);
        try {
            for (int width : WIDTHS) {
                browser.viewport(width, 900);
                Thread.sleep(300);
                assertEquals(String.valueOf(width), browser.eval("return String(window.innerWidth)"));
                if (width < 600) {
                    String over = browser.eval("var w = window.innerWidth; return document.documentElement.scrollWidth <= w ? 'fits' :"
                            + " document.documentElement.scrollWidth + ' > ' + w + ': ' + Array.from(document.querySelectorAll('main *'))"
                            + ".filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '.' + e.className).join(' ')");
                    assertEquals("fits", over, name + " at " + width + " px overflows sideways");
                }
                byte[] png = browser.screenshot();
                Files.write(SHOTS.resolve(name + "-" + width + ".png"), png);
                java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
                assertTrue(img != null, name + " at " + width + ": a PNG");
                assertEquals(width, img.getWidth(), name + ": the screenshot's width");
                assertTrue(png.length > 8000 && darkPixels(png) > 2000, name + " at " + width + " px: something drawn (" + png.length + " bytes)");
            }
        } finally {
            browser.viewport(0, 0);
        }
    }

    /** What the rendered page shows at one moment, read in one script run (no refresh can fall in between). */
    private static final String READ_PAGE = """
            var q = function (sel) { return Array.from(document.querySelectorAll(sel)); };
            var n = function (k) { return Number(document.getElementById('count-' + k).textContent); };
            return JSON.stringify({
              updated: document.getElementById('updated').textContent,
              note: document.getElementById('note').style.display,
              counts: { UP: n('UP'), DOWN: n('DOWN'), UNKNOWN: n('UNKNOWN'), UNREACHABLE: n('UNREACHABLE'),
                        FAILING: n('FAILING'), ALERTS: n('ALERTS') },
              down: q('#down tr.down-device').map(function (r) {
                return { id: r.getAttribute('data-id'), status: r.getAttribute('data-status') }; }),
              failing: q('#failing tr.failing-device').length,
              alerts: q('#alerts tr.alert').map(function (r) {
                return { device: r.getAttribute('data-device-id'), status: r.getAttribute('data-device-status'),
                         name: r.querySelector('td.device').textContent, address: r.querySelector('td.address').textContent,
                         where: r.querySelector('td.where').textContent, rule: r.querySelector('td.rule').textContent }; })
            });""";

    /**
     * Mid-outage, the counts and the alert table that one refresh of the page shows agree: every
     * device with an open alert is counted DOWN (on loopback only the up/down rules can fire),
     * the DOWN count is the number of DOWN rows, the alert count the number of alert rows. Real
     * ICMP on loopback; the outage is echoes dropped at the input hook, staggered over three
     * devices, two of which share a name (told apart by address and branch).
     */
    @Test
    void midOutageTheCountsAndTheAlertTableAgree() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        String a = DeviceId.fromKey("outage-a").toString();
        String b = DeviceId.fromKey("outage-b").toString();
        String c = DeviceId.fromKey("outage-c").toString();
        String csv = "id,name,address,region,branch\n"
                + a + ",Batumi1-811,127.44.1.1,Achara,Batumi\n"
                + b + ",Batumi1-811,127.44.1.2,Achara,Batumi Port\n"
                + c + ",kutaisi-switch,127.44.1.3,Imereti,Kutaisi\n"
                + DeviceId.fromKey("outage-d") + ",tbilisi-core,127.44.1.4,Tbilisi,Vake\n"
                + DeviceId.fromKey("outage-e") + ",tbilisi-atm,127.44.1.5,Tbilisi,Saburtalo\n";
        Path file = Files.writeString(dir.resolve("outage.csv"), csv, StandardCharsets.UTF_8);
        try (var outages = TestFaults.outagesOrSkip();
             // The fleet's bundled rules and the default confirmation (re-checks), as a new user runs it: while
             // ping_unreachable counted failed cycles, "ping_unreachable >= 1" opened an alert for a device still
             // UP (issue 14), which this test catches.
             InProcessRunner r = InProcessRunner.start("run", "--inventory", file.toString(), "--interval", "5s",
                     "--http", "127.0.0.1:0", "--alert-tick", "1s");
             WebDriver browser = WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
            r.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 5);
            // An alert may wait for a whole minute of confirmed outage: the page is read throughout.
            browser.navigate(r.uri("/?refresh=1").toString());
            browser.await("the fleet rendered", "return document.getElementById('count-UP').textContent", "5");

            Consistency seen = new Consistency(5);
            seen.check(browser.eval(READ_PAGE));
            // Staggered: two devices go silent, then a third once the first two show DOWN.
            outages.drop(java.net.InetAddress.ofLiteral("127.44.1.1"));
            outages.drop(java.net.InetAddress.ofLiteral("127.44.1.2"));
            seen.until(browser, BOUND, "two devices shown DOWN", p -> p.get("counts").get("DOWN").asInt() == 2);
            outages.drop(java.net.InetAddress.ofLiteral("127.44.1.3"));
            JsonNode all = seen.until(browser, ALERT_BOUND, "an open alert shown for each of the three silent devices",
                    p -> alertDevices(p).equals(java.util.Set.of(a, b, c)));
            // Keep reading through several more refreshes of the outage.
            String first = all.get("updated").asText();
            seen.until(browser, BOUND, "four more refreshes", p -> seen.refreshesSince(first) >= 4);

            JsonNode page = seen.check(browser.eval(READ_PAGE));
            assertEquals(3, page.get("counts").get("DOWN").asInt());
            assertEquals(2, page.get("counts").get("UP").asInt());
            java.util.Map<String, String> batumi = new java.util.TreeMap<>();
            for (JsonNode alert : page.get("alerts")) {
                if (alert.get("name").asText().equals("Batumi1-811")) {
                    batumi.put(alert.get("address").asText(), alert.get("where").asText());
                }
            }
            assertEquals(Map.of("127.44.1.1", "Achara / Batumi", "127.44.1.2", "Achara / Batumi Port"), batumi,
                    "the two devices named Batumi1-811 are told apart by address and branch");
            Files.write(Path.of("target", "status-page-outage.png"), browser.screenshot());

            outages.restore(java.net.InetAddress.ofLiteral("127.44.1.1"));
            outages.restore(java.net.InetAddress.ofLiteral("127.44.1.2"));
            outages.restore(java.net.InetAddress.ofLiteral("127.44.1.3"));
            seen.until(browser, ALERT_BOUND, "the recovery shown: nothing down, no alert",
                    p -> p.get("counts").get("UP").asInt() == 5 && p.get("counts").get("ALERTS").asInt() == 0);
            assertTrue(seen.samples >= 10, "the page was read " + seen.samples + " times");
            // Re-checks confirm in seconds, so the failing rows are shown only briefly: reported, not required.
            System.out.println("StatusPageIT: failing devices shown in " + seen.failingSamples + " of " + seen.samples + " reads");
        }
    }

    private static java.util.Set<String> alertDevices(JsonNode page) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        page.get("alerts").forEach(x -> ids.add(x.get("device").asText()));
        return ids;
    }

    /** Reads of the page, each checked for agreement between its counts, its device rows and its alert table. */
    private static final class Consistency {
        private final int devices;
        private final java.util.Set<String> refreshes = new java.util.LinkedHashSet<>();
        int samples;
        int failingSamples;

        Consistency(int devices) {
            this.devices = devices;
        }

        /** Checks one read of the page; returns it parsed. */
        JsonNode check(String text) throws Exception {
            JsonNode p = InProcessRunner.JSON.readTree(text);
            samples++;
            if (p.get("failing").asInt() > 0) {
                failingSamples++;
            }
            refreshes.add(p.get("updated").asText());
            JsonNode counts = p.get("counts");
            java.util.Set<String> down = new java.util.HashSet<>();
            int unreachable = 0;
            for (JsonNode row : p.get("down")) {
                if (row.get("status").asText().equals("DOWN")) {
                    down.add(row.get("id").asText());
                } else {
                    unreachable++;
                }
            }
            assertEquals(counts.get("DOWN").asInt(), down.size(), "the DOWN count is the number of DOWN rows: " + p);
            assertEquals(counts.get("UNREACHABLE").asInt(), unreachable, "the UNREACHABLE count is its rows: " + p);
            assertEquals(counts.get("FAILING").asInt(), p.get("failing").asInt(), "the FAILING count is its rows: " + p);
            assertEquals(counts.get("ALERTS").asInt(), p.get("alerts").size(), "the alert count is the alert rows: " + p);
            assertEquals(devices, counts.get("UP").asInt() + counts.get("DOWN").asInt() + counts.get("UNKNOWN").asInt()
                    + counts.get("UNREACHABLE").asInt(), "every device counted once: " + p);
            for (JsonNode alert : p.get("alerts")) {
                assertTrue(down.contains(alert.get("device").asText()) && alert.get("status").asText().equals("DOWN"),
                        "a device with an open up/down alert (" + alert.get("rule").asText() + ") is counted DOWN: " + p);
            }
            return p;
        }

        /** Reads the page every 300 ms, checking each read, until the condition holds; fails after the bound. */
        JsonNode until(WebDriver browser, Duration bound, String what, java.util.function.Predicate<JsonNode> done)
                throws Exception {
            long deadline = System.nanoTime() + bound.toNanos();
            JsonNode last;
            do {
                last = check(browser.eval(READ_PAGE));
                if (done.test(last)) {
                    return last;
                }
                Thread.sleep(300);
            } while (System.nanoTime() - deadline < 0);
            throw new AssertionError(what + ": not within " + bound + "; last read " + last);
        }

        /** Distinct refreshes seen after the one stamped {@code stamp}. */
        int refreshesSince(String stamp) {
            int n = -1;
            for (String s : refreshes) {
                if (n >= 0) {
                    n++;
                }
                if (s.equals(stamp)) {
                    n = 0;
                }
            }
            return Math.max(n, 0);
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
            await(what, BOUND, script, expected);
        }

        /** Waits up to the bound until the script returns the expected text, or fails with the last value and the page's error box. */
        void await(String what, Duration bound, String script, String expected) throws Exception {
            long deadline = System.nanoTime() + bound.toNanos();
            String last;
            do {
                last = eval(script);
                if (last.equals(expected)) {
                    return;
                }
                Thread.sleep(200);
            } while (System.nanoTime() - deadline < 0);
            throw new AssertionError(what + ": expected '" + expected + "' within " + bound + ", last '" + last + "'; page error: "
                    + eval("return document.getElementById('error').textContent"));
        }

        /** Emulates a viewport of this size (CSS pixels, device scale 1); {@code 0, 0} goes back to the window's. */
        void viewport(int width, int height) throws Exception {
            ObjectNode body = InProcessRunner.JSON.createObjectNode();
            if (width == 0) {
                body.put("cmd", "Emulation.clearDeviceMetricsOverride").putObject("params");
            } else {
                body.put("cmd", "Emulation.setDeviceMetricsOverride").putObject("params").put("width", width).put("height", height)
                        .put("deviceScaleFactor", 1).put("mobile", width < 600);
            }
            call("POST", path("/goog/cdp/execute"), body);
        }

        /** The page printed to PDF (W3C WebDriver "Print Page", A4, backgrounds off as a browser prints by default). */
        byte[] print() throws Exception {
            ObjectNode body = InProcessRunner.JSON.createObjectNode().put("orientation", "portrait").put("background", false);
            body.putObject("page").put("width", 21.0).put("height", 29.7);
            return Base64.getDecoder().decode(call("POST", path("/print"), body).get("value").asText());
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
