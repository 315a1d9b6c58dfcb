package io.github.wardops.ward.probe;

import java.util.Map;

/**
 * What a probe measured, such as ping statistics or a TCP connect time. Each prober defines its
 * own immutable record; {@link #values()} gives a flat, named numeric view that generic consumers
 * (rules, exporters) use without knowing the record type.
 */
public interface Measurement {

    /**
     * The measurement as named numbers, such as {@code rtt_avg_ms -> 0.05}. Values are finite.
     *
     * @return an immutable map; never {@code null}
     */
    Map<String, Double> values();

    /** No measurement. */
    Measurement NONE = Map::of;
}
