package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.state.DeviceState;

/**
 * A device's or interface's tracked state in {@code GET /api/devices/{id}}. Field names are
 * documented in {@code docs/api.md}. Immutable.
 *
 * @param status {@code UP}, {@code DOWN}, {@code UNKNOWN} or {@code UNREACHABLE}
 * @param since when the status began (for DOWN: the first failed probe), ISO-8601 UTC
 * @param flapping whether it flaps
 * @param flapPercent the weighted state-change percentage, 0-100
 * @param consecutiveFailures failed cycles in a row
 * @param consecutiveSuccesses successful cycles in a row
 * @param updatedAt when the last result was applied
 */
@JsonPropertyOrder({"status", "since", "flapping", "flapPercent", "consecutiveFailures", "consecutiveSuccesses", "updatedAt"})
public record StateView(String status, String since, boolean flapping, double flapPercent, int consecutiveFailures,
                        int consecutiveSuccesses, String updatedAt) {
    /**
     * Builds the view.
     *
     * @param s the state; never {@code null}
     * @return the view
     */
    public static StateView of(DeviceState s) {
        return new StateView(s.status().name(), s.since().toString(), s.flapping(), DeviceView.round(s.flapPercent()),
                s.consecutiveFailures(), s.consecutiveSuccesses(), s.updatedAt().toString());
    }
}
