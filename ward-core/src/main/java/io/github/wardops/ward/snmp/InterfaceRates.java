package io.github.wardops.ward.snmp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rates computed by ward between two polls of one interface (see {@code docs/snmp.md} for the
 * rules). A field is {@link Double#NaN} when no rate could be given honestly: no previous sample,
 * a counter reset or agent restart, a missing counter, or a value above the interface's speed.
 * Rates are never negative. Primitive fields keep a fleet's worth of rates small. Immutable.
 *
 * @param inBitsPerSecond inbound bits per second
 * @param outBitsPerSecond outbound bits per second
 * @param inPacketsPerSecond inbound unicast packets per second
 * @param outPacketsPerSecond outbound unicast packets per second
 * @param inErrorsPerSecond inbound errors per second
 * @param outErrorsPerSecond outbound errors per second
 * @param inDiscardsPerSecond inbound discards per second
 * @param outDiscardsPerSecond outbound discards per second
 * @param inUtilizationPct inbound bits per second as a percentage of the speed (0-100); NaN when the speed is unknown
 * @param outUtilizationPct outbound utilisation, 0-100
 *
 * <p>Its components are primitives: a rate that could not be computed is {@code NaN}, never {@code null}.
 */
public record InterfaceRates(double inBitsPerSecond, double outBitsPerSecond, double inPacketsPerSecond,
                             double outPacketsPerSecond, double inErrorsPerSecond, double outErrorsPerSecond,
                             double inDiscardsPerSecond, double outDiscardsPerSecond, double inUtilizationPct,
                             double outUtilizationPct) {
    /** No rate at all (first sample, restart). */
    public static final InterfaceRates NONE = new InterfaceRates(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * The rates present, by name ({@code in_bps}, {@code out_util_pct}, ...).
     *
     * @return an immutable map of the rates that are not NaN
     */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "in_bps", inBitsPerSecond);
        put(m, "out_bps", outBitsPerSecond);
        put(m, "in_pps", inPacketsPerSecond);
        put(m, "out_pps", outPacketsPerSecond);
        put(m, "in_errors_ps", inErrorsPerSecond);
        put(m, "out_errors_ps", outErrorsPerSecond);
        put(m, "in_discards_ps", inDiscardsPerSecond);
        put(m, "out_discards_ps", outDiscardsPerSecond);
        put(m, "in_util_pct", inUtilizationPct);
        put(m, "out_util_pct", outUtilizationPct);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, Double> m, String k, double v) {
        if (!Double.isNaN(v)) {
            m.put(k, v);
        }
    }
}
