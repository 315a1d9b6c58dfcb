package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.snmp.poller.internal.SnmpPoller;

/**
 * Factories of SNMP probers.
 *
 * <p>Stateless and thread-safe; arguments must not be {@code null}. What it returns documents its
 * own contract.
 */
public final class SnmpProbers {
    private SnmpProbers() {
    }

    /**
     * Opens the SNMP session (one UDP socket, bound now) and returns the prober around it.
     *
     * @param options the options; never {@code null}
     * @return the prober; the caller closes it
     * @throws io.github.wardops.ward.WardException when the socket cannot be opened
     */
    public static SnmpProber create(SnmpOptions options) {
        return SnmpPoller.open(options);
    }
}
