package io.github.wardops.ward.snmp;

/**
 * Raw interface counters from one poll. A field is {@code null} when the agent did not return
 * it. Octet and unicast-packet counters are 64-bit (ifXTable HC) when {@link #highCapacity()},
 * 32-bit (ifTable) otherwise; values are unsigned. Immutable.
 *
 * @param inOctets ifHCInOctets or ifInOctets
 * @param outOctets ifHCOutOctets or ifOutOctets
 * @param inUcastPkts ifHCInUcastPkts or ifInUcastPkts
 * @param outUcastPkts ifHCOutUcastPkts or ifOutUcastPkts
 * @param inErrors ifInErrors
 * @param outErrors ifOutErrors
 * @param inDiscards ifInDiscards
 * @param outDiscards ifOutDiscards
 * @param highCapacity whether octets and packets came from 64-bit counters
 */
public record InterfaceCounters(Long inOctets, Long outOctets, Long inUcastPkts, Long outUcastPkts, Long inErrors,
                                Long outErrors, Long inDiscards, Long outDiscards, boolean highCapacity) {
}
