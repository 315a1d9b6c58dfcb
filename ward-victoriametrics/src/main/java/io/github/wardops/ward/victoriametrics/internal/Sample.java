package io.github.wardops.ward.victoriametrics.internal;

import java.util.List;
import java.util.Objects;

/**
 * One time-series sample to export. Immutable.
 *
 * @param name the metric name, already valid
 * @param labels the labels in the order they are written, names already valid, values raw
 *     (escaped when written)
 * @param value the value; finite
 * @param timestampMillis milliseconds since the epoch (UTC)
 */
public record Sample(String name, List<Label> labels, double value, long timestampMillis) {

    /**
     * Validates and copies.
     *
     * @param name the name
     * @param labels the labels
     * @param value the value
     * @param timestampMillis the timestamp
     */
    public Sample {
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("sample " + name + " is not finite: " + value);
        }
    }

    /**
     * A label's value.
     *
     * @param labelName the label name
     * @return the value, or {@code null} when absent
     */
    public String label(String labelName) {
        for (Label l : labels) {
            if (l.name().equals(labelName)) {
                return l.value();
            }
        }
        return null;
    }

    /**
     * One label.
     *
     * @param name the name, already valid
     * @param value the raw value; never {@code null}
     */
    public record Label(String name, String value) {
        /**
         * Validates.
         *
         * @param name the name
         * @param value the value
         */
        public Label {
            Objects.requireNonNull(name, "label name");
            Objects.requireNonNull(value, "label value");
        }
    }
}
