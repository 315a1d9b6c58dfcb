package io.github.wardops.ward.victoriametrics.internal;

import java.util.List;

/**
 * The Prometheus text exposition format, as far as an importer needs it: names, escaped label
 * values, numbers and one sample line. Stateless and thread-safe.
 *
 * <p>Label values escape backslash, double quote and line feed ({@code \\}, {@code \"},
 * {@code \n}); everything else (unicode included) is sent as UTF-8 as is. Metric names keep
 * {@code [a-zA-Z0-9_:]}, label names {@code [a-zA-Z0-9_]}; any other character becomes
 * {@code _}, and a name that would start with a digit gets a leading {@code _}.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * A metric name with every character outside {@code [a-zA-Z0-9_:]} replaced by {@code _}.
     *
     * @param raw the name; never {@code null}
     * @return a valid metric name, never empty
     */
    public static String metricName(String raw) {
        return sanitize(raw, true);
    }

    /**
     * A label name with every character outside {@code [a-zA-Z0-9_]} replaced by {@code _}.
     * Names starting with {@code __} are reserved by Prometheus; this method does not change
     * them (callers validate configured names instead).
     *
     * @param raw the name; never {@code null}
     * @return a valid label name, never empty
     */
    public static String labelName(String raw) {
        return sanitize(raw, false);
    }

    /**
     * Whether a label name is valid as given.
     *
     * @param name the name, may be {@code null}
     * @return {@code true} when it matches {@code [a-zA-Z_][a-zA-Z0-9_]*}
     */
    public static boolean isValidLabelName(String name) {
        return name != null && !name.isEmpty() && name.equals(labelName(name));
    }

    private static String sanitize(String raw, boolean colon) {
        StringBuilder sb = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                    || (c >= '0' && c <= '9') || (colon && c == ':');
            sb.append(ok ? c : '_');
        }
        if (sb.isEmpty() || (sb.charAt(0) >= '0' && sb.charAt(0) <= '9')) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /**
     * Appends a label value escaped for the exposition format, without the quotes.
     *
     * @param sb where to append
     * @param value the raw value; never {@code null}
     */
    public static void appendEscaped(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /**
     * A label value escaped for the exposition format, without the quotes.
     *
     * @param value the raw value; never {@code null}
     * @return the escaped value
     */
    public static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        appendEscaped(sb, value);
        return sb.toString();
    }

    /**
     * A finite number as the format writes it: whole numbers without a fraction, others in the
     * shortest form that reads back to the same double.
     *
     * @param v the value; must be finite
     * @return the text
     * @throws IllegalArgumentException when {@code v} is NaN or infinite
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * One sample line, ending with a line feed: {@code name{l1="v1",...} value timestampMs}.
     *
     * @param s the sample; its name and label names must already be valid
     * @return the line
     */
    public static String line(Sample s) {
        StringBuilder sb = new StringBuilder(64 + s.labels().size() * 24);
        sb.append(s.name());
        List<Sample.Label> labels = s.labels();
        if (!labels.isEmpty()) {
            sb.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Sample.Label l = labels.get(i);
                sb.append(l.name()).append("=\"");
                appendEscaped(sb, l.value());
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(number(s.value())).append(' ').append(s.timestampMillis()).append('\n');
        return sb.toString();
    }
}
