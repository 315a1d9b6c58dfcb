/**
 * The SNMP poller: {@link io.github.wardops.ward.snmp.poller.SnmpProbers} opens one long-lived
 * SNMP session as a {@link io.github.wardops.ward.snmp.poller.SnmpProber} (the prober of checks of
 * type {@code "snmp"}, with its GET and walk operations), configured by
 * {@link io.github.wardops.ward.snmp.poller.SnmpOptions}: shared credentials, limits,
 * {@linkplain io.github.wardops.ward.snmp.poller.VendorTemplate vendor templates} and
 * {@linkplain io.github.wardops.ward.snmp.poller.InterfaceRule interface classification rules}.
 * Settings, values and measurements are ward-core's {@code io.github.wardops.ward.snmp} model.
 * {@link io.github.wardops.ward.snmp.poller.SnmpTrapReceiver} receives traps and informs
 * (configured by {@link io.github.wardops.ward.snmp.poller.SnmpTrapOptions}) and hands each
 * accepted one, as a {@link io.github.wardops.ward.snmp.poller.TrapEvent}, to a
 * {@link io.github.wardops.ward.snmp.poller.TrapListener}.
 * No SNMP4J type appears in this API.
 */
package io.github.wardops.ward.snmp.poller;
