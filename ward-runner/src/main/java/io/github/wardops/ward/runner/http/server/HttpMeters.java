package io.github.wardops.ward.runner.http.server;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's meters: connections open, requests answered by status, and every connection or
 * request refused for a limit ({@code ward.http.rejected{reason}}), each reason also logged at
 * WARN at most once a minute with the count of those not logged. Thread-safe.
 */
final class HttpMeters {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** Connection refused: {@code http-max-connections} open, each handling a request. */
    static final String MAX_CONNECTIONS = "max-connections";
    /** Connection closed to make room: the one waiting longest for a complete request, when every connection is taken. */
    static final String EVICTED = "evicted";
    /** Connection refused: {@code http-max-connections-per-address} open from that address. */
    static final String MAX_PER_ADDRESS = "max-connections-per-address";
    /** Closed: the request line and headers were not complete within {@code http-header-timeout}. */
    static final String HEADER_TIMEOUT = "header-timeout";
    /** Closed: the body was not complete within {@code http-body-timeout}. */
    static final String BODY_TIMEOUT = "body-timeout";
    /** Closed: an answer could not be written within {@code http-write-timeout}. */
    static final String WRITE_TIMEOUT = "write-timeout";
    /** {@code 503}: no handler slot within a second. */
    static final String BUSY = "busy";
    /** {@code 400}, {@code 505}: a request that does not parse, or is ambiguous. */
    static final String MALFORMED = "malformed";
    /** {@code 413}, {@code 414}, {@code 431}: a request line, header section or body over its limit. */
    static final String TOO_LARGE = "too-large";
    /** {@code 501}, {@code 417}: a transfer coding or an expectation the server does not implement. */
    static final String NOT_IMPLEMENTED = "not-implemented";
    /** {@code 421}: a {@code Host} that is not on the allow-list. */
    static final String MISDIRECTED = "misdirected";
    static final List<String> REASONS = List.of(MAX_CONNECTIONS, EVICTED, MAX_PER_ADDRESS, HEADER_TIMEOUT, BODY_TIMEOUT,
            WRITE_TIMEOUT, BUSY, MALFORMED, TOO_LARGE, NOT_IMPLEMENTED, MISDIRECTED);

    private final MeterRegistry registry;
    private final Map<String, Counter> rejected;
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private final Map<Integer, Counter> answered = new ConcurrentHashMap<>();
    private final Counter idleClosed;

    HttpMeters(MeterRegistry registry, IntSupplier open) {
        this.registry = registry;
        this.rejected = REASONS.stream().collect(Collectors.toUnmodifiableMap(r -> r, r -> Counter.builder("ward.http.rejected")
                .tag("reason", r).description("Connections closed or requests refused for a limit or a bad request")
                .register(registry)));
        this.idleClosed = Counter.builder("ward.http.idle.closed")
                .description("Kept-alive connections closed after http-idle-timeout without a request").register(registry);
        Gauge.builder("ward.http.connections", open::getAsInt).description("HTTP connections open").register(registry);
    }

    /**
     * Counts a refusal and logs it, at most once a minute per reason.
     *
     * @param reason one of {@link #REASONS}
     * @param from the client
     * @param what what happened, for the log line (built only when logged)
     */
    void rejected(String reason, InetAddress from, Supplier<String> what) {
        rejected.get(reason).increment();
        long more = logLimit.permit(reason);
        if (more < 0) {
            return;
        }
        LOG.warn("HTTP: {} (client {}){}; counted in ward_http_rejected_total{reason=\"{}\"}", what.get(),
                from == null ? "?" : from.getHostAddress(),
                more == 0 ? "" : "; " + more + " more like it since the last such line", reason);
    }

    void idleClosed() {
        idleClosed.increment();
    }

    void answered(int status) {
        answered.computeIfAbsent(status, s -> Counter.builder("ward.http.requests").tag("status", String.valueOf(s))
                .description("HTTP requests answered, by status code").register(registry)).increment();
    }
}
