package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * One poll of one interface (a row of {@code interface_samples}): raw counters as read (Counter64
 * values kept as their 64 bits; above 2^63-1 they read back negative) and the rates computed from
 * the previous sample. Any field but device, ifIndex and time may be {@code null}. Immutable.
 *
 * @param device the device; never {@code null}
 * @param ifIndex the ifIndex
 * @param at the poll time; never {@code null}
 * @param operStatus ifOperStatus name
 * @param inOctets ifHCInOctets
 * @param outOctets ifHCOutOctets
 * @param inUcastPkts ifHCInUcastPkts
 * @param outUcastPkts ifHCOutUcastPkts
 * @param inErrors ifInErrors
 * @param outErrors ifOutErrors
 * @param inDiscards ifInDiscards
 * @param outDiscards ifOutDiscards
 * @param inBps received bit/s
 * @param outBps sent bit/s
 * @param inPps received unicast packets/s
 * @param outPps sent unicast packets/s
 * @param inErrorsPs receive errors/s
 * @param outErrorsPs send errors/s
 * @param inDiscardsPs receive discards/s
 * @param outDiscardsPs send discards/s
 */
public record InterfaceSample(DeviceId device, int ifIndex, Instant at, String operStatus, Long inOctets,
                              Long outOctets, Long inUcastPkts, Long outUcastPkts, Long inErrors, Long outErrors,
                              Long inDiscards, Long outDiscards, Double inBps, Double outBps, Double inPps,
                              Double outPps, Double inErrorsPs, Double outErrorsPs, Double inDiscardsPs,
                              Double outDiscardsPs) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device} or {@code at} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceSample {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(at, "at");
        if (ifIndex < 1) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " must be 1 or more");
        }
    }
}
