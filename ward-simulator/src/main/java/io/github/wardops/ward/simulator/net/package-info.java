/**
 * Faulty hosts on loopback: {@link io.github.wardops.ward.simulator.net.LoopbackFaults} makes
 * ranges of 127.0.0.0/8 silent or unreachable with an nftables table of its own, so that tests
 * and demos can show devices that are down without sending a packet off the machine.
 */
package io.github.wardops.ward.simulator.net;
