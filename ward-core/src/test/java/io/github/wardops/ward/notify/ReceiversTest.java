package io.github.wardops.ward.notify;

import static io.github.wardops.ward.notify.TestAlerts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.DeliveryOptions;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.internal.support.Json;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.FakeClock;
import io.github.wardops.ward.testing.Results;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack, Teams, Telegram and the generic webhook against a real HTTP server on loopback that
 * checks the method, path, content type and JSON payload of each request.
 */
class ReceiversTest {
    static final String SLACK_TOKEN = "T000/B000/XXXXsl4cks3cr3t";
    static final String TEAMS_TOKEN = "teamsS3cr3tSig";
    static final String TG_TOKEN = "123456:AAtelegramS3cr3t_token-x";

    record Request(String method, String path, String contentType, String body) {
        Map<?, ?> json() {
            return (Map<?, ?>) Json.parse(body);
        }
    }

    /** What the server answers: status, JSON body, delay. */
    record Reply(int status, String body, long delayMillis) {
    }

    HttpServer server;
    ExecutorService executor;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Reply reply = new Reply(200, "{\"ok\":true}", 0);
    String base;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            Reply r = reply;
            try {
                Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    MessageTemplate template() {
        return MessageTemplate.builder().statusPage(URI.create("https://127.0.0.1/status/")).build();
    }

    SlackOptions slack() {
        return SlackOptions.of(Secret.of(base + "/services/" + SLACK_TOKEN)).withTemplate(template());
    }

    TeamsOptions teams() {
        return TeamsOptions.of(Secret.of(base + "/webhookb2/x/IncomingWebhook/" + TEAMS_TOKEN)).withTemplate(template());
    }

    TelegramOptions telegram() {
        return TelegramOptions.of(Secret.of(TG_TOKEN), "-1001234567890").withApiBase(URI.create(base)).withTemplate(template());
    }

    static List<Notification> threeCases() {
        Alert a = TestAlerts.vake01();
        return List.of(new Notification.Opened(a, NOW), new Notification.Resolved(a.resolve(NOW, "condition cleared"), NOW),
                TestAlerts.grouped("Vake", 20));
    }

    Request only() {
        assertEquals(1, requests.size(), "one request: " + requests);
        Request r = requests.removeFirst();
        assertEquals("POST", r.method());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        return r;
    }

    static void assertAllTwenty(String text) {
        for (int i = 1; i <= 20; i++) {
            assertTrue(text.contains(String.format("Vake-%02d", i)), "Vake-" + i + " in " + text);
        }
        assertFalse(text.contains("more"), "20 lines fit the default bound: " + text);
    }

    @Test
    void slackGetsTheIncomingWebhookFormat() throws Exception {
        try (Notifier n = Receivers.slack(slack())) {
            assertEquals("slack", n.name());
            for (Notification x : threeCases()) {
                n.send(x);
                Request r = only();
                assertEquals("/services/" + SLACK_TOKEN, r.path());
                Map<?, ?> json = r.json();
                String title = (String) json.get("text");
                List<?> blocks = (List<?>) json.get("blocks");
                assertEquals(Boolean.FALSE, json.get("unfurl_links"));
                Map<?, ?> header = (Map<?, ?>) blocks.getFirst();
                assertEquals("header", header.get("type"));
                assertEquals("plain_text", ((Map<?, ?>) header.get("text")).get("type"));
                StringBuilder text = new StringBuilder();
                for (Object b : blocks.subList(1, blocks.size())) {
                    Map<?, ?> section = (Map<?, ?>) b;
                    assertEquals("section", section.get("type"));
                    Map<?, ?> t = (Map<?, ?>) section.get("text");
                    assertEquals("mrkdwn", t.get("type"));
                    assertTrue(((String) t.get("text")).length() <= 3000);
                    text.append(t.get("text")).append('\n');
                }
                switch (x) {
                    case Notification.Opened o -> {
                        assertEquals("[CRITICAL] Ping Unavailable on Vake-01", title);
                        assertTrue(text.toString().contains("*Vake-01* (127.0.0.11, region Tbilisi, branch Vake)"), text.toString());
                        assertTrue(text.toString().contains("|status page>"), text.toString());
                    }
                    case Notification.Resolved res -> assertTrue(title.startsWith("[RESOLVED] Ping Unavailable on Vake-01"), title);
                    default -> {
                        assertEquals("[CRITICAL] 20 firing: branch=Vake", title);
                        assertAllTwenty(text.toString());
                    }
                }
            }
        }
    }

    @Test
    void teamsGetsAnAdaptiveCardInTheMessageEnvelope() throws Exception {
        try (Notifier n = Receivers.teams(teams())) {
            for (Notification x : threeCases()) {
                n.send(x);
                Request r = only();
                assertEquals("/webhookb2/x/IncomingWebhook/" + TEAMS_TOKEN, r.path());
                Map<?, ?> json = r.json();
                assertEquals("message", json.get("type"));
                Map<?, ?> att = (Map<?, ?>) ((List<?>) json.get("attachments")).getFirst();
                assertEquals("application/vnd.microsoft.card.adaptive", att.get("contentType"));
                assertTrue(att.containsKey("contentUrl"));
                assertNull(att.get("contentUrl"));
                Map<?, ?> card = (Map<?, ?>) att.get("content");
                assertEquals("AdaptiveCard", card.get("type"));
                assertEquals("1.4", card.get("version"));
                StringBuilder text = new StringBuilder();
                for (Object b : (List<?>) card.get("body")) {
                    assertEquals("TextBlock", ((Map<?, ?>) b).get("type"));
                    assertEquals(Boolean.TRUE, ((Map<?, ?>) b).get("wrap"));
                    text.append(((Map<?, ?>) b).get("text")).append('\n');
                }
                if (x instanceof Notification.Grouped) {
                    assertTrue(text.toString().startsWith("\\[CRITICAL\\] 20 firing: branch=Vake\n"), text.toString());
                    assertAllTwenty(text.toString());
                    assertTrue(text.toString().contains("[status page](https://127.0.0.1/status/#/device/"), text.toString());
                }
            }
        }
    }

    @Test
    void telegramGetsSendMessageWithHtml() throws Exception {
        try (Notifier n = Receivers.telegram(telegram())) {
            for (Notification x : threeCases()) {
                n.send(x);
                Request r = only();
                assertEquals("/bot" + TG_TOKEN + "/sendMessage", r.path());
                Map<?, ?> json = r.json();
                assertEquals("-1001234567890", json.get("chat_id"));
                assertEquals("HTML", json.get("parse_mode"));
                assertEquals(Boolean.TRUE, json.get("disable_web_page_preview"));
                String text = (String) json.get("text");
                assertTrue(text.replaceAll("<[^>]*>", "").length() <= 4096, "Telegram counts the text without tags");
                if (x instanceof Notification.Opened) {
                    assertTrue(text.startsWith("<b>[CRITICAL] Ping Unavailable on Vake-01</b>\n"), text);
                    assertTrue(text.contains("<a href=\"https://127.0.0.1/status/#/device/"), text);
                }
                if (x instanceof Notification.Grouped) {
                    assertAllTwenty(text);
                }
            }
        }
    }

    @Test
    void aTelegramMessageIsCutAtALineToItsLimit() throws Exception {
        MessageTemplate big = MessageTemplate.builder().maxAlertLines(500).build();
        try (Notifier n = Receivers.telegram(telegram().withTemplate(big))) {
            n.send(TestAlerts.grouped("Vake", 300));
            String text = (String) only().json().get("text");
            String visible = text.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            assertTrue(visible.length() <= 4096 && visible.length() > 3500, "length " + visible.length());
            assertTrue(text.endsWith("\n... (message cut)"), text.substring(text.length() - 100));
        }
    }

    @Test
    void theWebhookGetsTheGroupedJson() throws Exception {
        try (Notifier n = Receivers.webhook(WebhookOptions.of(URI.create(base + "/hook")))) {
            n.send(TestAlerts.grouped("Vake", 20));
            Request r = only();
            assertEquals("/hook", r.path());
            Map<?, ?> json = r.json();
            assertEquals("alerts.group", json.get("type"));
            assertEquals("noc", json.get("receiver"));
            assertEquals("new", json.get("reason"));
            assertEquals(Map.of("branch", "Vake"), json.get("group_labels"));
            List<?> firing = (List<?>) json.get("firing");
            assertEquals(20, firing.size(), "the webhook's JSON is not bounded by the template's lines");
            Map<?, ?> first = (Map<?, ?>) firing.getFirst();
            assertEquals("Vake-01", first.get("device_name"));
            assertEquals("Vake", first.get("branch"));
            assertEquals("Tbilisi", first.get("region"));
            assertEquals("127.0.1.1", first.get("address"));
            assertEquals(List.of(), json.get("resolved"));
        }
    }

    @Test
    void aServerErrorThrowsWithoutTheToken() {
        reply = new Reply(500, "{\"error\":\"boom " + SLACK_TOKEN + "\"}", 0);
        for (Notifier n : List.of(Receivers.slack(slack()), Receivers.teams(teams()), Receivers.telegram(telegram()))) {
            try (n) {
                WardException e = assertThrows(WardException.class, () -> n.send(threeCases().getFirst()));
                assertEquals(n.name() + " answered HTTP 500", e.getMessage());
                assertNoSecret(e.getMessage());
                assertNoSecret(n.toString());
                assertNull(e.getCause());
            }
        }
        assertNoSecret(slack().toString());
        assertNoSecret(teams().toString());
        assertNoSecret(telegram().toString());
    }

    @Test
    void telegramSaysWhatTelegramSaidButNotTheToken() {
        reply = new Reply(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found for "
                + TG_TOKEN + "\"}", 0);
        try (Notifier n = Receivers.telegram(telegram())) {
            WardException e = assertThrows(WardException.class, () -> n.send(threeCases().getFirst()));
            assertTrue(e.getMessage().startsWith("telegram answered HTTP 400: Bad Request: chat not found"), e.getMessage());
            assertNoSecret(e.getMessage());
        }
    }

    @Test
    void telegram429WaitsForRetryAfterWithinItsBoundThenFails() {
        reply = new Reply(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 30\","
                + "\"parameters\":{\"retry_after\":30}}", 0);
        try (Notifier n = Receivers.telegram(telegram().withMaxRetryAfter(Duration.ofMillis(300)))) {
            long t0 = System.nanoTime();
            WardException e = assertThrows(WardException.class, () -> n.send(threeCases().getFirst()));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("telegram answered HTTP 429 (too many requests, retry after 30 s)", e.getMessage());
            assertTrue(millis >= 300 && millis < 5_000, "waited " + millis + " ms: retry_after, bounded by 300 ms");
        }
    }

    @Test
    void aSlowServerTimesOut() {
        reply = new Reply(200, "{}", 3_000);
        for (Notifier n : List.of(Receivers.slack(slack().withTimeout(Duration.ofMillis(300))),
                Receivers.teams(teams().withTimeout(Duration.ofMillis(300))),
                Receivers.telegram(telegram().withTimeout(Duration.ofMillis(300))))) {
            try (n) {
                long t0 = System.nanoTime();
                WardException e = assertThrows(WardException.class, () -> n.send(threeCases().getFirst()));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(n.name() + ": no answer within 300 ms", e.getMessage());
                assertTrue(millis < 2_500, "gave up after " + millis + " ms");
            }
        }
    }

    @Test
    void aReceiverIsRetriedAndCountedByTheDelivery() throws Exception {
        reply = new Reply(503, "", 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeClock clock = new FakeClock(TestAlerts.SINCE);
        try (Notifier n = Receivers.slack(slack().withName("noc-slack"));
             Alerting a = Alerting.builder()
                     .rules(List.of(AlertRule.of("Ping Unavailable", "failed_cycles >= 1", Severity.CRITICAL, LabelSelector.any())))
                     .notifier(n).clock(clock).meterRegistry(registry)
                     .delivery(new DeliveryOptions(100, 5, Duration.ofMillis(5), Duration.ofMillis(20))).build()) {
            Device d = Results.device("Vake-01", null);
            StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
            t.replaceInventory(List.of(d));
            Thread flip = Thread.ofVirtual().start(() -> {
                Results.await("two attempts", () -> requests.size() >= 2);
                reply = new Reply(200, "ok", 0);
            });
            t.onResult(Results.down(d.id(), clock.instant()));
            Results.await("delivered", () -> registry.find("ward.notifications.sent").tag("notifier", "noc-slack")
                    .counter() != null && registry.get("ward.notifications.sent").tag("notifier", "noc-slack").counter().count() == 1);
            flip.join();
            assertTrue(registry.get("ward.notifications.retries").tag("notifier", "noc-slack").counter().count() >= 2);
            assertTrue(requests.getLast().body().contains("Vake-01"));
        }
    }

    @Test
    void aBranchOutageRoutedByTheDispatcherIsOneMessagePerReceiver() throws Exception {
        Map<java.util.UUID, Alert> open = new java.util.concurrent.ConcurrentHashMap<>();
        AlertSource source = new AlertSource() {
            @Override
            public java.util.Collection<Alert> open() {
                return List.copyOf(open.values());
            }

            @Override
            public java.util.Optional<Alert> find(java.util.UUID id) {
                return java.util.Optional.ofNullable(open.get(id));
            }
        };
        for (Alert a : TestAlerts.branch("Vake", 20)) {
            open.put(a.id(), a);
        }
        FakeClock clock = new FakeClock(NOW);
        Route root = Route.builder().receivers("noc-slack", "oncall-telegram").groupBy(List.of("branch"))
                .groupWait(Duration.ofSeconds(30)).build();
        try (Notifier slack = Receivers.slack(slack().withName("noc-slack"));
             Notifier tg = Receivers.telegram(telegram().withName("oncall-telegram"));
             Dispatcher d = Dispatcher.builder().route(root).receiver(slack).receiver(tg).alerts(source)
                     .log(NotificationLog.inMemory(100)).silences(SilenceStore.inMemory(10)).clock(clock)
                     .meterRegistry(new SimpleMeterRegistry())
                     .delivery(new DeliveryOptions(100, 2, Duration.ofMillis(1), Duration.ofMillis(2))).build()) {
            d.tick();
            clock.advance(Duration.ofSeconds(31));
            d.tick();
            assertTrue(d.awaitDelivered(Duration.ofSeconds(10)));
            assertEquals(2, requests.size(), "one message per receiver: " + requests);
            Request toSlack = requests.stream().filter(r -> r.path().startsWith("/services/")).findFirst().orElseThrow();
            Request toTelegram = requests.stream().filter(r -> r.path().startsWith("/bot")).findFirst().orElseThrow();
            assertEquals("[CRITICAL] 20 firing: branch=Vake", toSlack.json().get("text"));
            assertAllTwenty(toSlack.body());
            String text = (String) toTelegram.json().get("text");
            assertTrue(text.startsWith("<b>[CRITICAL] 20 firing: branch=Vake</b>"), text);
            assertAllTwenty(text);
        }
    }

    @Test
    void badOptionsNameEveryProblem() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new SlackOptions("", Secret.of("not a url " + SLACK_TOKEN), Duration.ofMillis(-1), null));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("webhook-url: must be an absolute http or https URL"), e.getMessage());
        assertTrue(e.getMessage().contains("timeout = PT-0.001S: must be 1 ms-5 min"), e.getMessage());
        assertNoSecret(e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> TeamsOptions.of(Secret.of("")));
        assertThrows(InvalidConfigurationException.class, () -> TeamsOptions.of(Secret.of("ftp://127.0.0.1/" + TEAMS_TOKEN)));
        assertThrows(InvalidConfigurationException.class, () -> slack().withTimeout(Duration.ofMinutes(6)));

        InvalidConfigurationException t = assertThrows(InvalidConfigurationException.class,
                () -> new TelegramOptions("tg", URI.create("ftp://127.0.0.1"), Secret.of("no-colon " + TG_TOKEN), " ",
                        Duration.ZERO, Duration.ofMillis(-5), MessageTemplate.defaults()));
        assertEquals(5, t.problems().size(), t.getMessage());
        assertTrue(t.getMessage().contains("chat-id: must not be empty"), t.getMessage());
        assertTrue(t.getMessage().contains("api-base = ftp://127.0.0.1"), t.getMessage());
        assertTrue(t.getMessage().contains("max-retry-after = PT-0.005S"), t.getMessage());
        assertNoSecret(t.getMessage());
        InvalidConfigurationException c = assertThrows(InvalidConfigurationException.class,
                () -> TelegramOptions.of(Secret.of(TG_TOKEN), "chat 42"));
        assertTrue(c.getMessage().contains("chat-id = chat 42: must be a number"), c.getMessage());
        assertEquals("@ward_noc", TelegramOptions.of(Secret.of(TG_TOKEN), "@ward_noc").chatId());
        assertThrows(InvalidConfigurationException.class, () -> telegram().withName("no spaces"));
        assertInstanceOf(TelegramOptions.class, telegram().withMaxRetryAfter(Duration.ZERO));
    }

    static void assertNoSecret(String s) {
        for (String secret : List.of(SLACK_TOKEN, "sl4cks3cr3t", TEAMS_TOKEN, TG_TOKEN, "AAtelegramS3cr3t")) {
            assertFalse(s.contains(secret), "a secret in: " + s);
        }
    }
}
