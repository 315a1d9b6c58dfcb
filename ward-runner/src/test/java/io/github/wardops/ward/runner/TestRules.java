package io.github.wardops.ward.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Alert rules for runner tests that need an alert within seconds of an outage: the bundled
 * fleet's four rules with their names and severities, but "Ping Unavailable" fires on the
 * confirmed status ({@code status == down}) instead of after a whole minute of it
 * ({@code ping_unreachable >= 1}), so a test does not wait a minute for its first alert.
 */
final class TestRules {
    private TestRules() {
    }

    static Path statusDown(Path dir) throws IOException {
        return Files.writeString(dir.resolve("alert-rules.json"), """
                [
                  {"name": "Device Down - Critical", "expression": "ping_unreachable >= 5", "severity": "critical"},
                  {"name": "Device Down - High Priority", "expression": "ping_unreachable >= 2", "severity": "high"},
                  {"name": "High Latency", "expression": "avg_ping_ms > 200", "severity": "medium"},
                  {"name": "Ping Unavailable", "expression": "status == down", "severity": "critical"}
                ]
                """);
    }
}
