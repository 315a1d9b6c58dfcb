package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Severity;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The text of a notification, shared by every receiver (Slack, Teams, Telegram, email): renders
 * any {@link Notification} into a title and lines, as plain text or escaped for one channel (see
 * {@link Format}). Immutable and thread-safe.
 *
 * <p>Every alert line carries the severity, the rule, the device's name and address, its
 * {@code region} and {@code branch} labels when present, since when the condition holds and for
 * how long, the impacted devices when there are any, and, when a status page is configured, a
 * link to the device on it ({@code <status-page>/#/device/<device id>}: the status page has no
 * anchor per alert, so the link opens the device's view, which lists its alerts). A grouped
 * message lists at most {@link Builder#maxAlertLines(int) maxAlertLines} alerts, then
 * {@code "... and K more"}.
 *
 * <p>Every text that comes from a device, a label or a rule is escaped for the channel, so a
 * label value such as {@code <!channel>} or {@code <script>} stays text: it never becomes a
 * mention, a link or markup. Values longer than {@link Builder#maxValueLength(int)
 * maxValueLength} characters are cut with an ellipsis.
 */
public final class MessageTemplate {
    /** The default of {@link Builder#maxAlertLines(int)}. */
    public static final int DEFAULT_MAX_ALERT_LINES = 20;
    /** The default of {@link Builder#maxValueLength(int)}. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 200;
    /** The largest {@link Builder#maxAlertLines(int)}. */
    public static final int MAX_ALERT_LINES = 500;
    /** The largest {@link Builder#maxValueLength(int)}. */
    public static final int MAX_VALUE_LENGTH = 10_000;

    /** How a message's text is written. */
    public enum Format {
        /** Plain text, nothing escaped (email bodies, logs). Links are written as their URL. */
        PLAIN,
        /** Slack {@code mrkdwn}: {@code &}, {@code <} and {@code >} escaped; links as {@code <url|label>}. */
        SLACK,
        /** Telegram's {@code parse_mode=HTML}: {@code &}, {@code <}, {@code >} and {@code "} escaped. */
        TELEGRAM_HTML,
        /** The Markdown of Teams (Adaptive Card text blocks): Markdown characters escaped with {@code \}. */
        TEAMS_MARKDOWN
    }

    private static final MessageTemplate DEFAULTS = builder().build();

    private final URI statusPage;
    private final int maxAlertLines;
    private final int maxValueLength;
    private final ZoneId zone;
    private final DateTimeFormatter timeFormat;

    private MessageTemplate(Builder b) {
        this.statusPage = b.statusPage;
        this.maxAlertLines = b.maxAlertLines;
        this.maxValueLength = b.maxValueLength;
        this.zone = b.zone;
        this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT).withZone(zone);
    }

    /**
     * The default template: no status page link, 20 alert lines, times in UTC.
     *
     * @return the template
     */
    public static MessageTemplate defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The status page's base URL, or {@code null}.
     *
     * @return the URL
     */
    public URI statusPage() {
        return statusPage;
    }

    /**
     * How many alerts a message lists at most.
     *
     * @return the bound
     */
    public int maxAlertLines() {
        return maxAlertLines;
    }

    /**
     * How long a device's, label's or rule's text may be before it is cut.
     *
     * @return the bound, in characters
     */
    public int maxValueLength() {
        return maxValueLength;
    }

    /**
     * The time zone times are written in.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return "MessageTemplate[statusPage=" + statusPage + ", maxAlertLines=" + maxAlertLines + ", maxValueLength="
                + maxValueLength + ", zone=" + zone + "]";
    }

    /**
     * Renders a notification.
     *
     * @param n the notification; never {@code null}
     * @return the message
     */
    public Message render(Notification n) {
        Objects.requireNonNull(n, "notification");
        List<Line> lines = new ArrayList<>();
        Line title;
        switch (n) {
            case Notification.Opened o -> {
                Alert a = o.alert();
                title = new Line().text("[" + sev(a.severity()) + "] " + cut(a.rule()) + " on " + cut(a.deviceName()));
                lines.add(new Line().bold("Alert opened").text(": " + cut(a.message())));
                lines.add(alertLine(a, o.at()));
            }
            case Notification.Escalated e -> {
                Alert a = e.alert();
                title = new Line().text("[" + sev(e.previous()) + " -> " + sev(a.severity()) + "] " + cut(e.step().rule())
                        + " on " + cut(a.deviceName()));
                lines.add(new Line().bold("Alert escalated").text(": " + cut(e.step().rule()) + " now matches ("
                        + sev(e.previous()) + " -> " + sev(a.severity()) + "): " + cut(a.message())));
                lines.add(alertLine(a, e.at()));
            }
            case Notification.Resolved r -> {
                Alert a = r.alert();
                title = new Line().text("[RESOLVED] " + cut(a.rule()) + " on " + cut(a.deviceName()) + " after "
                        + duration(a.duration(r.at())));
                lines.add(new Line().bold("Alert resolved").text(a.resolution() == null ? "" : ": " + cut(a.resolution())));
                lines.add(alertLine(a, r.at()));
            }
            case Notification.Flood f -> {
                title = new Line().text(f.started()
                        ? "Alert flood: " + f.opened() + " alerts opened within " + duration(f.window())
                        : "Alert flood over: " + f.opened() + " alerts opened, " + f.suppressed() + " notifications held back");
                lines.add(new Line().bold(f.started() ? "Alert flood" : "Alert flood over").text(f.started()
                        ? ": individual notifications are held until it is over"
                        : ": individual notifications resume"));
                StringBuilder counts = new StringBuilder("By severity:");
                for (Map.Entry<Severity, Integer> e : f.bySeverity().entrySet()) {
                    counts.append(' ').append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ').append(e.getValue());
                }
                lines.add(new Line().text(counts.toString()));
                alertLines(lines, "Some of them", f.sample(), f.sample().size(), f.at());
            }
            case Notification.Grouped g -> {
                StringBuilder t = new StringBuilder();
                Severity top = null;
                for (Alert a : g.firing()) {
                    if (top == null || a.severity().compareTo(top) < 0) {
                        top = a.severity();
                    }
                }
                if (top == null) {
                    t.append("[RESOLVED] ").append(g.resolved().size()).append(" resolved");
                } else {
                    t.append("[").append(sev(top)).append("] ").append(g.firing().size()).append(" firing");
                    if (!g.resolved().isEmpty()) {
                        t.append(", ").append(g.resolved().size()).append(" resolved");
                    }
                }
                if (!g.groupLabels().isEmpty()) {
                    t.append(": ").append(labels(g.groupLabels()));
                }
                title = new Line().text(t.toString());
                String why = switch (g.reason()) {
                    case NEW -> "New alerts";
                    case CHANGED -> "Alerts changed";
                    case REPEAT -> "Still firing";
                    case ESCALATION -> "Escalated: not acknowledged";
                };
                lines.add(new Line().bold(why).text(g.groupLabels().isEmpty() ? "" : " (" + labels(g.groupLabels()) + ")"));
                int room = maxAlertLines;
                int shown = alertLines(lines, "Firing", g.firing(), room, g.at());
                alertLines(lines, "Resolved", g.resolved(), room - shown, g.at());
            }
        }
        return new Message(title, lines);
    }

    /** Adds a heading and at most {@code room} alert lines, then "... and K more"; returns lines shown. */
    private int alertLines(List<Line> out, String heading, List<Alert> alerts, int room, Instant now) {
        if (alerts.isEmpty()) {
            return 0;
        }
        out.add(new Line().bold(heading + " (" + alerts.size() + ")"));
        int shown = Math.min(Math.max(room, 0), alerts.size());
        for (int i = 0; i < shown; i++) {
            out.add(alertLine(alerts.get(i), now));
        }
        if (shown < alerts.size()) {
            out.add(new Line().text("... and " + (alerts.size() - shown) + " more"));
        }
        return shown;
    }

    private Line alertLine(Alert a, Instant now) {
        Line l = new Line().text("- [" + sev(a.severity()) + "] " + cut(a.rule()) + " on ").bold(cut(a.deviceName()));
        List<String> where = new ArrayList<>(3);
        if (!a.address().isEmpty()) {
            where.add(cut(a.address()));
        }
        for (String k : List.of("region", "branch")) {
            String v = a.labels().get(k);
            if (v != null && !v.isBlank()) {
                where.add(k + " " + cut(v.strip()));
            }
        }
        if (!where.isEmpty()) {
            l.text(" (" + String.join(", ", where) + ")");
        }
        if (a.ifIndex() != 0) {
            l.text(", interface " + a.ifIndex());
        }
        l.text(", since " + timeFormat.format(a.since()) + " (" + duration(a.duration(now)) + ")");
        if (a.resolvedAt() != null) {
            l.text(", resolved " + timeFormat.format(a.resolvedAt()));
        }
        if (a.impactedDevices() > 0) {
            l.text(", " + a.impactedDevices() + " impacted device" + (a.impactedDevices() == 1 ? "" : "s"));
        }
        if (statusPage != null) {
            l.text(" ").link("status page", deviceLink(a));
        }
        return l;
    }

    private String deviceLink(Alert a) {
        String base = statusPage.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/#/device/" + URLEncoder.encode(a.device().toString(), StandardCharsets.UTF_8);
    }

    private String labels(Map<String, String> m) {
        List<String> parts = new ArrayList<>(m.size());
        m.forEach((k, v) -> parts.add(cut(k) + "=" + cut(v)));
        return String.join(", ", parts);
    }

    private String cut(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() <= maxValueLength) {
            return s;
        }
        int end = maxValueLength - 1;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }

    private static String sev(Severity s) {
        return s.name();
    }

    /**
     * A duration as people read it: {@code 45s}, {@code 5m 3s}, {@code 2h 5m}, {@code 3d 4h}.
     *
     * @param d the duration
     * @return the text
     */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + "h");
    }

    /**
     * Escapes text for a format.
     *
     * @param s the text
     * @param f the format
     * @return the escaped text
     */
    static String escape(String s, Format f) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (f) {
                case PLAIN -> sb.append(c);
                case SLACK -> sb.append(switch (c) {
                    case '&' -> "&amp;";
                    case '<' -> "&lt;";
                    case '>' -> "&gt;";
                    default -> String.valueOf(c);
                });
                case TELEGRAM_HTML -> sb.append(switch (c) {
                    case '&' -> "&amp;";
                    case '<' -> "&lt;";
                    case '>' -> "&gt;";
                    case '"' -> "&quot;";
                    default -> String.valueOf(c);
                });
                case TEAMS_MARKDOWN -> {
                    if ("\\`*_[]()<>#~".indexOf(c) >= 0) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** One line of a message: text, bold text and links, escaped only when written. */
    private static final class Line {
        private final List<String[]> parts = new ArrayList<>(6);

        Line text(String s) {
            parts.add(new String[] {"t", s});
            return this;
        }

        Line bold(String s) {
            parts.add(new String[] {"b", s});
            return this;
        }

        Line link(String label, String url) {
            parts.add(new String[] {"l", label, url});
            return this;
        }

        String write(Format f) {
            StringBuilder sb = new StringBuilder(128);
            for (String[] p : parts) {
                String v = escape(p[1], f);
                switch (p[0]) {
                    case "t" -> sb.append(v);
                    case "b" -> sb.append(switch (f) {
                        case PLAIN -> v;
                        case SLACK -> v.isEmpty() ? "" : "*" + v + "*";
                        case TELEGRAM_HTML -> "<b>" + v + "</b>";
                        case TEAMS_MARKDOWN -> v.isEmpty() ? "" : "**" + v + "**";
                    });
                    default -> sb.append(switch (f) {
                        case PLAIN -> p[2];
                        case SLACK -> "<" + escape(p[2], f).replace("|", "%7C") + "|" + v + ">";
                        case TELEGRAM_HTML -> "<a href=\"" + escape(p[2], f) + "\">" + v + "</a>";
                        case TEAMS_MARKDOWN -> "[" + v + "](" + p[2].replace("(", "%28").replace(")", "%29")
                                .replace(" ", "%20") + ")";
                    });
                }
            }
            return sb.toString();
        }
    }

    /**
     * A rendered notification: a one-line title and the body's lines, written in any
     * {@link Format}. Immutable and thread-safe.
     */
    public static final class Message {
        private final Line title;
        private final List<Line> lines;

        private Message(Line title, List<Line> lines) {
            this.title = title;
            this.lines = List.copyOf(lines);
        }

        /**
         * The title as plain text (an email's subject, a card's heading).
         *
         * @return the title
         */
        public String title() {
            return title.write(Format.PLAIN);
        }

        /**
         * The title in a format.
         *
         * @param format the format; never {@code null}
         * @return the title
         */
        public String title(Format format) {
            return title.write(Objects.requireNonNull(format, "format"));
        }

        /**
         * The body's lines in a format.
         *
         * @param format the format; never {@code null}
         * @return the lines, unmodifiable
         */
        public List<String> lines(Format format) {
            Objects.requireNonNull(format, "format");
            List<String> out = new ArrayList<>(lines.size());
            for (Line l : lines) {
                out.add(l.write(format));
            }
            return List.copyOf(out);
        }

        /**
         * The body in a format: its lines joined with {@code \n}.
         *
         * @param format the format; never {@code null}
         * @return the text
         */
        public String text(Format format) {
            return String.join("\n", lines(format));
        }

        @Override
        public String toString() {
            return title();
        }
    }

    /**
     * Builds a {@link MessageTemplate}. Not thread-safe; {@link #build()} validates every setting
     * at once.
     */
    public static final class Builder {
        private URI statusPage;
        private int maxAlertLines = DEFAULT_MAX_ALERT_LINES;
        private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /**
         * The status page's base URL ({@code http} or {@code https}, such as
         * {@code https://ward.example/}): each alert line links to its device there. Default none.
         *
         * @param uri the URL, or {@code null} for no links
         * @return this builder
         */
        public Builder statusPage(URI uri) {
            this.statusPage = uri;
            return this;
        }

        /**
         * How many alerts a message lists at most, 1-{@value MessageTemplate#MAX_ALERT_LINES}
         * (default {@value MessageTemplate#DEFAULT_MAX_ALERT_LINES}).
         *
         * @param n the bound
         * @return this builder
         */
        public Builder maxAlertLines(int n) {
            this.maxAlertLines = n;
            return this;
        }

        /**
         * How long a device's, label's or rule's text may be before it is cut,
         * 8-{@value MessageTemplate#MAX_VALUE_LENGTH} characters (default
         * {@value MessageTemplate#DEFAULT_MAX_VALUE_LENGTH}).
         *
         * @param n the bound
         * @return this builder
         */
        public Builder maxValueLength(int n) {
            this.maxValueLength = n;
            return this;
        }

        /**
         * The time zone times are written in (default UTC).
         *
         * @param z the zone; never {@code null}
         * @return this builder
         */
        public Builder zone(ZoneId z) {
            this.zone = z;
            return this;
        }

        /**
         * Validates the settings and builds the template.
         *
         * @return the template
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public MessageTemplate build() {
            List<String> p = new ArrayList<>();
            if (statusPage != null && (statusPage.getScheme() == null || statusPage.getHost() == null
                    || !List.of("http", "https").contains(statusPage.getScheme().toLowerCase(Locale.ROOT))
                    || statusPage.getRawQuery() != null || statusPage.getRawFragment() != null)) {
                p.add("status-page = " + statusPage + ": must be an absolute http or https URL without query or fragment");
            }
            if (maxAlertLines < 1 || maxAlertLines > MAX_ALERT_LINES) {
                p.add("max-alert-lines = " + maxAlertLines + ": must be 1-" + MAX_ALERT_LINES);
            }
            if (maxValueLength < 8 || maxValueLength > MAX_VALUE_LENGTH) {
                p.add("max-value-length = " + maxValueLength + ": must be 8-" + MAX_VALUE_LENGTH);
            }
            if (zone == null) {
                p.add("zone: must not be null");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("MessageTemplate", p);
            }
            return new MessageTemplate(this);
        }
    }
}
