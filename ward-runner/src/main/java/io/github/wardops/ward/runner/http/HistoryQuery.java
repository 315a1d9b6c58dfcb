package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.runner.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code /api/devices/{id}/history}: {@code from} and {@code to} (ISO-8601 instants
 * such as {@code 2026-03-29T00:00:00Z}, relative to now such as {@code -24h} or {@code -7d}, or
 * {@code now}; default the last 24 hours), {@code step} (a duration such as {@code 5m} or
 * {@code PT5M}; default the shortest of {@link #STEPS} that gives at most
 * {@link #MAX_POINTS} points) and {@code format=json|csv}. {@code from} is aligned down and
 * {@code to} up on the step (UTC, from the Unix epoch). Every problem is reported at once. Immutable.
 *
 * @param from the aligned start
 * @param to the aligned end (exclusive)
 * @param step the step
 * @param csv whether CSV is wanted
 */
record HistoryQuery(Instant from, Instant to, Duration step, boolean csv) {
    /** The most points an answer may hold. */
    static final int MAX_POINTS = 1_000;
    /** The longest range. */
    static final Duration MAX_RANGE = Duration.ofDays(3660);
    /** The shortest step. */
    static final Duration MIN_STEP = Duration.ofSeconds(10);
    /** The steps picked when none is given, shortest first. */
    static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1),
            Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(30));

    /**
     * Parses a raw query.
     *
     * @param rawQuery the query after {@code ?}, or {@code null}
     * @param now the current instant (relative times count from it)
     * @return the query
     * @throws IllegalArgumentException naming every bad or unknown parameter, separated by "; "
     */
    static HistoryQuery parse(String rawQuery, Instant now) {
        List<String> problems = new ArrayList<>();
        Instant from = now.minus(Duration.ofHours(24));
        Instant to = now;
        Duration step = null;
        boolean csv = false;
        boolean badTime = false;
        for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 1024, problems)) {
            String value = kv.getValue();
            switch (kv.getKey()) {
                case "from" -> {
                    Instant t = time("from", value, now, problems);
                    badTime |= t == null;
                    from = t == null ? from : t;
                }
                case "to" -> {
                    Instant t = time("to", value, now, problems);
                    badTime |= t == null;
                    to = t == null ? to : t;
                }
                case "step" -> {
                    try {
                        step = Durations.parse(value);
                        if (step.compareTo(MIN_STEP) < 0 || step.compareTo(Duration.ofDays(30)) > 0 || step.getNano() != 0) {
                            problems.add("step '" + value + "' must be whole seconds, 10s to 30d");
                            step = null;
                            badTime = true;
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add("step '" + value + "': " + e.getMessage());
                        badTime = true;
                    }
                }
                case "format" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "json" -> csv = false;
                        case "csv" -> csv = true;
                        default -> problems.add("format '" + value + "' is not json or csv");
                    }
                }
                default -> problems.add("unknown parameter '" + kv.getKey() + "' (known: from, to, step, format)");
            }
        }
        if (!badTime) {
            Duration range = Duration.between(from, to);
            if (!from.isBefore(to)) {
                problems.add("from " + from + " must be before to " + to);
            } else if (range.compareTo(MAX_RANGE) > 0) {
                problems.add("the range from " + from + " to " + to + " is longer than " + MAX_RANGE.toDays() + " days");
            } else if (step == null) {
                step = STEPS.getLast();
                for (Duration s : STEPS) {
                    if (points(from, to, s) <= MAX_POINTS) {
                        step = s;
                        break;
                    }
                }
            } else {
                long n = points(from, to, step);
                if (n > MAX_POINTS) {
                    Duration enough = STEPS.getLast();
                    for (Duration s : STEPS) {
                        if (points(from, to, s) <= MAX_POINTS) {
                            enough = s;
                            break;
                        }
                    }
                    problems.add("step " + step + " gives " + n + " points from " + from + " to " + to + ", more than "
                            + MAX_POINTS + ": use a step of at least " + enough);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new HistoryQuery(alignDown(from, step), alignUp(to, step), step, csv);
    }

    private static long points(Instant from, Instant to, Duration step) {
        Instant a = alignDown(from, step);
        Instant b = alignUp(to, step);
        return Duration.between(a, b).toSeconds() / step.toSeconds();
    }

    static Instant alignDown(Instant t, Duration step) {
        long s = step.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
    }

    static Instant alignUp(Instant t, Duration step) {
        Instant down = alignDown(t, step);
        return down.equals(t) ? t : down.plus(step);
    }

    static Instant time(String name, String value, Instant now, List<String> problems) {
        String v = value.strip();
        if (v.equalsIgnoreCase("now")) {
            return now;
        }
        if (v.startsWith("-")) {
            try {
                Duration d = Durations.parse(v.substring(1));
                if (d.compareTo(MAX_RANGE) > 0) {
                    problems.add(name + " '" + value + "' is more than " + MAX_RANGE.toDays() + " days back");
                    return null;
                }
                return now.minus(d);
            } catch (IllegalArgumentException e) {
                problems.add(name + " '" + value + "' is not an ISO-8601 instant, 'now' or a relative time such as -24h or -7d");
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(name + " '" + value + "' is not an ISO-8601 instant, 'now' or a relative time such as -24h or -7d");
            return null;
        }
    }
}
