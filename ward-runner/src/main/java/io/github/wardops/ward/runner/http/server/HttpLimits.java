package io.github.wardops.ward.runner.http.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The bounds of {@link HttpServer}: connections, time and the requests handled at once. The
 * sizes of a request (its line, its headers, its body) are fixed constants of this class.
 * Immutable.
 *
 * @param maxConnections the most connections open at once; more are closed at once, 1-10,000
 * @param maxConnectionsPerAddress the most connections open at once from one client address (IPv6: one /64),
 *                                 at most {@code maxConnections}
 * @param maxConcurrentRequests the most requests handled at once, {@code /health}, {@code /ready} and the page
 *                              excepted; a request waits up to {@link #SLOT_WAIT} for one, then gets {@code 503}
 * @param headerTimeout the deadline for the request line and the headers, from the connection's accept (or, on
 *                      a kept-alive connection, from the first byte of the request); never {@code null}
 * @param bodyTimeout the deadline for the body, from the end of the headers; never {@code null}
 * @param idleTimeout how long a kept-alive connection may wait for its next request; never {@code null}
 * @param writeTimeout the deadline for writing one response; never {@code null}
 * @param hosts {@code Host} values accepted besides loopback names and the address a request arrived on:
 *              {@code NAME} (any port), {@code NAME:PORT} or {@code *} (any host); never {@code null}
 */
public record HttpLimits(int maxConnections, int maxConnectionsPerAddress, int maxConcurrentRequests,
                         Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, Duration writeTimeout,
                         List<String> hosts) {
    /** The longest request line, in bytes; longer gets {@code 414}. */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    /** The largest header section (every header line with its CRLF), in bytes; larger gets {@code 431}. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The most header fields of one request; more get {@code 431}. */
    public static final int MAX_HEADERS = 100;
    /** The largest request body, in bytes; larger gets {@code 413}. */
    public static final int MAX_BODY_BYTES = 4096;
    /** How long a request waits for one of the {@code maxConcurrentRequests} slots before {@code 503}. */
    public static final Duration SLOT_WAIT = Duration.ofSeconds(1);
    /** The defaults: 256 connections, 32 per address, 4 requests at once, 10 s, 10 s, 30 s and 30 s, no extra hosts. */
    public static final HttpLimits DEFAULTS = new HttpLimits(256, 32, 4, Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), List.of());

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException when a bound is out of range
     * @throws NullPointerException when a duration or the host list is {@code null}
     */
    public HttpLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        hosts = List.copyOf(hosts);
        if (maxConnections < 1 || maxConnections > 10_000) {
            throw new IllegalArgumentException("maxConnections must be 1-10000: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be 1-" + maxConnections + ": "
                    + maxConnectionsPerAddress);
        }
        if (maxConcurrentRequests < 1 || maxConcurrentRequests > 1024) {
            throw new IllegalArgumentException("maxConcurrentRequests must be 1-1024: " + maxConcurrentRequests);
        }
        for (Duration d : List.of(headerTimeout, bodyTimeout, idleTimeout, writeTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }
}
