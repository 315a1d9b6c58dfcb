package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
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
 * API answers for the same range, over 24 h and over 30 days from the hourly roll-ups), the Ack
 * button, the availability report printed to PDF (page 1 read with poppler's pdftotext and
 * pdftoppm) and by each grouping with its CSV link and download. On runners of their own: the
 * device list's pages 2 and 3, and the traffic charts of a device polled over SNMP from a
 * simulated agent. Each view shot at 1400 and 420 px into
 * {@code target/screenshots/}, and at 420 px nothing sticks out sideways: neither the page nor a
 * table (inside its scroll box too), nor an Ack or Resolve button. Needs the Debian
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
        String csv = "id,name,address,region,branch,device_type,enabled\n"
                + A + ",batumi-router,127.44.0.1,Achara,Batumi,Router,true\n"
                + B + ",batumi-atm,127.44.0.2,Achara,Batumi,ATM,true\n"
                + C + "," + C_NAME + "," + cAddress + ",Imereti,Kutaisi,Switch,true\n"
                + OFF + ",spare,127.44.0.9,Imereti,Kutaisi,Switch,false\n";
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
                acknowledge(r, browser);

                // The same runner and browser, with C down and its alert open: every other page.
                overview(browser);
                deviceList(browser);
                devicePage(r, browser);
                report(r, browser);
                reportGroupingsAndCsv(r, browser);
            }
        }
    }

    /**
     * The Ack button of the overview's alert table: the page asks for a name and acknowledges the
     * alert with the page's token, as the API allows; the API then shows it acknowledged by that
     * name, and the page shows the name instead of the button. Without the token the API refuses.
     */
    private static void acknowledge(InProcessRunner r, WebDriver browser) throws Exception {
        String id = browser.eval("var t = Array.from(document.querySelectorAll('#alerts tr.alert'))"
                + ".find(t => t.querySelector('td.device').textContent === '" + C_NAME + "' && t.querySelector('button.ack'));"
                + " return t ? t.getAttribute('data-id') : ''");
        assertFalse(id.isEmpty(), "an open alert of the silent switch with an Ack button");
        HttpResponse<String> refused = r.sendRaw(HttpRequest.newBuilder(r.uri("/api/alerts/" + id + "/ack"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"mallory\"}")).build());
        assertEquals(401, refused.statusCode(), "the API acknowledges only with the token: " + refused.body());
        String row = "document.querySelector('#alerts tr.alert[data-id=\"" + id + "\"]')";
        // The click from a timer: the prompt it opens blocks the page, and the script that clicks must return first.
        browser.eval("setTimeout(function () { " + row + ".querySelector('button.ack').click(); }, 0); return 'ok'");
        browser.answerPrompt("nino");
        browser.await("the alert shown acknowledged", "var t = " + row + "; return t ? t.querySelector('td.acked').textContent.split(' ')[0]"
                + " + (t.querySelector('button.ack') ? ' (with its button)' : '') : 'no row'", "nino");
        JsonNode acked = null;
        for (JsonNode a : r.getJson("/api/alerts")) {
            if (a.get("id").asText().equals(id)) {
                acked = a;
            }
        }
        assertTrue(acked != null, "the alert is still open");
        assertEquals("nino", acked.get("acknowledgedBy").asText(), acked.toString());
        assertFalse(acked.get("acknowledgedAt").isNull(), acked.toString());
        assertEquals("none", browser.eval("return document.getElementById('error').style.display"), "no error shown");
    }

    /**
     * The report by device, region, branch and device type, each with another sort (and one with
     * a label filter): the rows shown are the API's rows for the same query, in its order; the
     * CSV link carries the page's query over the instants shown, and the CSV it names has the
     * same rows. Clicking it downloads that CSV (fetched with the token); without the token the
     * report's error line says why.
     */
    private static void reportGroupingsAndCsv(InProcessRunner r, WebDriver browser) throws Exception {
        // group, sort, label filter (or ""), what the sort puts first
        String[][] queries = {
            {"device", "-downtimeSeconds", "", C},
            {"region", "availabilityPct", "", "Imereti"},
            {"branch", "group", "", "Batumi"},
            {"device_type", "-outages", "", "Switch"},
            {"branch", "availabilityPct", "region:Achara", "Batumi"},
        };
        for (String[] q : queries) {
            String group = q[0];
            String sort = q[1];
            String label = q[2];
            String hash = "#/report?range=24h&group=" + group + "&sort=" + sort + (label.isEmpty() ? "" : "&label=" + label);
            browser.eval("location.hash = '" + hash + "'; return 'ok'");
            String title = "Availability report by " + (group.equals("device_type") ? "device type" : group);
            browser.await(title, "var a = document.getElementById('report-csv'); return document.getElementById('report-title').textContent"
                    + " + (a.hidden ? '' : ' ' + new URLSearchParams(a.getAttribute('href').split('?')[1]).get('group')"
                    + " + ' ' + new URLSearchParams(a.getAttribute('href').split('?')[1]).get('sort'))", title + " " + group + " " + sort);
            JsonNode shown = InProcessRunner.JSON.readTree(browser.eval("return JSON.stringify({href: document.getElementById('report-csv')"
                    + ".getAttribute('href'), rows: Array.from(document.querySelectorAll('#report tr.report-row')).map(tr =>"
                    + " ({group: tr.getAttribute('data-group'), cells: Array.from(tr.cells).map(td => td.textContent)}))})"));
            String href = shown.get("href").asText();
            Map<String, List<String>> params = query(href);
            assertEquals(List.of(group), params.get("group"), href);
            assertEquals(List.of(sort), params.get("sort"), href);
            assertEquals(List.of("excluded"), params.get("unreachable"), href);
            assertEquals(List.of("csv"), params.get("format"), href);
            assertEquals(label.isEmpty() ? null : List.of(label), params.get("label"), href);
            java.time.Instant from = java.time.Instant.parse(params.get("from").get(0));
            java.time.Instant to = java.time.Instant.parse(params.get("to").get(0));
            assertEquals(Duration.ofHours(24), Duration.between(from, to), "the page's range, as instants: " + href);

            JsonNode api = r.getJson(href.replace("format=csv", "format=json"));
            JsonNode rows = shown.get("rows");
            assertEquals(api.get("rows").size(), rows.size(), "the rows shown are the API's: " + shown + " vs " + api);
            assertTrue(rows.size() >= 1, "a row: " + api);
            assertEquals(q[3], rows.get(0).get("group").asText(), "the sort puts " + q[3] + " first: " + shown);
            for (int i = 0; i < rows.size(); i++) {
                JsonNode a = api.get("rows").get(i);
                JsonNode cells = rows.get(i).get("cells");
                String what = group + " row " + i + ": " + rows.get(i) + " vs " + a;
                assertEquals(a.get("group").isNull() ? "" : a.get("group").asText(), rows.get(i).get("group").asText(), what);
                assertEquals(group.equals("device") ? a.get("name").asText() : a.get("group").asText("(no " + group + ")"),
                        cells.get(0).asText(), what);
                assertEquals(a.get("devices").asText(), cells.get(1).asText(), what);
                assertEquals(pct(a.get("availabilityPct")), cells.get(2).asText(), what);
                assertEquals(a.get("outages").asText(), cells.get(4).asText(), what);
            }

            HttpResponse<String> csv = r.get(href);
            assertEquals(200, csv.statusCode(), csv.body());
            assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), csv.headers().toString());
            assertFalse(csv.body().contains("\""), "no quoted field in this fleet's CSV: " + csv.body());
            List<String> lines = csv.body().lines().toList();
            assertEquals(group.equals("device") ? "group,name,devices,availabilityPct,downtimeSeconds,outages,mttrSeconds,longestOutageSeconds"
                    : "group,devices,availabilityPct,downtimeSeconds,outages,mttrSeconds,longestOutageSeconds", lines.get(0));
            assertEquals(rows.size() + 1, lines.size(), "a CSV line a row shown: " + csv.body());
            int skip = group.equals("device") ? 1 : 0;
            for (int i = 0; i < rows.size(); i++) {
                String[] f = lines.get(i + 1).split(",", -1);
                JsonNode cells = rows.get(i).get("cells");
                String what = "CSV line " + (i + 1) + " '" + lines.get(i + 1) + "' vs the row shown " + rows.get(i);
                assertEquals(rows.get(i).get("group").asText(), f[0], what);
                if (skip == 1) {
                    assertEquals(cells.get(0).asText(), f[1], what);
                }
                assertEquals(cells.get(1).asText(), f[1 + skip], what);
                assertEquals(f[2 + skip].isEmpty() ? "\u2013" : String.format(java.util.Locale.ROOT, "%.3f %%", Double.parseDouble(f[2 + skip])),
                        cells.get(2).asText(), what);
                assertEquals(cells.get(4).asText(), f[4 + skip], what);
            }
            if (group.equals("region")) {
                shoot(browser, "report-region");
            }
            if (group.equals("device")) {
                csvDownload(browser, csv.body());
            }
        }
    }

    /** The report's CSV link clicked: the browser saves the CSV the link names; without the token, the error line says why. */
    private static void csvDownload(WebDriver browser, String expected) throws Exception {
        browser.eval("document.getElementById('report-csv').click(); return 'ok'");
        browser.await("the CSV fetched", "return document.getElementById('report-csv').getAttribute('data-downloads') || '0'", "1");
        Path saved = null;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (saved == null && System.nanoTime() - deadline < 0) {
            try (var files = Files.list(browser.downloads)) {
                saved = files.filter(f -> f.getFileName().toString().startsWith("ward-availability-by-device-")
                        && f.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (java.nio.file.NoSuchFileException e) {
                // not created yet
            }
            Thread.sleep(200);
        }
        assertTrue(saved != null, "the CSV was saved in " + browser.downloads);
        assertEquals(expected, Files.readString(saved), "the CSV saved is the one the link names");
        assertEquals("true", browser.eval("return String(document.getElementById('report-error').hidden)"));
        // Without the token: the API refuses, the report's own error line says so, the report stays.
        browser.eval("window.wardToken = sessionStorage.getItem('wardToken'); sessionStorage.removeItem('wardToken');"
                + " document.getElementById('report-csv').click(); return 'ok'");
        browser.await("the refusal shown", "var e = document.getElementById('report-error'); return e.hidden ? '' : e.textContent",
                "Cannot download the CSV: the API needs a bearer token: open this page as /#token=YOUR_TOKEN");
        browser.eval("sessionStorage.setItem('wardToken', window.wardToken); return 'ok'");
        assertEquals("none", browser.eval("return document.getElementById('error').style.display"), "the page's own error box untouched");
    }

    /** The page's percentage: 3 decimals and " %", or a dash. */
    private static String pct(JsonNode v) {
        return v.isNull() ? "\u2013" : String.format(java.util.Locale.ROOT, "%.3f %%", v.asDouble());
    }

    /** A URL's query parameters, decoded. */
    private static Map<String, List<String>> query(String href) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        for (String kv : href.substring(href.indexOf('?') + 1).split("&")) {
            int eq = kv.indexOf('=');
            m.computeIfAbsent(java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                    .add(java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /**
     * The device list beyond its first page: 120 devices make 3 pages of 50; "Next" leads to page
     * 2, which shows the API's page 2 (the same devices in the same order), and page 3 its last 20.
     */
    @Test
    void theDeviceListShowsTheApisSecondPage() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        StringBuilder csv = new StringBuilder("id,name,address,region,branch,enabled\n");
        for (int i = 1; i <= 120; i++) {
            // One device probed (on loopback); the rest disabled: listed, not probed.
            csv.append(DeviceId.fromKey("page-list-" + i)).append(",list-").append(String.format("%03d", i)).append(",127.44.3.")
                    .append(i).append(i % 2 == 0 ? ",Tbilisi,Vake," : ",Achara,Batumi,").append(i == 1).append('\n');
        }
        Path file = Files.writeString(dir.resolve("list.csv"), csv, StandardCharsets.UTF_8);
        try (InProcessRunner r = InProcessRunner.start("run", "--inventory", file.toString(), "--interval", "5s", "--http", "127.0.0.1:0");
             WebDriver browser = WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
            browser.navigate(r.uri("/?refresh=2#/devices").toString());
            browser.await("page 1", "return document.getElementById('page-info') ? document.getElementById('page-info').textContent : ''",
                    "Page 1 of 3 \u00b7 120 devices");
            assertEquals("50", browser.eval("return String(document.querySelectorAll('#device-list tr.device').length)"));
            browser.eval("Array.from(document.querySelectorAll('#pager a.page-link')).find(a => a.textContent.indexOf('Next') === 0).click();"
                    + " return 'ok'");
            browser.await("the link to page 2 followed", "return location.hash", "#/devices?page=2");
            browser.await("page 2", "return document.getElementById('page-info').textContent", "Page 2 of 3 \u00b7 120 devices");
            samePage(r, browser, 2, 50);
            shoot(browser, "devices-page2");
            browser.eval("location.hash = '#/devices?page=3'; return 'ok'");
            browser.await("page 3", "return document.getElementById('page-info').textContent", "Page 3 of 3 \u00b7 120 devices");
            samePage(r, browser, 3, 20);
            assertEquals("Next \u2192", browser.eval("return document.querySelector('#pager span.muted:last-child').textContent"),
                    "no next page after the last");
        }
    }

    /** The rows shown are the API's page: the same devices (id and name) in the same order. */
    private static void samePage(InProcessRunner r, WebDriver browser, int page, int size) throws Exception {
        JsonNode api = r.getJson("/api/devices?q=&page=" + page + "&size=50");
        List<String> expected = new java.util.ArrayList<>();
        api.get("devices").forEach(d -> expected.add(d.get("id").asText() + " " + d.get("name").asText()));
        assertEquals(size, expected.size(), api.toString());
        List<String> shown = List.of(browser.eval("return Array.from(document.querySelectorAll('#device-list tr.device'))"
                + ".map(tr => tr.getAttribute('data-id') + ' ' + tr.querySelector('td.name').textContent).join('|')").split("\\|"));
        assertEquals(expected, shown, "page " + page + " shows the API's page " + page);
    }

    private static final String COMMUNITY = "ward-page-community";

    /**
     * A device polled over SNMP (v2c, from a simulated agent on loopback) with storage on: its
     * page lists both interfaces and draws a traffic chart for each whose lines have one vertex
     * per point of the interface history API for the same range, at the point's time and value.
     */
    @Test
    void theTrafficChartsShowTheInterfaceHistoryOfADevicePolledOverSnmp() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        String id = DeviceId.fromKey("page-snmp").toString();
        SimulatedDevice.Builder agent = SimulatedDevice.builder(InetAddress.getByName("127.44.5.1")).community(COMMUNITY)
                // 0.72 and 1.52 Mbit/s: not near the round maxima of the charts' scales (1 and 2 Mbit/s), which a rate's jitter
                // could otherwise move between two reads.
                .interfaces(List.of(SimulatedInterface.ethernet(1, 90_000).withAlias("ISP: Magti"), SimulatedInterface.ethernet(2, 190_000)));
        try (SnmpSimulator sim = SnmpSimulator.builder().device(agent).start()) {
            int port = sim.port(sim.devices().get(0));
            Path csv = Files.writeString(dir.resolve("snmp.csv"), "id,name,address,region,branch,snmp_version\n"
                    + id + ",batumi-snmp-router,127.44.5.1,Achara,Batumi,2c\n", StandardCharsets.UTF_8);
            Path roles = Files.writeString(dir.resolve("roles.rules"), "uplink alias (?i)^isp[-_: ]*(?<provider>\\w+)\n");
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres", "WARD_SNMP_COMMUNITY", COMMUNITY),
                    "run", "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                    "--snmp-port", String.valueOf(port), "--snmp-interval", "1s", "--data-dir", dir.resolve("data").toString(),
                    "--snmp-interface-rules", roles.toString());
                 WebDriver browser = WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
                // Stored samples with rates in two buckets of the 24-hour chart (2 minutes each): the lines have two vertices or more.
                InProcessRunner.await("two stored points with traffic on both interfaces", Duration.ofMinutes(3), () -> {
                    for (int ifIndex : new int[] {1, 2}) {
                        // A 404 until the first poll has stored the interface.
                        HttpResponse<String> h = r.get("/api/devices/" + id + "/interfaces/" + ifIndex + "/history");
                        if (h.statusCode() != 200) {
                            return false;
                        }
                        int n = 0;
                        for (JsonNode p : InProcessRunner.JSON.readTree(h.body()).get("points")) {
                            n += p.get("inBps").isNull() ? 0 : 1;
                        }
                        if (n < 2) {
                            return false;
                        }
                    }
                    return true;
                });
                browser.navigate(r.uri("/?refresh=2#/device/" + id).toString());
                browser.await("the interfaces listed", "return String(document.querySelectorAll('#interfaces tr.interface').length)", "2");
                assertEquals("ISP: Magti", browser.eval("return document.querySelector('#interfaces tr.interface[data-if-index=\"1\"]')"
                        + ".cells[2].textContent"));
                assertEquals("uplink (Magti)", browser.eval("return document.querySelector('#interfaces tr.interface[data-if-index=\"1\"]')"
                        + ".cells[3].textContent"), "the role and provider of snmp-interface-rules");
                assertEquals("", browser.eval("return document.querySelector('#interfaces tr.interface[data-if-index=\"2\"]')"
                        + ".cells[3].textContent"));
                String shown = null;
                for (int attempt = 1; attempt <= 3; attempt++) {
                    if (attempt > 1) {
                        browser.eval("location.hash = '#/device/" + id + "?range=7d'; return 'ok'");
                        browser.eval("location.hash = '#/device/" + id + "'; return 'ok'");
                        Thread.sleep(500);
                    }
                    browser.await("two traffic charts", "return String(document.querySelectorAll('svg.chart.traffic').length)", "2");
                    JsonNode charts = InProcessRunner.JSON.readTree(browser.eval("return JSON.stringify(Array.from("
                            + "document.querySelectorAll('svg.chart.traffic')).map(c => ({ifIndex: Number(c.getAttribute('data-if-index')),"
                            + " from: c.getAttribute('data-from'), to: c.getAttribute('data-to'), step: c.getAttribute('data-step'),"
                            + " source: c.getAttribute('data-source'), points: Number(c.getAttribute('data-points')),"
                            + " width: Number(c.getAttribute('viewBox').split(' ')[2]),"
                            + " in: Array.from(c.querySelectorAll('path.in')).map(p => p.getAttribute('d')).join(''),"
                            + " out: Array.from(c.querySelectorAll('path.out')).map(p => p.getAttribute('d')).join('')})))"));
                    shown = null;
                    StringBuilder all = new StringBuilder();
                    for (JsonNode chart : charts) {
                        String problem = sameTraffic(r, id, chart);
                        all.append(chart).append('\n');
                        if (problem != null) {
                            shown = problem;
                        }
                    }
                    if (shown == null) {
                        System.out.println("StatusPageIT: traffic charts " + all);
                        break;
                    }
                    if (attempt == 3) {
                        throw new AssertionError("the traffic charts do not show the API's points: " + shown);
                    }
                }
                // The part of the page this test is about: the interfaces and their traffic charts.
                shoot(browser, "device-snmp", "#interfaces");
            }
        }
    }

    /** Why the chart differs from the interface history API for its range; null when every vertex is a point of the API's. */
    private static String sameTraffic(InProcessRunner r, String id, JsonNode chart) throws Exception {
        JsonNode api = r.getJson("/api/devices/" + id + "/interfaces/" + chart.get("ifIndex").asInt() + "/history?from="
                + chart.get("from").asText() + "&to=" + chart.get("to").asText());
        assertEquals(api.get("step").asText(), chart.get("step").asText(), "the same range gives the same step: " + api);
        assertEquals("raw", api.get("source").asText(), api.toString());
        assertEquals(api.get("source").asText(), chart.get("source").asText());
        JsonNode points = api.get("points");
        if (points.size() != chart.get("points").asInt()) {
            return "ifIndex " + chart.get("ifIndex") + ": " + chart.get("points") + " points drawn, the API has " + points.size();
        }
        // The chart's geometry (index.html: frame and line): x at the middle of the point's bucket, y from 0 to a round maximum.
        double t0 = java.time.Instant.parse(api.get("from").asText()).toEpochMilli();
        double t1 = java.time.Instant.parse(api.get("to").asText()).toEpochMilli();
        double step = Duration.parse(api.get("step").asText()).toMillis();
        double w = chart.get("width").asDouble();
        double max = 0;
        for (JsonNode p : points) {
            max = Math.max(max, Math.max(p.get("inBps").isNull() ? 0 : p.get("inBps").asDouble(),
                    p.get("outBps").isNull() ? 0 : p.get("outBps").asDouble()));
        }
        double top = niceMax(max);
        double plotH = 170 - 10 - 22;
        for (String key : List.of("in", "out")) {
            List<double[]> expected = new java.util.ArrayList<>();
            for (JsonNode p : points) {
                JsonNode v = p.get(key + "Bps");
                if (!v.isNull()) {
                    double t = java.time.Instant.parse(p.get("t").asText()).toEpochMilli();
                    expected.add(new double[] {76 + (t + step / 2 - t0) / (t1 - t0) * (w - 76 - 12), 10 + plotH - v.asDouble() / top * plotH});
                }
            }
            List<double[]> drawn = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("[ML](-?[0-9.]+),(-?[0-9.]+)").matcher(chart.get(key).asText());
            while (m.find()) {
                drawn.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
            if (expected.size() != drawn.size()) {
                return "ifIndex " + chart.get("ifIndex") + " " + key + ": " + drawn.size() + " vertices drawn, the API has " + expected.size()
                        + " points with a value";
            }
            if (expected.size() < 2) {
                return "ifIndex " + chart.get("ifIndex") + " " + key + ": fewer than 2 points";
            }
            for (int i = 0; i < drawn.size(); i++) {
                // The newest bucket is still filling (its mean moves with each poll): its time is compared, not its value.
                boolean newest = i == drawn.size() - 1;
                if (Math.abs(drawn.get(i)[0] - expected.get(i)[0]) > 0.11 || (!newest && Math.abs(drawn.get(i)[1] - expected.get(i)[1]) > 1.0)) {
                    return "ifIndex " + chart.get("ifIndex") + " " + key + " vertex " + i + ": drawn at " + java.util.Arrays.toString(drawn.get(i))
                            + ", the API's point at " + java.util.Arrays.toString(expected.get(i));
                }
            }
        }
        return null;
    }

    /** index.html's niceMax: 1, 2, 5 or 10 times a power of ten, at least the value. */
    private static double niceMax(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        double n = v / p;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
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
        thirtyDays(r, browser);
        browser.eval("location.hash = '#/device/00000000-0000-0000-0000-000000000000'; return 'ok'");
        browser.await("an unknown device", "return document.getElementById('device-name').textContent", "No such device");
    }

    /**
     * The 30-day range: the RTT chart has the API's step for 30 days (an hour), its source (the
     * hourly roll-ups) and its points; the status timeline spans the 30 days and shows the outage.
     */
    private static void thirtyDays(InProcessRunner r, WebDriver browser) throws Exception {
        // The maintenance rolls the current hour up (the runner does it hourly): the 30-day chart has a point to show.
        r.poller.wiring().storage().orElseThrow().runMaintenance();
        browser.eval("document.querySelector('#device-ranges button[data-range=\"30d\"]').click(); return 'ok'");
        browser.await("the 30-day chart", "var c = document.getElementById('rtt-chart'); return c ? c.getAttribute('data-step') : ''", "PT1H");
        browser.await("the 30-day timeline", "var c = document.getElementById('timeline-chart'); return c ? String(Math.round((Date.parse("
                + "c.getAttribute('data-to')) - Date.parse(c.getAttribute('data-from'))) / 3600000)) : ''", "720");
        assertEquals("30d", browser.eval("return document.querySelector('#device-ranges button.current').getAttribute('data-range')"));
        String shown = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (attempt > 1) {
                // An hourly roll-up may have been written between the two reads: draw again and compare again.
                browser.eval("location.hash = '#/device/" + C + "?range=24h'; return 'ok'");
                browser.await("the 24-hour chart", "var c = document.getElementById('rtt-chart'); return c ? c.getAttribute('data-step') : ''", "PT2M");
                browser.eval("location.hash = '#/device/" + C + "?range=30d'; return 'ok'");
                browser.await("the 30-day chart", "var c = document.getElementById('rtt-chart'); return c ? c.getAttribute('data-step') : ''", "PT1H");
            }
            JsonNode chart = InProcessRunner.JSON.readTree(browser.eval("var c = document.getElementById('rtt-chart');"
                    + " return JSON.stringify({from: c.getAttribute('data-from'), to: c.getAttribute('data-to'), source: c.getAttribute('data-source'),"
                    + " points: c.querySelectorAll('circle.pt').length, times: Array.from(c.querySelectorAll('circle.pt')).map(p => p.getAttribute('data-t'))})"));
            JsonNode api = r.getJson("/api/devices/" + C + "/history?from=" + chart.get("from").asText() + "&to=" + chart.get("to").asText());
            assertEquals("PT1H", api.get("step").asText(), api.toString());
            assertEquals("hourly", api.get("source").asText(), "30 days at an hour a point read the hourly roll-ups: " + api);
            assertEquals(api.get("source").asText(), chart.get("source").asText(), "the chart says where its points come from");
            assertEquals(Duration.ofDays(30), Duration.between(java.time.Instant.parse(api.get("from").asText()),
                    java.time.Instant.parse(api.get("to").asText())).truncatedTo(java.time.temporal.ChronoUnit.DAYS), api.toString());
            List<String> times = new java.util.ArrayList<>();
            api.get("points").forEach(p -> times.add(p.get("t").asText()));
            List<String> drawn = new java.util.ArrayList<>();
            chart.get("times").forEach(t -> drawn.add(t.asText()));
            shown = chart + " vs " + api;
            if (times.equals(drawn)) {
                assertTrue(times.size() >= 1, "the hourly roll-up of this hour is shown: " + shown);
                break;
            }
            if (attempt == 3) {
                throw new AssertionError("the 30-day chart does not show the API's points: " + shown);
            }
        }
        System.out.println("StatusPageIT: 30-day RTT chart " + shown);
        browser.await("the 30-day timeline shows the outage", "return document.querySelector('#timeline-chart rect.seg.DOWN') ? 'yes' : 'no'", "yes");
        shoot(browser, "device-30d");
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
     * width with something drawn; at 420 px nothing may stick out sideways (the page, a table, an
     * Ack or Resolve button).
     */
    private static void shoot(WebDriver browser, String name) throws Exception {
        shoot(browser, name, null);
    }

    /** As {@link #shoot(WebDriver, String)}, with the element {@code scrollTo} (a CSS selector) scrolled into the view first. */
    private static void shoot(WebDriver browser, String name, String scrollTo) throws Exception {
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
                    // No table wider than the phone (not even inside its scroll box), every Ack and Resolve button on it.
                    assertEquals("fits", browser.eval(StatusPageFirstRenderIT.PHONE_FIT), name + " at " + width + " px");
                }
                if (scrollTo != null) {
                    browser.eval("document.querySelector('" + scrollTo + "').scrollIntoView(); return 'ok'");
                    Thread.sleep(200);
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
        /** Where the browser saves downloads: beside its profile. */
        final Path downloads;

        private WebDriver(Process driver, URI base, String session, Path downloads) {
            this.driver = driver;
            this.base = base;
            this.session = session;
            this.downloads = downloads;
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
                Path downloads = profile.resolveSibling(profile.getFileName() + "-downloads");
                opts.putObject("prefs").put("download.default_directory", downloads.toString()).put("download.prompt_for_download", false);
                // Only loopback: no background traffic, and every host name but the runner's address fails to resolve.
                for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1280,900",
                        "--user-data-dir=" + profile)) {
                    opts.withArray("args").add(arg);
                }
                JsonNode created = call("POST", base.resolve("/session"), caps);
                return new WebDriver(p, base, created.get("value").get("sessionId").asText(), downloads);
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

        /** Waits for the page's prompt (window.prompt), types the text into it and accepts it. */
        void answerPrompt(String text) throws Exception {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (true) {
                try {
                    call("GET", path("/alert/text"), null);
                    break;
                } catch (AssertionError e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("no prompt within " + BOUND, e);
                    }
                    Thread.sleep(100);
                }
            }
            call("POST", path("/alert/text"), InProcessRunner.JSON.createObjectNode().put("text", text));
            call("POST", path("/alert/accept"), InProcessRunner.JSON.createObjectNode());
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

        /** Sends a Chrome DevTools command to the page (such as {@code Network.setBlockedURLs}); its result. */
        JsonNode cdp(String cmd, ObjectNode params) throws Exception {
            ObjectNode body = InProcessRunner.JSON.createObjectNode().put("cmd", cmd);
            body.set("params", params);
            return call("POST", path("/goog/cdp/execute"), body).get("value");
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
