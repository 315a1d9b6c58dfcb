package io.github.wardops.ward.alert;

import io.github.wardops.ward.internal.alert.Selectors;
import io.github.wardops.ward.inventory.Device;
import java.util.Map;

/**
 * Chooses devices by their labels: comma-separated terms that must all match, each
 * {@code key = value}, {@code key != value}, {@code key in (a, b)} or
 * {@code key not in (a, b)}. Values may be bare (spaces inside are kept: {@code Access Point})
 * or quoted. The pseudo-labels {@code id} and {@code name} match the device's id and name
 * ({@link #matches(Device)} and {@link #labelsOf} add them).
 * An empty selector matches every device. Immutable and thread-safe.
 *
 * <pre>{@code
 * LabelSelector.parse("region = Tbilisi, device_type in (Router, Switch)")
 * }</pre>
 */
public interface LabelSelector {

    /**
     * Whether a device with these labels matches.
     *
     * @param labels the labels (pseudo-labels included); never {@code null}
     * @return {@code true} when every term matches
     */
    boolean matches(Map<String, String> labels);

    /**
     * Whether a device matches: its labels plus the pseudo-labels {@code id} and {@code name}.
     *
     * @param device the device; never {@code null}
     * @return {@code true} when every term matches
     */
    default boolean matches(Device device) {
        return matches(labelsOf(device));
    }

    /**
     * A device's labels with the pseudo-labels {@code id} (the UUID) and {@code name} (stripped)
     * that selectors may test; a label of the same name is shadowed.
     *
     * @param device the device; never {@code null}
     * @return a new mutable map
     */
    static Map<String, String> labelsOf(Device device) {
        Map<String, String> m = new java.util.HashMap<>(device.labels());
        m.put("id", device.id().toString());
        m.put("name", device.name().strip());
        return m;
    }

    /**
     * The selector's text, as parsed.
     *
     * @return the text
     */
    String text();

    /**
     * Parses a selector.
     *
     * @param text the selector; never {@code null}
     * @return the selector
     * @throws RuleSyntaxException with the position and what was expected
     */
    static LabelSelector parse(String text) {
        return Selectors.parse(text);
    }

    /**
     * The selector that matches every device.
     *
     * @return the selector
     */
    static LabelSelector any() {
        return Selectors.parse("");
    }
}
