/**
 * SNMP polling: settings and credentials of SNMP checks, typed values, the measurement an SNMP
 * poll produces (system group, vendor items, interfaces with counters and rates), vendor
 * templates, and the {@link io.github.wardops.ward.snmp.SnmpProber} with its GET and walk
 * operations. No SNMP4J type appears in this API.
 */
package io.github.wardops.ward.snmp;
