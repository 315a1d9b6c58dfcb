package io.github.wardops.ward.postgres.internal.embedded;

import java.util.List;

/** Text helpers for PostgreSQL's output in ward's log lines. Stateless. */
final class Text {
    private Text() {
    }

    /**
     * A line with control characters escaped ({@code \u001b} for ESC), so output of the server
     * cannot forge or garble log lines.
     *
     * @param s the text
     * @return the escaped text
     */
    static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** The text on one line, escaped. */
    static String oneLine(String s) {
        return clean(s.strip().replace('\n', ' ').replace("\r", ""));
    }

    /**
     * The last lines of a text, each escaped, joined with {@code " | "}.
     *
     * @param text the text
     * @param n how many lines
     * @return the lines
     */
    static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return join(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * Lines, each escaped, joined with {@code " | "}; {@code "(no output)"} when empty.
     *
     * @param lines the lines
     * @return the joined lines
     */
    static String join(List<String> lines) {
        if (lines.isEmpty()) {
            return "(no output)";
        }
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (!b.isEmpty()) {
                b.append(" | ");
            }
            b.append(clean(l));
        }
        return b.toString();
    }
}
