package io.github.wardops.ward.snmp;

/** An SNMP protocol version. */
public enum SnmpVersion {
    /** SNMPv1: community, GETNEXT walks, {@code noSuchName} errors. */
    V1,
    /** SNMPv2c: community, GETBULK walks, exception values. */
    V2C,
    /** SNMPv3 with the user-based security model (USM). */
    V3
}
