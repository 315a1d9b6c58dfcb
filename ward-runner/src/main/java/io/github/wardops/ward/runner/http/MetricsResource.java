package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.runner.http.server.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /metrics}: the registry in Prometheus text format. Thread-safe. */
final class MetricsResource {
    private final PrometheusMeterRegistry registry;

    MetricsResource(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void get(Response r) {
        r.send(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }
}
