package io.github.wardops.ward.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.notify.MessageTemplate;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email receiver against GreenMail on loopback: plain SMTP with AUTH, STARTTLS (through a
 * loopback front that adds it, as GreenMail's SMTP has none), implicit TLS with a certificate
 * made for the test, wrong passwords, untrusted and misnamed certificates, UTF-8 texts.
 */
class MailNotifierTest {
    static final String PASSWORD = "Pa55-w0rd-never-shown";
    static final char[] STORE_PASS = "changeit".toCharArray();
    static final Instant SINCE = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant NOW = SINCE.plusSeconds(330);

    @TempDir
    static Path dir;
    static GreenMail green;
    static KeyStore serverKeys;
    static KeyStore trust;
    static KeyStore otherNameKeys;

    /** A self-signed certificate for {@code san}, made by the JDK's keytool. */
    static KeyStore keyStore(Path file, String san) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ward-test", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=ward test", "-ext", "san=" + san, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, STORE_PASS);
        }
        return ks;
    }

    static KeyStore trustOf(KeyStore keys) throws Exception {
        KeyStore t = KeyStore.getInstance("PKCS12");
        t.load(null, null);
        t.setCertificateEntry("server", keys.getCertificate("ward-test"));
        return t;
    }

    static SSLContext serverContext(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static SSLContext serverContextUnchecked() {
        try {
            return serverContext(serverKeys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void startGreenMail() throws Exception {
        Path ks = dir.resolve("server.p12");
        serverKeys = keyStore(ks, "ip:127.0.0.1,dns:localhost");
        trust = trustOf(serverKeys);
        otherNameKeys = keyStore(dir.resolve("other.p12"), "dns:other.invalid");
        // GreenMail's SMTPS takes its key from these (read once, when its TLS factory is first made)
        System.setProperty("greenmail.tls.keystore.file", ks.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        green = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort()});
        green.setUser("noc@localhost", "noc", PASSWORD);
        green.start();
    }

    @AfterAll
    static void stopGreenMail() {
        green.stop();
    }

    @BeforeEach
    void purge() throws Exception {
        green.purgeEmailFromAllMailboxes();
    }

    static Alert alert(String name, String branch, Severity severity) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("region", "თბილისი");
        labels.put("branch", branch);
        return new Alert(UUID.nameUUIDFromBytes(name.getBytes()), new DeviceId(UUID.nameUUIDFromBytes(("d" + name).getBytes())),
                name, "127.0.0.11", labels, 0, "Ping Unavailable", "Ping Unavailable", severity, name + " does not answer ping",
                SINCE, SINCE.plusSeconds(30), null, null, null, null, 2, List.of());
    }

    MailOptions.Builder options(MailOptions.Security security, int port) {
        return MailOptions.builder().host("127.0.0.1").port(port).security(security).from("ward@localhost")
                .to(List.of("noc@localhost", "oncall@localhost")).timeout(Duration.ofSeconds(5))
                .template(MessageTemplate.builder().statusPage(URI.create("https://127.0.0.1/ward/")).build());
    }

    MimeMessage onlyMail() throws Exception {
        assertTrue(green.waitForIncomingEmail(5_000, 2), "one mail for each of two recipients");
        MimeMessage[] got = green.getReceivedMessages();
        assertEquals(2, got.length, "one mail, two recipients");
        return got[0];
    }

    static String body(MimeMessage m) throws Exception {
        return (String) m.getContent();
    }

    @Test
    void plainSmtpWithAuthDeliversSubjectBodyAndRecipients() throws Exception {
        MailOptions o = options(MailOptions.Security.NONE, green.getSmtp().getPort()).login("noc", Secret.of(PASSWORD)).build();
        try (MailNotifier n = new MailNotifier(o)) {
            assertEquals("email", n.name());
            n.send(new Notification.Opened(alert("ვაკე-01", "ვაკე", Severity.CRITICAL), NOW));
        }
        MimeMessage m = onlyMail();
        assertEquals("[ward] [CRITICAL] Ping Unavailable on ვაკე-01", m.getSubject());
        List<String> to = new ArrayList<>();
        for (Address a : m.getRecipients(Message.RecipientType.TO)) {
            to.add(a.toString());
        }
        assertEquals(List.of("noc@localhost", "oncall@localhost"), to);
        assertEquals("ward@localhost", m.getFrom()[0].toString());
        assertTrue(m.getContentType().toLowerCase().contains("charset=utf-8"), m.getContentType());
        assertEquals("auto-generated", m.getHeader("Auto-Submitted", null));
        String body = body(m);
        for (String s : List.of("ვაკე-01", "branch ვაკე", "region თბილისი", "127.0.0.11", "since 2026-03-01 10:00:00 +00:00",
                "2 impacted devices", "https://127.0.0.1/ward/#/device/")) {
            assertTrue(body.contains(s), s + " in\n" + body);
        }
    }

    @Test
    void aGroupedBranchOutageIsOneMail() throws Exception {
        List<Alert> firing = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            firing.add(alert(String.format("ვაკე-%02d", i), "ვაკე", Severity.HIGH));
        }
        MailOptions o = options(MailOptions.Security.NONE, green.getSmtp().getPort()).build();
        try (MailNotifier n = new MailNotifier(o)) {
            n.send(new Notification.Grouped("noc-email", Map.of("branch", "ვაკე"), firing, List.of(),
                    Notification.Grouped.Reason.NEW, NOW));
        }
        MimeMessage m = onlyMail();
        assertEquals("[ward] [HIGH] 20 firing: branch=ვაკე", m.getSubject());
        String body = body(m);
        for (int i = 1; i <= 20; i++) {
            assertTrue(body.contains(String.format("ვაკე-%02d", i)), i + " in\n" + body);
        }
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutThePassword() {
        MailOptions o = options(MailOptions.Security.NONE, green.getSmtp().getPort())
                .login("noc", Secret.of("wrong-" + PASSWORD)).build();
        try (MailNotifier n = new MailNotifier(o)) {
            WardException e = assertThrows(WardException.class,
                    () -> n.send(new Notification.Opened(alert("x", "b", Severity.LOW), NOW)));
            assertTrue(e.getMessage().contains("refused the login of user 'noc'"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            assertFalse(n.toString().contains(PASSWORD));
            assertFalse(o.toString().contains(PASSWORD), o.toString());
            assertTrue(o.toString().contains("password ***"), o.toString());
        }
        assertEquals(0, green.getReceivedMessages().length);
    }

    @Test
    void implicitTlsWithTheServersCertificateTrusted() throws Exception {
        MailOptions o = options(MailOptions.Security.TLS, green.getSmtps().getPort()).login("noc", Secret.of(PASSWORD))
                .trustStore(trust).build();
        try (MailNotifier n = new MailNotifier(o)) {
            n.send(new Notification.Opened(alert("Saburtalo-01", "საბურთალო", Severity.HIGH), NOW));
        }
        assertEquals("[ward] [HIGH] Ping Unavailable on Saburtalo-01", onlyMail().getSubject());
    }

    @Test
    void implicitTlsWithoutThatTrustFails() {
        MailOptions o = options(MailOptions.Security.TLS, green.getSmtps().getPort()).login("noc", Secret.of(PASSWORD)).build();
        try (MailNotifier n = new MailNotifier(o)) {
            WardException e = assertThrows(WardException.class,
                    () -> n.send(new Notification.Opened(alert("x", "b", Severity.LOW), NOW)));
            assertTrue(e.getMessage().contains("the TLS handshake failed"), e.getMessage());
            assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
        assertEquals(0, green.getReceivedMessages().length);
    }

    @Test
    void startTlsUpgradesThenAuthenticatesAndSends() throws Exception {
        try (StartTlsProxy proxy = new StartTlsProxy(green.getSmtp().getPort(), serverContext(serverKeys))) {
            MailOptions o = options(MailOptions.Security.STARTTLS, proxy.port()).login("noc", Secret.of(PASSWORD))
                    .trustStore(trust).build();
            try (MailNotifier n = new MailNotifier(o)) {
                n.send(new Notification.Resolved(alert("Vake-07", "ვაკე", Severity.HIGH).resolve(NOW, "condition cleared"), NOW));
            }
            assertEquals(1, proxy.upgrades, "the conversation went through STARTTLS");
            MimeMessage m = onlyMail();
            assertTrue(m.getSubject().startsWith("[ward] [RESOLVED] Ping Unavailable on Vake-07 after 5m 30s"), m.getSubject());
            assertTrue(body(m).contains("condition cleared"), body(m));
        }
    }

    @Test
    void startTlsIsRequiredWhenChosen() {
        // GreenMail's own SMTP offers no STARTTLS: never fall back to clear text
        MailOptions o = options(MailOptions.Security.STARTTLS, green.getSmtp().getPort()).login("noc", Secret.of(PASSWORD))
                .trustStore(trust).build();
        try (MailNotifier n = new MailNotifier(o)) {
            WardException e = assertThrows(WardException.class,
                    () -> n.send(new Notification.Opened(alert("x", "b", Severity.LOW), NOW)));
            assertTrue(e.getMessage().contains("STARTTLS is required but host does not support STARTTLS"), e.getMessage());
        }
        assertEquals(0, green.getReceivedMessages().length);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        try (StartTlsProxy proxy = new StartTlsProxy(green.getSmtp().getPort(), serverContext(otherNameKeys))) {
            MailOptions o = options(MailOptions.Security.STARTTLS, proxy.port()).trustStore(trustOf(otherNameKeys)).build();
            try (MailNotifier n = new MailNotifier(o)) {
                WardException e = assertThrows(WardException.class,
                        () -> n.send(new Notification.Opened(alert("x", "b", Severity.LOW), NOW)));
                assertTrue(e.getMessage().contains("the TLS handshake failed"), e.getMessage());
                assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                        "trusted, but made for another host: refused\n" + e.getMessage());
            }
        }
        assertEquals(0, green.getReceivedMessages().length);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new ArrayList<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    held.add(silent.accept());
                } catch (Exception e) {
                    // closed
                }
            });
            MailOptions o = options(MailOptions.Security.NONE, silent.getLocalPort()).timeout(Duration.ofMillis(300)).build();
            long t0 = System.nanoTime();
            try (MailNotifier n = new MailNotifier(o)) {
                WardException e = assertThrows(WardException.class,
                        () -> n.send(new Notification.Opened(alert("x", "b", Severity.LOW), NOW)));
                assertTrue(e.getMessage().contains("Read timed out"), e.getMessage());
                assertTrue(e.getMessage().startsWith("email: SMTP server 127.0.0.1:" + silent.getLocalPort()), e.getMessage());
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 3_000, "gave up after " + millis + " ms");
            t.join(1_000);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void badOptionsNameEveryProblem() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> MailOptions.builder()
                .name("").host(" ").port(70_000).login("noc", null).from("not an address")
                .to(List.of("ok@localhost", "bad@@localhost")).connectTimeout(Duration.ofMillis(-1))
                .readTimeout(Duration.ofMinutes(6)).writeTimeout(null).subjectPrefix("a\r\nBcc: x@localhost").build());
        List<String> p = e.problems();
        assertEquals(10, p.size(), String.join("\n", p));
        String all = String.join("\n", p);
        for (String s : List.of("name = :", "host: must be set", "port = 70000: must be 1-65535", "login: set both",
                "from = not an address", "to[1] = bad@@localhost", "connect-timeout = PT-0.001S", "read-timeout = PT6M",
                "write-timeout = null", "subject-prefix")) {
            assertTrue(all.contains(s), s + " in\n" + all);
        }
        InvalidConfigurationException zero = assertThrows(InvalidConfigurationException.class,
                () -> options(MailOptions.Security.NONE, -1).build());
        assertTrue(zero.getMessage().contains("port = -1"), zero.getMessage());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> options(MailOptions.Security.NONE, 25)
                .to(List.of()).build()).getMessage().contains("to: must name at least one recipient"));
        List<String> many = new ArrayList<>(Arrays.asList(new String[101]));
        many.replaceAll(x -> "noc@localhost");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> options(MailOptions.Security.NONE, 25)
                .to(many).build()).getMessage().contains("101 recipients; at most 100"));
        InvalidConfigurationException pw = assertThrows(InvalidConfigurationException.class,
                () -> options(MailOptions.Security.NONE, 25).login("", Secret.of("")).build());
        assertEquals(2, pw.problems().size(), pw.getMessage());
        MailOptions.Builder both = options(MailOptions.Security.TLS, 465).trustStore(trust);
        both.build();
        assertTrue(both.build().sslContext() != null, "a builder builds twice alike");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> both.sslContext(serverContextUnchecked()).build())
                .getMessage().contains("set a trust store or an SSL context, not both"));
        assertEquals(587, MailOptions.builder().host("127.0.0.1").from("a@localhost").to(List.of("b@localhost")).build().port());
        assertEquals(465, MailOptions.builder().host("127.0.0.1").security(MailOptions.Security.TLS).from("a@localhost")
                .to(List.of("b@localhost")).build().port());
    }
}
