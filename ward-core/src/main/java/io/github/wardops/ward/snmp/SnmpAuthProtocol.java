package io.github.wardops.ward.snmp;

/** An SNMPv3 USM authentication protocol. MD5 exists only for old devices. */
public enum SnmpAuthProtocol {
    /** HMAC-MD5-96 (RFC 3414); weak, for old devices only. */
    MD5,
    /** HMAC-SHA-96 (RFC 3414). */
    SHA1,
    /** HMAC-SHA-224 (RFC 7860). */
    SHA224,
    /** HMAC-SHA-256 (RFC 7860). */
    SHA256,
    /** HMAC-SHA-384 (RFC 7860). */
    SHA384,
    /** HMAC-SHA-512 (RFC 7860). */
    SHA512
}
