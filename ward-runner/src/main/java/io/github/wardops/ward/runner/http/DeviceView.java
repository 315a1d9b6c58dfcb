package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import java.time.Instant;
import java.util.Map;

/**
 * One element of {@code GET /api/devices}. Field names are documented in {@code docs/api.md};
 * renaming one is a breaking change. Immutable.
 *
 * @param id the device id (UUID)
 * @param name the device name
 * @param address the probed IP address
 * @param enabled whether the device is probed; a disabled device stays {@code UNKNOWN}
 * @param status {@code UP}, {@code DOWN}, {@code UNKNOWN} or {@code UNREACHABLE}, from the state tracker
 * @param flapping whether the device is flapping (a flag next to the status)
 * @param downSince for a {@code DOWN} or {@code UNREACHABLE} device, its first failed probe
 *     (ISO-8601, UTC); else {@code null}
 * @param failing whether its latest probes failed but DOWN is not confirmed yet (it is being
 *     re-checked; {@code status} still shows the last confirmed status)
 * @param failingSince the first failed probe of the current failure run (ISO-8601, UTC), or
 *     {@code null} when the latest probe succeeded
 * @param consecutiveFailures failed probes in a row, re-checks included (the rule variable
 *     {@code failed_cycles})
 * @param lastRttMs the mean round trip of the latest ICMP probe in milliseconds, or {@code null}
 * @param lossPct the share of echoes lost in the latest ICMP probe (0-100), or {@code null}
 * @param lastProbeAt when the latest ICMP probe started (ISO-8601, UTC), or {@code null}
 * @param reason why the device is down ({@code TIMEOUT}, {@code HOST_UNREACHABLE}...), or
 *     {@code null} unless the latest result is down
 * @param detail why the status is what it is when the status alone does not say: the tracker's
 *     detail ({@code "stale"}: UNKNOWN because its probes stopped completing) or else the latest
 *     down or unknown result's; {@code null} otherwise
 * @param parentId the parent device id, or {@code null}
 * @param labels the device's labels
 */
@JsonPropertyOrder({"id", "name", "address", "enabled", "status", "flapping", "downSince", "failing", "failingSince",
        "consecutiveFailures", "lastRttMs", "lossPct", "lastProbeAt", "reason", "detail", "parentId", "labels"})
public record DeviceView(String id, String name, String address, boolean enabled, String status, boolean flapping,
                         String downSince, boolean failing, String failingSince, int consecutiveFailures, Double lastRttMs,
                         Double lossPct, String lastProbeAt, String reason, String detail, String parentId,
                         Map<String, String> labels) {

    /**
     * Builds the view of a device from its tracked state.
     *
     * @param d the device; never {@code null}
     * @param state its state from the tracker, or {@code null} when the tracker does not know it (then {@code UNKNOWN})
     * @param latest the latest result of its ICMP check, or {@code null}
     * @return the view
     */
    public static DeviceView of(Device d, DeviceState state, ProbeResult latest) {
        if (state == null) {
            return of(d, DeviceStatus.UNKNOWN, null, latest);
        }
        return of(d, state.status(), state, latest);
    }

    /**
     * Builds the view of a device from its status alone: not flapping, not failing, no {@code downSince}.
     *
     * @param d the device; never {@code null}
     * @param status its status; never {@code null}
     * @param latest the latest result of its ICMP check, or {@code null}
     * @return the view
     */
    public static DeviceView of(Device d, DeviceStatus status, ProbeResult latest) {
        return of(d, status, null, latest);
    }

    private static DeviceView of(Device d, DeviceStatus status, DeviceState state, ProbeResult latest) {
        Double rtt = null;
        Double loss = null;
        String at = null;
        String reason = null;
        String detail = null;
        if (latest != null) {
            at = latest.at().toString();
            if (latest.measurement() instanceof PingStats p) {
                loss = round(p.lossPct());
                if (p.rttAvg() != null) {
                    rtt = round(PingStats.millis(p.rttAvg()));
                }
            }
            switch (latest) {
                case ProbeResult.Up u -> {
                    if (rtt == null) {
                        rtt = round(PingStats.millis(u.latency()));
                    }
                }
                case ProbeResult.Down dn -> {
                    reason = dn.reason().name();
                    detail = dn.detail().isEmpty() ? null : dn.detail();
                }
                case ProbeResult.Unknown un -> detail = un.detail();
            }
        }
        boolean down = status == DeviceStatus.DOWN || status == DeviceStatus.UNREACHABLE;
        Instant downSince = state != null && down ? state.since() : null;
        Instant failingSince = state == null ? null : state.failingSince();
        if (state != null && state.detail() != null) {
            // The tracker's judgement (such as "stale") outranks the latest result's, which it is about.
            detail = state.detail();
        }
        return new DeviceView(d.id().toString(), d.name(), d.address().getHostAddress(), d.enabled(), status.name(),
                state != null && state.flapping(), text(downSince), state != null && state.failing(), text(failingSince),
                state == null ? 0 : state.consecutiveFailures(), rtt, loss, at, reason, detail,
                d.parentId() == null ? null : d.parentId().toString(), d.labels());
    }

    static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
