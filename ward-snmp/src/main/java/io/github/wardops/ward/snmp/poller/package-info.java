/**
 * The SNMP poller: {@link io.github.wardops.ward.snmp.poller.SnmpProbers} opens one long-lived
 * SNMP session as a {@link io.github.wardops.ward.snmp.poller.SnmpProber} (the prober of checks of
 * type {@code "snmp"}, with its GET and walk operations), configured by
 * {@link io.github.wardops.ward.snmp.poller.SnmpOptions}: shared credentials, limits,
 * {@linkplain io.github.wardops.ward.snmp.poller.VendorTemplate vendor templates} and
 * {@linkplain io.github.wardops.ward.snmp.poller.InterfaceRule interface classification rules}.
 * Settings, values and measurements are ward-core's {@code io.github.wardops.ward.snmp} model.
 * No SNMP4J type appears in this API.
 */
package io.github.wardops.ward.snmp.poller;
