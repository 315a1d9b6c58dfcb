package io.github.wardops.ward.snmp;

import java.util.Map;
import java.util.Objects;

/**
 * One polled interface: what discovery found, its status now, its counters and rates.
 * Immutable.
 *
 * @param index ifIndex
 * @param name ifName (empty when the agent has no ifXTable)
 * @param descr ifDescr
 * @param alias ifAlias
 * @param type the IANA ifType
 * @param mtu ifMtu
 * @param speedBitsPerSecond ifHighSpeed x 1,000,000 when set, else ifSpeed; 0 when unknown
 * @param physAddress ifPhysAddress as colon-separated hex, empty when none
 * @param adminStatus ifAdminStatus (1 up, 2 down, 3 testing), 0 when not read
 * @param operStatus ifOperStatus (1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown), 0 when not read
 * @param role the role a classification rule gave, or {@code null}
 * @param attributes named groups captured by the rule; never {@code null}
 * @param counters the raw counters; never {@code null}
 * @param rates the rates; {@link InterfaceRates#NONE} when none could be computed
 */
public record SnmpInterface(int index, String name, String descr, String alias, int type, int mtu,
                            long speedBitsPerSecond, String physAddress, int adminStatus, int operStatus, String role,
                            Map<String, String> attributes, InterfaceCounters counters, InterfaceRates rates) {
    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code name}, {@code descr}, {@code alias}, {@code physAddress}, {@code counters} or {@code rates} is null
     */
    public SnmpInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descr, "descr");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(physAddress, "physAddress");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(rates, "rates");
    }

    /**
     * The name to show: ifName, else ifDescr.
     *
     * @return the display name
     */
    public String displayName() {
        return name.isEmpty() ? descr : name;
    }
}
