package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.notify.MessageTemplate;
import io.github.wardops.ward.runner.config.NotificationsFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every receiver kind of the notifications file becomes its notifier; the status page reaches the messages. */
class ReceiversTest {
    @TempDir
    Path dir;

    @Test
    void everyKindIsBuiltFromTheFileAndSlackGetsTheStatusPageLink() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                bodies.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Files.writeString(dir.resolve("slack-url"), base + "/slack/T000/B000/XXXX\n");
            Files.writeString(dir.resolve("teams-url"), base + "/teams\n");
            Files.writeString(dir.resolve("bot-token"), "123456:ABCDEF-token\n");
            Files.writeString(dir.resolve("smtp-password"), "smtp-pass-word\n");
            Path file = Files.writeString(dir.resolve("notifications.yaml"), """
                    status-page: https://ward.bank.example/
                    receivers:
                      - {name: ops-slack, slack: {url-file: slack-url, timeout: 5s}}
                      - {name: ops-teams, teams: {url-file: teams-url}}
                      - {name: oncall, telegram: {token-file: bot-token, chat-id: "-100200", api-base: "%s"}}
                      - {name: noc-mail, email: {host: 127.0.0.1, port: 2525, security: starttls, username: ward,
                         password-file: smtp-password, from: ward@bank.example, to: [noc@bank.example, duty@bank.example]}}
                      - {name: hook, webhook: {url: "%s/hook"}}
                      - {name: lines, log: {}}
                    route: {receivers: [ops-slack, ops-teams, oncall, noc-mail, hook, lines]}
                    """.formatted(base, base));
            NotificationsFile.Parsed parsed = NotificationsFile.read(file);
            MessageTemplate template = MessageTemplate.builder().statusPage(parsed.statusPage()).build();
            List<Notifier> built = parsed.receivers().stream().map(r -> Routing.named(r.name(), Receivers.build(r, template, dir)))
                    .toList();
            assertEquals(List.of("ops-slack", "ops-teams", "oncall", "noc-mail", "hook", "lines"),
                    built.stream().map(Notifier::name).toList());
            for (Notifier n : built) {
                assertFalse(n.toString().contains("smtp-pass-word") || n.toString().contains("ABCDEF-token")
                        || n.toString().contains("XXXX"), n.name() + " prints a secret");
            }
            Alert a = new Alert(UUID.randomUUID(), DeviceId.fromKey("vake-1"), "vake-1", "127.0.0.1",
                    Map.of("region", "Tbilisi", "branch", "Vake"), 0, "reachability", "Device Down", Severity.CRITICAL,
                    "down", Instant.now(), Instant.now(), null, null, null, null, 0, List.of());
            Notification.Grouped g = new Notification.Grouped("ops-slack", Map.of("branch", "Vake"), List.of(a), List.of(),
                    Notification.Grouped.Reason.NEW, Instant.now());
            built.get(0).send(g);
            built.get(2).send(g);
            assertTrue(bodies.stream().anyMatch(b -> b.startsWith("/slack/T000/B000/XXXX ") && b.contains("vake-1")
                    && b.contains("https://ward.bank.example/")), bodies.toString());
            assertTrue(bodies.stream().anyMatch(b -> b.startsWith("/bot123456:ABCDEF-token/sendMessage ")
                    && b.contains("-100200")), bodies.toString());
            built.forEach(Notifier::close);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badReceiverOptionsAreRefusedWithoutTheirSecrets() throws Exception {
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> Receivers.httpUri("http://u:pw@127.0.0.1/", "url"))
                .problems().get(0).contains("holds credentials"));
        assertFalse(assertThrows(InvalidConfigurationException.class, () -> Receivers.httpUri("http://u:pw@127.0.0.1/", "url"))
                .getMessage().contains("pw"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> Receivers.httpUri("ftp://127.0.0.1/", "url"))
                .problems().get(0).contains("http or https"));
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> Receivers.trustStore(notPem))
                .problems().get(0).contains("ca.pem"));
        URI.create("http://127.0.0.1/");
    }
}
