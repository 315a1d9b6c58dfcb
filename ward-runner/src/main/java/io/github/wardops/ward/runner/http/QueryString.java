package io.github.wardops.ward.runner.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits and decodes a URL query string. Stateless and thread-safe; nothing returned is {@code null}. */
final class QueryString {
    private QueryString() {
    }

    /**
     * The query's {@code key=value} pairs, decoded, in order. A pair that cannot be decoded is
     * reported in {@code problems} and left out; a key without {@code =} has an empty value.
     *
     * @param rawQuery the raw query, or {@code null} for none
     * @param maxChars the longest query accepted
     * @param problems where undecodable pairs are reported
     * @return the pairs
     * @throws IllegalArgumentException when the query is longer than {@code maxChars}
     */
    static List<Map.Entry<String, String>> parse(String rawQuery, int maxChars, List<String> problems) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery == null) {
            return out;
        }
        if (rawQuery.length() > maxChars) {
            throw new IllegalArgumentException("the query is longer than " + maxChars + " characters");
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                out.add(Map.entry(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                problems.add("bad percent-encoding in '" + pair + "'");
            }
        }
        return out;
    }

    /**
     * Parses a parameter that is a whole number within bounds, the one way every query of the API
     * does: a bad value is reported as {@code NAME 'VALUE' is not a whole number from MIN to MAX}.
     *
     * @param name the parameter's name, for the message
     * @param value its value
     * @param min the smallest accepted
     * @param max the largest accepted
     * @param fallback what is returned for a bad value
     * @param problems where a bad value is reported
     * @return the number, or {@code fallback} when the value is bad
     */
    static int wholeNumber(String name, String value, int min, int max, int fallback, List<String> problems) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " '" + value + "' is not a whole number from " + min + " to " + max);
        return fallback;
    }
}
