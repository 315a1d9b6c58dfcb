package io.github.wardops.ward.snmp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to send requests to one agent: address, port, per-request timeout and retries,
 * GETBULK max-repetitions and the most varbinds ward puts in one request. Immutable.
 *
 * @param address the agent's address; never {@code null}, never one ward refuses to probe
 *     (multicast, broadcast, unspecified: see
 *     {@link io.github.wardops.ward.inventory.Addresses#requireProbeable})
 * @param port the UDP port, 1-65535
 * @param timeout the time to wait for each attempt, 10 ms-60 s
 * @param retries attempts after the first, 0-10
 * @param maxRepetitions GETBULK max-repetitions, 1-1000
 * @param maxVarbindsPerPdu the most varbinds in one GET request, 1-1000
 */
public record SnmpTarget(InetAddress address, int port, Duration timeout, int retries, int maxRepetitions,
                         int maxVarbindsPerPdu) {
    /** The standard SNMP port. */
    public static final int DEFAULT_PORT = 161;

    /**
     * Checks the components; each is described on the record.
     *
     * @throws IllegalArgumentException for a value out of range, or an address ward never probes
     * @throws NullPointerException if {@code address} or {@code timeout} is null
     */
    public SnmpTarget {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        io.github.wardops.ward.inventory.Addresses.requireProbeable(address, true);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 1-65535");
        }
        if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " must be 10 ms-60 s");
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries " + retries + " must be 0-10");
        }
        if (maxRepetitions < 1 || maxRepetitions > 1000) {
            throw new IllegalArgumentException("maxRepetitions " + maxRepetitions + " must be 1-1000");
        }
        if (maxVarbindsPerPdu < 1 || maxVarbindsPerPdu > 1000) {
            throw new IllegalArgumentException("maxVarbindsPerPdu " + maxVarbindsPerPdu + " must be 1-1000");
        }
    }

    /**
     * A target with defaults: 1 s timeout, 1 retry, 25 repetitions, 50 varbinds per request.
     *
     * @param address the address
     * @param port the port
     * @return the target
     */
    public static SnmpTarget of(InetAddress address, int port) {
        return new SnmpTarget(address, port, Duration.ofSeconds(1), 1, 25, 50);
    }
}
