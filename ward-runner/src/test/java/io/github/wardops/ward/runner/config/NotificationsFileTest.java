package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationsFileTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            receivers:
              - name: noc
                webhook: {url: "http://127.0.0.1:9/hook", secret-file: hook-secret, timeout: 10s}
              - name: everything
                log: {}
            route:
              receivers: [everything]
              group-by: [branch]
              group-wait: 30s
              routes:
                - name: tbilisi-critical
                  match: severity = critical and region = Tbilisi
                  receivers: [noc]
                  continue: true
                  escalate:
                    - {after: 15m, receivers: [everything]}
            maintenance:
              - {name: friday, match: region = Tbilisi, time-zone: Asia/Tbilisi, days: [fri], start: "22:00", end: "02:00"}
              - {name: swap, match: branch = Vake, from: "2027-01-15T20:00:00Z", to: "2027-01-15T23:00:00Z"}
            """;

    @Test
    void aGoodFileGivesTheTreeTheReceiversAndTheWindows() throws Exception {
        Files.writeString(dir.resolve("hook-secret"), "s3cret-key-of-the-hook\n");
        NotificationsFile.Parsed p = NotificationsFile.parse(GOOD, "n.yaml", dir);
        assertEquals(List.of("noc", "everything"), p.receivers().stream().map(NotificationsFile.Receiver::name).toList());
        assertEquals("s3cret-key-of-the-hook", p.receivers().get(0).secrets().get("secret").reveal());
        assertFalse(p.receivers().get(0).toString().contains("s3cret"), "a receiver never prints its secrets");
        assertEquals(List.of("everything", "noc"), p.root().receiverNames());
        assertEquals(Duration.ofSeconds(30), p.root().groupWait().orElseThrow());
        var child = p.root().routes().get(0);
        assertTrue(child.continueMatching());
        assertEquals(Duration.ofMinutes(15), child.escalations().get(0).after());
        assertTrue(child.match().matches(Map.of("severity", "critical", "region", "Tbilisi")));
        assertEquals(2, p.windows().size());
        // Friday 2027-01-15 23:00 in Tbilisi is 19:00 UTC
        assertTrue(p.windows().get(0).activeAt(Instant.parse("2027-01-15T19:00:00Z")));
        assertFalse(p.windows().get(0).activeAt(Instant.parse("2027-01-15T12:00:00Z")));
        assertTrue(p.windows().get(1).activeAt(Instant.parse("2027-01-15T21:00:00Z")));
    }

    @Test
    void everyProblemIsNamedWithItsPlace() {
        String bad = """
                receivers:
                  - name: noc
                    webhook: {url: "http://127.0.0.1:9/hook", secret: inline-value, timout: 5s}
                  - name: noc
                    log: {}
                  - name: mail
                    email: {host: 127.0.0.1, port: 70000, security: ssl, from: a@b, to: [c@d], username: u}
                  - name: tg
                    telegram: {chat-id: "1"}
                  - name: two
                    log: {}
                    webhook: {url: "http://127.0.0.1:9/"}
                route:
                  receivers: [nco]
                  group-wait: soon
                  grup-by: [branch]
                  routes:
                    - match: "region = = Tbilisi"
                      receivers: [pager]
                      continue: maybe
                maintenance:
                  - {name: w, match: region = Tbilisi, time-zone: Mars/Olympus, start: "22:00", end: "02:00"}
                  - {name: x, match: region = Tbilisi, time-zone: UTC, days: [fry], start: "22:00", end: "02:00"}
                  - {name: y, time-zone: UTC, start: "22:00", end: "02:00"}
                """;
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> NotificationsFile.parse(bad, "n.yaml", dir));
        String all = String.join("\n", e.problems());
        for (String expected : List.of(
                "receivers[0] (noc).webhook.secret: secrets are not written in this file; name a file holding it with secret-file",
                "receivers[0] (noc).webhook.timout: unknown member", "(did you mean 'timeout'?)",
                "receivers[1] (noc): the name is used twice",
                "receivers[2] (mail).email.port = '70000': 1-65535",
                "receivers[2] (mail).email.security = 'ssl': none, starttls or tls",
                "receivers[2] (mail).email: username and password-file go together",
                "receivers[3] (tg).telegram.token-file: required",
                "receivers[4] (two): exactly one kind",
                "route.group-wait = 'soon'",
                "route.grup-by: unknown member (did you mean 'group-by'?)",
                "route.routes[0].match:",
                "route.routes[0].continue: true or false",
                "maintenance[0] (w)", "maintenance[1] (x).days: 'fry' is not a weekday",
                "maintenance[2] (y).match: required")) {
            assertTrue(all.contains(expected), "missing: " + expected + "\nin:\n" + all);
        }
        assertFalse(all.contains("inline-value"), "a secret written in the file is never echoed");
    }

    @Test
    void anUnknownReceiverIsNamedWithASuggestion() {
        String text = "receivers:\n  - name: page\n    log: {}\nroute:\n  receivers: [pager]\n";
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> NotificationsFile.parse(text, "n.yaml", dir));
        assertEquals(List.of("route: receiver 'pager' is not defined under receivers (did you mean 'page'?)"), e.problems());
    }

    @Test
    void malformedFilesAreRefusedWithAReason() throws Exception {
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> NotificationsFile.parse("route: [", "n.yaml", dir))
                .problems().get(0).startsWith("not valid YAML at line"));
        assertEquals(List.of("expected a map with receivers, route and maintenance"), assertThrows(
                InvalidConfigurationException.class, () -> NotificationsFile.parse("- a\n- b\n", "n.yaml", dir)).problems());
        assertEquals(List.of("route: required, a map (receivers, group-by, routes...)"), assertThrows(
                InvalidConfigurationException.class, () -> NotificationsFile.parse("receivers: []\n", "n.yaml", dir)).problems());
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'r', 'o', 'u', 't', 'e', ':', ' ', (byte) 0xE9, '\n'});
        assertEquals(List.of("not UTF-8 text"), assertThrows(InvalidConfigurationException.class,
                () -> NotificationsFile.read(latin1)).problems());
        assertEquals(List.of("no such file"), assertThrows(InvalidConfigurationException.class,
                () -> NotificationsFile.read(dir.resolve("missing.yaml"))).problems());
        String missingSecret = "receivers:\n  - name: h\n    webhook: {url: 'http://127.0.0.1:9/', secret-file: nope}\n"
                + "route: {receivers: [h]}\n";
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> NotificationsFile.parse(missingSecret, "n.yaml", dir))
                .problems().get(0).endsWith("secret-file = 'nope': no such file"));
    }
}
