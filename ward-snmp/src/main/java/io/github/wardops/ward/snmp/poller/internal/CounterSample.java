package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.InterfaceCounters;
import java.time.Instant;

/**
 * One interface's counters at one moment, kept until the next poll to compute rates.
 *
 * @param at when the counters were read (ward's clock)
 * @param upTimeTicks the agent's sysUpTime then, or -1 when unknown
 * @param discontinuity ifCounterDiscontinuityTime then, or -1 when unknown
 * @param counters the counters
 */
public record CounterSample(Instant at, long upTimeTicks, long discontinuity, InterfaceCounters counters) {
}
