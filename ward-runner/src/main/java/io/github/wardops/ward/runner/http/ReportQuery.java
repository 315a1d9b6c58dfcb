package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.postgres.AvailabilityReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code GET /api/reports/availability}: {@code from} and {@code to} (as for the
 * history: ISO-8601 instants, relative such as {@code -30d}, or {@code now}; default the last 30
 * days), {@code group=device|region|branch|device_type} (default {@code device}),
 * {@code label=KEY:VALUE} (repeatable; every one must match), {@code unreachable=excluded|down}
 * (default {@code excluded}), {@code sort=} a row field, {@code -} before it for descending
 * (default {@code availabilityPct}: the worst first), {@code limit} (1 to
 * {@link AvailabilityReport#MAX_ROWS}, default {@link #DEFAULT_LIMIT}), {@code offset} (default 0)
 * and {@code format=json|csv}. Every problem is reported at once. Immutable.
 *
 * @param from the start
 * @param to the end (exclusive)
 * @param group the grouping: {@code device} or a label name
 * @param labels the labels every device must have
 * @param unreachable how UNREACHABLE counts
 * @param sortField the row field sorted by
 * @param sort the sort key
 * @param descending whether the sort is descending
 * @param offset rows skipped
 * @param limit the most rows
 * @param csv whether CSV is wanted
 */
record ReportQuery(Instant from, Instant to, String group, Map<String, String> labels,
                   AvailabilityReport.Unreachable unreachable, String sortField, AvailabilityReport.Sort sort,
                   boolean descending, int offset, int limit, boolean csv) {
    /** Rows per answer when no limit is given. */
    static final int DEFAULT_LIMIT = 1_000;
    /** The largest offset. */
    static final int MAX_OFFSET = 10_000_000;
    /** The groupings. */
    static final List<String> GROUPS = List.of("device", "region", "branch", "device_type");
    /** The sort fields, in the order of the row's fields. */
    static final Map<String, AvailabilityReport.Sort> SORTS = sorts();

    private static Map<String, AvailabilityReport.Sort> sorts() {
        Map<String, AvailabilityReport.Sort> m = new LinkedHashMap<>();
        m.put("group", AvailabilityReport.Sort.GROUP);
        m.put("devices", AvailabilityReport.Sort.DEVICES);
        m.put("availabilityPct", AvailabilityReport.Sort.AVAILABILITY);
        m.put("downtimeSeconds", AvailabilityReport.Sort.DOWNTIME);
        m.put("outages", AvailabilityReport.Sort.OUTAGES);
        m.put("mttrSeconds", AvailabilityReport.Sort.MTTR);
        m.put("longestOutageSeconds", AvailabilityReport.Sort.LONGEST_OUTAGE);
        return Map.copyOf(m);
    }

    /**
     * Parses a raw query.
     *
     * @param rawQuery the query after {@code ?}, or {@code null}
     * @param now the current instant (relative times count from it)
     * @return the query
     * @throws IllegalArgumentException naming every bad or unknown parameter, separated by "; "
     */
    static ReportQuery parse(String rawQuery, Instant now) {
        List<String> problems = new ArrayList<>();
        Instant from = now.minus(Duration.ofDays(30));
        Instant to = now;
        boolean badTime = false;
        String group = "device";
        Map<String, String> labels = new LinkedHashMap<>();
        AvailabilityReport.Unreachable unreachable = AvailabilityReport.Unreachable.EXCLUDED;
        String sortField = "availabilityPct";
        boolean descending = false;
        int offset = 0;
        int limit = DEFAULT_LIMIT;
        boolean csv = false;
        for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 4096, problems)) {
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
                case "group" -> {
                    if (GROUPS.contains(value)) {
                        group = value;
                    } else {
                        problems.add("group '" + value + "' is not device, region, branch or device_type");
                    }
                }
                case "label" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        problems.add("label '" + value + "' is not KEY:VALUE");
                    } else {
                        labels.put(value.substring(0, colon), value.substring(colon + 1));
                    }
                }
                case "unreachable" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "excluded" -> unreachable = AvailabilityReport.Unreachable.EXCLUDED;
                        case "down" -> unreachable = AvailabilityReport.Unreachable.DOWN;
                        default -> problems.add("unreachable '" + value + "' is not excluded or down");
                    }
                }
                case "sort" -> {
                    boolean desc = value.startsWith("-");
                    String field = desc ? value.substring(1) : value;
                    if (SORTS.containsKey(field)) {
                        sortField = field;
                        descending = desc;
                    } else {
                        problems.add("sort '" + value + "' is not one of group, devices, availabilityPct, downtimeSeconds, "
                                + "outages, mttrSeconds, longestOutageSeconds (with - before it for descending)");
                    }
                }
                case "limit" -> limit = QueryString.wholeNumber("limit", value, 1, AvailabilityReport.MAX_ROWS, limit,
                        problems);
                case "offset" -> offset = QueryString.wholeNumber("offset", value, 0, MAX_OFFSET, offset, problems);
                case "format" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "json" -> csv = false;
                        case "csv" -> csv = true;
                        default -> problems.add("format '" + value + "' is not json or csv");
                    }
                }
                default -> problems.add("unknown parameter '" + kv.getKey()
                        + "' (known: from, to, group, label, unreachable, sort, limit, offset, format)");
            }
        }
        if (!badTime) {
            if (!from.isBefore(to)) {
                problems.add("from " + from + " must be before to " + to);
            } else if (Duration.between(from, to).compareTo(HistoryQuery.MAX_RANGE) > 0) {
                problems.add("the range from " + from + " to " + to + " is longer than "
                        + HistoryQuery.MAX_RANGE.toDays() + " days");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ReportQuery(from, to, group, Map.copyOf(labels), unreachable, sortField, SORTS.get(sortField),
                descending, offset, limit, csv);
    }

    /**
     * Whether a device's labels match.
     *
     * @param d the device
     * @return {@code true} when every label matches
     */
    boolean matches(Device d) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(d.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The group a device falls in: its id, or its label's value ({@code ""} without one).
     *
     * @param d the device
     * @return the group
     */
    String groupOf(Device d) {
        return group.equals("device") ? d.id().toString() : d.labels().getOrDefault(group, "");
    }
}
