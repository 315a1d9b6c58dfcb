package io.github.wardops.ward.runner;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Faults injected at named points, for the tests that prove the runner survives or ends as it
 * should (as FoundationDB's and TiKV's fail points do). Off unless the system property
 * {@value #PROPERTY} names points: {@code -Dward.failpoints=inventory-reload=oom,alert-tick=exception}.
 * Kinds: {@code oom} (an {@link OutOfMemoryError}), {@code stackoverflow} and {@code exception}
 * (an {@link IllegalStateException}). Not for production; unset, each point costs one map lookup
 * on an empty map. Thread-safe.
 */
public final class Failpoints {
    /** The system property that names the points. */
    public static final String PROPERTY = "ward.failpoints";
    private static final Map<String, String> POINTS = parse(System.getProperty(PROPERTY, ""));

    private Failpoints() {
    }

    static Map<String, String> parse(String spec) {
        Map<String, String> m = new HashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip().toLowerCase(Locale.ROOT));
            }
        }
        return Map.copyOf(m);
    }

    /**
     * Throws the fault configured for this point, if any.
     *
     * @param point the point's name, such as {@code inventory-reload}
     */
    public static void hit(String point) {
        if (POINTS.isEmpty()) {
            return;
        }
        String kind = POINTS.get(point);
        if (kind == null) {
            return;
        }
        switch (kind) {
            case "oom" -> throw new OutOfMemoryError("injected at fail point " + point);
            case "stackoverflow" -> throw new StackOverflowError("injected at fail point " + point);
            default -> throw new IllegalStateException("injected at fail point " + point);
        }
    }
}
