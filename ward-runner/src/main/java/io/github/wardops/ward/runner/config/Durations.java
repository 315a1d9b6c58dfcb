package io.github.wardops.ward.runner.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations operators type: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 1m30s}, {@code 1d}, or ISO-8601 ({@code PT30S}). A bare number is rejected, because
 * "30" could mean seconds or milliseconds. Stateless and thread-safe.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h|d))+");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the text; never {@code null}
     * @return the duration, never negative
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("'" + text + "' is negative");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw bad(text);
            }
        }
        if (t.isEmpty() || !WHOLE.matcher(t).matches()) {
            throw bad(text);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }

    /**
     * Formats a duration the way {@link #parse} reads it, such as {@code 1m30s} or {@code 500ms}.
     *
     * @param d the duration; never {@code null}
     * @return the text
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.isEmpty() ? d.toString() : sb.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use a number with a unit "
                + "(ms, s, m, h, d), such as 30s, 500ms or 1m30s, or ISO-8601 such as PT30S");
    }
}
