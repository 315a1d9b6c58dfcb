package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.Objects;

/**
 * An interface found by SNMP discovery (a row of {@code interfaces}). Optional attributes are
 * {@code null} when the agent did not give them. Immutable.
 *
 * @param device the device; never {@code null}
 * @param ifIndex the ifIndex (1 or more)
 * @param name ifName, or {@code null}
 * @param descr ifDescr, or {@code null}
 * @param alias ifAlias, or {@code null}
 * @param type ifType, or {@code null}
 * @param speedBps the speed in bit/s (ifHighSpeed x 10^6, or ifSpeed), or {@code null}
 * @param mac ifPhysAddress as text, or {@code null}
 * @param adminStatus ifAdminStatus name ({@code up}, {@code down}, {@code testing}), or {@code null}
 * @param operStatus ifOperStatus name, or {@code null}
 * @param role the classification from alias/description (such as {@code isp_uplink}), or {@code null}
 * @param provider the ISP tagged on an uplink, or {@code null}
 */
public record InterfaceRecord(DeviceId device, int ifIndex, String name, String descr, String alias, Integer type,
                              Long speedBps, String mac, String adminStatus, String operStatus, String role,
                              String provider) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceRecord {
        Objects.requireNonNull(device, "device");
        if (ifIndex < 1) {
            throw new IllegalArgumentException("ifIndex " + ifIndex + " must be 1 or more");
        }
    }
}
