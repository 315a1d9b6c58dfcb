package io.github.wardops.ward.notify;

import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.internal.alert.SlackNotifier;
import io.github.wardops.ward.internal.alert.TeamsNotifier;
import io.github.wardops.ward.internal.alert.TelegramNotifier;

/**
 * The receivers ward ships: {@link Notifier}s that send each notification to a chat (Slack,
 * Microsoft Teams, Telegram) or to a webhook, with the text of a {@link MessageTemplate}. Email is
 * in the {@code ward-mail} module. Each notifier bounds its requests with its options' timeout,
 * throws on a non-2xx answer (so the delivery retries it and counts it), and names the receiver
 * and the status in its exceptions, never the URL or the token. Stateless and thread-safe; so
 * are the notifiers it makes.
 */
public final class Receivers {
    private Receivers() {
    }

    /**
     * A Slack incoming webhook: POSTs {@code {"text": title, "blocks": [header, sections]}} in
     * Slack's {@code mrkdwn}, with {@code &}, {@code <} and {@code >} escaped in every text, so
     * no device or label text becomes a mention or a link. Section blocks hold at most 3,000
     * characters each (Slack's limit), at most 40 of them.
     *
     * @param options the options; never {@code null}
     * @return the notifier; close it to release its HTTP client
     */
    public static Notifier slack(SlackOptions options) {
        return new SlackNotifier(options);
    }

    /**
     * A Microsoft Teams incoming webhook: POSTs an Adaptive Card (version 1.4) in the
     * {@code {"type": "message", "attachments": [...]}} envelope, one text block per line. An
     * Adaptive Card rather than the legacy MessageCard: Microsoft retires Office 365 connectors,
     * and the Workflows webhooks that replace them take Adaptive Cards (classic connectors take
     * them too). Markdown characters in texts are escaped with {@code \}.
     *
     * @param options the options; never {@code null}
     * @return the notifier; close it to release its HTTP client
     */
    public static Notifier teams(TeamsOptions options) {
        return new TeamsNotifier(options);
    }

    /**
     * A Telegram bot: POSTs {@code sendMessage} with {@code chat_id}, {@code text} (the title in
     * bold, then the lines, at most 4,096 characters, cut at a line), {@code parse_mode=HTML} and
     * {@code disable_web_page_preview}. An answer 429 with {@code retry_after} waits for it (at
     * most {@link TelegramOptions#maxRetryAfter()}) and then fails, so the delivery retries.
     *
     * @param options the options; never {@code null}
     * @return the notifier; close it to release its HTTP client
     */
    public static Notifier telegram(TelegramOptions options) {
        return new TelegramNotifier(options);
    }

    /**
     * The generic webhook: the same as {@link Notifier#webhook(WebhookOptions)} (JSON, optionally
     * signed with HMAC-SHA256).
     *
     * @param options the options; never {@code null}
     * @return the notifier
     */
    public static Notifier webhook(WebhookOptions options) {
        return Notifier.webhook(options);
    }
}
