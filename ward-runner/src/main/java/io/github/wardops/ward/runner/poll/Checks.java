package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.time.Duration;
import io.github.wardops.ward.runner.config.TcpCheckRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Chooses each device's checks from the settings and its labels: ICMP for every device; SNMP
 * (v2c, with the shared credentials {@value #SNMP_CREDENTIALS}) for devices whose
 * {@code snmp_version} label is {@code 2c}, when an SNMP community is configured; TCP connect
 * checks on the ports of every {@code tcp-checks} rule whose label selector matches the device
 * (a port named by several rules is checked once). Stateless.
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
        Check snmp = null;
        if (settings.secret(RunSettings.SNMP_COMMUNITY).isPresent()) {
            Duration timeout = settings.snmpInterval().compareTo(SNMP_TIMEOUT) < 0 ? settings.snmpInterval() : SNMP_TIMEOUT;
            snmp = new Check("snmp", SnmpSettings.builder().credentialsRef(SNMP_CREDENTIALS).port(settings.snmpPort()).build(),
                    settings.snmpInterval(), timeout);
        }
        Check snmpCheck = snmp;
        List<TcpCheckRule> tcp = settings.tcpChecks();
        return d -> {
            List<Check> checks = new ArrayList<>(2);
            checks.add(icmp);
            if (snmpCheck != null && hasSnmp(d)) {
                checks.add(snmpCheck);
            }
            Set<Integer> ports = new LinkedHashSet<>();
            for (TcpCheckRule r : tcp) {
                if (r.selector().matches(d.labels())) {
                    ports.addAll(r.ports());
                }
            }
            for (int port : ports) {
                checks.add(Check.tcp(port, settings.interval()));
            }
            return List.copyOf(checks);
        };
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
