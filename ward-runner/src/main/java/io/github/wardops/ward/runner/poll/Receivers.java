package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.mail.MailNotifier;
import io.github.wardops.ward.mail.MailOptions;
import io.github.wardops.ward.notify.MessageTemplate;
import io.github.wardops.ward.notify.SlackOptions;
import io.github.wardops.ward.notify.TeamsOptions;
import io.github.wardops.ward.notify.TelegramOptions;
import io.github.wardops.ward.runner.config.Durations;
import io.github.wardops.ward.runner.config.NotificationsFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Makes the notifier of a receiver of the notifications file. Stateless. */
final class Receivers {
    private Receivers() {
    }

    /**
     * The notifier of a receiver, known by the receiver's name.
     *
     * @param r the receiver, as checked by {@link NotificationsFile}
     * @param template the message template (the status page's address, for links)
     * @param base the directory relative files are read from
     * @return its notifier
     * @throws InvalidConfigurationException when an option is not acceptable
     */
    static Notifier build(NotificationsFile.Receiver r, MessageTemplate template, Path base) {
        String t = r.option("timeout");
        Duration timeout = t == null ? null : Durations.parse(t);
        return switch (r.kind()) {
            case "log" -> Notifier.logging();
            case "webhook" -> Notifier.webhook(new WebhookOptions(httpUri(r.option("url"), "url"),
                    r.secrets().get("secret"), timeout == null ? WebhookOptions.DEFAULT_TIMEOUT : timeout));
            case "slack" -> {
                SlackOptions o = SlackOptions.of(r.secrets().get("url")).withName(r.name()).withTemplate(template);
                yield io.github.wardops.ward.notify.Receivers.slack(timeout == null ? o : o.withTimeout(timeout));
            }
            case "teams" -> {
                TeamsOptions o = TeamsOptions.of(r.secrets().get("url")).withName(r.name()).withTemplate(template);
                yield io.github.wardops.ward.notify.Receivers.teams(timeout == null ? o : o.withTimeout(timeout));
            }
            case "telegram" -> {
                TelegramOptions o = TelegramOptions.of(r.secrets().get("token"), r.option("chat-id")).withName(r.name())
                        .withTemplate(template);
                if (r.option("api-base") != null) {
                    o = o.withApiBase(httpUri(r.option("api-base"), "api-base"));
                }
                if (r.option("max-retry-after") != null) {
                    o = o.withMaxRetryAfter(Durations.parse(r.option("max-retry-after")));
                }
                yield io.github.wardops.ward.notify.Receivers.telegram(timeout == null ? o : o.withTimeout(timeout));
            }
            case "email" -> MailNotifier.of(mail(r, template, timeout, base));
            default -> throw new InvalidConfigurationException("receiver " + r.name(), List.of("unknown kind " + r.kind()));
        };
    }

    private static MailOptions mail(NotificationsFile.Receiver r, MessageTemplate template, Duration timeout, Path base) {
        MailOptions.Builder b = MailOptions.builder().name(r.name()).host(r.option("host")).from(r.option("from"))
                .to(Arrays.stream(r.option("to").split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList())
                .template(template);
        String sec = r.option("security");
        if (sec != null) {
            b.security(MailOptions.Security.valueOf(sec.toUpperCase(Locale.ROOT)));
        }
        if (r.option("port") != null) {
            b.port(Integer.parseInt(r.option("port")));
        }
        if (r.option("username") != null) {
            b.login(r.option("username"), r.secrets().get("password"));
        }
        if (r.option("subject-prefix") != null) {
            b.subjectPrefix(r.option("subject-prefix"));
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (r.option("trust-store-file") != null) {
            b.trustStore(trustStore(base.resolve(r.option("trust-store-file"))));
        }
        return b.build();
    }

    /** The CA certificates of a PEM file, as a trust store (a private CA of the mail relay). */
    static KeyStore trustStore(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new InvalidConfigurationException("trust-store-file", List.of("trust-store-file = '" + pem
                        + "': no certificate in it (PEM expected)"));
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigurationException("trust-store-file", List.of("trust-store-file = '" + pem
                    + "': cannot be read as PEM certificates (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** An http(s) URL without credentials in it (they belong in a secret file). */
    static URI httpUri(String text, String what) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(what, List.of(what + ": not a URL (" + e.getReason() + ")"));
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new InvalidConfigurationException(what, List.of(what + ": an http or https URL with a host"));
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null && u.getRawQuery().toLowerCase(Locale.ROOT).contains("password")) {
            // never echo it: it holds a credential
            throw new InvalidConfigurationException(what, List.of(what + ": holds credentials; use secret-file instead"));
        }
        return u;
    }
}
