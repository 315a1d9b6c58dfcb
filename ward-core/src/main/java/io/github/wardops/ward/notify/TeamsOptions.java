package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Microsoft Teams incoming webhook's settings (see {@link Receivers#teams}): the URL of a Teams
 * Workflows flow "post to a channel when a webhook request is received", or of a classic
 * connector. The webhook URL holds the token that lets anyone post to the channel, so it is a {@link Secret}: {@link #toString()}, the
 * notifier's messages and the validation's problems never show it. Immutable and thread-safe.
 *
 * @param name the receiver's name, for meters and logs (1-64 letters, digits, {@code _.-}); default {@code teams}
 * @param webhookUrl the incoming webhook's URL (the flow's HTTP POST URL, or {@code https://...webhook.office.com/webhookb2/...}); never {@code null}
 * @param timeout each request's timeout (connect and answer), 1 ms-5 min; default 10 s
 * @param template the message template; never {@code null}
 */
public record TeamsOptions(String name, Secret webhookUrl, Duration timeout, MessageTemplate template) {
    /** The default request timeout: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates every setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public TeamsOptions {
        List<String> p = new ArrayList<>();
        Checks.name(name, p);
        Checks.secretUrl("webhook-url", webhookUrl, p);
        Checks.timeout("timeout", timeout, p);
        if (template == null) {
            p.add("template: must not be null");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("TeamsOptions", p);
        }
    }

    /**
     * The defaults: name {@code teams}, 10 s timeout, {@link MessageTemplate#defaults()}.
     *
     * @param webhookUrl the incoming webhook's URL
     * @return the options
     * @throws InvalidConfigurationException if the URL is not an http or https URL
     */
    public static TeamsOptions of(Secret webhookUrl) {
        return new TeamsOptions("teams", webhookUrl, DEFAULT_TIMEOUT, MessageTemplate.defaults());
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
    public TeamsOptions withName(String newName) {
        return new TeamsOptions(newName, webhookUrl, timeout, template);
    }

    /**
     * A copy with another timeout.
     *
     * @param newTimeout the timeout
     * @return the options
     */
    public TeamsOptions withTimeout(Duration newTimeout) {
        return new TeamsOptions(name, webhookUrl, newTimeout, template);
    }

    /**
     * A copy with another template.
     *
     * @param newTemplate the template
     * @return the options
     */
    public TeamsOptions withTemplate(MessageTemplate newTemplate) {
        return new TeamsOptions(name, webhookUrl, timeout, Objects.requireNonNull(newTemplate, "template"));
    }
}
