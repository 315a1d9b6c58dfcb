package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.internal.support.Json;
import io.github.wardops.ward.notify.MessageTemplate;
import io.github.wardops.ward.notify.TelegramOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends with the Telegram Bot API's {@code sendMessage} ({@code parse_mode=HTML}). The token is in
 * the request path, so no message of this class names the URL. Thread-safe.
 */
public final class TelegramNotifier extends ChatReceiver {
    /** Telegram's limit on a message's text. */
    static final int MAX_CHARS = 4096;
    /** The raw (HTML) text at most. */
    static final int MAX_RAW_CHARS = 4 * MAX_CHARS;
    /** The most of Telegram's error description an exception quotes. */
    static final int MAX_DESCRIPTION = 200;

    private final TelegramOptions options;
    private final String token;

    /**
     * Creates the notifier and its HTTP client.
     *
     * @param options the options
     */
    public TelegramNotifier(TelegramOptions options) {
        super(options.name(), options.timeout(), sendMessage(options));
        this.options = options;
        this.token = options.token().reveal();
    }

    private static URI sendMessage(TelegramOptions options) {
        String base = options.apiBase().toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "bot" + options.token().reveal() + "/sendMessage");
    }

    @Override
    Object payload(Notification n) {
        return payload(options, n);
    }

    /**
     * The JSON payload of a notification.
     *
     * @param options the options (their chat and template)
     * @param n the notification
     * @return the payload, as maps and lists
     */
    static Map<String, Object> payload(TelegramOptions options, Notification n) {
        MessageTemplate.Message m = options.template().render(n);
        List<String> lines = new ArrayList<>();
        lines.add("<b>" + m.title(MessageTemplate.Format.TELEGRAM_HTML) + "</b>");
        lines.addAll(m.lines(MessageTemplate.Format.TELEGRAM_HTML));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", options.chatId());
        // Telegram counts the text after parsing its HTML (tags are not text, an entity is one
        // character); the raw text is bounded too, by MAX_RAW_CHARS.
        List<String> kept = fit(lines, MAX_CHARS, "... (message cut)", TelegramNotifier::visibleLength);
        kept = fit(kept, MAX_RAW_CHARS, "... (message cut)");
        body.put("text", String.join("\n", kept));
        body.put("parse_mode", "HTML");
        body.put("disable_web_page_preview", true);
        return body;
    }

    /**
     * The length of HTML text as Telegram counts it: characters outside tags, an entity as one.
     *
     * @param html the text
     * @return the length
     */
    static int visibleLength(String html) {
        int n = 0;
        boolean tag = false;
        boolean entity = false;
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            if (tag) {
                tag = c != '>';
            } else if (entity) {
                entity = c != ';';
            } else if (c == '<') {
                tag = true;
            } else if (c == '&') {
                entity = true;
                n++;
            } else if (!Character.isLowSurrogate(c)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void send(Notification notification) throws InterruptedException {
        Answer a = post(uri, payload(options, notification));
        if (a.status() / 100 == 2) {
            return;
        }
        Map<?, ?> json = null;
        try {
            if (Json.parse(a.body()) instanceof Map<?, ?> m) {
                json = m;
            }
        } catch (IllegalArgumentException e) {
            // not Telegram's JSON: the status says enough
        }
        if (a.status() == 429) {
            long retryAfter = -1;
            if (json != null && json.get("parameters") instanceof Map<?, ?> p && p.get("retry_after") instanceof Number s) {
                retryAfter = s.longValue();
            }
            if (retryAfter > 0) {
                long waitMillis = Math.min(Duration.ofSeconds(retryAfter).toMillis(), options.maxRetryAfter().toMillis());
                if (waitMillis > 0) {
                    Thread.sleep(waitMillis);
                }
            }
            throw new WardException(name() + " answered HTTP 429 (too many requests"
                    + (retryAfter > 0 ? ", retry after " + retryAfter + " s" : "") + ")");
        }
        String description = json != null && json.get("description") instanceof String d ? d : null;
        if (description != null) {
            description = description.replace(token, "***");
            if (description.length() > MAX_DESCRIPTION) {
                description = description.substring(0, MAX_DESCRIPTION) + "...";
            }
        }
        throw new WardException(name() + " answered HTTP " + a.status() + (description == null ? "" : ": " + description));
    }

    @Override
    public String toString() {
        return "TelegramNotifier[" + options.name() + ", chat " + options.chatId() + "]";
    }
}
