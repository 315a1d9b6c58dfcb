package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.await;
import static io.github.wardops.ward.testing.Results.device;
import static io.github.wardops.ward.testing.Results.down;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.internal.support.Json;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook notifier against a real HTTP server on loopback. */
class WebhookNotifierTest {
    record Request(String body, String signature, String event, String contentType) {
    }

    HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T10:00:00Z"));
    URI uri;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Ward-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Ward-Event"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    Alerting alerting(Notifier n, int attempts) {
        return Alerting.builder()
                .rules(List.of(AlertRule.of("Ping Unavailable", "failed_cycles >= 1", Severity.CRITICAL, LabelSelector.any())))
                .notifier(n).clock(clock).meterRegistry(registry)
                .delivery(new DeliveryOptions(100, attempts, Duration.ofMillis(5), Duration.ofMillis(20))).build();
    }

    @Test
    void deliversSignedJsonAndRetriesAfterFailures() throws Exception {
        failFirst.set(2);
        Secret secret = Secret.of("s3cr3t-key");
        try (Notifier hook = Notifier.webhook(WebhookOptions.of(uri).withSecret(secret));
             Alerting a = alerting(hook, 5)) {
            assertFalse(hook.toString().contains("s3cr3t"), hook.toString());
            assertFalse(WebhookOptions.of(uri).withSecret(secret).toString().contains("s3cr3t"));
            Device d = device("Kutaisi-881", null);
            StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
            t.replaceInventory(List.of(d));
            t.onResult(down(d.id(), clock.instant()));
            await("delivered", () -> registry.get("ward.notifications.sent").tag("notifier", "webhook").counter().count() == 1);
            assertEquals(3, requests.size(), "two 503s, then success");
            assertEquals(3.0, registry.get("ward.notifications.attempts").tag("notifier", "webhook").counter().count());
            assertEquals(2.0, registry.get("ward.notifications.retries").tag("notifier", "webhook").counter().count());
            assertEquals(0.0, registry.get("ward.notifications.failed").tag("notifier", "webhook").counter().count());
            Request r = requests.get(2);
            assertEquals(hmac("s3cr3t-key", r.body()), r.signature(), "the receiver can verify the body");
            assertEquals("alert.opened", r.event());
            assertTrue(r.contentType().startsWith("application/json"));
            Map<?, ?> json = (Map<?, ?>) Json.parse(r.body());
            assertEquals("alert.opened", json.get("type"));
            Map<?, ?> alert = (Map<?, ?>) json.get("alert");
            assertEquals("Ping Unavailable", alert.get("rule"));
            assertEquals("critical", alert.get("severity"));
            assertEquals(d.id().toString(), alert.get("device"));
            assertEquals("Kutaisi-881", alert.get("device_name"));
            assertEquals("2026-03-01T10:00:00Z", alert.get("since"));
            assertNull(alert.get("resolved_at"));
            assertFalse(r.body().contains("s3cr3t"));
            assertFalse(hmac("other-key", r.body()).equals(r.signature()), "a wrong key does not verify");
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAndCountsIt() throws Exception {
        failFirst.set(1_000);
        try (Notifier hook = Notifier.webhook(WebhookOptions.of(uri)); Alerting a = alerting(hook, 3)) {
            Device d = device("x", null);
            StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
            t.replaceInventory(List.of(d));
            t.onResult(down(d.id(), clock.instant()));
            await("given up", () -> registry.get("ward.notifications.failed").tag("notifier", "webhook").counter().count() == 1);
            assertEquals(3, requests.size());
            assertNull(requests.get(0).signature(), "unsigned without a secret");
            assertEquals(0.0, registry.get("ward.notifications.sent").tag("notifier", "webhook").counter().count());
        }
    }

    @Test
    void aServerThatIsNotThereIsAFailureNotACrash() throws Exception {
        server.stop(0);
        try (Notifier hook = Notifier.webhook(new WebhookOptions(uri, null, Duration.ofMillis(500)));
             Alerting a = alerting(hook, 2)) {
            Device d = device("x", null);
            StateTracker t = StateTracker.builder().clock(clock).listener(a).build();
            t.replaceInventory(List.of(d));
            t.onResult(down(d.id(), clock.instant()));
            await("given up", () -> registry.get("ward.notifications.failed").tag("notifier", "webhook").counter().count() == 1);
            assertEquals(1, a.openAlerts().size());
        }
    }

    @Test
    void optionsAreValidatedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new WebhookOptions(URI.create("ftp://127.0.0.1/x"), Secret.of(""), Duration.ZERO));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> new WebhookOptions(URI.create("/relative"), null,
                Duration.ofSeconds(1)));
    }
}
