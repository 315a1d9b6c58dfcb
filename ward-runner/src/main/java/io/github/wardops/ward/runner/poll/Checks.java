package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Chooses each device's checks from the settings and its labels: ICMP for every device; SNMP
 * (v2c, with the shared credentials {@value #SNMP_CREDENTIALS}) for devices whose
 * {@code snmp_version} label is {@code 2c}, when an SNMP community is configured. Stateless.
 */
public final class Checks {
    /** The name of the shared SNMP credentials (the configured community). */
    public static final String SNMP_CREDENTIALS = "fleet-v2c";
    /** The CSV column (label) naming a device's SNMP version. */
    public static final String SNMP_VERSION_LABEL = "snmp_version";
    /** The longest one SNMP poll may take. */
    public static final Duration SNMP_TIMEOUT = Duration.ofSeconds(10);

    private Checks() {
    }

    /**
     * The check chooser for these settings.
     *
     * @param settings the settings
     * @return a function giving each device its checks; never {@code null}
     */
    public static Function<Device, List<Check>> of(RunSettings settings) {
        Check icmp = Check.icmp(settings.interval());
        if (settings.secret(RunSettings.SNMP_COMMUNITY).isEmpty()) {
            return d -> List.of(icmp);
        }
        Duration timeout = settings.snmpInterval().compareTo(SNMP_TIMEOUT) < 0 ? settings.snmpInterval() : SNMP_TIMEOUT;
        Check snmp = new Check("snmp", SnmpSettings.builder().credentialsRef(SNMP_CREDENTIALS).port(settings.snmpPort()).build(),
                settings.snmpInterval(), timeout);
        return d -> hasSnmp(d) ? List.of(icmp, snmp) : List.of(icmp);
    }

    /**
     * Whether the device's {@code snmp_version} label is {@code 2c}.
     *
     * @param d the device
     * @return whether it gets an SNMP check when a community is configured
     */
    public static boolean hasSnmp(Device d) {
        String v = d.labels().get(SNMP_VERSION_LABEL);
        return v != null && v.strip().equalsIgnoreCase("2c");
    }
}
