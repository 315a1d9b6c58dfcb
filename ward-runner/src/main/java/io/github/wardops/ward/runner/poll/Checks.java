package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.SnmpCheckRule;
import io.github.wardops.ward.runner.config.TcpCheckRule;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Chooses each device's checks from the settings and its labels: ICMP for every device; one SNMP
 * check (system group, interfaces with rates, vendor template items) from the first
 * {@code snmp-checks} rule whose label selector matches the device, with the credentials of that
 * rule's version (rules whose credentials are not configured are skipped); TCP connect checks on
 * the ports of every {@code tcp-checks} rule whose selector matches (a port named by several rules
 * is checked once). Stateless.
 */
public final class Checks {
    /** The name of every SNMP check. */
    public static final String SNMP_CHECK = SnmpSettings.TYPE;
    /** The longest one SNMP poll may take. */
    public static final Duration SNMP_TIMEOUT = Duration.ofSeconds(10);

    private Checks() {
    }

    /**
     * The snmp-checks rules that are on: those whose credentials are configured.
     *
     * @param settings the settings
     * @return the rules, in order
     */
    public static List<SnmpCheckRule> activeSnmpRules(RunSettings settings) {
        return settings.snmpChecks().stream().filter(r -> settings.snmpCredentials(r.profile()).isPresent()).toList();
    }

    /**
     * The check chooser for these settings.
     *
     * @param settings the settings
     * @return a function giving each device its checks; never {@code null}
     */
    public static Function<Device, List<Check>> of(RunSettings settings) {
        Check icmp = Check.icmp(settings.interval());
        Duration timeout = settings.snmpInterval().compareTo(SNMP_TIMEOUT) < 0 ? settings.snmpInterval() : SNMP_TIMEOUT;
        Map<String, Check> snmpByProfile = new LinkedHashMap<>();
        List<SnmpCheckRule> snmp = activeSnmpRules(settings);
        for (SnmpCheckRule r : snmp) {
            // The rule's version names the shared credentials, registered under the same name in Wiring.
            snmpByProfile.computeIfAbsent(r.profile(), p -> new Check(SNMP_CHECK,
                    SnmpSettings.builder().credentialsRef(p).port(settings.snmpPort()).build(), settings.snmpInterval(), timeout));
        }
        List<TcpCheckRule> tcp = settings.tcpChecks();
        return d -> {
            List<Check> checks = new ArrayList<>(2);
            checks.add(icmp);
            for (SnmpCheckRule r : snmp) {
                if (r.selector().matches(d.labels())) {
                    checks.add(snmpByProfile.get(r.profile()));
                    break;
                }
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
     * Whether the device has an SNMP check.
     *
     * @param d the device, with its checks
     * @return whether one of its checks is SNMP
     */
    public static boolean hasSnmp(Device d) {
        return d.checks().stream().anyMatch(c -> c.name().equals(SNMP_CHECK));
    }

    /**
     * The SNMP credentials name (the rule's version) of a device's SNMP check.
     *
     * @param d the device, with its checks
     * @return {@code v1}, {@code v2c} or {@code v3}; {@code null} when it has no SNMP check
     */
    public static String snmpProfile(Device d) {
        for (Check c : d.checks()) {
            if (c.settings() instanceof SnmpSettings s) {
                return s.credentialsRef();
            }
        }
        return null;
    }
}
