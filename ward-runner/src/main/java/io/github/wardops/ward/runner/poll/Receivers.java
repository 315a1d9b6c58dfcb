package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.runner.config.Durations;
import io.github.wardops.ward.runner.config.NotificationsFile;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Makes the notifier of a receiver of the notifications file. Stateless. */
final class Receivers {
    private Receivers() {
    }

    /**
     * The notifier of a receiver.
     *
     * @param r the receiver, as checked by {@link NotificationsFile}
     * @return its notifier
     * @throws InvalidConfigurationException when an option is not acceptable
     */
    static Notifier build(NotificationsFile.Receiver r) {
        Duration timeout = r.option("timeout") == null ? WebhookOptions.DEFAULT_TIMEOUT : Durations.parse(r.option("timeout"));
        return switch (r.kind()) {
            case "log" -> Notifier.logging();
            case "webhook" -> Notifier.webhook(new WebhookOptions(httpUri(r.option("url"), "url"),
                    r.secrets().get("secret"), timeout));
            default -> throw new InvalidConfigurationException("receiver " + r.name(),
                    List.of("kind '" + r.kind() + "' is not available in this build"));
        };
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
