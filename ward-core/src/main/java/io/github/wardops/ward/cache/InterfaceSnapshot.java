package io.github.wardops.ward.cache;

import java.util.Objects;

/**
 * The latest status and rates of one network interface (from SNMP ifTable/ifXTable polling).
 * Immutable and thread-safe. Rates are per second over the last polling interval, {@code null}
 * before two polls have been seen or when a counter wrapped or reset.
 *
 * @param ifIndex the ifIndex (1 or more)
 * @param name ifName (or ifDescr); never {@code null}, may be empty
 * @param alias ifAlias; never {@code null}, may be empty
 * @param admin ifAdminStatus; never {@code null}
 * @param oper ifOperStatus; never {@code null}
 * @param speedBps the speed in bits per second (from ifHighSpeed), 0 when unknown
 * @param inBps received bits per second, or {@code null}
 * @param outBps sent bits per second, or {@code null}
 * @param inErrorsPerSec inbound errors per second, or {@code null}
 * @param outErrorsPerSec outbound errors per second, or {@code null}
 */
public record InterfaceSnapshot(int ifIndex, String name, String alias, Status admin, Status oper, long speedBps,
                             Double inBps, Double outBps, Double inErrorsPerSec, Double outErrorsPerSec) {

    /**
     * ifAdminStatus / ifOperStatus values (RFC 2863).
     */
    public enum Status {
        /** up(1) */
        UP,
        /** down(2) */
        DOWN,
        /** testing(3) */
        TESTING,
        /** unknown(4) */
        UNKNOWN,
        /** dormant(5) */
        DORMANT,
        /** notPresent(6) */
        NOT_PRESENT,
        /** lowerLayerDown(7) */
        LOWER_LAYER_DOWN
    }

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code name}, {@code alias}, {@code admin} or {@code oper} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceSnapshot {
        if (ifIndex < 1) {
            throw new IllegalArgumentException("ifIndex must be 1 or more: " + ifIndex);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(oper, "oper");
        if (speedBps < 0) {
            throw new IllegalArgumentException("speedBps must not be negative: " + speedBps);
        }
        rate(inBps, "inBps");
        rate(outBps, "outBps");
        rate(inErrorsPerSec, "inErrorsPerSec");
        rate(outErrorsPerSec, "outErrorsPerSec");
    }

    private static void rate(Double v, String field) {
        if (v != null && !(v >= 0.0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(field + " must be a finite rate >= 0: " + v);
        }
    }
}
