package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Slack incoming webhook's settings (see {@link Receivers#slack}). The webhook URL holds the
 * token that lets anyone post to the channel, so it is a {@link Secret}: {@link #toString()}, the
 * notifier's messages and the validation's problems never show it. Immutable and thread-safe.
 *
 * @param name the receiver's name, for meters and logs (1-64 letters, digits, {@code _.-}); default {@code slack}
 * @param webhookUrl the incoming webhook's URL ({@code https://hooks.slack.com/services/...}); never {@code null}
 * @param timeout each request's timeout (connect and answer), 1 ms-5 min; default 10 s
 * @param template the message template; never {@code null}
 */
public record SlackOptions(String name, Secret webhookUrl, Duration timeout, MessageTemplate template) {
    /** The default request timeout: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates every setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public SlackOptions {
        List<String> p = new ArrayList<>();
        Checks.name(name, p);
        Checks.secretUrl("webhook-url", webhookUrl, p);
        Checks.timeout("timeout", timeout, p);
        if (template == null) {
            p.add("template: must not be null");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("SlackOptions", p);
        }
    }

    /**
     * The defaults: name {@code slack}, 10 s timeout, {@link MessageTemplate#defaults()}.
     *
     * @param webhookUrl the incoming webhook's URL
     * @return the options
     * @throws InvalidConfigurationException if the URL is not an http or https URL
     */
    public static SlackOptions of(Secret webhookUrl) {
        return new SlackOptions("slack", webhookUrl, DEFAULT_TIMEOUT, MessageTemplate.defaults());
    }

    /**
     * The webhook URL, parsed. Call it only where the URL is used: it holds a token.
     *
     * @return the URL
     */
    public URI uri() {
        return URI.create(webhookUrl.reveal().strip());
    }

    /**
     * A copy with another name.
     *
     * @param newName the name
     * @return the options
     */
    public SlackOptions withName(String newName) {
        return new SlackOptions(newName, webhookUrl, timeout, template);
    }

    /**
     * A copy with another timeout.
     *
     * @param newTimeout the timeout
     * @return the options
     */
    public SlackOptions withTimeout(Duration newTimeout) {
        return new SlackOptions(name, webhookUrl, newTimeout, template);
    }

    /**
     * A copy with another template.
     *
     * @param newTemplate the template
     * @return the options
     */
    public SlackOptions withTemplate(MessageTemplate newTemplate) {
        return new SlackOptions(name, webhookUrl, timeout, Objects.requireNonNull(newTemplate, "template"));
    }
}
