package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.notify.MessageTemplate;
import io.github.wardops.ward.notify.SlackOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts to a Slack incoming webhook: {@code {"text", "blocks": [header, section...]}} in
 * {@code mrkdwn}. Thread-safe.
 */
public final class SlackNotifier extends ChatReceiver {
    /** Slack's limit on a section block's text. */
    static final int MAX_SECTION_CHARS = 3000;
    /** Slack's limit on a header block's text. */
    static final int MAX_HEADER_CHARS = 150;
    /** Sections per message at most (Slack allows 50 blocks). */
    static final int MAX_SECTIONS = 40;

    private final SlackOptions options;

    /**
     * Creates the notifier and its HTTP client.
     *
     * @param options the options
     */
    public SlackNotifier(SlackOptions options) {
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
    static Map<String, Object> payload(SlackOptions options, Notification n) {
        MessageTemplate.Message m = options.template().render(n);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", m.title(MessageTemplate.Format.SLACK));
        List<Object> blocks = new ArrayList<>();
        String title = m.title();
        if (title.length() > MAX_HEADER_CHARS) {
            title = title.substring(0, MAX_HEADER_CHARS - 1) + "\u2026";
        }
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", title)));
        StringBuilder section = new StringBuilder();
        List<String> lines = m.lines(MessageTemplate.Format.SLACK);
        int sections = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.length() > MAX_SECTION_CHARS) {
                l = "(a line too long for Slack was left out)";
            }
            if (section.length() + 1 + l.length() > MAX_SECTION_CHARS) {
                if (++sections == MAX_SECTIONS) {
                    section.setLength(0);
                    section.append("... and ").append(lines.size() - i).append(" more lines");
                    break;
                }
                blocks.add(section(section));
                section.setLength(0);
            }
            if (!section.isEmpty()) {
                section.append('\n');
            }
            section.append(l);
        }
        if (!section.isEmpty()) {
            blocks.add(section(section));
        }
        body.put("blocks", blocks);
        // the status-page links of a long list would each become a preview
        body.put("unfurl_links", false);
        body.put("unfurl_media", false);
        return body;
    }

    private static Map<String, Object> section(CharSequence text) {
        return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text.toString()));
    }

    @Override
    Object payload(Notification n) {
        return payload(options, n);
    }

    @Override
    public String toString() {
        return "SlackNotifier[" + options.name() + "]";
    }
}
