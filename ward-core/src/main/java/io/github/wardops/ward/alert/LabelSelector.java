package io.github.wardops.ward.alert;

import io.github.wardops.ward.internal.alert.Selectors;
import java.util.Map;

/**
 * Chooses devices by their labels: comma-separated terms that must all match, each
 * {@code key = value}, {@code key != value}, {@code key in (a, b)} or
 * {@code key not in (a, b)}. Values may be bare (spaces inside are kept: {@code Access Point})
 * or quoted. The pseudo-labels {@code id} and {@code name} match the device's id and name.
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
