package io.github.wardops.ward.simulator.snmp;

import java.util.Objects;

/**
 * One simulated interface: its identity and the rates at which its counters grow. Octet and
 * packet counters start at the given offsets when the agent (re)starts and grow linearly with the
 * simulator's clock; the 32-bit ifTable counters wrap at 2^32 exactly as a real agent's do.
 * Immutable.
 *
 * @param index ifIndex, 1 or more
 * @param name ifName
 * @param descr ifDescr
 * @param alias ifAlias
 * @param type IANA ifType (6 ethernetCsmacd, 24 softwareLoopback, 135 l2vlan, ...)
 * @param speedBps the speed in bits/s (ifSpeed is capped at 4294967295, ifHighSpeed is in Mbit/s)
 * @param adminStatus ifAdminStatus (1 up, 2 down)
 * @param operStatus ifOperStatus (1 up, 2 down, ...)
 * @param inOctetsPerSecond inbound octet growth
 * @param outOctetsPerSecond outbound octet growth
 * @param packetsPerSecond unicast packet growth, both directions
 * @param errorsPerSecond error growth, both directions
 * @param octetOffset the octet counters' value at (re)start; set near 2^32 to see a 32-bit wrap soon
 *
 * <p>Its text components are never {@code null} (checked when built).
 */
public record SimulatedInterface(int index, String name, String descr, String alias, int type, long speedBps,
                                 int adminStatus, int operStatus, double inOctetsPerSecond, double outOctetsPerSecond,
                                 double packetsPerSecond, double errorsPerSecond, long octetOffset) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code name}, {@code descr} or {@code alias} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public SimulatedInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descr, "descr");
        Objects.requireNonNull(alias, "alias");
        if (index < 1) {
            throw new IllegalArgumentException("ifIndex must be positive: " + index);
        }
        if (speedBps < 0 || inOctetsPerSecond < 0 || outOctetsPerSecond < 0 || packetsPerSecond < 0
                || errorsPerSecond < 0 || octetOffset < 0) {
            throw new IllegalArgumentException("interface " + index + ": speeds, rates and offsets must not be negative");
        }
    }

    /**
     * A 1 Gbit/s Ethernet port, up, moving the given octets per second in each direction.
     *
     * @param index ifIndex
     * @param octetsPerSecond octets per second in and out
     * @return the interface
     */
    public static SimulatedInterface ethernet(int index, double octetsPerSecond) {
        return new SimulatedInterface(index, "Gi0/" + index, "GigabitEthernet0/" + index, "", 6, 1_000_000_000L, 1, 1,
                octetsPerSecond, octetsPerSecond / 2, octetsPerSecond / 800, 0.5, 0);
    }

    /**
     * A copy with another alias.
     *
     * @param a the alias
     * @return the copy
     */
    public SimulatedInterface withAlias(String a) {
        return new SimulatedInterface(index, name, descr, a, type, speedBps, adminStatus, operStatus, inOctetsPerSecond,
                outOctetsPerSecond, packetsPerSecond, errorsPerSecond, octetOffset);
    }

    /**
     * A copy with another octet offset.
     *
     * @param offset the starting octet count
     * @return the copy
     */
    public SimulatedInterface withOctetOffset(long offset) {
        return new SimulatedInterface(index, name, descr, alias, type, speedBps, adminStatus, operStatus,
                inOctetsPerSecond, outOctetsPerSecond, packetsPerSecond, errorsPerSecond, offset);
    }
}
