package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.SnmpOid;

/**
 * The OIDs of SNMP notifications and the SNMPv1 to SNMPv2 trap translation of RFC 3584 §3.1.
 * Stateless and thread-safe.
 */
public final class TrapOids {
    /** {@code sysUpTime.0}, the first binding of every v2c/v3 notification. */
    public static final SnmpOid SYS_UP_TIME_0 = SnmpOid.parse("1.3.6.1.2.1.1.3.0");
    /** {@code snmpTrapOID.0}, the second binding of every v2c/v3 notification. */
    public static final SnmpOid SNMP_TRAP_OID_0 = SnmpOid.parse("1.3.6.1.6.3.1.1.4.1.0");
    /** {@code snmpTrapAddress.0}: the agent's address, which a proxy or a v1 translation adds. */
    public static final SnmpOid SNMP_TRAP_ADDRESS_0 = SnmpOid.parse("1.3.6.1.6.3.18.1.3.0");
    /** {@code snmpTraps}: the generic traps' root, {@code 1.3.6.1.6.3.1.1.5}. */
    public static final SnmpOid SNMP_TRAPS = SnmpOid.parse("1.3.6.1.6.3.1.1.5");
    /** {@code ifIndex}, the column whose binding names the interface of linkDown and linkUp. */
    public static final SnmpOid IF_INDEX = SnmpOid.parse("1.3.6.1.2.1.2.2.1.1");

    private static final String[] GENERIC_NAMES = {"coldStart", "warmStart", "linkDown", "linkUp",
        "authenticationFailure"};

    private TrapOids() {
    }

    /**
     * The SNMPv2 trap OID of an SNMPv1 trap (RFC 3584 §3.1.2): a generic trap 0-5 becomes
     * {@code snmpTraps.(generic + 1)} (linkDown, generic 2, is {@code 1.3.6.1.6.3.1.1.5.3}); an
     * enterprise-specific one (generic 6) becomes {@code enterprise.0.specific}.
     *
     * @param enterprise the trap's enterprise OID; needed only for generic 6
     * @param generic the generic-trap field
     * @param specific the specific-trap field
     * @return the v2 trap OID
     * @throws IllegalArgumentException when generic is not 0-6, or an enterprise trap has no
     *         enterprise, a negative specific code, or an enterprise too long to extend
     */
    public static SnmpOid v1ToV2(SnmpOid enterprise, int generic, int specific) {
        if (generic >= 0 && generic <= 5) {
            return SNMP_TRAPS.append(generic + 1);
        }
        if (generic != 6) {
            throw new IllegalArgumentException("generic-trap " + generic + " is not 0-6");
        }
        if (enterprise == null) {
            throw new IllegalArgumentException("an enterprise-specific trap without an enterprise OID");
        }
        if (specific < 0) {
            throw new IllegalArgumentException("specific-trap " + specific + " is negative");
        }
        return enterprise.append(0, specific);
    }

    /**
     * The well-known name of a generic trap.
     *
     * @param trapOid a v2 trap OID
     * @return coldStart, warmStart, linkDown, linkUp or authenticationFailure; {@code null} for
     *         any other trap
     */
    public static String wellKnownName(SnmpOid trapOid) {
        if (trapOid.size() != SNMP_TRAPS.size() + 1 || !trapOid.startsWith(SNMP_TRAPS)) {
            return null;
        }
        long last = trapOid.get(trapOid.size() - 1);
        return last >= 1 && last <= GENERIC_NAMES.length ? GENERIC_NAMES[(int) last - 1] : null;
    }
}
