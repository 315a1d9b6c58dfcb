package io.github.wardops.ward.probe;

import io.github.wardops.ward.inventory.CheckSettings;

/**
 * The settings of a TCP connect check.
 *
 * @param port the port to connect to, 1-65535
 *
 * <p>Immutable and thread-safe.
 *
 * <p>It has no reference component, so nothing in it can be {@code null}.
 */
public record TcpSettings(int port) implements CheckSettings {
    /** The type name of TCP checks. */
    public static final String TYPE = "tcp";

    /**
     * Checks the components; each is described on the record.
     *
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public TcpSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tcp port " + port + " must be 1-65535");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
