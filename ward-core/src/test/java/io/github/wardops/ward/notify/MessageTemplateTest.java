package io.github.wardops.ward.notify;

import static io.github.wardops.ward.notify.TestAlerts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.notify.MessageTemplate.Format;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared message template: what every alert line says, bounds, and escaping per channel. */
class MessageTemplateTest {
    final MessageTemplate template = MessageTemplate.builder().statusPage(URI.create("https://127.0.0.1:8080/ward/")).build();

    @Test
    void anOpenedAlertSaysWhatWhereSinceAndLinks() {
        Alert a = TestAlerts.vake01();
        MessageTemplate.Message m = template.render(new Notification.Opened(a, NOW));
        assertEquals("[CRITICAL] Ping Unavailable on Vake-01", m.title());
        String text = m.text(Format.PLAIN);
        for (String s : List.of("Vake-01", "127.0.0.11", "region Tbilisi", "branch Vake", "Ping Unavailable", "CRITICAL",
                "since 2026-03-01 10:00:00 +00:00 (5m 30s)", "3 impacted devices", "does not answer ping",
                "https://127.0.0.1:8080/ward/#/device/" + a.device())) {
            assertTrue(text.contains(s), s + " in:\n" + text);
        }
        String slack = m.text(Format.SLACK);
        assertTrue(slack.contains("<https://127.0.0.1:8080/ward/#/device/" + a.device() + "|status page>"), slack);
        assertTrue(slack.contains("*Vake-01*"), slack);
        String tg = m.text(Format.TELEGRAM_HTML);
        assertTrue(tg.contains("<a href=\"https://127.0.0.1:8080/ward/#/device/" + a.device() + "\">status page</a>"), tg);
        assertTrue(tg.contains("<b>Vake-01</b>"), tg);
        String teams = m.text(Format.TEAMS_MARKDOWN);
        assertTrue(teams.contains("[status page](https://127.0.0.1:8080/ward/#/device/" + a.device() + ")"), teams);
    }

    @Test
    void withoutAStatusPageThereIsNoLinkAndTimesFollowTheZone() {
        MessageTemplate t = MessageTemplate.builder().zone(ZoneId.of("Asia/Tbilisi")).build();
        Alert a = TestAlerts.alert("Lone", "", Map.of(), Severity.LOW, 0);
        String text = t.render(new Notification.Opened(a, NOW)).text(Format.PLAIN);
        assertFalse(text.contains("http"), text);
        assertFalse(text.contains("impacted"), "no impacted devices: not mentioned\n" + text);
        assertFalse(text.contains("region"), text);
        assertTrue(text.contains("since 2026-03-01 14:00:00 +04:00"), text);
    }

    @Test
    void everyCaseRenders() {
        Alert a = TestAlerts.vake01();
        Alert resolved = a.resolve(NOW, "condition cleared");
        MessageTemplate.Message r = template.render(new Notification.Resolved(resolved, NOW.plusSeconds(60)));
        assertEquals("[RESOLVED] Ping Unavailable on Vake-01 after 5m 30s", r.title());
        assertTrue(r.text(Format.PLAIN).contains("condition cleared"));
        assertTrue(r.text(Format.PLAIN).contains("resolved 2026-03-01 10:05:30 +00:00"), r.text(Format.PLAIN));

        MessageTemplate.Message e = template.render(new Notification.Escalated(a,
                new Alert.Step("Ping Loss High", Severity.CRITICAL, NOW), Severity.HIGH, NOW));
        assertEquals("[HIGH -> CRITICAL] Ping Loss High on Vake-01", e.title());

        MessageTemplate.Message f = template.render(new Notification.Flood(true, 120, 0, Duration.ofMinutes(1),
                Map.of(Severity.CRITICAL, 100, Severity.HIGH, 20), TestAlerts.branch("Saburtalo", 10), NOW));
        assertEquals("Alert flood: 120 alerts opened within 1m", f.title());
        assertTrue(f.text(Format.PLAIN).contains("By severity: critical 100 high 20"), f.text(Format.PLAIN));
        assertTrue(f.text(Format.PLAIN).contains("Saburtalo-10"));

        MessageTemplate.Message g = template.render(new Notification.Grouped("noc", Map.of("branch", "Vake"),
                List.of(a), List.of(TestAlerts.branch("Vake", 2).get(1).resolve(NOW, "condition cleared")),
                Notification.Grouped.Reason.CHANGED, NOW));
        assertEquals("[CRITICAL] 1 firing, 1 resolved: branch=Vake", g.title());
        String gt = g.text(Format.PLAIN);
        MessageTemplate.Message allResolved = template.render(new Notification.Grouped("noc", Map.of("branch", "Vake"),
                List.of(), List.of(a.resolve(NOW, "condition cleared")), Notification.Grouped.Reason.CHANGED, NOW));
        assertEquals("[RESOLVED] 1 resolved: branch=Vake", allResolved.title());
        assertTrue(gt.indexOf("Firing (1)") < gt.indexOf("Resolved (1)"), gt);
    }

    @Test
    void aGroupListsAtMostMaxAlertLinesThenHowManyMore() {
        MessageTemplate.Message m = template.render(TestAlerts.grouped("Vake", 25));
        List<String> lines = m.lines(Format.PLAIN);
        assertEquals(20, lines.stream().filter(l -> l.startsWith("- [")).count(), String.join("\n", lines));
        assertEquals("... and 5 more", lines.getLast());
        assertTrue(m.title().startsWith("[CRITICAL] 25 firing: branch=Vake"), m.title());

        MessageTemplate three = MessageTemplate.builder().maxAlertLines(3).build();
        Notification.Grouped g = new Notification.Grouped("noc", Map.of(), TestAlerts.branch("A", 2),
                TestAlerts.branch("B", 4), Notification.Grouped.Reason.REPEAT, NOW);
        List<String> l3 = three.render(g).lines(Format.PLAIN);
        assertEquals(3, l3.stream().filter(l -> l.startsWith("- [")).count(), String.join("\n", l3));
        assertEquals("... and 3 more", l3.getLast(), "the bound holds across firing and resolved");
    }

    @Test
    void textsFromDevicesAndLabelsNeverBecomeMarkup() {
        Alert evil = TestAlerts.alert("<!channel> & <script>alert(1)</script>", "127.0.0.1",
                Map.of("branch", "<a href=\"x\">*bold*</a>", "region", "[click](http://127.0.0.1/)"), Severity.HIGH, 0);
        MessageTemplate.Message m = template.render(new Notification.Opened(evil, NOW));
        String slack = m.title(Format.SLACK) + "\n" + m.text(Format.SLACK);
        assertFalse(slack.contains("<!channel>"), slack);
        assertFalse(slack.contains("<script>"), slack);
        assertTrue(slack.contains("&lt;!channel&gt; &amp; &lt;script&gt;"), slack);
        String tg = m.title(Format.TELEGRAM_HTML) + "\n" + m.text(Format.TELEGRAM_HTML);
        assertFalse(tg.contains("<script>"), tg);
        assertFalse(tg.contains("<a href=\"x\">"), tg);
        assertTrue(tg.contains("&lt;a href=&quot;x&quot;&gt;"), tg);
        String teams = m.title(Format.TEAMS_MARKDOWN) + "\n" + m.text(Format.TEAMS_MARKDOWN);
        assertFalse(teams.contains("[click](http"), teams);
        assertTrue(teams.contains("\\[click\\]\\(http://127.0.0.1/\\)"), teams);
        assertTrue(teams.contains("\\*bold\\*"), teams);
        String plain = m.text(Format.PLAIN);
        assertTrue(plain.contains("<!channel> & <script>"), "plain text is not escaped: " + plain);
    }

    @Test
    void longValuesAreCut() {
        MessageTemplate t = MessageTemplate.builder().maxValueLength(10).build();
        Alert a = TestAlerts.alert("x".repeat(5000), "127.0.0.1", Map.of(), Severity.HIGH, 0);
        MessageTemplate.Message m = t.render(new Notification.Opened(a, NOW));
        assertTrue(m.title().contains("xxxxxxxxx\u2026"), m.title());
        assertTrue(m.text(Format.PLAIN).length() < 400, m.text(Format.PLAIN));
    }

    @Test
    void badSettingsAreNamed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> MessageTemplate.builder()
                .statusPage(URI.create("ftp://127.0.0.1/")).maxAlertLines(0).maxValueLength(100_000).zone(null).build());
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("max-alert-lines = 0"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> MessageTemplate.builder().maxAlertLines(501).build());
        assertThrows(InvalidConfigurationException.class,
                () -> MessageTemplate.builder().statusPage(URI.create("https://127.0.0.1/#x")).build());
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertEquals("0s", MessageTemplate.duration(Duration.ZERO));
        assertEquals("45s", MessageTemplate.duration(Duration.ofSeconds(45)));
        assertEquals("2h 5m", MessageTemplate.duration(Duration.ofMinutes(125)));
        assertEquals("3d 4h", MessageTemplate.duration(Duration.ofHours(76)));
    }
}
