package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page's silences in headless Chromium (through {@link StatusPageIT.WebDriver}), on an
 * API with notification routing over in-memory stores and one open alert: an alert row's Silence
 * action fills the form with its device (and offers its branch), the form creates the silence,
 * the row then shows "held by silence", Expire ends it, a bad selector shows the API's 400 in the
 * form's line, the row's notification log opens; on an API without routing the section stays
 * hidden and rows have no Silence action. Needs {@code chromium} and {@code chromium-driver}:
 * skipped without them, failed in CI ({@code CI=true}).
 */
class StatusPageSilencesIT {
    private static final String TOKEN = "silence-page-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

    private static JsonNode get(HttpApi api, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(api, path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return InProcessRunner.JSON.readTree(r.body());
    }

    private static URI uri(HttpApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }

    @Test
    void aSilenceIsCreatedFromAnAlertRowAndExpiredThroughThePage() throws Exception {
        Path chromium = required("chromium", "chromium");
        Path chromedriver = required("chromedriver", "chromium-driver");
        Instant now = Instant.now();
        Device d = Device.builder(DeviceId.fromKey("page-sil"), "vake-r1", InetAddress.ofLiteral("127.0.0.9"))
                .labels(Map.of("region", "Tbilisi", "branch", "Vake")).build();
        Alert down = new Alert(UUID.randomUUID(), d.id(), d.name(), "127.0.0.9", d.labels(), 0, "reachability", "Device Down",
                Severity.CRITICAL, "vake-r1 is down", now.minusSeconds(300), now.minusSeconds(300), null, null, null, null, 0,
                List.of());
        SilenceStore silences = SilenceStore.inMemory(100);
        NotificationLog log = NotificationLog.inMemory(100);
        log.append(new NotificationLog.Entry("noc-email", "root{branch=Vake}", Set.of(down.id()), Set.of(), "new",
                now.minusSeconds(200)));
        try (Alerting alerting = Alerting.builder().store(AlertStore.inMemory(10)).build();
             StateTracker tracker = StateTracker.builder().store(StateStore.inMemory()).build();
             Ward ward = Ward.builder().build()) {
            SharedFleetView fleet = new SharedFleetView(() -> List.of(d), ward, tracker, alerting,
                    () -> List.of(new DeviceState(new StateKey(d.id(), 0), DeviceStatus.DOWN, now, false, 0, 3, 0, now)),
                    () -> List.of(down), Duration.ofSeconds(1), Duration.ofSeconds(5), io.github.wardops.ward.Ticker.system());
            HttpApi.Backend plain = new HttpApi.Backend(ward, tracker, alerting, AlertStore.inMemory(10),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(), Clock.systemUTC()).withFleet(fleet, null);
            HttpApi.Backend routed = plain.withNotifications(new Notifications(silences, log, List::<MaintenanceWindow>of));
            try (HttpApi api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), HttpLimits.DEFAULTS, routed);
                 HttpApi without = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), HttpLimits.DEFAULTS, plain);
                 StatusPageIT.WebDriver browser = StatusPageIT.WebDriver.start(chromedriver, chromium, dir.resolve("profile"))) {
                browser.navigate(uri(api, "/?refresh=1#token=" + TOKEN).toString());
                browser.await("the silences section shown", "return document.getElementById('silences-section').hidden ? 'hidden'"
                        + " : document.getElementById('silences').textContent", "No silence.");
                String row = "document.querySelector('#alerts tr.alert[data-id=\"" + down.id() + "\"]')";
                browser.await("the alert row with its actions", "var t = " + row + "; return t ? ['ack', 'resolve', 'silence']"
                        + ".filter(c => t.querySelector('button.' + c)).join(',') : 'no row'", "ack,resolve,silence");
                assertEquals("", browser.eval("return " + row + ".querySelector('td.held .badge') ? 'badge' : ''"), "nothing holds it yet");

                // the row's Silence action fills the form with its device, and offers its branch
                browser.eval(row + ".querySelector('button.silence').click(); return 'ok'");
                assertEquals("device = \"vake-r1\"", browser.eval("return document.getElementById('silence-matchers').value"));
                assertEquals("or branch = Vake", browser.eval("return document.querySelector('#silence-offer button').textContent"));
                browser.eval("document.querySelector('#silence-offer button').click(); return 'ok'");
                assertEquals("branch = \"Vake\"", browser.eval("return document.getElementById('silence-matchers').value"));

                // a bad selector: the API's 400 in the form's own line, nothing stored
                browser.eval("document.getElementById('silence-matchers').value = 'branch = = Vake';"
                        + " document.getElementById('silence-author').value = 'nino';"
                        + " document.getElementById('silence-create').click(); return 'ok'");
                browser.await("the refusal shown", "var p = document.getElementById('silence-error');"
                        + " return p.hidden ? 'hidden' : (p.textContent.indexOf('matchers: at column') >= 0 ? 'named' : p.textContent)", "named");
                assertEquals(0, get(api, "/api/silences").size());

                browser.eval("document.getElementById('silence-matchers').value = 'branch = \"Vake\"';"
                        + " document.getElementById('silence-duration').value = '30m';"
                        + " document.getElementById('silence-comment').value = 'router swap';"
                        + " document.getElementById('silence-create').click(); return 'ok'");
                browser.await("the silence listed", "var t = document.querySelector('#silences tr.silence');"
                        + " return t ? t.getAttribute('data-state') : 'none'", "active");
                assertEquals("hidden", browser.eval("return document.getElementById('silence-error').hidden ? 'hidden' : 'shown'"));
                JsonNode listed = get(api, "/api/silences");
                assertEquals(1, listed.size());
                assertEquals("branch = \"Vake\"", listed.get(0).get("matchers").asText());
                assertEquals("nino", listed.get(0).get("author").asText());
                assertEquals("router swap", listed.get(0).get("comment").asText());
                assertEquals(1, listed.get(0).get("heldAlerts").asInt());
                Duration length = Duration.between(Instant.parse(listed.get(0).get("startsAt").asText()),
                        Instant.parse(listed.get(0).get("endsAt").asText()));
                assertEquals(Duration.ofMinutes(30), length);
                browser.await("the row held", "var b = " + row + ".querySelector('td.held .badge'); return b ? b.textContent : 'none'",
                        "held by silence");

                Path shots = Files.createDirectories(Path.of("target", "screenshots"));
                browser.eval("document.getElementById('silences-section').scrollIntoView(); return 'ok'");
                Files.write(shots.resolve("silences-1400.png"), browser.screenshot());
                browser.viewport(420, 900);
                browser.eval("document.getElementById('silences-section').scrollIntoView(); return 'ok'");
                Files.write(shots.resolve("silences-420.png"), browser.screenshot());
                assertEquals("fits", browser.eval("return document.documentElement.scrollWidth <= window.innerWidth ? 'fits'"
                        + " : document.documentElement.scrollWidth + ' > ' + window.innerWidth"), "at 420 px nothing sticks out sideways");
                assertEquals("fits", browser.eval(StatusPageFirstRenderIT.PHONE_FIT), "at 420 px no table nor button sticks out");
                browser.viewport(0, 0);
                // the row's notification log, opened, stays open across refreshes
                browser.eval(row + ".querySelector('details.notif-log summary').click(); return 'ok'");
                browser.await("the notification log", "var l = " + row + " && " + row + ".querySelector('li.notification');"
                        + " return l ? l.textContent.replace(/^\\S+ \\S+ /, '') : 'none'", "noc-email: firing (new)");
                Thread.sleep(1500);
                assertEquals("open", browser.eval("return " + row + ".querySelector('details.notif-log').open ? 'open' : 'closed'"));

                // Expire
                browser.eval("document.querySelector('#silences tr.silence button.expire').click(); return 'ok'");
                browser.await("the silence expired", "var t = document.querySelector('#silences tr.silence');"
                        + " return t ? t.getAttribute('data-state') + (t.querySelector('button.expire') ? ' with a button' : '') : 'none'",
                        "expired");
                assertEquals("expired", get(api, "/api/silences").get(0).get("state").asText());
                browser.await("the row no longer held", "var t = " + row + "; return t && !t.querySelector('td.held .badge') ? 'free' : 'held'",
                        "free");
                assertEquals("none", browser.eval("return document.getElementById('error').style.display"), "no error shown");

                // a runner without notification routing: no section, no Silence action
                browser.navigate(uri(without, "/?refresh=1#token=" + TOKEN).toString());
                browser.await("the alert row", "var t = " + row + "; return t ? (t.querySelector('button.silence') ? 'silence' : 'plain') : 'no row'",
                        "plain");
                assertEquals("hidden", browser.eval("return document.getElementById('silences-section').hidden ? 'hidden' : 'shown'"));
                assertTrue(browser.eval("return " + row + ".querySelector('td.held') ? 'cell' : ''").isEmpty(), "no notifications column");
            }
        }
    }
}
