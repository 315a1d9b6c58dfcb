package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code GET /api/devices}: the {@link DeviceFilter} ({@code status}, {@code failing},
 * {@code label}), plus {@code q} (a case-insensitive substring of the name, the address, or a
 * label's key or value) and the page: {@code page} (from 1) and {@code size} (1 to
 * {@link #MAX_SIZE}, default {@link #DEFAULT_SIZE}). With any of {@code q}, {@code page} and
 * {@code size}, the answer is one page with the total; without them it is the whole array, as
 * before (kept for existing clients). Every problem is reported at once. Immutable.
 *
 * @param filter the status, failing and label filter
 * @param q the lower-cased search text, or {@code null} for none
 * @param page the page, from 1
 * @param size the page size
 * @param paged whether a page (with the total) is answered rather than the whole array
 */
record DeviceListQuery(DeviceFilter filter, String q, int page, int size, boolean paged) {
    /** The page size when none is given. */
    static final int DEFAULT_SIZE = 100;
    /** The largest page size. */
    static final int MAX_SIZE = 1_000;
    /** The longest {@code q}. */
    static final int MAX_Q = 200;
    private static final int MAX_QUERY_CHARS = 4096;

    /**
     * Parses a raw (still percent-encoded) query string.
     *
     * @param rawQuery the query, or {@code null}
     * @return the query
     * @throws IllegalArgumentException naming every bad parameter, separated by "; "
     */
    static DeviceListQuery parse(String rawQuery) {
        List<String> problems = new ArrayList<>();
        if (rawQuery != null && rawQuery.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException("the query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        String q = null;
        int page = 1;
        int size = DEFAULT_SIZE;
        boolean paged = false;
        StringBuilder rest = new StringBuilder();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                List<Map.Entry<String, String>> kv = QueryString.parse(pair, MAX_QUERY_CHARS, new ArrayList<>());
                String key = kv.isEmpty() ? "" : kv.getFirst().getKey();
                String value = kv.isEmpty() ? "" : kv.getFirst().getValue();
                switch (key) {
                    case "q" -> {
                        paged = true;
                        if (value.length() > MAX_Q) {
                            problems.add("q is longer than " + MAX_Q + " characters");
                        } else if (!value.isBlank()) {
                            q = value.strip().toLowerCase(Locale.ROOT);
                        }
                    }
                    case "page" -> {
                        paged = true;
                        page = number("page", value, 1, 1_000_000, problems);
                    }
                    case "size" -> {
                        paged = true;
                        size = number("size", value, 1, MAX_SIZE, problems);
                    }
                    default -> {
                        if (!rest.isEmpty()) {
                            rest.append('&');
                        }
                        rest.append(pair);
                    }
                }
            }
        }
        DeviceFilter filter = DeviceFilter.ALL;
        try {
            filter = DeviceFilter.parse(rest.toString());
        } catch (IllegalArgumentException e) {
            problems.addFirst(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DeviceListQuery(filter, q, page, size, paged);
    }

    private static int number(String name, String value, int min, int max, List<String> problems) {
        return QueryString.wholeNumber(name, value, min, max, min, problems);
    }

    /**
     * Whether a device matches {@code q}: its name, address, or a label's key or value contains
     * it, ignoring case.
     *
     * @param d the device
     * @return {@code true} when it matches, or no {@code q} was given
     */
    boolean textMatches(Device d) {
        if (q == null) {
            return true;
        }
        if (contains(d.name(), q) || d.address().getHostAddress().contains(q)) {
            return true;
        }
        for (Map.Entry<String, String> e : d.labels().entrySet()) {
            if (contains(e.getKey(), q) || contains(e.getValue(), q)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} contains the lower-cased {@code needle}, ignoring case, without copying {@code text}. */
    static boolean contains(String text, String needle) {
        int n = needle.length();
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            if (text.regionMatches(true, i, needle, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
