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
 * @param failing whether its latest probes failed but DOWN is not confirmed yet
 *     ({@link DeviceState#failing()})
 * @param failingSince the first failed probe of the current failure run, or {@code null} when
 *     the latest probe succeeded
 * @param consecutiveFailures failed probes in a row, re-checks included
 * @param consecutiveSuccesses successful probes in a row
 * @param detail why the status is what it is when the status alone does not say ({@code "stale"}),
 *     or {@code null}
 * @param updatedAt when the last result was applied
 */
@JsonPropertyOrder({"status", "since", "flapping", "flapPercent", "failing", "failingSince", "consecutiveFailures",
        "consecutiveSuccesses", "detail", "updatedAt"})
public record StateView(String status, String since, boolean flapping, double flapPercent, boolean failing,
                        String failingSince, int consecutiveFailures, int consecutiveSuccesses, String detail,
                        String updatedAt) {
    /**
     * Builds the view.
     *
     * @param s the state; never {@code null}
     * @return the view
     */
    public static StateView of(DeviceState s) {
        return new StateView(s.status().name(), s.since().toString(), s.flapping(), DeviceView.round(s.flapPercent()),
                s.failing(), DeviceView.text(s.failingSince()), s.consecutiveFailures(), s.consecutiveSuccesses(),
                s.detail(), s.updatedAt().toString());
    }
}
