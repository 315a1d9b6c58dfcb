package io.github.wardops.ward.examples.spring;

import java.time.Instant;
import java.util.Map;

/**
 * A device's state as {@code /devices} shows it, serialized by Spring Boot's default JSON
 * (Jackson 3). Immutable.
 *
 * @param id the device id (a UUID)
 * @param name the display name
 * @param address the IP address probes go to
 * @param labels the device's labels
 * @param status {@code UP}, {@code DOWN}, {@code UNKNOWN} or {@code UNREACHABLE}
 * @param downSince when the device went down (its first failed probe), or {@code null}
 * @param lastRttMs the last ICMP round trip in milliseconds, or {@code null}
 * @param lossPct the last ICMP loss in percent, or {@code null}
 * @param lastProbeAt when the device was last probed, or {@code null}
 * @param checks the latest result of each check that has run, by check name
 */
public record DeviceView(String id, String name, String address, Map<String, String> labels, String status,
                         Instant downSince, Double lastRttMs, Double lossPct, Instant lastProbeAt,
                         Map<String, CheckView> checks) {

    /**
     * The latest result of one check.
     *
     * @param outcome {@code up}, {@code down} or {@code unknown}
     * @param at when the probe started (UTC)
     * @param latencyMs the latency in milliseconds when up, else {@code null}
     * @param reason why it is down (a {@code DownReason}), else {@code null}
     * @param detail a short detail when down or unknown, else {@code null}
     * @param values what was measured, by name
     */
    public record CheckView(String outcome, Instant at, Double latencyMs, String reason, String detail,
                            Map<String, Double> values) {
    }
}
