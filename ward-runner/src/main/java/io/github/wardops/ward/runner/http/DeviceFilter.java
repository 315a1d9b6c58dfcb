package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.state.DeviceState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query of {@code GET /api/devices}: {@code status=DOWN} (repeatable or comma-separated; any
 * of them matches), {@code failing=true} or {@code failing=false} (devices being re-checked
 * after a failed probe, or all others) and {@code label=KEY:VALUE} (repeatable; all must
 * match). Immutable.
 *
 * @param statuses the statuses wanted; empty means any
 * @param failing {@code true} for only failing devices ({@code DeviceState.failing()}),
 *     {@code false} for only the others, {@code null} for both
 * @param labels the labels every device must have
 */
public record DeviceFilter(Set<DeviceStatus> statuses, Boolean failing, Map<String, String> labels) {
    /** No filter. */
    public static final DeviceFilter ALL = new DeviceFilter(EnumSet.noneOf(DeviceStatus.class), null, Map.of());
    private static final int MAX_QUERY_CHARS = 4096;

    /**
     * Copies the components' collections, so the caller's later changes do not reach this record.
     */
    public DeviceFilter {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
        labels = Map.copyOf(labels);
    }

    /**
     * Parses a raw (still percent-encoded) query string.
     *
     * @param rawQuery the query, or {@code null}
     * @return the filter
     * @throws IllegalArgumentException listing every bad parameter, for a {@code 400}
     */
    public static DeviceFilter parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return ALL;
        }
        Set<DeviceStatus> statuses = EnumSet.noneOf(DeviceStatus.class);
        Map<String, String> labels = new LinkedHashMap<>();
        Boolean failing = null;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, MAX_QUERY_CHARS, problems)) {
            String key = kv.getKey();
            String value = kv.getValue();
            switch (key) {
                case "status" -> {
                    for (String s : value.split(",")) {
                        try {
                            statuses.add(DeviceStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            problems.add("status '" + s + "' is not UP, DOWN, UNKNOWN or UNREACHABLE");
                        }
                    }
                }
                case "failing" -> {
                    String v = value.strip().toLowerCase(Locale.ROOT);
                    Boolean b = v.equals("true") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : null;
                    if (b == null) {
                        problems.add("failing '" + value + "' is not true or false");
                    } else if (failing != null && !failing.equals(b)) {
                        problems.add("failing is given as both true and false");
                    } else {
                        failing = b;
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
                default -> problems.add("unknown parameter '" + key + "' (known: status, failing, label, q, page, size)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DeviceFilter(statuses, failing, labels);
    }

    /**
     * Whether a device's labels match; checked before its status, which costs more.
     *
     * @param d the device
     * @return {@code true} when every label matches
     */
    public boolean labelsMatch(Device d) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(d.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a status matches.
     *
     * @param s the status
     * @return {@code true} when no status was asked for, or this one was
     */
    public boolean statusMatches(DeviceStatus s) {
        return statuses.isEmpty() || statuses.contains(s);
    }

    /**
     * Whether a device's tracked state matches: its status and whether it is failing.
     *
     * @param state the state, or {@code null} for a device the tracker does not know (UNKNOWN,
     *     not failing)
     * @return {@code true} when both match
     */
    public boolean stateMatches(DeviceState state) {
        DeviceStatus s = state == null ? DeviceStatus.UNKNOWN : state.status();
        boolean f = state != null && state.failing();
        return statusMatches(s) && (failing == null || failing == f);
    }
}
