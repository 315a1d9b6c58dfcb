package io.github.wardops.ward.runner.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code /api/devices/{id}/events}: {@code from} and {@code to} as
 * {@link HistoryQuery} reads them (default the last 24 hours), {@code limit} (1 to
 * {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}), {@code order=asc|desc} (oldest or newest
 * first; a limit keeps the first ones in that order; default {@code asc}) and
 * {@code format=json|csv}. Every problem is reported at once. Immutable.
 *
 * @param from the start (inclusive)
 * @param to the end (exclusive)
 * @param limit the most events answered
 * @param newestFirst whether the newest come first
 * @param csv whether CSV is wanted
 */
record EventQuery(Instant from, Instant to, int limit, boolean newestFirst, boolean csv) {
    /** The events answered when no limit is given. */
    static final int DEFAULT_LIMIT = 1_000;
    /** The largest limit. */
    static final int MAX_LIMIT = 10_000;

    /**
     * Parses a raw query.
     *
     * @param rawQuery the query after {@code ?}, or {@code null}
     * @param now the current instant (relative times count from it)
     * @return the query
     * @throws IllegalArgumentException naming every bad or unknown parameter, separated by "; "
     */
    static EventQuery parse(String rawQuery, Instant now) {
        List<String> problems = new ArrayList<>();
        Instant from = now.minus(Duration.ofHours(24));
        Instant to = now;
        int limit = DEFAULT_LIMIT;
        boolean newestFirst = false;
        boolean csv = false;
        boolean badTime = false;
        for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 1024, problems)) {
            String value = kv.getValue();
            switch (kv.getKey()) {
                case "from" -> {
                    Instant t = HistoryQuery.time("from", value, now, problems);
                    badTime |= t == null;
                    from = t == null ? from : t;
                }
                case "to" -> {
                    Instant t = HistoryQuery.time("to", value, now, problems);
                    badTime |= t == null;
                    to = t == null ? to : t;
                }
                case "limit" -> limit = limit(value, problems);
                case "order" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "asc" -> newestFirst = false;
                        case "desc" -> newestFirst = true;
                        default -> problems.add("order '" + value + "' is not asc or desc");
                    }
                }
                case "format" -> csv = HistoryQuery.csv(value, problems);
                default -> problems.add("unknown parameter '" + kv.getKey() + "' (known: from, to, limit, order, format)");
            }
        }
        if (!badTime) {
            HistoryQuery.rangeOk(from, to, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new EventQuery(from, to, limit, newestFirst, csv);
    }

    /**
     * Parses a limit, 1 to {@link #MAX_LIMIT}.
     *
     * @param value the value
     * @param problems where a bad value is reported
     * @return the limit, {@link #DEFAULT_LIMIT} when the value is bad
     */
    private static int limit(String value, List<String> problems) {
        return QueryString.wholeNumber("limit", value, 1, MAX_LIMIT, DEFAULT_LIMIT, problems);
    }
}
