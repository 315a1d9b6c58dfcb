/**
 * The SNMP model: settings and credentials of SNMP checks, typed OIDs and values, the responses
 * of GET and walk operations, and the measurement an SNMP poll produces (system group, vendor
 * items, interfaces with counters and rates), as stored and cached by ward-core, ward-postgres
 * and ward-redis. No SNMP4J type appears in this API. The poller that produces these values,
 * {@code io.github.wardops.ward.snmp.poller.SnmpProber}, lives in the ward-snmp module, so that
 * applications that do not poll SNMP never pull in SNMP4J.
 */
package io.github.wardops.ward.snmp;
