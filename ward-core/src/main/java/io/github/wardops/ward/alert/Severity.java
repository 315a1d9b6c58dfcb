package io.github.wardops.ward.alert;

import java.util.Locale;

/** How urgent an alert is, most urgent first. */
public enum Severity {
    /** Service is down. */
    CRITICAL,
    /** Needs attention soon. */
    HIGH,
    /** Degraded. */
    MEDIUM,
    /** Minor. */
    LOW,
    /** For information only. */
    INFO;

    /**
     * Parses a severity name, case-insensitively; {@code warning} is read as {@link #MEDIUM}.
     *
     * @param text the name; never {@code null}
     * @return the severity
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Severity parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("warning") || t.equals("warn")) {
            return MEDIUM;
        }
        for (Severity s : values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text
                + "': expected critical, high, medium (or warning), low or info");
    }
}
