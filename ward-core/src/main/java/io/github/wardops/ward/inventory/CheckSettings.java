package io.github.wardops.ward.inventory;

/**
 * What a check needs to know to probe, beyond the device's address: the settings of one check
 * type. Each {@link io.github.wardops.ward.probe.Prober} defines its own settings record, and the
 * engine routes a check to the prober whose {@link io.github.wardops.ward.probe.Prober#type()}
 * equals {@link #type()}.
 *
 * <p>Implementations must be immutable (records are ideal) and must not print secrets in
 * {@code toString()}.
 */
public interface CheckSettings {
    /**
     * The check type, matching a prober's type, such as {@code "icmp"}, {@code "tcp"} or
     * {@code "snmp"}.
     *
     * @return a short lower-case name; never {@code null}
     */
    String type();
}
