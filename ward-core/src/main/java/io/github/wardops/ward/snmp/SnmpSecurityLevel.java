package io.github.wardops.ward.snmp;

/** An SNMPv3 security level. */
public enum SnmpSecurityLevel {
    /** No authentication, no privacy. */
    NO_AUTH_NO_PRIV,
    /** Authenticated, not encrypted. */
    AUTH_NO_PRIV,
    /** Authenticated and encrypted. */
    AUTH_PRIV
}
