package io.github.wardops.ward.snmp;

import java.time.Duration;
import java.util.Objects;

/**
 * A device's system group. Strings are empty when the agent did not return them. Immutable.
 *
 * @param descr sysDescr
 * @param objectId sysObjectID, or {@code null} when the agent did not return one
 * @param upTime sysUpTime; never {@code null}
 * @param name sysName
 * @param location sysLocation
 */
public record SnmpSystem(String descr, SnmpOid objectId, Duration upTime, String name, String location) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code descr}, {@code upTime}, {@code name} or {@code location} is null
     */
    public SnmpSystem {
        Objects.requireNonNull(descr, "descr");
        Objects.requireNonNull(upTime, "upTime");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }
}
