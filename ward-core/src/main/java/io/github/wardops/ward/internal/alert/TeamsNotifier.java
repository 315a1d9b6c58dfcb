package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.notify.MessageTemplate;
import io.github.wardops.ward.notify.TeamsOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts an Adaptive Card to a Microsoft Teams incoming webhook, in the
 * {@code {"type": "message", "attachments": [...]}} envelope. Thread-safe.
 */
public final class TeamsNotifier extends ChatReceiver {
    /** The card's text at most, in characters (Teams takes about 28 KB per message). */
    static final int MAX_CHARS = 20_000;

    private final TeamsOptions options;

    /**
     * Creates the notifier and its HTTP client.
     *
     * @param options the options
     */
    public TeamsNotifier(TeamsOptions options) {
        super(options.name(), options.timeout(), options.uri());
        this.options = options;
    }

    /**
     * The JSON payload of a notification.
     *
     * @param options the options (their template)
     * @param n the notification
     * @return the payload, as maps and lists
     */
    static Map<String, Object> payload(TeamsOptions options, Notification n) {
        MessageTemplate.Message m = options.template().render(n);
        List<Object> body = new ArrayList<>();
        body.add(Map.of("type", "TextBlock", "text", m.title(MessageTemplate.Format.TEAMS_MARKDOWN), "weight", "Bolder",
                "size", "Medium", "wrap", true));
        for (String l : fit(m.lines(MessageTemplate.Format.TEAMS_MARKDOWN), MAX_CHARS, "\\.\\.\\. \\(message cut\\)")) {
            body.add(Map.of("type", "TextBlock", "text", l, "wrap", true, "spacing", "None"));
        }
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", body);
        card.put("msteams", Map.of("width", "Full"));
        Map<String, Object> attachment = new HashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "message");
        message.put("attachments", List.of(attachment));
        return message;
    }

    @Override
    Object payload(Notification n) {
        return payload(options, n);
    }

    @Override
    public String toString() {
        return "TeamsNotifier[" + options.name() + "]";
    }
}
