/**
 * Simulated SNMP agents for tests, benchmarks and demos: {@link io.github.wardops.ward.simulator.snmp.SnmpSimulator}
 * runs any number of {@link io.github.wardops.ward.simulator.snmp.SimulatedDevice}s on loopback addresses.
 */
package io.github.wardops.ward.simulator.snmp;
