package io.github.wardops.ward.snmp;

/** An SNMPv3 USM privacy (encryption) protocol. DES exists only for old devices. */
public enum SnmpPrivProtocol {
    /** CBC-DES (RFC 3414); weak, for old devices only. */
    DES,
    /** CFB-AES-128 (RFC 3826). */
    AES128,
    /** CFB-AES-192 (the Blumenthal key extension, as net-snmp and Cisco use). */
    AES192,
    /** CFB-AES-256 (the Blumenthal key extension, as net-snmp and Cisco use). */
    AES256
}
