package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.runner.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query of {@code /api/alerts}: {@code state=open|resolved|all} (the last one given wins),
 * {@code severity=A,B} (repeatable, the union), {@code since=DURATION} and {@code limit=N}. Every
 * problem is reported at once. Immutable.
 *
 * @param open whether open alerts are wanted
 * @param resolved whether resolved alerts are wanted
 * @param severities the severities wanted; empty means any
 * @param window how far back resolved alerts go
 * @param limit the most alerts returned
 */
record AlertQuery(boolean open, boolean resolved, Set<Severity> severities, Duration window, int limit) {
    /**
     * Parses a raw query.
     *
     * @param rawQuery the query after {@code ?}, or {@code null}
     * @return the query; defaults for what is not given
     * @throws IllegalArgumentException naming every bad or unknown parameter
     */
    static AlertQuery parse(String rawQuery) {
        boolean open = true;
        boolean resolved = false;
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        Duration window = Duration.ofHours(24);
        int limit = 1000;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 4096, problems)) {
            String key = kv.getKey();
            String value = kv.getValue();
            switch (key) {
                case "state" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "open" -> {
                            open = true;
                            resolved = false;
                        }
                        case "resolved" -> {
                            open = false;
                            resolved = true;
                        }
                        case "all" -> {
                            open = true;
                            resolved = true;
                        }
                        default -> problems.add("state '" + value + "' is not open, resolved or all");
                    }
                }
                case "severity" -> {
                    for (String s : value.split(",")) {
                        try {
                            severities.add(Severity.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            problems.add("severity '" + s + "' is not CRITICAL, HIGH, MEDIUM, LOW or INFO");
                        }
                    }
                }
                case "since" -> {
                    try {
                        window = Durations.parse(value);
                        if (window.compareTo(Duration.ofDays(366)) > 0 || window.isNegative() || window.isZero()) {
                            problems.add("since '" + value + "' must be more than 0 and at most 366d");
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add("since '" + value + "': " + e.getMessage());
                    }
                }
                case "limit" -> {
                    try {
                        limit = Integer.parseInt(value);
                        if (limit < 1 || limit > HttpApi.MAX_ALERTS) {
                            problems.add("limit '" + value + "' must be 1-" + HttpApi.MAX_ALERTS);
                        }
                    } catch (NumberFormatException e) {
                        problems.add("limit '" + value + "' is not a whole number");
                    }
                }
                default -> problems.add("unknown parameter '" + key + "' (known: state, severity, since, limit)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new AlertQuery(open, resolved, severities, window, limit);
    }

    /** Whether an alert is of a wanted severity and state. */
    boolean wants(Alert a) {
        return (severities.isEmpty() || severities.contains(a.severity())) && (a.isOpen() ? open : resolved);
    }
}
